'use strict';
// /tickets/* (spec §4.2) except /tickets/list (see list.cjs).

const C = require('../constants.cjs');
const { raw } = require('../router.cjs');
const { buildPdf } = require('../pdf.cjs');
const { FIELD_KEYS, mergeDeep, defaultDetails } = require('../state.cjs');
const {
  EMPTY_GUID, badRequest, ruleError, notFound, isGuid, isPlainObject, isNonEmptyString, canonical, clone,
  randomGuid,
} = require('../util.cjs');

const T = { ticketId: 'int' };

function requireObject(body, what = 'The request body') {
  if (!isPlainObject(body)) throw badRequest(`${what} must be a JSON object.`);
  return body;
}

function loadTicket(ctx) {
  const t = ctx.state.ticket(ctx.params.ticketId, ctx.auth.departmentId);
  if (!t) throw notFound(`Ticket ${ctx.params.ticketId} was not found.`);
  return t;
}

function attachmentType(url) {
  const ext = (/\.([a-z0-9]+)(?:[?#]|$)/i.exec(url) || [])[1]?.toLowerCase() || '';
  if (['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'svg'].includes(ext)) return 'Image';
  if (['mp4', 'mov', 'webm', 'avi', 'mkv'].includes(ext)) return 'Video';
  if (['mp3', 'ogg', 'oga', 'wav', 'm4a', 'aac', 'opus'].includes(ext)) return 'Audio';
  if (['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv'].includes(ext)) return 'Document';
  return 'File';
}

/** An attachment of a new transaction of `state`: its id and fileIdentifier come from the
 * state's counters (reset with it, and the same in every sandbox given the same calls). */
function makeAttachment(state, url, type) {
  let name = '';
  try { name = decodeURIComponent(new URL(url).pathname.split('/').pop() || ''); } catch { name = ''; }
  return {
    id: state.nextAttachmentId++, type: type || attachmentType(url), fileIdentifier: state.newGuid('attachment'), originalFileName: name,
    thumbnails: [], thumbnailsFileIdentifiers: [], uri: url, isEmbedded: false, sanitizationState: 'Allowed',
  };
}

/** `rules.sendToClosed`: a message to a Closed ticket is refused (default) or appended. */
function refuseClosed(ctx, ticket) {
  if (ticket.state === 'Closed' && ctx.rules.sendToClosed === 'reject') {
    throw ruleError(`Ticket ${ticket.id} is closed; messages cannot be sent to a closed ticket.`);
  }
}

/** `rules.closedTicketEdits`: notes, fields, participant names, owners, the summary, a tag
 *  removal, the scramble and phone-call records of a Closed ticket are changed (default), or
 *  refused. */
function refuseClosedEdit(ctx, ticket, what) {
  if (ticket.state === 'Closed' && ctx.rules.closedTicketEdits === 'reject') {
    throw ruleError(`Ticket ${ticket.id} is closed; ${what} cannot be changed.`);
  }
}

/** `list` as an array of URL strings; each must be an absolute http(s) URL unless
 * `rules.contentChecks` is 'lenient' (no source says so). */
function validateUrls(list, what, ctx) {
  if (list == null) return [];
  if (!Array.isArray(list) || list.some((u) => typeof u !== 'string')) throw badRequest(`'${what}' must be an array of URLs.`);
  if (ctx.rules.contentChecks === 'lenient') return list;
  for (const u of list) {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(u).protocol); } catch { ok = false; }
    if (!ok) throw badRequest(`'${u}' is not a valid absolute URL.`);
  }
  return list;
}

// ------------------------------------------------------------------ handlers

function create(ctx) {
  const ticket = ctx.state.createTicket(ctx.auth.departmentId, requireObject(ctx.body));
  return ctx.state.renderTicket(ticket);
}

function get(ctx) {
  return ctx.state.renderTicket(loadTicket(ctx));
}

function send(ctx) {
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  if (body.text != null && typeof body.text !== 'string') throw badRequest("'text' must be a string.");
  if (body.html != null && typeof body.html !== 'string') throw badRequest("'html' must be a string.");
  const files = validateUrls(body.files, 'files', ctx);
  for (const k of ['quickReplies', 'templates']) {
    if (body[k] != null && !Array.isArray(body[k])) throw badRequest(`'${k}' must be an array.`);
  }
  const hasContent = isNonEmptyString(body.text) || isNonEmptyString(body.html) || files.length > 0
    || (body.templates && body.templates.length > 0);
  if (!hasContent && ctx.rules.contentChecks === 'strict') throw badRequest('The message must have text, html, files or templates.');
  refuseClosed(ctx, ticket);
  const state = ctx.state;
  const from = state.userParticipant(ticket, ctx.auth.user, { sender: true });
  const payload = {};
  for (const k of ['quickReplies', 'templates', 'enableFreeTextInput']) if (body[k] !== undefined) payload[k] = clone(body[k]);
  const tr = state.addTransaction(ticket, {
    type: 'Message', text: body.text, html: body.html, fromParticipant: from,
    attachments: files.map((u) => makeAttachment(state, u)), payload: Object.keys(payload).length ? payload : null,
  });
  const rendered = state.renderTransaction(tr);
  state.emit(ticket.departmentId, { _event: 'NEW_MESSAGE', ticketId: ticket.id, transaction: clone(rendered) });
  return rendered;
}

function addNote(ctx) {
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  if (!isNonEmptyString(body.text) && !isNonEmptyString(body.html)) throw badRequest('A note must have text or html.');
  refuseClosedEdit(ctx, ticket, 'its notes');
  ctx.state.addTransaction(ticket, {
    type: 'Note', text: typeof body.text === 'string' ? body.text : undefined, html: typeof body.html === 'string' ? body.html : undefined,
    fromParticipant: ctx.state.userParticipant(ticket, ctx.auth.user, { sender: true }),
  });
  return ctx.done('Note added.');
}

function setFields(ctx) {
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  for (const k of [...FIELD_KEYS, 'uniqueArgument']) {
    if (body[k] != null && typeof body[k] !== 'string') throw badRequest(`'${k}' must be a string.`);
  }
  if (body.details != null && !isPlainObject(body.details)) throw badRequest("'details' must be an object.");
  refuseClosedEdit(ctx, ticket, 'its fields');
  for (const k of [...FIELD_KEYS, 'uniqueArgument']) if (body[k] != null) ticket[k] = body[k];
  if (body.details) {
    if (ctx.rules.detailsUpdate === 'replace') ticket.details = mergeDeep(defaultDetails(), body.details);
    else mergeDeep(ticket.details, body.details);
  }
  ctx.state.touch(ticket);
  return ctx.done('Ticket fields updated.');
}

function setParticipantName(ctx) {
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  if (!Number.isInteger(body.id)) throw badRequest("'id' (participant id) must be an integer.");
  if (typeof body.name !== 'string') throw badRequest("'name' must be a string.");
  const p = ticket.participants.find((x) => x.id === body.id);
  if (!p) throw notFound(`Participant ${body.id} was not found in ticket ${ticket.id}.`);
  refuseClosedEdit(ctx, ticket, 'its participants');
  p.name = body.name;
  ctx.state.touch(ticket);
  return ctx.done('Participant name updated.');
}

function setOwner(ctx) {
  const ticket = loadTicket(ctx);
  const userName = ctx.q('nextOwnerUserName');
  if (!isNonEmptyString(userName)) throw badRequest("'nextOwnerUserName' is required.");
  const keep = ctx.qBool('keepCurrentOwnerInConversation', false);
  const user = ctx.state.findUserByName(userName, ctx.auth.departmentId);
  if (!user) throw ruleError(`User '${userName}' was not found in the department.`);
  refuseClosedEdit(ctx, ticket, 'its owner');
  // the owner it already has: recorded like a change, or nothing is written (rules.sameOwnerChange)
  if (ticket.ownerId !== user.id || ctx.rules.sameOwnerChange === 'record') ctx.state.setTicketOwner(ticket, user, { keepCurrentOwner: keep });
  return ctx.done('Ticket owner changed.');
}

function assignAvailableUser(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its owner');
  const user = ctx.state.pickAvailableUser(ticket.departmentId);
  if (!user) {
    if (ticket.ownerId) ctx.state.setTicketOwner(ticket, null);
    return ctx.done('No user is available; the ticket is in the queue.');
  }
  if (ticket.ownerId !== user.id) ctx.state.setTicketOwner(ticket, user);
  return ctx.done(`Ticket assigned to ${user.UserName}.`);
}

function setDepartment(ctx) {
  const state = ctx.state;
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  if (!isGuid(body.departmentId)) throw badRequest("'departmentId' must be a GUID.");
  const target = state.department(body.departmentId);
  if (!target) throw ruleError(`Department ${body.departmentId} was not found.`);
  // (rules.sameDepartmentMove: 'allow' moves it like to any other department: a copy beside it)
  if (target.id === ticket.departmentId && ctx.rules.sameDepartmentMove === 'reject') throw ruleError('The ticket is already in this department.');
  // (rules.setDepartmentMoved: 'copy' moves an already moved ticket again, a copy beside the first)
  if (ticket.movedToTicketId && ctx.rules.setDepartmentMoved === 'reject') throw ruleError(`The ticket was already moved (to ticket ${ticket.movedToTicketId}).`);
  // Tags the target does not allow: dropped, or the move is refused (rules.setDepartmentCopyTags).
  const tags = ticket.tags.map((tag) => state.allowedTag(target.id, tag));
  if (ctx.rules.setDepartmentCopyTags === 'reject' && tags.some((tag) => !tag)) {
    const missing = ticket.tags.filter((tag, i) => !tags[i]);
    throw ruleError(`Tag(s) ${missing.map((tag) => `'${tag}'`).join(', ')} do not exist in the target department's tag list.`);
  }
  const t = state.now();
  const copy = clone({ ...ticket });
  // The copy is Open, or in the original's state (rules.setDepartmentCopyState).
  const copyState = ctx.rules.setDepartmentCopyState === 'keep' ? ticket.state : 'Open';
  Object.assign(copy, {
    // opened at the move, or when the original was (rules.setDepartmentCopyOpen)
    id: state.nextTicketId++, departmentId: target.id, state: copyState, open: ctx.rules.setDepartmentCopyOpen === 'original' ? ticket.open : t,
    close: copyState === 'Closed' ? t : null, lastActivity: t,
    ownerId: null, movedFromTicketId: ticket.id, movedFromDepartmentId: ticket.departmentId,
    movedToTicketId: 0, movedToDepartmentId: EMPTY_GUID,
    tags: tags.filter(Boolean),
    // User participants (agents of the old department) are left out, or kept (rules.setDepartmentCopyUsers).
    participants: copy.participants.filter((p) => p.type !== 'User' || ctx.rules.setDepartmentCopyUsers === 'keep'),
    firstAgentAllocationTimestamp: null, lastAgentAllocationTimestamp: null, surveyLinks: [], transactions: [],
  });
  // Its clients get contacts the target department can see (rules.contactScope 'department': the
  // target's contact with that identifier, or a new one there; 'workspace': the same contacts).
  const movedContacts = new Map();
  for (const p of copy.participants) {
    if (p.type !== 'Client' || p.contactId === EMPTY_GUID || state.contact(p.contactId, target.id)) continue;
    const old = state.contact(p.contactId);
    const contact = p.identifier
      ? state.contactFor(target.id, { identifier: p.identifier, protocolType: p.protocolType, name: old ? old.name : p.name }, t)
      : null; // (a scrambled client has no identifier left to find a contact by)
    movedContacts.set(p.contactId, contact ? contact.id : EMPTY_GUID);
    p.contactId = movedContacts.get(p.contactId);
  }
  // The copy's transactions are new transactions: new ids, new GUIDs.
  for (const tr of clone(ticket.transactions)) {
    const from = tr.fromParticipant;
    if (from && movedContacts.has(from.contactId)) from.contactId = movedContacts.get(from.contactId);
    copy.transactions.push({ ...tr, id: state.newTransactionId(copy), guidTransactionId: state.newGuid('transaction') });
  }
  state.tickets.set(copy.id, copy);
  const owner = state.pickAvailableUser(target.id);
  if (owner) state.setTicketOwner(copy, owner, { emit: false });
  if (ctx.rules.systemTransactions) state.addTransaction(copy, { type: 'TicketOpened', text: `Moved from ticket ${ticket.id}` });

  ticket.movedToTicketId = copy.id;
  ticket.movedToDepartmentId = target.id;
  if (ticket.state !== 'Closed' && ctx.rules.setDepartmentOriginal === 'close') {
    ticket.state = 'Closed';
    ticket.close = t;
    if (ctx.rules.systemTransactions) state.addTransaction(ticket, { type: 'TicketClosed', text: `Moved to ticket ${copy.id}` });
    state.emit(ticket.departmentId, {
      _event: 'TICKET_STATE_CHANGE', ticketId: ticket.id, ticketState: 'Closed', ticket: state.renderTicket(ticket),
    });
  }
  state.touch(ticket, t);
  state.emit(target.id, { _event: 'NEW_TICKET', ticket: state.renderTicket(copy) });
  return { ticketId: copy.id };
}

function setState(ctx) {
  const state = ctx.state;
  const ticket = loadTicket(ctx);
  const raw = ctx.q('nextState');
  if (!isNonEmptyString(raw)) throw badRequest("'nextState' is required.");
  const next = canonical(C.TICKET_STATES, raw);
  if (!next) throw badRequest(`Invalid ticket state '${raw}'. Allowed: ${C.SETTABLE_STATES.join(', ')}.`);
  if (!C.SETTABLE_STATES.includes(next)) throw ruleError(`Ticket state '${next}' cannot be set through the API.`);
  const getTicket = ctx.qBool('getTicket', false);
  const sendMessage = ctx.qBool('sendTicketStateChangedMessage', true);
  const enableWebhook = ctx.qBool('enableWebhook', true);
  const body = ctx.body == null ? {} : requireObject(ctx.body);
  if (body.summary != null && typeof body.summary !== 'string') throw badRequest("'summary' must be a string.");
  const tags = body.tags == null ? [] : state.validateTags(ticket.departmentId, body.tags);
  // rules.setStateTagsOnClosed: tags for a ticket that stays Closed are addtags' case (a closed
  // ticket takes no tags), refused before anything is written; closing with tags is not
  if (tags.length > 0 && ticket.state === 'Closed' && next === 'Closed' && ctx.rules.setStateTagsOnClosed === 'reject') {
    throw ruleError(`Tags can only be added to Open or Snoozed tickets (ticket ${ticket.id} is Closed).`);
  }

  // rules.setStateTags: added to the ticket's tags, or replacing them (`tags` not given: kept)
  const tagsBefore = ticket.tags.join('\n');
  if (body.tags != null && ctx.rules.setStateTags === 'replace') ticket.tags = [];
  for (const tag of tags) if (!ticket.tags.includes(tag)) ticket.tags.push(tag);
  // (the body's tags and summary are changes of their own, whatever the state does)
  let bodyChanged = ticket.tags.join('\n') !== tagsBefore;
  if (isNonEmptyString(body.summary)) {
    bodyChanged = true;
    ticket.ticketSummary = { userId: ctx.auth.user.id, t: state.now(), value: body.summary };
  }
  const prev = ticket.state;
  const t = state.now();
  // The same state again writes nothing, or is recorded like a change (rules.sameStateChange).
  if (prev !== next || ctx.rules.sameStateChange === 'record') {
    ticket.state = next;
    if (next === 'Closed' && prev !== 'Closed') ticket.close = t;
    else if (next !== 'Closed') ticket.close = null;
    if (sendMessage && ctx.rules.systemTransactions) {
      const type = prev === next ? 'TicketStateChanged'
        : next === 'Closed' ? 'TicketClosed' : prev === 'Closed' ? 'TicketReopened' : 'TicketStateChanged';
      state.addTransaction(ticket, { type, text: `Ticket state changed from ${prev} to ${next}.`, dateTime: t });
    }
    state.touch(ticket, t);
    if (enableWebhook) {
      state.emit(ticket.departmentId, {
        _event: 'TICKET_STATE_CHANGE', ticketId: ticket.id, ticketState: next, ticket: state.renderTicket(ticket),
      });
    }
  } else if (bodyChanged) {
    // the state part writes nothing (no lastActivity either); a tag or summary the body changed does
    state.touch(ticket, t);
  }
  if (getTicket && ctx.rules.getTicketReply === 'ticket') return state.renderTicket(ticket);
  return ctx.ack(`Ticket ${ticket.id} state is ${next}.`);
}

function addTags(ctx) {
  const ticket = loadTicket(ctx);
  if (!Array.isArray(ctx.body)) throw badRequest('The request body must be a JSON array of tag names.');
  const tags = ctx.state.validateTags(ticket.departmentId, ctx.body);
  if (!['Open', 'Snoozed'].includes(ticket.state) && ctx.rules.tagsOnNotOpen === 'reject') {
    throw ruleError(`Tags can only be added to Open or Snoozed tickets (ticket ${ticket.id} is ${ticket.state}).`);
  }
  for (const tag of tags) if (!ticket.tags.includes(tag)) ticket.tags.push(tag);
  ctx.state.touch(ticket);
  return [...ticket.tags];
}

function removeTag(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its tags');
  const tag = ctx.q('tag');
  if (!isNonEmptyString(tag)) throw badRequest("'tag' is required.");
  const same = ctx.rules.tagCase === 'insensitive' ? (x) => x.toLowerCase() === tag.toLowerCase() : (x) => x === tag;
  if (!ticket.tags.some(same) && ctx.rules.removeMissingTag === 'reject') {
    throw ruleError(`Ticket ${ticket.id} does not have the tag '${tag}'.`);
  }
  ticket.tags = ticket.tags.filter((x) => !same(x));
  ctx.state.touch(ticket);
  return [...ticket.tags];
}

function scramble(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its data');
  for (const k of FIELD_KEYS) ticket[k] = '';
  ticket.uniqueArgument = '';
  ticket.ticketSummary = null;
  for (const p of ticket.participants) {
    if (p.type !== 'User') {
      p.name = ''; p.displayName = ''; p.identifier = '';
    }
  }
  for (const tr of ticket.transactions) {
    tr.text = ''; tr.html = ''; tr.attachments = []; tr.payload = null;
    if (tr.fromParticipant && tr.fromParticipant.type !== 'User') {
      tr.fromParticipant.name = ''; tr.fromParticipant.displayName = ''; tr.fromParticipant.identifier = '';
    }
  }
  const details = ticket.details;
  details.userAgent = ''; details.iPAddress = ''; details.location = ''; details.identityTokenClaims = {};
  ticket.isScrambled = true;
  return ctx.done('Ticket scrambled.');
}

function renderOptions(body) {
  const o = body == null ? {} : requireObject(body, 'Render options');
  const bool = (k, d) => {
    if (o[k] == null) return d;
    if (typeof o[k] !== 'boolean') throw badRequest(`'${k}' must be a boolean.`);
    return o[k];
  };
  const size = o.fontSizeInPixels == null ? 14 : o.fontSizeInPixels;
  if (typeof size !== 'number' || !(size > 0)) throw badRequest("'fontSizeInPixels' must be a positive number.");
  return {
    includeDetails: bool('includeDetails', true), includeConversationLink: bool('includeConversationLink', true),
    includeNotes: bool('includeNotes', true), fontSizeInPixels: size, replaceContentId: bool('replaceContentId', true),
    showParticipantType: bool('showParticipantType', true),
  };
}

function conversation(ticket, opts) {
  return ticket.transactions
    .filter((tr) => ['Message', 'Note'].includes(tr.type) && (opts.includeNotes || tr.type !== 'Note'))
    .map((tr) => {
      const p = tr.fromParticipant;
      const who = p ? `${p.name || p.userName || p.identifier || 'Unknown'}${opts.showParticipantType ? ` (${p.type})` : ''}` : 'System';
      // (`[^<>]`, not `[^>]`: a tag-less run of '<' would make the scan quadratic)
      const text = tr.text || String(tr.html || '').replace(/<[^<>]*>/g, '');
      return { tr, who, text, note: tr.type === 'Note' };
    });
}

function pdf(ctx) {
  const ticket = loadTicket(ctx);
  const opts = renderOptions(ctx.body);
  const lines = [`Glassix ticket #${ticket.id}`, `Subject: ${ticket.field1 || '(none)'}`, `State: ${ticket.state}`];
  if (opts.includeDetails) {
    lines.push(`Opened: ${ctx.state.dateOf('ticket.open', ticket.open)}`, `Participants: ${ticket.participants.map((p) => p.name || p.identifier).join(', ')}`);
    if (ticket.tags.length) lines.push(`Tags: ${ticket.tags.join(', ')}`);
  }
  if (opts.includeConversationLink) lines.push(`Link: ${ctx.origin}/tickets/${ticket.id}`);
  lines.push('');
  for (const m of conversation(ticket, opts)) lines.push(`[${ctx.state.dateOf('transaction.dateTime', m.tr.time)}] ${m.note ? '[Note] ' : ''}${m.who}: ${m.text}`);
  const body = buildPdf({ title: `Ticket ${ticket.id}`, lines, fontSize: Math.round(opts.fontSizeInPixels * 0.75) });
  return raw(body, 'application/pdf', 200, { 'content-disposition': `inline; filename="ticket-${ticket.id}.pdf"` });
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function html(ctx) {
  const ticket = loadTicket(ctx);
  const opts = renderOptions(ctx.body);
  const parts = [
    '<!DOCTYPE html>', '<html><head><meta charset="utf-8">', `<title>Ticket ${ticket.id}</title>`,
    `<style>body{font-family:sans-serif;font-size:${opts.fontSizeInPixels}px}.note{background:#fff8e1}</style>`,
    '</head><body>', `<h1>Ticket #${ticket.id}</h1>`, `<p class="subject">${esc(ticket.field1)}</p>`,
    `<p class="state">State: ${esc(ticket.state)}</p>`,
  ];
  if (opts.includeDetails) {
    parts.push(`<p class="participants">${ticket.participants.map((p) => esc(p.name || p.identifier)).join(', ')}</p>`);
  }
  if (opts.includeConversationLink) parts.push(`<p><a href="${esc(`${ctx.origin}/tickets/${ticket.id}`)}">Open conversation</a></p>`);
  parts.push('<ol class="transactions">');
  for (const m of conversation(ticket, opts)) {
    const content = m.tr.html || esc(m.tr.text ?? '');
    parts.push(`<li class="${m.note ? 'note' : 'message'}"><b>${esc(m.who)}</b> <time>${esc(ctx.state.dateOf('transaction.dateTime', m.tr.time))}</time><div>${content}</div></li>`);
  }
  parts.push('</ol></body></html>');
  return raw(parts.join('\n'), 'text/html; charset=utf-8');
}

function generateSurveyLink(ctx) {
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  if (!Number.isInteger(body.surveyId)) throw badRequest("'surveyId' must be an integer.");
  if (body.surveyId <= 0 && ctx.rules.surveyIds === 'positive') throw badRequest("'surveyId' must be a positive integer.");
  const pid = body.participantId ?? 0;
  if (!Number.isInteger(pid) || pid < 0) throw badRequest("'participantId' must be an integer.");
  if (ticket.state !== 'Closed') throw ruleError(`Survey links can only be generated for closed tickets (ticket ${ticket.id} is ${ticket.state}).`);
  const participant = pid === 0
    ? ticket.participants.find((p) => p.type === 'Client')
    : ticket.participants.find((p) => p.id === pid);
  // An unknown participant is not found, like setparticipantname's (rules.notFoundStatus).
  if (!participant) throw notFound(pid === 0 ? `Ticket ${ticket.id} has no client participant.` : `Participant ${pid} was not found in ticket ${ticket.id}.`);
  // "only for closed tickets with no survey sent" (the docs); no survey is mapped to a channel here
  if (ticket.surveyLinks.length > 0 && ctx.rules.surveyLinkTwice === 'reject') {
    throw ruleError(`A survey was already sent for ticket ${ticket.id}.`);
  }
  const token = Buffer.from(`${ticket.id}:${body.surveyId}:${participant.id}:${randomGuid()}`).toString('base64url');
  ticket.surveyLinks.push({ token, surveyId: body.surveyId, participantId: participant.id });
  return { surveyLink: `${ctx.origin}/survey/${token}` };
}

function setSummary(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its summary');
  const body = requireObject(ctx.body);
  if (typeof body.summary !== 'string') throw badRequest("'summary' must be a string.");
  ticket.ticketSummary = { userId: ctx.auth.user.id, t: ctx.state.now(), value: body.summary };
  ctx.state.touch(ticket);
  return ctx.done('Ticket summary updated.');
}

module.exports = {
  routes: [
    { method: 'POST', path: '/tickets/create', body: 'json', handler: create },
    { method: 'GET', path: '/tickets/get/:ticketId', params: T, handler: get },
    { method: 'POST', path: '/tickets/send/:ticketId', params: T, body: 'json', handler: send },
    { method: 'POST', path: '/tickets/addnote/:ticketId', params: T, body: 'json', handler: addNote },
    { method: 'PUT', path: '/tickets/setfields/:ticketId', params: T, body: 'json', handler: setFields },
    { method: 'PUT', path: '/tickets/setparticipantname/:ticketId', params: T, body: 'json', handler: setParticipantName },
    { method: 'PUT', path: '/tickets/setowner/:ticketId', params: T, handler: setOwner },
    { method: 'PUT', path: '/tickets/assignavailableuser/:ticketId', params: T, handler: assignAvailableUser },
    { method: 'PUT', path: '/tickets/setdepartment/:ticketId', params: T, body: 'json', handler: setDepartment },
    { method: 'PUT', path: '/tickets/setstate/:ticketId', params: T, body: 'json', handler: setState },
    { method: 'POST', path: '/tickets/addtags/:ticketId', params: T, body: 'json', handler: addTags },
    { method: 'DELETE', path: '/tickets/removetag/:ticketId', params: T, handler: removeTag },
    { method: 'DELETE', path: '/tickets/scramble/:ticketId', params: T, handler: scramble },
    { method: 'POST', path: '/tickets/pdf/:ticketId', params: T, body: 'json', handler: pdf },
    { method: 'POST', path: '/tickets/html/:ticketId', params: T, body: 'json', handler: html },
    { method: 'POST', path: '/tickets/generatesurveylink/:ticketId', params: T, body: 'json', handler: generateSurveyLink },
    { method: 'POST', path: '/tickets/setsummary/:ticketId', params: T, body: 'json', handler: setSummary },
  ],
  makeAttachment,
  refuseClosed,
  refuseClosedEdit,
  validateUrls,
  requireObject,
  loadTicket,
};
