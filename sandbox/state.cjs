'use strict';
// In-memory model of one Glassix workspace: departments, users, contacts, tickets,
// canned replies, uploaded files and the webhook event queue.

const crypto = require('node:crypto');
const C = require('./constants.cjs');
const {
  EMPTY_GUID, NOT_SET_DATE, badRequest, ruleError, parseAnyDate, randomGuid, stableGuid, isGuid,
  isPlainObject, isNonEmptyString, canonical, formatTimeSpan, clone, setOwn,
} = require('./util.cjs');
const { dateWriter } = require('./dates.cjs');
const { DEFAULT_RULES } = require('./rules.cjs');

/** Transaction ids are one sequence for the workspace (the docs' sample transaction has id 1082248). */
const FIRST_TRANSACTION_ID = 1000001;
/** The key order of a ticket's `owner` in the docs' ticket and event samples. */
const OWNER_KEYS = ['id', 'gender', 'UserName', 'culture', 'isAnonymous', 'uniqueArgument', 'type'];

const FIELD_KEYS = ['field1', 'field2', 'field3', 'field4', 'field5', 'field6', 'field7', 'field8', 'field9', 'field10'];

function defaultDetails() {
  return {
    userAgent: '', iPAddress: '', location: '', cardsPath: '',
    source: { title: '', uri: '' },
    externalLink: '', isMobile: false, identityTokenClaims: {},
    referral: {
      utmParameters: null, adId: '', adTitle: '', refData: '', productId: '', fbPostId: '',
      instagramStoryId: '', instagramStoryMediaUrl: null, appleIntentId: '', appleGroupId: '',
      twitterRootTweetId: '', tikTokVideoId: '', tikTokCommentId: '', whatsappHeadline: '',
      whatsappBody: '', whatsappSourceType: '', whatsappSourceId: '', whatsappSourceUrl: '',
    },
  };
}

/** Deep-merge plain objects (used for `details`). */
function mergeDeep(target, src) {
  for (const [k, v] of Object.entries(src)) {
    // (own keys only, and defined: a body's `__proto__` key stays a key, never Object.prototype)
    if (isPlainObject(v) && Object.hasOwn(target, k) && isPlainObject(target[k])) mergeDeep(target[k], v);
    else setOwn(target, k, clone(v));
  }
  return target;
}

function normProtocol(value) {
  if (typeof value !== 'string') return undefined;
  return canonical(C.PROTOCOL_TYPES, C.PROTOCOL_ALIASES[value] || value);
}

class SandboxState {
  /**
   * @param {object} opts
   * @param {object} opts.seed  normalised seed object
   * @param {object} opts.credentials  { workspace, apiKey, apiSecret, userName }
   * @param {() => number} opts.now
   * @param {number} opts.firstTicketId
   * @param {object} [opts.rules]  normalised rules (see rules.cjs)
   * @param {'dotnet'|'iso'} [opts.dateFormat]
   * @param {(event, departmentId) => void} [opts.onEvent]
   */
  constructor(opts) {
    this.opts = opts;
    this.rules = opts.rules || DEFAULT_RULES;
    this.dateOf = dateWriter(opts.dateFormat || 'dotnet');
    this.onEvent = opts.onEvent || null;
    this.load();
  }

  /** A duration as the API writes it (`rules.durations`). */
  duration(ms) {
    return this.rules.durations === 'seconds' ? Math.max(0, Math.floor(ms / 1000)) : formatTimeSpan(ms);
  }

  now() { return this.opts.now(); }

  /** A list no source orders, as stored or reversed (`rules.storedOrder`). Returns `list` itself or a reversed copy. */
  inStoredOrder(list) {
    return this.rules.storedOrder === 'reversed' ? [...list].reverse() : list;
  }

  // ---------------------------------------------------------------- loading

