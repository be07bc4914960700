'use strict';
// Every behaviour of the sandbox that no source backs is a named rule here, with its default.
// `startSandbox({ rules: { … } })` overrides them; an unknown name or a bad value is a TypeError.
// sandbox/README.md ("Verified and unverified behaviour") lists each rule with what it switches;
// tests/sandbox/rules.test.mjs checks that the README and this table agree.

const { MAX_TIMER_MS } = require('./util.cjs');

const oneOf = (...values) => ({
  values,
  check: (v) => values.includes(v),
  expect: values.map((x) => JSON.stringify(x)).join(' or '),
});
const bool = () => oneOf(true, false);
const status4xx = (...extra) => ({
  check: (v) => Number.isInteger(v) && ((v >= 400 && v <= 499) || extra.includes(v)),
  expect: `a 4xx status code${extra.length ? ` or ${extra.join(', ')}` : ''}`,
});

/** Every `_event` the sandbox queues (`rules.eventTypes` names some of them). */
const EVENT_TYPES = ['NEW_TICKET', 'TICKET_STATE_CHANGE', 'TICKET_OWNER_CHANGE', 'NEW_MESSAGE', 'USER_STATUS_CHANGE', 'NON_TICKET_MESSAGE_STATUS'];

const RULES = {
  // ── replies and errors ──────────────────────────────────────────────────────────────────────
  /** Casing of the text key of error bodies and `{ message }` acknowledgements. `'mixed'`:
   *  framework-level errors (401, unknown route, 405, model binding, 415, 500) say `Message`
   *  (the ASP.NET Web API default), the rest `message`. `users/delete`'s keys are
   *  `deleteUserKeys`' under every value. */
  messageKey: { default: 'mixed', ...oneOf('mixed', 'message', 'Message') },
  /** Status of malformed input: wrong JSON types, missing fields, bad enum values, bad formats. */
  invalidStatus: { default: 400, ...status4xx(500) },
  /** Which is refused first, a bad token or an unreadable path id (`tickets/get/abc`): the token
   *  (ASP.NET Web API authorizes before model binding), or the path. */
  authOrder: { default: 'token-first', ...oneOf('token-first', 'path-first') },
  /** Status of a refusal by a business rule (closed ticket, tag not allowed, month window, …). */
  ruleStatus: { default: 400, ...status4xx() },
  /** Status for an unknown ticket, contact, user, canned reply, participant or department. */
  notFoundStatus: { default: 404, ...oneOf(404, 400) },
  /** Status when the caller lacks a role (`users/setroles` by a non-admin). */
  forbiddenStatus: { default: 403, ...oneOf(403, 401, 400) },
  /** Status of a call with no token, a malformed `Authorization` header, an expired token, or a
   *  token whose user is no longer in its department (an unknown token is 401 per a source). */
  deniedStatus: { default: 401, ...oneOf(401, 403, 400) },
  /** A known path called with the wrong method: 405 with `Allow`, or 404 like an unknown route. */
  wrongMethodStatus: { default: 405, ...oneOf(405, 404) },
  /** A JSON endpoint given a non-JSON content type, or `files/upload` a non-multipart body:
   *  `'reject'` → 415; `'accept'` parses the JSON anyway (and an upload without parts has no file: 400). */
  wrongContentType: { default: 'reject', ...oneOf('reject', 'accept') },
  /** A JSON body that starts with a UTF-8 byte order mark (EF BB BF): `'skip'` reads the JSON after
   *  it (ASP.NET Web API, whose Json.NET reads through a StreamReader, and ASP.NET Core's default
   *  System.Text.Json formatter do), `'reject'` answers it as malformed JSON (`invalidStatus`;
   *  ASP.NET Core with the Newtonsoft formatter). The request log parses it the same way. */
  jsonBom: { default: 'skip', ...oneOf('skip', 'reject') },
  /** A JSON body's keys in another casing than the documented one (`{"Field1": …}`, `{"Participants": […]}`):
   *  `'any'` binds them as the documented keys (Json.NET, ASP.NET Web API's and ASP.NET Core's
   *  Newtonsoft formatter, always matches property names case-insensitively, and System.Text.Json
   *  does with ASP.NET Core's web defaults; of two keys for one field the last wins), `'exact'`
   *  reads only the documented casing (another is an unknown key: ignored). Query parameter names
   *  match in any case under both (ASP.NET model binding). */
  bodyKeyCase: { default: 'any', ...oneOf('any', 'exact') },
  /** `token/get` failures: `'split'` = wrong apiKey/apiSecret 401, unknown user or missing field 400;
   *  `'all-401'` or `'all-400'` = that status for all of them. */
  tokenErrors: { default: 'split', ...oneOf('split', 'all-401', 'all-400') },
  /** CORS headers on every response (browser pages can call the sandbox). */
  cors: { default: true, ...bool() },
  /** Paths matched case-insensitively and with a trailing `/` (ASP.NET routing), and the
   *  `Bearer` scheme in any case. */
  lenientPaths: { default: true, ...bool() },
  /** `users/getstatus` key: `{ status }` or `{ Status }`. */
  getStatusKey: { default: 'status', ...oneOf('status', 'Status') },
  /** `tenants/gettags` key casing: `{ Name, Color, ParentTags, IsDeleted }` or camelCase. */
  tagKeys: { default: 'pascal', ...oneOf('pascal', 'camel') },
  /** `users/delete` reply key casing: `{ Message, DeletedFromDepartments }` (GlassixSharp's
   *  model, which C# reads in either casing) or camelCase. */
  deleteUserKeys: { default: 'pascal', ...oneOf('pascal', 'camel') },
  /** Replies no source shows (`interactivedocuments/send` → the Transaction, `files/upload` →
   *  `{ urls, files }`, `cannedreplies/add` → the saved reply): the sandbox's bodies, or `'void'`
   *  to answer them like the other unknown replies (`voidResponses`). */
  inventedReplies: { default: 'body', ...oneOf('body', 'void') },
  /** Durations (`durationNet`, status-log totals): .NET TimeSpan strings or whole seconds. */
  durations: { default: 'timespan', ...oneOf('timespan', 'seconds') },
  /** Endpoints that answer a list in the order the sandbox stored it (`users/allusers`,
   *  `tenants/gettags`, `webhooks/getevents` oldest first, a ticket's `transactions`): as stored, or reversed. */
  storedOrder: { default: 'stored', ...oneOf('stored', 'reversed') },

  // ── tickets ─────────────────────────────────────────────────────────────────────────────────
  /** `tickets/send` and `interactivedocuments/send` to a Closed ticket: refused, or appended. */
  sendToClosed: { default: 'reject', ...oneOf('reject', 'allow') },
  /** `tickets/generatesurveylink` with a `surveyId` of 0 or less (an `int` in the C# SDK):
   *  refused (`invalidStatus`), or accepted like any other id. */
  surveyIds: { default: 'positive', ...oneOf('positive', 'any') },
  /** A second `generatesurveylink` for a ticket. The docs allow links only while "no survey was
   *  sent"; whether a generated link counts as one is not said: `'reject'` reads it so (refused
   *  with `ruleStatus`), `'allow'` hands out another link. */
  surveyLinkTwice: { default: 'reject', ...oneOf('reject', 'allow') },
  /** `addtags` on a ticket that is not Open or Snoozed: refused, or applied. */
  tagsOnNotOpen: { default: 'reject', ...oneOf('reject', 'allow') },
  /** A tag that is not in the department's list (or is deleted): refused, or silently dropped. */
  unknownTag: { default: 'reject', ...oneOf('reject', 'ignore') },
  /** Tag names matched case-insensitively (stored with the list's spelling), or exactly. */
  tagCase: { default: 'insensitive', ...oneOf('insensitive', 'exact') },
  /** `setfields` with `details`: merged into the ticket's details key by key, or replacing them. */
  detailsUpdate: { default: 'merge', ...oneOf('merge', 'replace') },
  /** `setdepartment`: the original ticket is closed, or kept as it is. */
  setDepartmentOriginal: { default: 'close', ...oneOf('close', 'keep') },
  /** `setdepartment`: the copy is Open, or has the original's state. */
  setDepartmentCopyState: { default: 'open', ...oneOf('open', 'keep') },
  /** `setdepartment`: tags the target department does not allow are dropped from the copy, or the
   *  move is refused. */
  setDepartmentCopyTags: { default: 'drop', ...oneOf('drop', 'reject') },
  /** `setdepartment`: the copy leaves out the User participants (agents), or keeps them. */
  setDepartmentCopyUsers: { default: 'drop', ...oneOf('drop', 'keep') },
  /** `setdepartment` on a ticket already moved (it has `movedToTicketId`): another copy is made
   *  (the original's `movedTo*` then name the newest), or the move is refused. */
  setDepartmentMoved: { default: 'copy', ...oneOf('copy', 'reject') },
  /** `setstate` to the state the ticket already has: nothing is written (no transaction, no event,
   *  `lastActivity` as it was; the body's `tags` and `summary` still apply), or it is recorded like a
   *  change (a `TicketStateChanged` transaction, a `TICKET_STATE_CHANGE` event, `lastActivity` moves). */
  sameStateChange: { default: 'skip', ...oneOf('skip', 'record') },
  /** `setowner` to the user who already owns the ticket: recorded like a change (a
   *  `TICKET_OWNER_CHANGE` event, `lastActivity` moves), or nothing is written. */
  sameOwnerChange: { default: 'record', ...oneOf('record', 'skip') },
  /** `addnote`, `setfields`, `setparticipantname`, `setowner`, `assignavailableuser`,
   *  `setsummary`, `removetag`, `scramble` and `phonecalls/*` on a Closed ticket: applied, or
   *  refused. */
  closedTicketEdits: { default: 'allow', ...oneOf('allow', 'reject') },
  /** `removetag` with a tag the ticket does not have: answers the tags unchanged, or is refused. */
  removeMissingTag: { default: 'ignore', ...oneOf('ignore', 'reject') },
  /** Who `getAvailableUser` / `assignavailableuser` picks: the Online AGENT with the fewest open
   *  tickets, or nobody (the ticket goes to the queue). */
  autoAssign: { default: 'least-busy', ...oneOf('least-busy', 'queue') },
  /** Whether the sandbox writes system transactions: `TicketOpened` first on create, and
   *  `TicketClosed` / `TicketReopened` / `TicketStateChanged` on setstate. */
  systemTransactions: { default: true, ...bool() },
  /** `status` of a new Message transaction. */
  messageStatus: { default: 'Delivered', check: (v) => typeof v === 'string' && v !== '', expect: 'a non-empty string' },
  /** Transaction ids: one sequence for the whole workspace, or 1..n within each ticket. */
  transactionIds: { default: 'workspace', ...oneOf('workspace', 'per-ticket') },
  /** `tickets/create` takes a past `lastActivity` (handy to build a history through the API; no
   *  source has the field in a create request), or ignores it as an unknown field. */
  createLastActivity: { default: 'accept', ...oneOf('accept', 'ignore') },
  /** Dates of a `tickets/create` payload (`open`, `close`, `lastActivity`): ISO-8601 (a date
   *  without a zone read as UTC), `dd/MM/yyyy HH:mm:ss:ff` or epoch ms, or ISO-8601 strings only
   *  (what a .NET DateTime reads; the rest answer `invalidStatus`). */
  createDates: { default: 'any', ...oneOf('any', 'iso') },
  /** A ticket made by `tickets/create` with a past `open` (and no `lastActivity`): its
   *  `lastActivity` is its latest date (`open`, or `close`), so it is listed in the windows of
   *  those dates only; or it is now (the create itself is an activity), so it is in today's too. */
  createdActivity: { default: 'dates', ...oneOf('dates', 'now') },
  /** A `tickets/create` participant's name longer than a contact name may be (25): the new
   *  contact gets its first 25 characters, or the whole name. The participant keeps it whole. */
  contactNameOverflow: { default: 'cut', ...oneOf('cut', 'keep') },
  /** How contacts are found by identifier (`tickets/create` participants, `addidentifier`'s
   *  duplicate and taken checks): trimmed and in any case (`DANA@X.COM ` is `dana@x.com`), or
   *  exactly as written. */
  identifierMatch: { default: 'loose', ...oneOf('loose', 'exact') },
  /** User names (`token/get`, `setowner`, `users/*`) match in any case (they are e-mail
   *  addresses), or only exactly. */
  userNameCase: { default: 'any', ...oneOf('any', 'exact') },
  /** What moves a ticket's `lastActivity`: every change (a message, a note, a state, a field, a
   *  tag, the owner, the summary, a name, a move), or only a new transaction (a message, a note,
   *  a system transaction). It decides which `tickets/list` windows a ticket is in. */
  lastActivityOn: { default: 'any-change', ...oneOf('any-change', 'transactions') },
  /** `setdepartment` to the ticket's own department: refused (`ruleStatus`), or moved like to any
   *  other (a copy in the same department). */
  sameDepartmentMove: { default: 'reject', ...oneOf('reject', 'allow') },
  /** A window with `until` before `since` (`tickets/list`, `users/statuslogs`): refused
   *  (`ruleStatus`), or answered as a window with nothing in it. */
  reversedWindow: { default: 'reject', ...oneOf('reject', 'empty') },
  /** `phonecalls/ended` with a time before `phonecalls/started`, or on a ticket whose call never
   *  started: refused, or recorded. */
  callEndBeforeStart: { default: 'reject', ...oneOf('reject', 'allow') },
  /** `phonecalls/started` on a ticket whose call has already started: the call starts again (its
   *  end is cleared), or the second start is refused. */
  callStartedTwice: { default: 'restart', ...oneOf('restart', 'reject') },

  // ── users and contacts ──────────────────────────────────────────────────────────────────────
  /** `users/add` without `role`: a SystemUser, or refused (GlassixSharp always sends one). */
  addUserRole: { default: 'default', ...oneOf('default', 'required') },
  /** A ticket in the queue (no owner): `owner: null`, or no `owner` key at all. */
  queueOwner: { default: 'null', ...oneOf('null', 'omit') },
  /** `contacts/get` of a contact merged into another (`addidentifier` with `forceMerge`): 404, or
   *  the contact as it is, `isDeleted: true` and no identifiers (the model has `isDeleted`). */
  mergedContact: { default: 'not-found', ...oneOf('not-found', 'deleted') },
  /** `cannedreplies/getall`: every key the write payload has (`isPublished`, `isSuggested`,
   *  `isIncludedInAgentSuggestions`, `attachments` too), or only GlassixSharp's read model. */
  cannedReplyKeys: { default: 'full', ...oneOf('full', 'model') },
  /** `tenants/isonline` (which needs no token) with a bad token: ignored, or refused like anywhere else. */
  isOnlineToken: { default: 'ignored', ...oneOf('ignored', 'checked') },
  /** The `setdepartment` copy's `open`: the time of the move, or the original's. */
  setDepartmentCopyOpen: { default: 'now', ...oneOf('now', 'original') },
  /** A participant of `tickets/create` without `type` (the docs' samples always give one): a
   *  Client, or refused (`invalidStatus`). */
  participantType: { default: 'client', ...oneOf('client', 'required') },
  /** `tickets/setstate` with `getTicket=true` (GlassixSharp's parameter; what it returns is not
   *  confirmed): the ticket, or the usual `{ message }`. */
  getTicketReply: { default: 'ticket', ...oneOf('ticket', 'message') },
  /** `tickets/create`'s initial `transactions` (the support article shows `fromParticipant`,
   *  `text` and `type: "Message"`, nothing more): `'strict'` refuses an entry whose
   *  `fromParticipant` names no participant of the ticket, whose `dateTime` cannot be read (as
   *  `createDates` reads dates), whose `type` is not `Message` or `Note`, or that has neither
   *  `text` nor `html`; `'lenient'` sends such an entry from the first client, at the ticket's
   *  `open`, with the `type` given. */
  createTransactions: { default: 'strict', ...oneOf('strict', 'lenient') },
  /** `tickets/create`'s `close`: `'strict'` refuses a `close` for a ticket that is not Closed and
   *  one before `open`; `'lenient'` drops the first and keeps the second. */
  createClose: { default: 'strict', ...oneOf('strict', 'lenient') },
  /** The token's user sending a message or note to a ticket they are not a participant of:
   *  joins its participants (type `User`, protocol `Web`), or is the transaction's sender only. */
  apiSender: { default: 'participant', ...oneOf('participant', 'detached') },
  /** `tickets/create`'s `addIntroductionMessage` with an owner: a Message from the owner at the
   *  ticket's `open` (its text is the sandbox's own), or nothing. */
  introductionMessage: { default: 'owner', ...oneOf('owner', 'none') },
  /** A transaction's `text` or `html` that was not given (a message with html only, a system
   *  transaction): `''`, or `null`. */
  unsetContent: { default: 'empty', ...oneOf('empty', 'null') },
  /** `tickets/setstate`'s `tags`: added to the ticket's tags, or replacing them. */
  setStateTags: { default: 'add', ...oneOf('add', 'replace') },
  /** `tickets/setstate` with `tags` on a ticket that is Closed and stays Closed (`nextState=Closed`):
   *  refused like `addtags` on a Closed ticket (`ruleStatus`; nothing in the body is applied), or
   *  applied. Closing or reopening a ticket with tags is never refused. */
  setStateTagsOnClosed: { default: 'reject', ...oneOf('reject', 'allow') },
  /** Content checks no source makes: `tickets/send` and `protocols/send` need some content
   *  (text, html, files, templates or attachmentUris), `cannedreplies/add` a `title` and `text`
   *  or `html`, `interactivedocuments/send` a `baseTemplateId` and a `name` for each field, and
   *  URLs (`files`, `attachmentUris`, `audioUri`) must be absolute http(s). `'strict'` refuses
   *  (`invalidStatus`), `'lenient'` accepts. */
  contentChecks: { default: 'strict', ...oneOf('strict', 'lenient') },
  /** `users/add`'s `role`: `SystemUser` or `ReadOnly` only (the C# SDK's check, the only source),
   *  or any primary role. */
  addUserRoles: { default: 'sdk', ...oneOf('sdk', 'primary') },
  /** `users/add` with a `userName` that is not an e-mail address (every source calls it one):
   *  refused (`invalidStatus`), or added as given. */
  addUserNames: { default: 'email', ...oneOf('email', 'any') },
  /** `users/add` with an empty array: refused (`invalidStatus`), or answered 200 with nobody added. */
  addUsersEmpty: { default: 'reject', ...oneOf('reject', 'accept') },
  /** The same `userName` twice in one `users/add`: refused (`invalidStatus`), or added once. */
  addUserTwice: { default: 'reject', ...oneOf('reject', 'once') },
  /** `users/add` with a `uniqueArgument` over 50 characters (the limit the docs give for
   *  `users/setuniqueargument`): refused, or taken. */
  addUniqueArgumentLimit: { default: 'reject', ...oneOf('reject', 'accept') },
  /** `users/add` with a user already in the department: refused, or skipped. */
  addExistingUser: { default: 'reject', ...oneOf('reject', 'ignore') },
  /** `users/add` with a user who is in another department (of the workspace): that user joins
   *  this department too, or the add is refused. */
  addOtherDepartmentUser: { default: 'reuse', ...oneOf('reuse', 'reject') },
  /** `users/delete`: the user's tickets in those departments go to the queue, or keep their owner. */
  deletedUserTickets: { default: 'queue', ...oneOf('queue', 'keep') },
  /** `users/delete`: a user left in no department is removed (re-adding starts afresh), or kept
   *  (re-adding brings back the same user with its names and status log). */
  deletedUserRecord: { default: 'remove', ...oneOf('remove', 'keep') },
  /** `users/setuniqueargument` with a value another user of the department has: refused, or allowed. */
  userArgumentTaken: { default: 'reject', ...oneOf('reject', 'allow') },
  /** Which contacts a department's token reaches: `'department'`, the contacts of its own
   *  department (the one whose ticket, a `tickets/create` participant or a `setdepartment` copy, made
   *  them; seed contacts: their `departmentId`, or the first department), so another department's
   *  answer 404 in `contacts/*` and are not found by identifier (`tickets/create` makes a contact of
   *  its own, `addidentifier` sees no clash); or `'workspace'`, every contact from every department. */
  contactScope: { default: 'department', ...oneOf('department', 'workspace') },
  /** `contacts/addidentifier` with an identifier of another contact and no `forceMerge`: refused,
   *  or the contacts are merged anyway. */
  identifierTaken: { default: 'reject', ...oneOf('reject', 'merge') },
  /** `contacts/addidentifier` with an identifier the contact already has: refused
   *  (`ruleStatus`), or answered like an add, changing nothing. */
  ownIdentifier: { default: 'reject', ...oneOf('reject', 'ignore') },
  /** The longest `users/statuslogs` window, in days. */
  statusLogsMaxDays: { default: 366, check: (v) => Number.isSafeInteger(v) && v >= 1, expect: 'an integer >= 1' },
  /** `users/statuslogs`: the time before a user's first status (before the user existed) counts
   *  as Offline, or as nothing. */
  statusLogsBefore: { default: 'offline', ...oneOf('offline', 'none') },
  /** `users/statuslogs`' `since`/`until` with a time (`dd/MM/yyyy HH:mm:ss:ff`): cut to the day,
   *  or refused as not `dd/MM/yyyy`. */
  statusLogsTime: { default: 'cut', ...oneOf('cut', 'reject') },
  /** `cannedreplies/getall` order: by `rank` (then id), or in the order the replies were saved (by id). */
  cannedReplyOrder: { default: 'rank', ...oneOf('rank', 'saved') },
  /** `cannedreplies/add` with an existing id: every field is replaced (left-out fields get their
   *  defaults, e.g. `rank` 0), or only the fields sent change. */
  cannedReplyUpdate: { default: 'replace', ...oneOf('replace', 'merge') },
  /** `cannedreplies/add`'s fields left out: the sandbox's defaults (`culture` 'en-US',
   *  `isPublished` true, `isSuggested` and `isIncludedInAgentSuggestions` false), or null. */
  cannedReplyDefaults: { default: 'sandbox', ...oneOf('sandbox', 'null') },

  // ── tickets/list and dates sent as parameters ───────────────────────────────────────────────
  /** `sortOrder=ASC` (and no sortOrder): the docs say newest to oldest by open time. */
  sortAsc: { default: 'newest-first', ...oneOf('newest-first', 'oldest-first') },
  /** Accept `Ascending` / `Descending` (what GlassixSharp sends) besides `ASC` / `DESC`. */
  sortAliases: { default: true, ...bool() },
  /** `tickets/list`: tickets with the same `open` follow the list's direction by id (newest
   *  first: the higher id first), or come by id ascending whatever the direction. */
  sortTies: { default: 'id', ...oneOf('id', 'id-ascending') },
  /** `tickets/list` with a `ticketState` of blank items only (`,`): matches no state, or is no
   *  filter (every state, as an empty `ticketState`). */
  stateFilterBlank: { default: 'none', ...oneOf('none', 'all') },
  /** A `tickets/create` participant without a `departmentIdentifier`: the department's channel
   *  for its protocol (its first number or address), or `''`. */
  participantChannel: { default: 'channel', ...oneOf('channel', 'empty') },
  /** The last page's `paging`: `{}` (the docs' "empty paging JSON key") or `null`. */
  lastPaging: { default: 'empty', ...oneOf('empty', 'null') },
  /** The tickets of a listing are fixed at its first request (later pages show them as they are
   *  then), or every page is selected afresh. */
  listSnapshot: { default: true, ...bool() },
  /** `tickets/list` compares `open`, `close` and `lastActivity` with `[since, until]` to the
   *  millisecond the sandbox stores, or cut to the hundredth (what the parameters and
   *  `lastActivity` carry). */
  listPrecision: { default: 'millisecond', ...oneOf('millisecond', 'hundredth') },
  /** Unknown query parameters on a first `tickets/list` request: ignored, or refused. */
  listUnknownParams: { default: 'ignore', ...oneOf('ignore', 'reject') },
  /** `dd/MM/yyyy HH:mm:ss` without `:ff` (list `since`/`until`, phone-call `dateTime`): refused,
   *  or read as `:00`. */
  dateHundredths: { default: 'required', ...oneOf('required', 'optional') },

  // ── protocols/send ─────────────────────────────────────────────────────────────────────────
  /** `from` that is not one of the department's channels for the protocol: refused, or sent. */
  protocolFrom: { default: 'reject', ...oneOf('reject', 'allow') },
  /** `protocolType` other than the documented WhatsApp, SMS and AppleBusinessChat (a known
   *  protocol such as Mail or Viber): refused (`invalidStatus`), or sent like them. */
  protocolTypes: { default: 'documented', ...oneOf('documented', 'any') },
  /** The statuses delivered after the `Pending` reply, each as a NON_TICKET_MESSAGE_STATUS event. */
  protocolStatuses: {
    default: Object.freeze(['Sent', 'Delivered']),
    check: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== ''),
    expect: 'an array of status strings, e.g. ["Sent", "Delivered", "Read"] or ["Failed"]',
  },
  /** Delay before each later status (0: right after the reply is sent). */
  // (at most what a timer takes: setTimeout fires at once beyond it)
  protocolStatusDelayMs: { default: 0, check: (v) => typeof v === 'number' && v >= 0 && v <= MAX_TIMER_MS, expect: `a number of ms 0..${MAX_TIMER_MS}` },
  /** `serviceProvider` of the reply (19 is what a recorded WhatsApp reply carried). */
  serviceProvider: { default: 19, check: (v) => Number.isSafeInteger(v), expect: 'an integer' },

  // ── webhooks ────────────────────────────────────────────────────────────────────────────────
  /** `webhooks/getevents` without `deleteEvents`: deletes what it returns (GlassixSharp's default), or keeps it. */
  deleteEventsDefault: { default: true, ...bool() },
  /** `webhooks/deleteevents` naming an event that is not queued: ignored, or refused (nothing deleted). */
  deleteUnknownEvents: { default: 'ignore', ...oneOf('ignore', 'reject') },
  /** Which `_event` types the sandbox queues of its own events (like the event checkboxes of a
   *  webhook subscription). An event posted to `/__sandbox/events` is always queued. */
  eventTypes: {
    default: 'all',
    check: (v) => v === 'all' || (Array.isArray(v) && v.every((s) => EVENT_TYPES.includes(s))),
    expect: `'all' or an array of _event names (${EVENT_TYPES.join(', ')})`,
  },
};

