// Type definitions for glassix-wasm/sandbox: the CommonJS entry (`require('glassix-wasm/sandbox')`
// → sandbox/index.cjs, whose `module.exports` is a plain object of the names below).
// The ES-module entry (sandbox/index.mjs) is typed by ./sandbox.d.mts, which re-exports these.
//
// The sandbox is a local, stateful imitation of the Glassix REST API on node:http (127.0.0.1 only),
// with fault injection and signed webhook delivery, for tests and demos. Node only.

import type {
  Attachment, CannedReply, Contact, Gender, IdentifierType, PolledWebhookEvent, ProtocolMessage, ProtocolType,
  ParticipantType, Role, SubProtocolType, Ticket, TicketDetails, TicketState, TicketType, TransactionType,
  User, UserStatus, UserType,
} from './index.js';

/** The credentials a sandbox accepts (and a GlassixClient needs to talk to it). */
export interface SandboxCredentials {
  workspace: string;
  /** A GUID; also the id of the first department. */
  apiKey: string;
  apiSecret: string;
  /** E-mail of the API user tokens are issued for by default. */
  userName: string;
}

/** A sliding-window limit: at most `requests` per `perMs` milliseconds, then 429. */
export interface SandboxWindow {
  requests: number;
  perMs: number;
  /** `Retry-After` seconds to send; default: until the window frees up (none when the faults' `retryAfter` is `null`). */
  retryAfter?: number | null | undefined;
}

/** Faults to inject. Every key is optional; `setFaults` merges, unknown keys throw. */
export interface SandboxFaults {
  /** Added to every response. @default 0 */
  latencyMs?: number | undefined;
  /** Plus a random 0…jitterMs. @default 0 */
  jitterMs?: number | undefined;
  /** Chance (0…1) of a 5xx on API calls (not the token endpoint). @default 0 */
  failureRate?: number | undefined;
  /** The 5xx statuses used (the array is copied). @default [502, 503, 504] */
  failureStatuses?: readonly number[] | undefined;
  /** The next N API calls get a 5xx. @default 0 */
  burst5xx?: number | undefined;
  /** 502/504 bodies as text/html, like a gateway. @default false */
  htmlErrors?: boolean | undefined;
  /** Rate limit on API calls; `null` for none. @default null */
  rateLimit?: SandboxWindow | null | undefined;
  /** The next N API calls get 429. @default 0 */
  burst429?: number | undefined;
  /**
   * `Retry-After` seconds for `burst429` / `tokenFail429`. `null`: no 429 carries `Retry-After`
   * (windows too, unless they name their own): the API's docs do not say Glassix sends one. @default 1
   */
  retryAfter?: number | null | undefined;
  /** Chance (0…1) an API call is never answered (until `close`). @default 0 */
  hangRate?: number | undefined;
  /** The next N API calls hang. @default 0 */
  hangNext?: number | undefined;
  /** Rate limit on `POST /token/get`; `null` for none. @default null */
  tokenThrottle?: SandboxWindow | null | undefined;
  /** The next N token calls get 429. @default 0 */
  tokenFail429?: number | undefined;
}

/** The faults in force (every key present): a copy, so read-only (`setFaults` changes them; it takes this back too). */
export type SandboxFaultState = {
  readonly [K in keyof SandboxFaults]-?: Exclude<SandboxFaults[K], undefined> extends infer V ? V extends SandboxWindow ? Readonly<V> : V : never;
};

/**
 * A seed: the sandbox's initial data (see the sandbox README, "Seed format"). Loosely typed. Any
 * other key, here or in a department, user, contact (or its identifiers), canned reply or ticket,
 * rejects with a `TypeError` naming its path (`seed.users[1].departements`), and so does a seed
 * ticket `tickets/create` would refuse (`seed.tickets[0]: Tag 'X' does not exist …`).
 */
export interface SandboxSeed {
  credentials?: Partial<SandboxCredentials> | undefined;
  departments?: Array<Record<string, unknown>> | undefined;
  users?: Array<Record<string, unknown>> | undefined;
  contacts?: Array<Record<string, unknown>> | undefined;
  cannedReplies?: Array<Record<string, unknown>> | undefined;
  tickets?: Array<Record<string, unknown>> | undefined;
}

/** How the sandbox delivers webhooks to `webhookUrl`. */
export interface SandboxWebhookOptions {
  /** Extra attempts after the first. @default 3 */
  retries?: number | undefined;
  /** Base delay, doubled per attempt. @default 250 */
  retryDelayMs?: number | undefined;
  /** Per-attempt timeout (retries use at most 5000). @default 20000 */
  timeoutMs?: number | undefined;
  /** POST `[event]` instead of `event`. @default false */
  batch?: boolean | undefined;
}

/**
 * The sandbox's behaviour where no source (docs.glassix.com, glassix-sharp, glassix-js, a recorded
 * reply) says what the API does: each key switches one guess. Every key is optional; an unknown
 * key or a bad value throws. The sandbox README's "Verified and unverified behaviour" table
 * explains each one.
 */