  load() {
    const { seed, credentials } = this.opts;
    this.departments = new Map();
    this.departmentAliases = new Map(); // seed id of departments[0] → apiKey
    this.users = new Map();
    this.contacts = new Map();
    this.tickets = new Map();
    this.cannedReplies = new Map();
    this.files = new Map();
    this.events = [];           // [{ departmentId, event }]
    this.listCursors = new Map();
    this.nonTicketMessages = [];
    this.nextTicketId = this.opts.firstTicketId;
    this.nextTransactionId = FIRST_TRANSACTION_ID;
    this.nextIdentifierId = 1;
    // contact, transaction and attachment GUIDs: v4-shaped, derived from a counter, so the same
    // seed (and the same calls) give the same ids in every sandbox and after every reset()
    this.nextGuid = 1;
    this.nextCannedReplyId = 1;
    this.nextAttachmentId = 1;
    this.nextFileId = 1;
    this.nextDocumentId = 1;
    const t0 = this.now();

    seed.departments.forEach((d, i) => {
      if (!isPlainObject(d)) throw new TypeError('glassix sandbox: seed.departments[] must be objects');
      const id = i === 0 ? credentials.apiKey : (d.id || stableGuid(`department:${d.name || i}`));
      if (i === 0 && d.id) this.departmentAliases.set(String(d.id).toLowerCase(), credentials.apiKey.toLowerCase());
      if (!isGuid(id)) throw new TypeError(`glassix sandbox: department id ${id} is not a GUID`);
      this.departments.set(id.toLowerCase(), {
        id: id.toLowerCase(),
        name: d.name || `Department ${i + 1}`,
        apiSecret: d.apiSecret || credentials.apiSecret,
        online: d.online !== false,
        onlineProtocols: isPlainObject(d.onlineProtocols) ? { ...d.onlineProtocols } : {},
        channels: isPlainObject(d.channels) ? clone(d.channels) : {},
        tags: (d.tags || []).map((tag) => (typeof tag === 'string'
          ? { Name: tag, Color: '#607d8b', ParentTags: [], IsDeleted: false }
          : {
            Name: String(tag.Name ?? tag.name), Color: tag.Color ?? tag.color ?? '#607d8b',
            ParentTags: tag.ParentTags ?? tag.parentTags ?? [], IsDeleted: Boolean(tag.IsDeleted ?? tag.isDeleted),
          })),
      });
    });
    const allDepts = [...this.departments.keys()];

    const seedUsers = [...(seed.users || [])];
    if (!seedUsers.some((u) => String(u.UserName ?? u.userName).toLowerCase() === credentials.userName.toLowerCase())) {
      seedUsers.unshift({
        UserName: credentials.userName, type: 'API', status: 'Online', fullName: 'API User', shortName: 'API',
        roles: ['DepartmentAdmin'],
      });
    }
    for (const u of seedUsers) {
      const userName = u.UserName ?? u.userName;
      if (!isNonEmptyString(userName)) throw new TypeError('glassix sandbox: every seed user needs a UserName');
      const depts = u.departments ? u.departments.map((ref) => this.resolveDepartmentRef(ref)) : allDepts;
      const user = this.createUser({
        id: u.id, userName, type: u.type, status: u.status, gender: u.gender, culture: u.culture,
        fullName: u.fullName, shortName: u.shortName, jobTitle: u.jobTitle, isAnonymous: u.isAnonymous,
      }, t0);
      for (const deptId of depts) {
        user.memberships.set(deptId, { uniqueArgument: u.uniqueArgument || '', roles: u.roles ? [...u.roles] : ['SystemUser'] });
      }
    }

    for (const c of seed.contacts || []) {
      // (a seed contact belongs to its `departmentId`, id or name, or to the first department)
      const deptId = c.departmentId ? this.resolveDepartmentRef(c.departmentId) : credentials.apiKey.toLowerCase();
      const contact = this.createContact({ id: c.id, name: c.name, uniqueArgument: c.uniqueArgument, tags: c.tags, departmentId: deptId }, t0);
      for (const ident of c.identifiers || []) {
        this.addIdentifierTo(contact, ident.identifierType || 'Undefined', String(ident.identifier), t0);
      }
    }

    for (const r of seed.cannedReplies || []) {
      const deptId = r.departmentId ? this.resolveDepartmentRef(r.departmentId) : credentials.apiKey.toLowerCase();
      this.saveCannedReply(deptId, r);
    }

    (seed.tickets || []).forEach((t, i) => {
      try {
        const deptId = t.departmentId ? this.resolveDepartmentRef(t.departmentId) : credentials.apiKey.toLowerCase();
        this.createTicket(deptId, t, { fromSeed: true });
      } catch (err) {
        // A seed ticket the API would refuse (a tag not in the list, no participants) is an
        // invalid option value, like any other: a TypeError that says which ticket, not the
        // HttpError a request would get.
        throw new TypeError(`startSandbox: seed.tickets[${i}]: ${String(err.message).replace(/^glassix sandbox: /, '')}`);
      }
    });
  }

  resolveDepartmentRef(ref) {
    const s = String(ref).toLowerCase();
    if (this.departments.has(s)) return s;
    if (this.departmentAliases.has(s)) return this.departmentAliases.get(s);
    for (const d of this.departments.values()) if (d.name.toLowerCase() === s) return d.id;
    throw new TypeError(`glassix sandbox: seed refers to unknown department ${ref}`);
  }

  // ------------------------------------------------------------ departments

  department(id) { return typeof id === 'string' ? this.departments.get(id.toLowerCase()) : undefined; }

  /** Canonical spelling of an allowed (non-deleted) tag, or undefined. */
  allowedTag(deptId, name) {
    const dept = this.department(deptId);
    if (!dept || typeof name !== 'string') return undefined;
    const live = dept.tags.filter((t) => !t.IsDeleted).map((t) => t.Name);
    if (live.includes(name)) return name;
    return this.rules.tagCase === 'insensitive' ? canonical(live, name) : undefined;
  }