const DEFAULT_RULES = Object.freeze(Object.fromEntries(Object.entries(RULES).map(([k, r]) => [k, r.default])));

/** Validate `partial` (an object of rule overrides) and merge it over the defaults. */
function normaliseRules(partial) {
  if (partial === undefined || partial === null) return { ...DEFAULT_RULES };
  if (typeof partial !== 'object' || Array.isArray(partial)) throw new TypeError('startSandbox: rules must be an object');
  const out = { ...DEFAULT_RULES };
  for (const [k, v] of Object.entries(partial)) {
    const rule = Object.prototype.hasOwnProperty.call(RULES, k) ? RULES[k] : null;
    if (!rule) throw new TypeError(`startSandbox: unknown rule '${k}'`);
    // undefined (a config spread from optional settings) keeps the default
    if (v === undefined) continue;
    if (!rule.check(v)) throw new TypeError(`startSandbox: rules.${k} must be ${rule.expect}; got ${JSON.stringify(v)}`);
    out[k] = Array.isArray(v) ? Object.freeze([...v]) : v;
  }
  return out;
}

const LIST_RULES = ['protocolStatuses', 'eventTypes'];

/** Parse `name=value` (CLI): the value is read as JSON when it parses, else as a string. */
function parseRuleAssignment(text) {
  const i = text.indexOf('=');
  if (i <= 0) throw new TypeError(`a rule must look like NAME=VALUE; got '${text}'`);
  const name = text.slice(0, i);
  const raw = text.slice(i + 1);
  let value;
  try { value = JSON.parse(raw); } catch { value = raw; }
  // List-valued rules take comma-separated names: protocolStatuses=Sent,Delivered; eventTypes=NEW_TICKET.
  if (LIST_RULES.includes(name) && typeof value === 'string' && value !== 'all') {
    value = value === '' ? [] : value.split(',');
  }
  return [name, value];
}

module.exports = { RULES, DEFAULT_RULES, normaliseRules, parseRuleAssignment };