export interface SandboxRules {
  /** Casing of the text key of errors and `{ message }` replies. `'mixed'`: `Message` for framework-level errors (401, unknown route, 405, model binding, 415, 500), `message` otherwise. `users/delete` answers `{ Message, DeletedFromDepartments }` under every value (GlassixSharp's model; `deleteUserKeys` switches it). @default 'mixed' */
  messageKey?: 'mixed' | 'message' | 'Message' | undefined;
  /** Status of malformed input (wrong types, missing fields, bad enum values or formats). @default 400 */
  invalidStatus?: number | undefined;
  /** Status of a refusal by a business rule (closed ticket, tag not allowed, month window, …). @default 400 */
  ruleStatus?: number | undefined;
  /** Status for an unknown ticket, contact, user, canned reply, participant or department. @default 404 */
  notFoundStatus?: 404 | 400 | undefined;
  /** Status when the caller lacks a role (`users/setroles` by a non-admin). @default 403 */
  forbiddenStatus?: 403 | 401 | 400 | undefined;
  /** Status of a call with no token, a malformed `Authorization` header, an expired token, or a token whose user has left its department (a token that matches nothing is always 401). @default 401 */
  deniedStatus?: 401 | 403 | 400 | undefined;
  /** A known path called with the wrong method: 405 with `Allow`, or 404. @default 405 */
  wrongMethodStatus?: 405 | 404 | undefined;
  /** A non-JSON content type on a JSON endpoint (or a non-multipart upload): 415, or accepted. @default 'reject' */
  wrongContentType?: 'reject' | 'accept' | undefined;
  /** A JSON body that starts with a UTF-8 byte order mark: the JSON after it is read (ASP.NET Web API, ASP.NET Core's default formatter), or it is malformed JSON (`invalidStatus`; ASP.NET Core with Newtonsoft). @default 'skip' */
  jsonBom?: 'skip' | 'reject' | undefined;
  /** A JSON body's key in another casing than the documented one (`Field1`, `Participants`): bound as the documented key (ASP.NET: Json.NET always, System.Text.Json with the web defaults; of two keys for one field the last wins), or ignored like any unknown key. Query parameter names match in any case under both. @default 'any' */
  bodyKeyCase?: 'any' | 'exact' | undefined;
  /** `token/get` failures: 401 for a wrong key or secret and 400 otherwise, or one status for all. @default 'split' */
  tokenErrors?: 'split' | 'all-401' | 'all-400' | undefined;
  /** CORS headers on every response, and 204 preflights. @default true */
  cors?: boolean | undefined;
  /** Paths matched case-insensitively and with a trailing `/`, and `Bearer` in any case. @default true */
  lenientPaths?: boolean | undefined;
  /** `users/getstatus` key. @default 'status' */
  getStatusKey?: 'status' | 'Status' | undefined;
  /** `tenants/gettags` key casing. @default 'pascal' */
  tagKeys?: 'pascal' | 'camel' | undefined;
  /** `users/delete` reply key casing: `{ Message, DeletedFromDepartments }` or camelCase. @default 'pascal' */
  deleteUserKeys?: 'pascal' | 'camel' | undefined;
  /** Replies no source shows (`interactivedocuments/send`, `files/upload`, `cannedreplies/add`): the sandbox's bodies, or like `voidResponses`. @default 'body' */
  inventedReplies?: 'body' | 'void' | undefined;
  /** Durations as .NET TimeSpan strings or whole seconds. @default 'timespan' */
  durations?: 'timespan' | 'seconds' | undefined;
  /** `users/allusers`, `tenants/gettags`, `webhooks/getevents` (oldest first) and a ticket's `transactions` in the order stored, or reversed. @default 'stored' */
  storedOrder?: 'stored' | 'reversed' | undefined;
  /** A message to a Closed ticket (`tickets/send`, `interactivedocuments/send`): refused, or appended. @default 'reject' */
  sendToClosed?: 'reject' | 'allow' | undefined;
  /** A second `generatesurveylink` for a ticket (a survey already sent, as the docs' condition reads): refused, or another link. @default 'reject' */
  surveyLinkTwice?: 'reject' | 'allow' | undefined;
  /** `tickets/generatesurveylink` with a `surveyId` of 0 or less: refused, or accepted. @default 'positive' */
  surveyIds?: 'positive' | 'any' | undefined;
  /** `addtags` on a ticket that is not Open or Snoozed: refused, or applied. @default 'reject' */
  tagsOnNotOpen?: 'reject' | 'allow' | undefined;
  /** A tag not in the department's list: refused, or dropped. @default 'reject' */
  unknownTag?: 'reject' | 'ignore' | undefined;
  /** Tag names matched case-insensitively, or exactly. @default 'insensitive' */
  tagCase?: 'insensitive' | 'exact' | undefined;
  /** `setfields` `details`: merged key by key, or replacing the old ones. @default 'merge' */
  detailsUpdate?: 'merge' | 'replace' | undefined;
  /** `setdepartment` closes the original ticket, or keeps it. @default 'close' */
  setDepartmentOriginal?: 'close' | 'keep' | undefined;
  /** The `setdepartment` copy is Open, or has the original's state. @default 'open' */
  setDepartmentCopyState?: 'open' | 'keep' | undefined;
  /** Tags the `setdepartment` target does not allow: dropped from the copy, or the move is refused. @default 'drop' */
  setDepartmentCopyTags?: 'drop' | 'reject' | undefined;
  /** The `setdepartment` copy leaves out the User participants, or keeps them. @default 'drop' */
  setDepartmentCopyUsers?: 'drop' | 'keep' | undefined;
  /** `setdepartment` on a ticket already moved: another copy, or refused. @default 'copy' */
  setDepartmentMoved?: 'copy' | 'reject' | undefined;
  /** `setstate` to the ticket's current state: nothing written (no transaction, no event, `lastActivity` as it was; the body's `tags` and `summary` still apply), or a `TicketStateChanged` transaction, a `TICKET_STATE_CHANGE` event and a new `lastActivity`. @default 'skip' */
  sameStateChange?: 'skip' | 'record' | undefined;
  /** `setowner` to the ticket's current owner: recorded like a change (an event, `lastActivity` moves), or nothing written. @default 'record' */
  sameOwnerChange?: 'record' | 'skip' | undefined;
  /** `addnote`, `setfields`, `setparticipantname`, `setowner`, `assignavailableuser`, `setsummary`, `removetag`, `scramble` and `phonecalls/*` on a Closed ticket: applied, or refused. @default 'allow' */
  closedTicketEdits?: 'allow' | 'reject' | undefined;
  /** `removetag` with a tag the ticket does not have: the tags unchanged, or refused. @default 'ignore' */
  removeMissingTag?: 'ignore' | 'reject' | undefined;
  /** Automatic assignment: the least busy Online agent, or nobody. @default 'least-busy' */
  autoAssign?: 'least-busy' | 'queue' | undefined;
  /** `TicketOpened` / `TicketClosed` / … system transactions. @default true */
  systemTransactions?: boolean | undefined;
  /** `status` of a new Message transaction. @default 'Delivered' */
  messageStatus?: string | undefined;
  /** Transaction ids: one workspace sequence, or 1..n per ticket. @default 'workspace' */
  transactionIds?: 'workspace' | 'per-ticket' | undefined;
  /** `tickets/create` takes a past `lastActivity` (no source has it), or ignores it. @default 'accept' */
  createLastActivity?: 'accept' | 'ignore' | undefined;
  /** `phonecalls/ended` before `phonecalls/started` (or with no start at all): refused, or recorded. @default 'reject' */
  callEndBeforeStart?: 'reject' | 'allow' | undefined;
  /** `phonecalls/started` on a ticket whose call already started: it starts again (its end cleared), or refused. @default 'restart' */
  callStartedTwice?: 'restart' | 'reject' | undefined;
  /** `tickets/create`'s initial `transactions`: an entry naming no participant of the ticket, with an unreadable `dateTime`, a `type` other than `Message` or `Note`, or no `text` nor `html` is refused, or repaired (from the first client, at `open`, as given). @default 'strict' */
  createTransactions?: 'strict' | 'lenient' | undefined;
  /** `tickets/create`'s `close` for a ticket that is not Closed, or before `open`: refused, or dropped / kept. @default 'strict' */
  createClose?: 'strict' | 'lenient' | undefined;
  /** The token's user sending a message or note to a ticket they are not a participant of: joins its participants, or is the sender only. @default 'participant' */
  apiSender?: 'participant' | 'detached' | undefined;
  /** `tickets/create`'s `addIntroductionMessage`: a Message from the owner, or nothing. @default 'owner' */
  introductionMessage?: 'owner' | 'none' | undefined;
  /** A transaction's `text` or `html` that was not given: `''`, or `null`. @default 'empty' */
  unsetContent?: 'empty' | 'null' | undefined;
  /** `tickets/setstate`'s `tags`: added to the ticket's tags, or replacing them. @default 'add' */
  setStateTags?: 'add' | 'replace' | undefined;
  /** `tickets/setstate` with `tags` on a ticket that is Closed and stays Closed: refused like `addtags` on a Closed ticket (nothing in the body applied), or applied. Closing or reopening with tags is never refused. @default 'reject' */
  setStateTagsOnClosed?: 'reject' | 'allow' | undefined;
  /** `tickets/create` dates: ISO-8601, `dd/MM/yyyy HH:mm:ss:ff` or epoch ms, or ISO-8601 strings only. @default 'any' */
  createDates?: 'any' | 'iso' | undefined;
  /** A ticket created with a past `open` and no `lastActivity`: active at its latest date, or now too. @default 'dates' */
  createdActivity?: 'dates' | 'now' | undefined;
  /** A created contact's name from a participant name over 25 characters: its first 25, or whole. @default 'cut' */
  contactNameOverflow?: 'cut' | 'keep' | undefined;
  /** Contacts found by identifier trimmed and in any case, or exactly as written. @default 'loose' */
  identifierMatch?: 'loose' | 'exact' | undefined;
  /** User names match in any case, or exactly. @default 'any' */
  userNameCase?: 'any' | 'exact' | undefined;
  /** What moves `lastActivity`: every change of a ticket, or only a new transaction. @default 'any-change' */
  lastActivityOn?: 'any-change' | 'transactions' | undefined;
  /** `setdepartment` to the ticket's own department: refused, or moved like to any other. @default 'reject' */
  sameDepartmentMove?: 'reject' | 'allow' | undefined;
  /** `until` before `since` (`tickets/list`, `users/statuslogs`): refused, or an empty window. @default 'reject' */
  reversedWindow?: 'reject' | 'empty' | undefined;
  /** `users/add` without `role`: a SystemUser, or refused. @default 'default' */
  addUserRole?: 'default' | 'required' | undefined;
  /** A ticket in the queue: `owner: null`, or no `owner` key. @default 'null' */
  queueOwner?: 'null' | 'omit' | undefined;
  /** `contacts/get` of a contact merged into another: 404, or the contact with `isDeleted: true`. @default 'not-found' */
  mergedContact?: 'not-found' | 'deleted' | undefined;
  /** `cannedreplies/getall`: the write payload's keys too, or only the read model's. @default 'full' */
  cannedReplyKeys?: 'full' | 'model' | undefined;
  /** `tenants/isonline` with a bad token: ignored, or refused. @default 'ignored' */
  isOnlineToken?: 'ignored' | 'checked' | undefined;
  /** The `setdepartment` copy's `open`: the time of the move, or the original's. @default 'now' */
  setDepartmentCopyOpen?: 'now' | 'original' | undefined;
  /** A bad token or an unreadable path id (`tickets/get/abc`): which is refused first. @default 'token-first' */
  authOrder?: 'token-first' | 'path-first' | undefined;
  /** A `tickets/create` participant without `type`: a Client, or refused. @default 'client' */
  participantType?: 'client' | 'required' | undefined;
  /** `tickets/setstate` with `getTicket=true`: the ticket, or `{ message }`. @default 'ticket' */
  getTicketReply?: 'ticket' | 'message' | undefined;
  /** Content checks no source makes (message content, canned reply title and text, document template and field names, absolute URLs): refused, or accepted. @default 'strict' */
  contentChecks?: 'strict' | 'lenient' | undefined;
  /** `users/add`'s `role`: `SystemUser` or `ReadOnly` only (the C# SDK's check), or any primary role. @default 'sdk' */
  addUserRoles?: 'sdk' | 'primary' | undefined;
  /** `users/add` with a `userName` that is not an e-mail address: refused, or added. @default 'email' */
  addUserNames?: 'email' | 'any' | undefined;
  /** `users/add` with an empty array: refused, or answered 200 with nobody added. @default 'reject' */
  addUsersEmpty?: 'reject' | 'accept' | undefined;
  /** The same `userName` twice in one `users/add`: refused, or added once. @default 'reject' */
  addUserTwice?: 'reject' | 'once' | undefined;
  /** `users/add` with a `uniqueArgument` over 50 characters: refused, or taken. @default 'reject' */
  addUniqueArgumentLimit?: 'reject' | 'accept' | undefined;
  /** `users/add` with a user already in the department: refused, or skipped. @default 'reject' */
  addExistingUser?: 'reject' | 'ignore' | undefined;
  /** `users/add` with a user of another department: that user joins this department too, or refused. @default 'reuse' */
  addOtherDepartmentUser?: 'reuse' | 'reject' | undefined;
  /** `users/delete`: the user's tickets in those departments go to the queue, or keep their owner. @default 'queue' */
  deletedUserTickets?: 'queue' | 'keep' | undefined;
  /** `users/delete`: a user left in no department is removed, or kept (re-adding brings it back as it was). @default 'remove' */
  deletedUserRecord?: 'remove' | 'keep' | undefined;
  /** `users/setuniqueargument` with another user's value: refused, or allowed. @default 'reject' */
  userArgumentTaken?: 'reject' | 'allow' | undefined;
  /** Which contacts a token reaches: its department's own (another department's answer 404 and are not found by identifier: `tickets/create` makes its own, a `setdepartment` copy's clients get the target's), or every contact of the workspace. @default 'department' */
  contactScope?: 'department' | 'workspace' | undefined;
  /** `contacts/addidentifier` with another contact's identifier and no `forceMerge`: refused, or merged. @default 'reject' */
  identifierTaken?: 'reject' | 'merge' | undefined;
  /** `contacts/addidentifier` with an identifier the contact already has: refused, or answered changing nothing. @default 'reject' */
  ownIdentifier?: 'reject' | 'ignore' | undefined;
  /** The longest `users/statuslogs` window in days. @default 366 */
  statusLogsMaxDays?: number | undefined;
  /** `users/statuslogs`: the time before a user's first status counts as Offline, or as nothing. @default 'offline' */
  statusLogsBefore?: 'offline' | 'none' | undefined;
  /** `users/statuslogs`' `since`/`until` with a time: cut to the day, or refused. @default 'cut' */
  statusLogsTime?: 'cut' | 'reject' | undefined;
  /** `cannedreplies/getall` order: by `rank` (then id), or in the order saved. @default 'rank' */
  cannedReplyOrder?: 'rank' | 'saved' | undefined;
  /** `cannedreplies/add` with an existing id: every field replaced (left-out fields get their defaults, e.g. `rank` 0), or only the fields sent. @default 'replace' */
  cannedReplyUpdate?: 'replace' | 'merge' | undefined;
  /** `cannedreplies/add`'s fields left out (`culture`, `isPublished`, `isSuggested`, `isIncludedInAgentSuggestions`): the sandbox's defaults, or null. @default 'sandbox' */
  cannedReplyDefaults?: 'sandbox' | 'null' | undefined;
  /** `sortOrder=ASC` (the default order): newest first, as the docs say, or oldest first. @default 'newest-first' */
  sortAsc?: 'newest-first' | 'oldest-first' | undefined;
  /** Accept `Ascending` / `Descending` (GlassixSharp) besides `ASC` / `DESC`. @default true */
  sortAliases?: boolean | undefined;
  /** `tickets/list`: tickets with the same `open` by id in the list's direction, or by id ascending. @default 'id' */
  sortTies?: 'id' | 'id-ascending' | undefined;
  /** `tickets/list`'s `ticketState` of blank items only: no state matches, or no filter. @default 'none' */
  stateFilterBlank?: 'none' | 'all' | undefined;
  /** A created participant without `departmentIdentifier`: the department's channel, or `''`. @default 'channel' */
  participantChannel?: 'channel' | 'empty' | undefined;
  /** The last page's `paging`: `{}` or `null`. @default 'empty' */
  lastPaging?: 'empty' | 'null' | undefined;
  /** A listing's tickets are fixed at its first request, or selected afresh for every page. @default true */
  listSnapshot?: boolean | undefined;
  /** `tickets/list` compares dates with the window to the stored millisecond, or cut to the hundredth. @default 'millisecond' */
  listPrecision?: 'millisecond' | 'hundredth' | undefined;
  /** Unknown query parameters on a first `tickets/list` request: ignored, or refused. @default 'ignore' */
  listUnknownParams?: 'ignore' | 'reject' | undefined;
  /** `dd/MM/yyyy HH:mm:ss` without `:ff`: refused, or read as `:00`. @default 'required' */
  dateHundredths?: 'required' | 'optional' | undefined;
  /** `protocols/send` from a number that is not a department channel: refused, or sent. @default 'reject' */
  protocolFrom?: 'reject' | 'allow' | undefined;
  /** `protocols/send` on a known protocol other than the documented WhatsApp, SMS and AppleBusinessChat: refused (`invalidStatus`), or sent. @default 'documented' */
  protocolTypes?: 'documented' | 'any' | undefined;
  /** The statuses delivered after the `Pending` reply, each as a `NON_TICKET_MESSAGE_STATUS` event. @default ['Sent', 'Delivered'] */
  protocolStatuses?: readonly string[] | undefined;
  /** Delay before each of those statuses (0: right after the reply). @default 0 */
  protocolStatusDelayMs?: number | undefined;
  /** `serviceProvider` of the `protocols/send` reply. @default 19 */
  serviceProvider?: number | undefined;
  /** `webhooks/getevents` without `deleteEvents` deletes what it returns, or keeps it. @default true */
  deleteEventsDefault?: boolean | undefined;
  /** `webhooks/deleteevents` naming an event that is not queued: ignored, or refused (nothing deleted). @default 'ignore' */
  deleteUnknownEvents?: 'ignore' | 'reject' | undefined;
  /** The `_event` types queued of the events the sandbox makes itself (an event posted to `/__sandbox/events` is always queued). @default 'all' */
  eventTypes?: 'all' | readonly ('NEW_TICKET' | 'TICKET_STATE_CHANGE' | 'TICKET_OWNER_CHANGE' | 'NEW_MESSAGE' | 'USER_STATUS_CHANGE' | 'NON_TICKET_MESSAGE_STATUS')[] | undefined;
}