  /**
   * Validate a list of tag names against the department; returns canonical names. A tag that is
   * not in the list is refused (400) or, with `rules.unknownTag: 'ignore'`, dropped.
   */
  validateTags(deptId, tags) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw badRequest('Tags must be an array of strings.');
    const out = [];
    for (const t of tags) {
      const name = this.allowedTag(deptId, t);
      if (name) out.push(name);
      else if (this.rules.unknownTag === 'reject') throw ruleError(`Tag '${t}' does not exist in the department's tag list.`);
    }
    return out;
  }

  // ------------------------------------------------------------------ users

  createUser(u, t0 = this.now()) {
    // (its id from its name as names match: in any case, or as written under rules.userNameCase
    // 'exact', where `ALICE@…` is another user than `alice@…`)
    const id = (u.id || stableGuid(`user:${this.userNameKey(String(u.userName))}`)).toLowerCase();
    const status = canonical(C.USER_STATUSES, u.status || 'Offline') || 'Offline';
    const user = {
      id,
      UserName: u.userName,
      type: canonical(C.USER_TYPES, u.type || 'AGENT') || 'AGENT',
      gender: canonical(C.GENDERS, u.gender || 'Undefined') || 'Undefined',
      culture: u.culture || 'en-US',
      isAnonymous: Boolean(u.isAnonymous),
      fullName: u.fullName ?? '',
      shortName: u.shortName ?? '',
      jobTitle: u.jobTitle ?? '',
      status,
      doNotDisturb: false,
      memberships: new Map(),
      statusLog: [{ t: t0, status, dnd: false }],
    };
    this.users.set(id, user);
    return user;
  }

  user(id) { return typeof id === 'string' ? this.users.get(id.toLowerCase()) : undefined; }

  /** A user name as names match (rules.userNameCase): in any case, or exactly. */
  userNameKey(name) {
    return this.rules.userNameCase === 'exact' ? name : name.toLowerCase();
  }

  findUserByName(userName, deptId) {
    if (typeof userName !== 'string') return undefined;
    const wanted = this.userNameKey(userName);
    for (const u of this.users.values()) {
      if (this.userNameKey(u.UserName) === wanted && (!deptId || u.memberships.has(deptId))) return u;
    }
    return undefined;
  }

  departmentUsers(deptId) {
    return [...this.users.values()].filter((u) => u.memberships.has(deptId));
  }

  /** The full 12-key User, as `users/*` return it. */
  renderUser(user, deptId) {
    if (!user) return null;
    const m = user.memberships.get(deptId) || { uniqueArgument: '', roles: [] };
    return {
      id: user.id, type: user.type, gender: user.gender, UserName: user.UserName, culture: user.culture,
      isAnonymous: user.isAnonymous, uniqueArgument: m.uniqueArgument, fullName: user.fullName,
      shortName: user.shortName, jobTitle: user.jobTitle, status: user.status, roles: [...m.roles],
    };
  }

  /** A ticket's `owner`: the 7 keys the docs' ticket and event samples show, in their order. */
  renderOwner(user, deptId) {
    const full = this.renderUser(user, deptId);
    return full && Object.fromEntries(OWNER_KEYS.map((k) => [k, full[k]]));
  }

  setUserStatus(user, status, deptId) {
    user.status = status;
    user.statusLog.push({ t: this.now(), status, dnd: user.doNotDisturb });
    this.emit(deptId, {
      _event: 'USER_STATUS_CHANGE', userId: user.id, userName: user.UserName, userStatus: status,
      doNotDisturb: user.doNotDisturb,
    });
  }

  /** An Online AGENT of the department with the fewest open tickets (deterministic), or undefined. */
  pickAvailableUser(deptId) {
    if (this.rules.autoAssign === 'queue') return undefined;
    const candidates = this.departmentUsers(deptId).filter((u) => u.type === 'AGENT' && u.status === 'Online');
    let best; let bestLoad = Infinity;
    for (const u of candidates) {
      let load = 0;
      for (const t of this.tickets.values()) if (t.ownerId === u.id && t.state !== 'Closed') load += 1;
      if (load < bestLoad) { best = u; bestLoad = load; }
    }
    return best;
  }

  /** A GUID for a new contact, transaction or attachment: the same sequence of calls gives the same ids. */
  newGuid(kind) {
    return stableGuid(`${kind}:${this.nextGuid++}`);
  }

  // --------------------------------------------------------------- contacts

  /** A new contact of department `c.departmentId` (the one whose ticket or request made it). */
  createContact(c, t0 = this.now()) {
    const id = (c.id || this.newGuid('contact')).toLowerCase();
    const contact = {
      id, departmentId: c.departmentId, name: c.name || '', identifiers: [], uniqueArgument: c.uniqueArgument || '',
      imageFileIdentifier: '', imageUri: null, creationDateTime: t0, updateDateTime: t0,
      isDeleted: false, isScrambled: false, tags: Array.isArray(c.tags) ? [...c.tags] : [],
    };
    this.contacts.set(id, contact);
    if (this.newContacts) this.newContacts.push(id);
    return contact;
  }

  /** Contact `id`; with `deptId`, only if that department may see it (rules.contactScope: the
   * contacts of its own department, or of the whole workspace). */
  contact(id, deptId) {
    const c = typeof id === 'string' ? this.contacts.get(id.toLowerCase()) : undefined;
    return c && (!deptId || this.contactVisible(c, deptId)) ? c : undefined;
  }

  contactVisible(contact, deptId) {
    return this.rules.contactScope === 'workspace' || contact.departmentId === deptId;
  }

  addIdentifierTo(contact, identifierType, identifier, t = this.now()) {
    const ident = {
      id: this.nextIdentifierId++, contactId: contact.id, identifierType, identifier, lastAccessed: t,
      isVerified: false, isDeleted: false, isScrambled: false,
    };
    contact.identifiers.push(ident);
    contact.updateDateTime = t;
    return ident;
  }

  /** An identifier as contacts are found by it (rules.identifierMatch): trimmed and in any case,
   * or as written. */
  identifierKey(identifier) {
    return this.rules.identifierMatch === 'exact' ? String(identifier) : String(identifier).trim().toLowerCase();
  }

  /** The live contact with this identifier, among those department `deptId` may see. */
  findContactByIdentifier(identifier, deptId) {
    const wanted = this.identifierKey(identifier);
    for (const c of this.contacts.values()) {
      if (c.isDeleted || !this.contactVisible(c, deptId)) continue;
      if (c.identifiers.some((i) => !i.isDeleted && this.identifierKey(i.identifier) === wanted)) return c;
    }
    return undefined;
  }

  renderContact(c) {
    return {
      id: c.id, name: c.name,
      identifiers: c.identifiers.map((i) => ({ ...i, lastAccessed: this.dateOf('contact.identifiers.lastAccessed', i.lastAccessed) })),
      uniqueArgument: c.uniqueArgument, imageFileIdentifier: c.imageFileIdentifier, imageUri: c.imageUri,
      creationDateTime: this.dateOf('contact.creationDateTime', c.creationDateTime),
      updateDateTime: this.dateOf('contact.updateDateTime', c.updateDateTime),
      isDeleted: c.isDeleted, isScrambled: c.isScrambled, tags: [...c.tags],
    };
  }

  // ---------------------------------------------------------------- tickets

  ticket(id, deptId) {
    const t = this.tickets.get(Number(id));
    if (!t || (deptId && t.departmentId !== deptId)) return undefined;
    return t;
  }

  userParticipant(ticket, user, { sender = false } = {}) {
    let p = ticket.participants.find((x) => x.type === 'User' && x.identifier === user.id && !x.isDeleted);
    if (!p) {
      p = {
        id: 0, name: user.shortName || user.fullName || user.UserName,
        displayName: user.shortName || '', type: 'User', protocolType: 'Web', subProtocolType: 'Undefined',
        identifier: user.id, departmentIdentifier: '', isActive: true, isDeleted: false, contactId: EMPTY_GUID,
        userName: user.UserName,
      };
      // rules.apiSender 'detached': a sender who is not a participant stays out of the list (id 0)
      if (sender && this.rules.apiSender === 'detached') return p;
      p.id = ticket.nextParticipantId++;
      ticket.participants.push(p);
    }
    p.isActive = true;
    return p;
  }

  /** The contact of a client participant in department `deptId`: found by identifier, or made. */
  contactFor(deptId, { identifier, protocolType, name }, t0 = this.now()) {
    let contact = this.findContactByIdentifier(identifier, deptId);
    if (!contact) {
      // rules.contactNameOverflow: a contact name holds 25 characters
      contact = this.createContact({ name: this.rules.contactNameOverflow === 'keep' ? name || '' : (name || '').slice(0, 25), departmentId: deptId }, t0);
      this.addIdentifierTo(contact, C.identifierTypeFor(protocolType), identifier, t0);
    }
    return contact;
  }

  normaliseParticipant(ticket, p, deptId, t0) {
    if (!isPlainObject(p)) throw badRequest('Each participant must be an object.');
    // rules.participantType: a participant without `type` is a Client, or refused
    if (p.type == null && this.rules.participantType === 'required') throw badRequest('Participant type is required.');
    const type = canonical(C.PARTICIPANT_TYPES, p.type ?? 'Client');
    if (!type) throw badRequest(`Invalid participant type '${p.type}'.`);
    const subProtocolType = canonical(C.SUB_PROTOCOL_TYPES, p.subProtocolType ?? 'Undefined');
    if (!subProtocolType) throw badRequest(`Invalid subProtocolType '${p.subProtocolType}'.`);
    if (type === 'User') {
      const user = (p.userName && this.findUserByName(p.userName, deptId))
        || (isGuid(p.identifier) && this.user(p.identifier));
      // Like setowner's user who is not in the department: a refusal (rules.ruleStatus), not malformed input.
      if (!user || !user.memberships.has(deptId)) throw ruleError('User participant is not a user of this department.');
      const part = this.userParticipant(ticket, user);
      if (isNonEmptyString(p.name)) part.name = p.name;
      return part;
    }
    const protocolType = normProtocol(p.protocolType);
    if (!protocolType) throw badRequest(`Participant protocolType '${p.protocolType ?? ''}' is missing or invalid.`);
    if (type === 'Client' && !isNonEmptyString(p.identifier)) throw badRequest('Participant identifier is required.');
    const identifier = isNonEmptyString(p.identifier) ? (this.rules.identifierMatch === 'exact' ? p.identifier : p.identifier.trim()) : '';
    const contactId = type === 'Client' ? this.contactFor(deptId, { identifier, protocolType, name: p.name }, t0).id : EMPTY_GUID;
    const dept = this.department(deptId);
    const channel = dept.channels[protocolType];
    const part = {
      id: ticket.nextParticipantId++, name: p.name ?? '', displayName: p.displayName ?? '', type, protocolType,
      // (none given: the department's channel for the protocol, or '': rules.participantChannel)
      subProtocolType, identifier, departmentIdentifier: p.departmentIdentifier
        ?? (this.rules.participantChannel === 'empty' ? '' : (Array.isArray(channel) ? channel[0] : channel) ?? ''),
      isActive: true, isDeleted: false, contactId, userName: '',
    };
    ticket.participants.push(part);
    return part;
  }

  /**
   * Create a ticket from a `tickets/create` payload (also used for seed tickets, which may
   * additionally carry `id`, `owner` (userName), `lastActivity`, `isScrambled`, `ticketSummary`).
   */
  createTicket(deptId, payload, options) {
    // All or nothing: a refused create (a bad participant or transaction found after the first
    // contacts were made) leaves no contact behind and burns no id, so ids stay counted from the seed.
    const counters = ['nextTicketId', 'nextTransactionId', 'nextGuid', 'nextIdentifierId'].map((k) => [k, this[k]]);
    const outer = this.newContacts;
    this.newContacts = [];
    try {
      return this.createTicketOnce(deptId, payload, options);
    } catch (err) {
      for (const [k, v] of counters) this[k] = v;
      for (const id of this.newContacts) this.contacts.delete(id);
      throw err;
    } finally {
      this.newContacts = outer;
    }
  }

  createTicketOnce(deptId, payload, { fromSeed = false } = {}) {
    if (!isPlainObject(payload)) throw badRequest('The ticket payload must be a JSON object.');
    if (!Array.isArray(payload.participants) || payload.participants.length === 0) {
      throw badRequest('At least one participant is required.');
    }
    const nowMs = this.now();
    // rules.createDates: 'iso' takes ISO-8601 strings only (what a .NET DateTime reads), not
    // epoch ms or the dd/MM/yyyy form (seeds always take any)
    const isoOnly = !fromSeed && this.rules.createDates === 'iso';
    // A date of the payload in ms, null when not given; one that cannot be read is refused as
    // `name`, or (`refuse` false) taken as not given.
    const readDate = (v, name, refuse = true) => {
      if (v == null || v === '') return null;
      const d = parseAnyDate(v, { isoOnly });
      if (!d && refuse) throw badRequest(isoOnly ? `'${name}' must be an ISO-8601 date-time string.` : `'${name}' is not a valid date.`);
      return d ? d.getTime() : null;
    };
    const dateOf = (key) => readDate(payload[key], key);
    let state = 'Open';
    if (payload.state != null) {
      state = canonical(C.TICKET_STATES, String(payload.state));
      if (!state) throw badRequest(`Invalid ticket state '${payload.state}'.`);
    }
    const open = dateOf('open') ?? nowMs;
    let close = dateOf('close');
    // `lastActivity` is a seed field; through the API only with rules.createLastActivity: 'accept'.
    const givenLastActivity = fromSeed || this.rules.createLastActivity === 'accept' ? dateOf('lastActivity') : null;
    // rules.createClose: a `close` for a ticket that is not Closed, or before its `open`
    if (!fromSeed && this.rules.createClose === 'strict' && close != null) {
      if (state !== 'Closed') throw badRequest(`'close' is only for a Closed ticket (the state is ${state}).`);
      if (close < open) throw badRequest("'close' is before 'open'.");
    }
    if (state === 'Closed' && close == null) close = givenLastActivity ?? Math.max(open, nowMs);
    if (state !== 'Closed') close = null;
    // rules.createdActivity: the ticket's latest date, or now (the create is an activity)
    const lastActivity = givenLastActivity ?? Math.max(open, close ?? open, !fromSeed && this.rules.createdActivity === 'now' ? nowMs : -Infinity);
    const tags = payload.tags == null ? [] : this.validateTags(deptId, payload.tags);
    for (const k of FIELD_KEYS) {
      if (payload[k] != null && typeof payload[k] !== 'string') throw badRequest(`'${k}' must be a string.`);
    }
    if (payload.details != null && !isPlainObject(payload.details)) throw badRequest("'details' must be an object.");
    if (payload.transactions != null && !Array.isArray(payload.transactions)) throw badRequest("'transactions' must be an array.");

    let id;
    if (fromSeed && Number.isInteger(payload.id)) {
      id = payload.id;
      if (this.tickets.has(id)) throw new TypeError(`glassix sandbox: duplicate seed ticket id ${id}`);
      this.nextTicketId = Math.max(this.nextTicketId, id + 1);
    } else {
      id = this.nextTicketId++;
    }
    const ticket = {
      id, departmentId: deptId, culture: payload.culture || 'en-US', ticketType: 'Regular', tags: [], ownerId: null,
      state, open, close, lastActivity, uniqueArgument: payload.uniqueArgument ?? '',
      details: mergeDeep(defaultDetails(), payload.details || {}), primaryProtocolType: 'Undefined',
      movedToTicketId: 0, movedToDepartmentId: EMPTY_GUID, movedFromTicketId: 0, movedFromDepartmentId: EMPTY_GUID,
      firstCustomerMessageDateTime: null, firstAgentMessageDateTime: null, lastCustomerMessageDateTime: null,
      lastAgentMessageDateTime: null, firstAgentAllocationTimestamp: null, lastAgentAllocationTimestamp: null,
      firstAgentMessageUserId: null, agentMediaCount: 0, customerMediaCount: 0, agentMessagesCount: 0,
      customerMessagesCount: 0, agentCannedRepliesCount: 0, botConversationId: EMPTY_GUID, botConversations: [],
      isIncoming: false, isScrambled: Boolean(fromSeed && payload.isScrambled), wasClosedAutomatically: false,
      participants: [], transactions: [], dynamicParameters: [], botConversationSteps: [], ticketSummary: null,
      nestedTicketsIds: [], parentNestedTicketId: 0, nextParticipantId: 1, surveyLinks: [], phoneCall: null,
    };
    for (const k of FIELD_KEYS) ticket[k] = payload[k] ?? '';
    ticket.tags = [...new Set(tags)];

    // Validate and attach participants (throws before the ticket is stored).
    for (const p of payload.participants) this.normaliseParticipant(ticket, p, deptId, open);
    const firstClient = ticket.participants.find((p) => p.type === 'Client');
    ticket.primaryProtocolType = (firstClient || ticket.participants[0]).protocolType;

    // Owner.
    let owner;
    if (fromSeed && payload.owner !== undefined) {
      if (payload.owner) {
        owner = this.findUserByName(typeof payload.owner === 'string' ? payload.owner : payload.owner.UserName, deptId);
        if (!owner) throw new TypeError(`glassix sandbox: seed ticket owner ${payload.owner} is not a department user`);
      }
    } else if (payload.getAvailableUser !== false) {
      owner = this.pickAvailableUser(deptId);
    }
    if (owner) {
      ticket.ownerId = owner.id;
      ticket.firstAgentAllocationTimestamp = open;
      ticket.lastAgentAllocationTimestamp = open;
      this.userParticipant(ticket, owner);
    }

    if (this.rules.systemTransactions) this.addTransaction(ticket, { type: 'TicketOpened', dateTime: open });
    // rules.createTransactions: 'strict' refuses what 'lenient' repairs
    const strict = !fromSeed && this.rules.createTransactions === 'strict';
    (payload.transactions || []).forEach((tr, i) => {
      if (!isPlainObject(tr)) throw badRequest('Each transaction must be an object.');
      const at = `transactions[${i}]`;
      let from = firstClient || ticket.participants[0];
      const ref = tr.fromParticipant;
      if (ref != null) {
        const refId = typeof ref === 'number' ? ref : ref.id;
        const refIdent = typeof ref === 'string' ? ref : ref.identifier;
        const found = ticket.participants.find((p) => (refId != null && p.id === refId) || (refIdent && p.identifier === refIdent));
        if (!found && strict) throw badRequest(`'${at}.fromParticipant' is not a participant of the ticket.`);
        from = found || from;
      }
      const date = readDate(tr.dateTime, `${at}.dateTime`, strict);
      for (const k of ['text', 'html']) if (tr[k] != null && typeof tr[k] !== 'string') throw badRequest(`'${at}.${k}' must be a string.`);
      if (strict && tr.type != null && tr.type !== 'Message' && tr.type !== 'Note') throw badRequest(`'${at}.type' must be Message or Note.`);
      if (strict && !isNonEmptyString(tr.text) && !isNonEmptyString(tr.html)) throw badRequest(`'${at}' must have text or html.`);
      this.addTransaction(ticket, {
        type: tr.type || 'Message', text: tr.text, html: tr.html, fromParticipant: from,
        dateTime: date ?? open,
      });
    });
    if (payload.addIntroductionMessage && owner && this.rules.introductionMessage === 'owner') {
      this.addTransaction(ticket, {
        type: 'Message', text: `Hi, I'm ${owner.shortName || owner.fullName || owner.UserName}. How can I help?`,
        fromParticipant: this.userParticipant(ticket, owner), dateTime: open,
      });
    }
    if (fromSeed && isPlainObject(payload.ticketSummary)) {
      const s = payload.ticketSummary;
      ticket.ticketSummary = {
        userId: s.userId ?? EMPTY_GUID, value: String(s.value ?? ''),
        t: s.lastUpdateTimestamp == null ? null : (parseAnyDate(s.lastUpdateTimestamp)?.getTime() ?? null),
      };
    }
    this.tickets.set(id, ticket);
    if (!fromSeed && payload.enableWebhook !== false) {
      this.emit(deptId, { _event: 'NEW_TICKET', ticket: this.renderTicket(ticket) });
    }
    return ticket;
  }

  /** The next transaction id for `ticket` (`rules.transactionIds`). */
  newTransactionId(ticket) {
    if (this.rules.transactionIds === 'per-ticket') return ticket.transactions.length + 1;
    return this.nextTransactionId++;
  }

  /**
   * Append a transaction; updates counters and lastActivity (whatever rules.lastActivityOn says: a
   * transaction is activity). Transactions are stored with their time in ms (`time`);
   * renderTransaction() writes them.
   */
  addTransaction(ticket, tr) {
    const t = tr.dateTime ?? this.now();
    const from = tr.fromParticipant || null;
    const attachments = tr.attachments || [];
    const transaction = {
      guidTransactionId: this.newGuid('transaction'), id: this.newTransactionId(ticket), time: t,
      fromProtocolType: from ? from.protocolType : 'Undefined', type: tr.type, text: tr.text ?? null,
      html: tr.html ?? null, status: tr.status ?? (tr.type === 'Message' ? this.rules.messageStatus : 'Undefined'),
      fromParticipant: from ? clone(from) : null, attachments, payload: tr.payload ?? null,
    };
    ticket.transactions.push(transaction);
    if (tr.type === 'Message' && from) {
      if (from.type === 'User') {
        ticket.agentMessagesCount += 1;
        ticket.agentMediaCount += attachments.length;
        // (first and last by date: a create's `transactions` or a phone call may come out of order)
        if (ticket.firstAgentMessageDateTime == null || t < ticket.firstAgentMessageDateTime) {
          ticket.firstAgentMessageDateTime = t;
          ticket.firstAgentMessageUserId = from.identifier;
        }
        if (ticket.lastAgentMessageDateTime == null || t >= ticket.lastAgentMessageDateTime) ticket.lastAgentMessageDateTime = t;
      } else if (from.type === 'Client') {
        ticket.customerMessagesCount += 1;
        ticket.customerMediaCount += attachments.length;
        if (ticket.firstCustomerMessageDateTime == null || t < ticket.firstCustomerMessageDateTime) ticket.firstCustomerMessageDateTime = t;
        if (ticket.lastCustomerMessageDateTime == null || t >= ticket.lastCustomerMessageDateTime) ticket.lastCustomerMessageDateTime = t;
      }
    }
    if (t > ticket.lastActivity) ticket.lastActivity = t;
    return transaction;
  }

  /** A change of `ticket` that adds no transaction (fields, tags, owner, state, department,
   * summary, names): it moves `lastActivity` unless rules.lastActivityOn is 'transactions'. */
  touch(ticket, t = this.now()) {
    if (this.rules.lastActivityOn === 'any-change' && t > ticket.lastActivity) ticket.lastActivity = t;
  }

  setTicketOwner(ticket, user, { keepCurrentOwner = false, emit = true } = {}) {
    const prev = ticket.ownerId && this.user(ticket.ownerId);
    if (prev && prev.id !== (user && user.id) && !keepCurrentOwner) {
      const part = ticket.participants.find((p) => p.type === 'User' && p.identifier === prev.id);
      if (part) part.isActive = false;
    }
    const t = this.now();
    ticket.ownerId = user ? user.id : null;
    if (user) {
      this.userParticipant(ticket, user);
      if (ticket.firstAgentAllocationTimestamp == null) ticket.firstAgentAllocationTimestamp = t;
      ticket.lastAgentAllocationTimestamp = t;
    }
    this.touch(ticket, t);
    if (emit) {
      this.emit(ticket.departmentId, {
        _event: 'TICKET_OWNER_CHANGE', ticketId: ticket.id, ownerId: user ? user.id : EMPTY_GUID,
        ownerUserName: user ? user.UserName : '',
      });
    }
  }

  /** A transaction's `text` or `html` that was not given (rules.unsetContent). */
  unsetContent() {
    return this.rules.unsetContent === 'null' ? null : '';
  }

  /** A transaction as the API writes it (keys in the order of the docs' sample). */
  renderTransaction(tr) {
    return {
      guidTransactionId: tr.guidTransactionId, id: tr.id, dateTime: this.dateOf('transaction.dateTime', tr.time),
      fromProtocolType: tr.fromProtocolType, type: tr.type, text: tr.text ?? this.unsetContent(), html: tr.html ?? this.unsetContent(), status: tr.status,
      fromParticipant: clone(tr.fromParticipant), attachments: clone(tr.attachments), payload: clone(tr.payload) ?? null,
    };
  }

  renderTicket(t, { transactions = true } = {}) {
    const dur = (t.close ?? this.now()) - t.open;
    const out = { id: t.id, departmentId: t.departmentId };
    for (const k of FIELD_KEYS) out[k] = t[k];
    const dOrNull = (field, ms) => (ms == null ? null : this.dateOf(`ticket.${field}`, ms));
    Object.assign(out, {
      culture: t.culture, ticketType: t.ticketType, tags: [...t.tags],
      // a ticket in the queue: `owner: null`, or no `owner` key (rules.queueOwner, below)
      owner: t.ownerId ? this.renderOwner(this.user(t.ownerId), t.departmentId) : null,
      state: t.state, open: this.dateOf('ticket.open', t.open), close: this.dateOf('ticket.close', t.close),
      lastActivity: this.dateOf('ticket.lastActivity', t.lastActivity),
      uniqueArgument: t.uniqueArgument, details: clone(t.details), primaryProtocolType: t.primaryProtocolType,
      movedToTicketId: t.movedToTicketId, movedToDepartmentId: t.movedToDepartmentId,
      movedFromTicketId: t.movedFromTicketId, movedFromDepartmentId: t.movedFromDepartmentId,
      firstCustomerMessageDateTime: dOrNull('firstCustomerMessageDateTime', t.firstCustomerMessageDateTime),
      firstAgentMessageDateTime: dOrNull('firstAgentMessageDateTime', t.firstAgentMessageDateTime),
      lastCustomerMessageDateTime: dOrNull('lastCustomerMessageDateTime', t.lastCustomerMessageDateTime),
      lastAgentMessageDateTime: dOrNull('lastAgentMessageDateTime', t.lastAgentMessageDateTime),
      firstAgentAllocationTimestamp: dOrNull('firstAgentAllocationTimestamp', t.firstAgentAllocationTimestamp),
      lastAgentAllocationTimestamp: dOrNull('lastAgentAllocationTimestamp', t.lastAgentAllocationTimestamp),
      firstAgentMessageUserId: t.firstAgentMessageUserId,
      agentAssignToResponseTimeGross: null, agentAssignToResponseTimeNet: null, queueTimeGross: null,
      queueTimeNet: null, firstAgentResponseTimeGross: null, firstAgentResponseTimeNet: null,
      agentResponseAverageTimeNet: null, totalConversationTimeNet: null,
      durationNet: this.duration(dur), durationGross: this.duration(dur),
      agentMediaCount: t.agentMediaCount, customerMediaCount: t.customerMediaCount,
      agentMessagesCount: t.agentMessagesCount, customerMessagesCount: t.customerMessagesCount,
      agentCannedRepliesCount: t.agentCannedRepliesCount, transactionsCount: t.transactions.length,
      botConversationId: t.botConversationId, botConversations: [...t.botConversations],
      isIncoming: t.isIncoming, isScrambled: t.isScrambled, wasClosedAutomatically: t.wasClosedAutomatically,
      participants: clone(t.participants),
    });
    if (transactions) out.transactions = this.inStoredOrder(t.transactions).map((tr) => this.renderTransaction(tr));
    const summary = t.ticketSummary;
    Object.assign(out, {
      dynamicParameters: clone(t.dynamicParameters), botConversationSteps: clone(t.botConversationSteps),
      ticketSummary: summary ? {
        userId: summary.userId,
        lastUpdateTimestamp: summary.t == null ? null : this.dateOf('ticket.ticketSummary.lastUpdateTimestamp', summary.t),
        value: summary.value,
      } : null,
      nestedTicketsIds: [...t.nestedTicketsIds], parentNestedTicketId: t.parentNestedTicketId,
    });
    if (out.owner === null && this.rules.queueOwner === 'omit') delete out.owner;
    return out;
  }

  // ---------------------------------------------------------- canned replies

  /**
   * Save a canned reply. An existing id is replaced field by field: left-out fields get their
   * defaults, or with `rules.cannedReplyUpdate: 'merge'` keep their values.
   */
  saveCannedReply(deptId, input) {
    const existing = input.id ? this.cannedReplies.get(Number(input.id)) : undefined;
    const id = existing ? existing.id : this.nextCannedReplyId++;
    const r = existing && this.rules.cannedReplyUpdate === 'merge'
      ? { ...existing, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v != null)) }
      : input;
    const reply = {
      id, departmentId: deptId, title: r.title ?? '', text: r.text ?? '', html: r.html ?? '', rank: r.rank ?? 0,
      autoTags: Array.isArray(r.autoTags) ? [...r.autoTags] : [], categoryName: r.categoryName ?? '',
      // (fields left out: the sandbox's defaults, or null: rules.cannedReplyDefaults)
      ...Object.fromEntries(Object.entries({ culture: 'en-US', isPublished: true, isSuggested: false, isIncludedInAgentSuggestions: false })
        .map(([k, v]) => [k, r[k] ?? (this.rules.cannedReplyDefaults === 'null' ? null : v)])),
      attachments: Array.isArray(r.attachments) ? clone(r.attachments) : [],
    };
    this.cannedReplies.set(id, reply);
    return reply;
  }

  renderCannedReply(r) {
    const { departmentId, ...rest } = r;
    void departmentId;
    // rules.cannedReplyKeys: the write payload's keys too, or only GlassixSharp's read model
    if (this.rules.cannedReplyKeys === 'model') {
      for (const k of ['isPublished', 'isSuggested', 'isIncludedInAgentSuggestions', 'attachments']) delete rest[k];
    }
    return clone(rest);
  }

  // ----------------------------------------------------------------- events

  /** A stored protocol (non-ticket) message as the API writes it. */
  renderProtocolMessage(m) {
    return {
      text: m.text, html: m.html, protocolType: m.protocolType, attachmentUris: clone(m.attachmentUris),
      from: m.from, to: m.to, dateTime: this.dateOf('protocolMessage.dateTime', m.time),
      providerMessageId: m.providerMessageId, departmentId: m.departmentId, status: m.status,
      files: clone(m.files), serviceProvider: m.serviceProvider,
    };
  }

  /**
   * Queue a webhook event with one change. Returns the event, or null when `rules.eventTypes`
   * leaves this `_event` out. `custom`: an event posted to `/__sandbox/events`, which is always
   * queued (the filter is for the events the sandbox makes itself).
   */
  emit(departmentId, change, { custom = false } = {}) {
    const types = this.rules.eventTypes;
    if (!custom && types !== 'all' && !types.includes(change._event)) return null;
    const event = {
      key: randomGuid(),
      dateTime: this.dateOf('event.dateTime', this.now()),
      changes: [change],
      queueReceiptHandle: crypto.randomBytes(24).toString('base64'),
      queueMessageId: randomGuid(),
    };
    this.events.push({ departmentId, event });
    if (this.onEvent) this.onEvent(event, departmentId);
    return event;
  }

  /** A plain JSON snapshot of the whole state (for `GET /__sandbox/state`). */
  snapshot() {
    const deptOf = (u) => [...u.memberships.entries()].map(([id, m]) => ({ departmentId: id, ...m }));
    return {
      departments: [...this.departments.values()].map((d) => clone(d)),
      users: [...this.users.values()].map((u) => ({ ...this.renderUser(u, [...u.memberships.keys()][0]), memberships: deptOf(u) })),
      contacts: [...this.contacts.values()].map((c) => ({ ...this.renderContact(c), departmentId: c.departmentId })),
      tickets: [...this.tickets.values()].map((t) => this.renderTicket(t)),
      cannedReplies: [...this.cannedReplies.values()].map((r) => clone(r)),
      events: this.events.map((e) => clone(e)),
      files: [...this.files.values()].map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.data.length })),
      nonTicketMessages: this.nonTicketMessages.map((m) => this.renderProtocolMessage(m)),
    };
  }
}

module.exports = { SandboxState, FIELD_KEYS, OWNER_KEYS, FIRST_TRANSACTION_ID, normProtocol, mergeDeep, defaultDetails, NOT_SET_DATE };