/** The rules in force (every key present). */
export type SandboxRuleState = { readonly [K in keyof SandboxRules]-?: Exclude<SandboxRules[K], undefined> };

/** Options of `startSandbox`. Unknown keys and invalid values reject with a `TypeError` naming
 * the option (`random` and `randomSeed` together included). */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Only `'127.0.0.1'` is accepted. */
  host?: '127.0.0.1' | undefined;
  /** Overrides the seed's / default credentials. */
  credentials?: Partial<SandboxCredentials> | undefined;
  /** Token lifetime in seconds. @default 10800 */
  tokenLifetime?: number | undefined;
  /** A seed object, or the path of a JSON seed file. @default DEFAULT_SEED */
  seed?: SandboxSeed | string | undefined;
  /** Faults in force from the start (and after `reset()`). */
  faults?: SandboxFaults | undefined;
  /** Where to POST signed webhook events; none by default. */
  webhookUrl?: string | null | undefined;
  webhook?: SandboxWebhookOptions | undefined;
  /** `'1.2'` or `'v1.2'` (a number is read as its string: `1.2`). @default '1.2' */
  apiVersion?: string | number | undefined;
  /** Tickets per `tickets/list` page. @default 100 */
  pageSize?: number | undefined;
  /** Id of the first created ticket. @default 160000001 */
  firstTicketId?: number | undefined;
  /** Clock (epoch ms) of token expiry, list windows, status logs and reply dates; latency, webhook
   * retries and the `rateLimit` / `tokenThrottle` windows run on real time. @default Date.now */
  now?: (() => number) | undefined;
  /** Random source in [0, 1) of `failureRate`, `hangRate` and `jitterMs`; `reset()` does not reset it. @default Math.random */
  random?: (() => number) | undefined;
  /** Seed for a deterministic random source: an integer 0..2^32-1 (not together with `random`);
   * `reset()` starts it over. */
  randomSeed?: number | undefined;
  /** What endpoints with an undocumented response send: a `{ message }` body, an empty 200, or 204. @default 'message' */
  voidResponses?: 'message' | 'empty' | 'no-content' | undefined;
  /** Largest accepted request body. @default 52428800 */
  maxBodyBytes?: number | undefined;
  /** Most recent requests kept in `requests` (a whole number; 0 keeps none). @default 10000 */
  maxRequestLog?: number | undefined;
  /** The bodies `requests` keeps, in bytes in all; past it the oldest entries' bodies become
   * `{ dropped: true, size }` (the entries stay). @default 67108864 */
  maxRequestLogBytes?: number | undefined;
  /**
   * Host names, besides `127.0.0.1`, `localhost` and `*.localhost`, that a request's `Host` (and a
   * page's `Origin` at the control API) may name; others get 403 (a guard against DNS rebinding).
   * @default []
   */
  allowedHosts?: readonly string[] | undefined;
  /**
   * How dates are written: `'dotnet'` is the API's mixed .NET forms (some without a zone, which
   * `new Date()` reads as local time; see the sandbox README), `'iso'` is `toISOString()` for every
   * date that is set ("not set", a ticket's `close` while it is open, stays `0001-01-01T00:00:00`).
   * @default 'dotnet'
   */
  dateFormat?: 'dotnet' | 'iso' | undefined;
  /** Overrides of the unverified rules; see {@link SandboxRules}. */
  rules?: SandboxRules | undefined;
  /** Also create generated tickets (after the seed's own): many tickets over many months. */
  generateTickets?: SandboxGenerateTickets | undefined;
}

/**
 * Generated tickets of the first department: `open` spread over `[since, until]` (2% exactly on a
 * month start), every state, some active over several months, none after `until`. Deterministic.
 */
export interface SandboxGenerateTickets {
  /** How many (0…1,000,000). */
  count: number;
  /** A `Date`, epoch ms, ISO-8601 or `dd/MM/yyyy HH:mm:ss:ff`. */
  since: Date | number | string;
  /** A `Date`, epoch ms, ISO-8601 or `dd/MM/yyyy HH:mm:ss:ff`; after `since`. */
  until: Date | number | string;
  /** Random seed: the same options give the same tickets. @default 1 */
  seed?: number | undefined;
}

/** One request the sandbox received. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, text, or the raw bytes (multipart, binary); `undefined` without a body. */
  body: unknown;
  /** Epoch ms when it arrived, by the sandbox's clock (the `now` option). */
  time: number;
  /** The status sent; `undefined` while unanswered. */
  status: number | undefined;
  /** `true` when a fault left it unanswered on purpose (`hangRate`, `hangNext`). */
  hung?: boolean;
}

/** One webhook delivery attempt. */
export interface SandboxWebhookDelivery {
  key: string | undefined;
  url: string;
  attempt: number;
  /** Epoch ms when the attempt started, by the sandbox's clock (`now`), as a request's `time`. The
   * `X-Glassix-Auth-Date` header it sent is the real time. */
  time: number;
  status: number | null;
  error: string | null;
  ok: boolean;
}

/**
 * `handle.state`: the sandbox's live in-memory model, for tests that look behind the API (a
 * ticket's stored dates, a user's status log) or set something up directly. These are the stored
 * records, not API replies: dates are epoch ms, users keep their departments in `memberships`,
 * and `renderTicket` / `snapshot` give the API's forms. Changing a record changes what the
 * sandbox answers. `reset()` reloads the seed into new maps (read them from `state` again); the
 * `state` object itself stays. Internal: the shape may change between versions.
 */
export interface SandboxState {
  /** By lower-case GUID. */
  readonly departments: Map<string, SandboxStateDepartment>;
  /** Every user of the workspace, by lower-case GUID. */
  readonly users: Map<string, SandboxStateUser>;
  /** Every contact (of every department), by lower-case GUID. */
  readonly contacts: Map<string, SandboxStateContact>;
  /** Every ticket (of every department), by id. */
  readonly tickets: Map<number, SandboxStateTicket>;
  /** By id. */
  readonly cannedReplies: Map<number, SandboxStateCannedReply>;
  /** Uploaded files (`files/upload`), by the id in their URL. */
  readonly files: Map<string, SandboxStateFile>;
  /** The queued webhook events, oldest first (`handle.events()` reads them). */
  readonly events: Array<{ departmentId: string; event: PolledWebhookEvent }>;
  /** `protocols/send` messages, oldest first. */
  readonly nonTicketMessages: SandboxStateProtocolMessage[];
  /** The ticket as `tickets/get` answers it (`transactions: false`: as `tickets/list` does). */
  renderTicket(ticket: SandboxStateTicket, options?: { transactions?: boolean | undefined }): Ticket;
  /** Everything as plain JSON, as `GET /__sandbox/state` answers it. */
  snapshot(): SandboxStateSnapshot;
}

/** A department as the sandbox stores it. */
export interface SandboxStateDepartment {
  id: string;
  name: string;
  apiSecret: string;
  online: boolean;
  /** Per protocol: `false` answers `tenants/isonline` offline for it. */
  onlineProtocols: Record<string, boolean>;
  /** Per protocol: the department's numbers or addresses (`protocols/send`'s `from`). */
  channels: Record<string, string | string[]>;
  tags: Array<{ Name: string; Color: string; ParentTags: string[]; IsDeleted: boolean }>;
}

/** A user as the sandbox stores it: one record for every department it is in. */
export interface SandboxStateUser {
  id: string;
  UserName: string;
  type: UserType;
  gender: Gender;
  culture: string;
  isAnonymous: boolean;
  fullName: string;
  shortName: string;
  jobTitle: string;
  status: UserStatus;
  doNotDisturb: boolean;
  /** By department id: what differs per department. */
  memberships: Map<string, { uniqueArgument: string; roles: Role[] }>;
  /** Every status the user has had, oldest first (`t`: epoch ms). */
  statusLog: Array<{ t: number; status: UserStatus; dnd: boolean }>;
}

/** A contact as the sandbox stores it (dates in epoch ms). */
export interface SandboxStateContact {
  id: string;
  /** The department it belongs to (`rules.contactScope`). */
  departmentId: string;
  name: string;
  identifiers: Array<{
    id: number; contactId: string; identifierType: IdentifierType; identifier: string; lastAccessed: number;
    isVerified: boolean; isDeleted: boolean; isScrambled: boolean;
  }>;
  uniqueArgument: string;
  imageFileIdentifier: string;
  imageUri: string | null;
  creationDateTime: number;
  updateDateTime: number;
  isDeleted: boolean;
  isScrambled: boolean;
  tags: string[];
}

/** A participant of a stored ticket (the API's 12 keys, every one set). */
export interface SandboxStateParticipant {
  id: number;
  name: string;
  displayName: string;
  type: ParticipantType;
  protocolType: ProtocolType;
  subProtocolType: SubProtocolType;
  identifier: string;
  departmentIdentifier: string;
  isActive: boolean;
  isDeleted: boolean;
  contactId: string;
  userName: string;
}

/** A transaction of a stored ticket: `time` in epoch ms where the API writes `dateTime`. */
export interface SandboxStateTransaction {
  guidTransactionId: string;
  id: number;
  time: number;
  fromProtocolType: ProtocolType;
  type: TransactionType;
  /** `null` when not given (written per `rules.unsetContent`). */
  text: string | null;
  html: string | null;
  status: string;
  fromParticipant: SandboxStateParticipant | null;
  attachments: Attachment[];
  payload: unknown;
}

/**
 * A ticket as the sandbox stores it: dates in epoch ms (`close` and the first/last message and
 * allocation times `null` when not set), the owner as `ownerId`, and a few records the API does
 * not show (survey links, the phone call, interactive documents).
 */
export interface SandboxStateTicket {
  id: number;
  departmentId: string;
  field1: string; field2: string; field3: string; field4: string; field5: string;
  field6: string; field7: string; field8: string; field9: string; field10: string;
  culture: string;
  ticketType: TicketType;
  tags: string[];
  /** The owner's user id; `null` in the queue. */
  ownerId: string | null;
  state: TicketState;
  open: number;
  close: number | null;
  lastActivity: number;
  uniqueArgument: string;
  details: TicketDetails;
  primaryProtocolType: ProtocolType;
  movedToTicketId: number;
  movedToDepartmentId: string;
  movedFromTicketId: number;
  movedFromDepartmentId: string;
  firstCustomerMessageDateTime: number | null;
  firstAgentMessageDateTime: number | null;
  lastCustomerMessageDateTime: number | null;
  lastAgentMessageDateTime: number | null;
  firstAgentAllocationTimestamp: number | null;
  lastAgentAllocationTimestamp: number | null;
  firstAgentMessageUserId: string | null;
  agentMediaCount: number;
  customerMediaCount: number;
  agentMessagesCount: number;
  customerMessagesCount: number;
  agentCannedRepliesCount: number;
  botConversationId: string;
  botConversations: unknown[];
  isIncoming: boolean;
  isScrambled: boolean;
  wasClosedAutomatically: boolean;
  participants: SandboxStateParticipant[];
  /** In the order added. */
  transactions: SandboxStateTransaction[];
  dynamicParameters: unknown[];
  botConversationSteps: unknown[];
  /** `t`: when it was last set, epoch ms. */
  ticketSummary: { userId: string; t: number | null; value: string } | null;
  nestedTicketsIds: number[];
  parentNestedTicketId: number;
  /** The id the next participant gets. */
  nextParticipantId: number;
  /** `generatesurveylink`'s links (their page is `/survey/{token}`). */
  surveyLinks: Array<{ token: string; surveyId: number; participantId: number }>;
  /** `phonecalls/*` (times in epoch ms); `null` before any. */
  phoneCall: { started: number | null; ended: number | null; audioUri: string | null } | null;
  /** `interactivedocuments/send`'s documents; absent before the first. */
  documents?: Array<{
    id: number; ticketId: number; baseTemplateId: unknown; shouldLockDocument: boolean; fields: unknown[];
    status: string; uri: string;
  }> | undefined;
}

/** A canned reply as the sandbox stores it (with its department). */
export interface SandboxStateCannedReply {
  id: number;
  departmentId: string;
  title: string;
  text: string;
  html: string;
  rank: number;
  autoTags: string[];
  categoryName: string;
  /** `null` when left out under `rules.cannedReplyDefaults: 'null'`. */
  culture: string | null;
  isPublished: boolean | null;
  isSuggested: boolean | null;
  isIncludedInAgentSuggestions: boolean | null;
  attachments: unknown[];
}

/** An uploaded file. */
export interface SandboxStateFile {
  id: string;
  /** The file name it was uploaded with. */
  name: string;
  /** The multipart field it came in. */
  fieldName: string;
  contentType: string;
  /** The bytes (a Node `Buffer`). */
  data: Uint8Array;
  departmentId: string;
  /** Epoch ms. */
  createdAt: number;
}

/** A `protocols/send` message as stored: `time` in epoch ms where the API writes `dateTime`. */
export interface SandboxStateProtocolMessage {
  text: string | null;
  html: string | null;
  protocolType: ProtocolType;
  attachmentUris: string[] | null;
  from: string;
  to: string;
  time: number;
  providerMessageId: string;
  departmentId: string;
  status: string;
  files: string[] | null;
  serviceProvider: number;
}

/** `state.snapshot()` and `GET /__sandbox/state`: the state as plain JSON, dates as the API writes them. */
export interface SandboxStateSnapshot {
  departments: SandboxStateDepartment[];
  /** The API's User (its first department's roles and argument) with every membership. */
  users: Array<User & { memberships: Array<{ departmentId: string; uniqueArgument: string; roles: Role[] }> }>;
  contacts: Array<Contact & { departmentId: string }>;
  tickets: Ticket[];
  cannedReplies: Array<CannedReply & { departmentId: string }>;
  events: Array<{ departmentId: string; event: PolledWebhookEvent }>;
  files: Array<{ id: string; name: string; contentType: string; size: number }>;
  nonTicketMessages: ProtocolMessage[];
}

/** A running sandbox. */
export interface Sandbox {
  /** The API root, e.g. `http://127.0.0.1:41234/api/v1.2` (pass it as `baseUrl`). */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  readonly apiVersion: string;
  /** The `dateFormat` in use. */
  readonly dateFormat: 'dotnet' | 'iso';
  /** The rules in force (a copy). */
  readonly rules: SandboxRuleState;
  readonly credentials: SandboxCredentials;
  /** Every request received, oldest first (at most `maxRequestLog`). */
  readonly requests: SandboxRequest[];
  /** The sandbox's live in-memory model (internal; the shape may change): see {@link SandboxState}. */
  readonly state: SandboxState;
  /** Every webhook delivery attempt. */
  readonly webhookDeliveries: SandboxWebhookDelivery[];
  /** The faults in force: a copy at each read (writing to it changes nothing; use `setFaults`). */
  readonly faults: SandboxFaultState;
  /** Where webhooks go (`null`: nowhere). */
  readonly webhookUrl: string | null;
  /** Merges `faults` into the faults in force; returns them. Unknown keys throw. */
  setFaults(faults: SandboxFaults): SandboxFaultState;
  /** Points webhook delivery elsewhere (`null` / `''` stops it), until `reset()` restores the start-up `webhookUrl`. */
  setWebhookUrl(url: string | null | undefined): void;
  /** Issues an access token without an HTTP call (default: the credentials' user and department). */
  issueToken(userName?: string, departmentId?: string): string;
  /** The webhook events raised so far (of one department, if given). */
  events(departmentId?: string): PolledWebhookEvent[];
  /** Resolves when no webhook event is still to come: no protocol status still scheduled, no
   * delivery in flight or waiting for a retry (`reset()` and `close()` resolve it). */
  webhooksIdle(): Promise<void>;
  /**
   * Back to the start for the next test: ends the requests not yet answered (waiting on latency or
   * hung: the client sees a network error; none of them reaches the new state), cancels protocol
   * statuses still to come, drops webhook retries and abandons POSTs in flight; then reloads the
   * seed and restores the start-up faults, `webhookUrl` and `randomSeed` generator, with empty
   * request and delivery logs. Tokens stay valid unless `{ tokens: true }`.
   * @throws {TypeError} for an unknown option (`{ token: true }`) or a `tokens` that is not a boolean, before anything is reset.
   */
  reset(options?: { tokens?: boolean | undefined }): void;
  /** Stops the server, ending hung requests and pending deliveries. */
  close(): Promise<void>;
  /** `close()`, for `await using sb = await startSandbox()` (TypeScript 5.2+, with `lib` `esnext.disposable` or `@types/node`). */
  [Symbol.asyncDispose](): Promise<void>;
}

declare global {
  // (as @types/node and TypeScript's lib esnext.disposable declare it: `Sandbox` names it under any `lib`)
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * Starts a sandbox on 127.0.0.1.
 * @example
 * const sb = await startSandbox();
 * const client = new GlassixClient({ baseUrl: sb.baseUrl, ...sb.credentials });
 * // …
 * await sb.close();
 */
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

/** `dd/MM/yyyy HH:mm:ss:ff` in UTC. @throws {TypeError} for an invalid date. */
export declare function formatGlassixDate(date: Date | number): string;
/** `dd/MM/yyyy` in UTC (the `users/statuslogs` format). @throws {TypeError} for an invalid date. */
export declare function formatGlassixDay(date: Date | number): string;
/** Parses `dd/MM/yyyy HH:mm:ss:ff` (UTC; also `dd/MM/yyyy HH:mm:ss` with `allowNoHundredths`,
 * `dd/MM/yyyy` with `allowDateOnly`, and only `dd/MM/yyyy` with `dateOnly` too); `null` when it
 * does not match. */
export declare function parseGlassixDate(str: string, options?: { allowDateOnly?: boolean | undefined; allowNoHundredths?: boolean | undefined; dateOnly?: boolean | undefined }): Date | null;

/** The signature headers Glassix puts on a webhook POST (a type alias, so it fits `HeadersLike`). */
export type WebhookSignatureHeaders = {
  'X-Hub-Signature': string;
  'X-Glassix-Auth-Date': string;
  'X-Glassix-Auth-Signature': string;
};

/**
 * Signs a webhook body as Glassix does (HMAC-SHA1 with the API secret).
 * @param date the `X-Glassix-Auth-Date` value. @default new Date().toUTCString()
 */
export declare function signWebhook(secret: string, rawBody: string | Uint8Array, date?: string): WebhookSignatureHeaders;

/** The seed used when `options.seed` is not given (frozen). */
export declare const DEFAULT_SEED: Readonly<SandboxSeed>;
/** The credentials used when neither options nor seed give them (frozen). */
export declare const DEFAULT_CREDENTIALS: Readonly<SandboxCredentials>;
/** The faults in force by default: none (frozen). */
export declare const DEFAULT_FAULTS: Readonly<SandboxFaultState>;
/** The default of every rule (frozen). */
export declare const DEFAULT_RULES: SandboxRuleState;
