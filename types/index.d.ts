// Type definitions for glassix-wasm: the CommonJS entry (`require('glassix-wasm')` → pkg/index.cjs).
//
// `module.exports` is the GlassixClient class itself; everything else hangs off it as a static
// (`GlassixClient.GlassixError`, `.formatDate`, `.verifyWebhook`, `.parseWebhook`, `.default`,
// `.GlassixClient`). That is modelled as a class merged with a namespace behind `export =`, so all
// of these type-check:
//
//   const GlassixClient = require('glassix-wasm');                 // JS
//   import GlassixClient = require('glassix-wasm');                // TS, CommonJS
//   import GlassixClient, { GlassixError, type Ticket } from 'glassix-wasm';
//
// The ES-module entries (pkg/index.mjs, pkg/browser.mjs) are typed by ./index.d.mts, which
// re-exports the declarations below; keep its name list in step (scripts/typecheck.mjs checks).
//
// Conventions
// - Response models: identity fields (`id`, and `state` / `type` where they discriminate) are
//   required; every other field is optional, because the API's responses are only partly
//   documented and fields are often absent or null.
// - Enumerations are string-literal unions; where the API's list is open or unproven the union
//   is widened with `(string & {})`, which keeps editor completion but accepts other strings.
// - Bodies whose shape nobody has seen are `unknown` (never `any`): the client resolves with the
//   parsed JSON, a string for text responses, or `null` for an empty body.
// - Every method's options argument (the optional last one) is `RequestOptions`.
// - No DOM or @types/node is needed: `AbortSignal`, `FormData` and `fetch` fall back to small
//   structural types when the project has no such globals.

/**
 * The Glassix REST API client. Drop-in for glassix-js (`glassix` on npm): same constructor
 * forms, same resource groups and method names, same requests on the wire.
 *
 * Every method resolves with the response body and rejects with a {@link GlassixClient.GlassixError}
 * (check `err.kind`; `err.code` / `err.status` hold the HTTP status as in glassix-js).
 *
 * @example
 * const client = new GlassixClient({ workspace: 'acme', apiKey, apiSecret, userName: 'api@acme.com' });
 * const ticket = await client.tickets.get(160000001);
 */
declare class GlassixClient {
  /**
   * Creates a client from an options object (the glassix-js form since 2023-07-31). Needs a
   * `workspace` (or `baseUrl`) and either `apiKey` + `apiSecret` + `userName` or an
   * `accessToken` / `getAccessToken`.
   * @throws {GlassixClient.GlassixError} `kind: 'invalid_argument'` for a missing or malformed option.
   */
  constructor(options: GlassixClient.ClientOptions);
  /**
   * The glassix-js README's positional form:
   * `new GlassixClient(workspace, apiKey, apiSecret, apiVersion, userName, domain)`.
   * Pass `undefined` as `apiVersion` for the default `'1.2'`; `userName` is required.
   * @throws {GlassixClient.GlassixError} `kind: 'invalid_argument'` for a missing or malformed argument.
   */
  constructor(
    workspace: string,
    apiKey: string,
    apiSecret: string,
    apiVersion: string | number | undefined,
    userName: string,
    domain?: string,
  );

  // <generated:members>
  /** Tickets: create, read, list, message, state, fields, tags, notes, PDF/HTML export. */
  readonly tickets: GlassixClient.TicketsResource;
  /** Users of the department (the token's user for the `set*` / `update` calls). */
  readonly users: GlassixClient.UsersResource;
  /** The very same object as {@link GlassixClient.users} (`client.user === client.users`): the glassix-js README's spelling. */
  readonly user: GlassixClient.UsersResource;
  /** Department-level data: business-hours status and the tag list. */
  readonly tenants: GlassixClient.TenantsResource;
  /** Contacts (ids are GUID strings). */
  readonly contacts: GlassixClient.ContactsResource;
  /** Canned replies of the department. */
  readonly cannedReplies: GlassixClient.CannedRepliesResource;
  /** Interactive documents sent into a ticket. */
  readonly interactiveDocuments: GlassixClient.InteractiveDocumentsResource;
  /** Non-ticket ("protocol") messages, e.g. WhatsApp templates to a number. */
  readonly protocols: GlassixClient.ProtocolsResource;
  /** Phone-call events of a ticket (the first argument is a ticket id). */
  readonly phoneCalls: GlassixClient.PhoneCallsResource;
  /** File upload. */
  readonly files: GlassixClient.FilesResource;
  /** Polled webhook events, delivery verification and an at-least-once consumer. */
  readonly webhooks: GlassixClient.WebhooksResource;
  /**
   * Requests an access token: `POST /token/get` with the client's apiKey and apiSecret, for
   * `userName` (default: the client's own user). A token for another user never changes who
   * this client acts as. Needs apiKey, apiSecret and userName. With a `getAccessToken` or a
   * `store`, the client's own user's token comes from it (`{ access_token }` for a string).
   * @see https://docs.glassix.com/reference/access-token
   */
  getToken(userName?: string | null, options?: GlassixClient.TokenOptions): Promise<GlassixClient.TokenResponse>;
  /**
   * Any endpoint by its HTTP method and its path under the API root (one this client has
   * no method for), with the client's token, limits, retries and errors:
   * `request('GET', '/tickets/get/1')`. `options` takes `query` (an object of query values)
   * and `body` (an object or array, sent as JSON, or a FormData) besides the per-call
   * options. Resolves with the body: JSON as its value, text as a string, any other type
   * as a `Uint8Array`, an empty body as `null`. A POST is never sent again after a 5xx.
   */
  request<T = unknown>(method: GlassixClient.HttpMethod, path: string, options?: GlassixClient.RawRequestOptions): Promise<T>;
  // </generated:members>

  /** What `JSON.stringify(client)` shows: the API root, never a credential (`util.inspect(client)` shows no field at all). */
  toJSON(): { baseUrl: string };
}

declare namespace GlassixClient {
  // `require('glassix-wasm').default` and `.GlassixClient` are the class itself.
  export { GlassixClient as default, GlassixClient };

  // ───────────────────────────── errors ─────────────────────────────

  /**
   * What went wrong:
   * - `http`: the API answered with a non-2xx status (`status`, `body`, maybe `retryAfter`);
   * - `network`: no response (connection refused/reset, DNS, no `fetch`);
   * - `timeout`: an attempt took longer than `timeout` ms;
   * - `aborted`: the caller's `signal` fired (`cause` is the abort reason);
   * - `invalid_argument`: rejected before anything was sent (bad id, missing option, …);
   * - `parse`: a 2xx response that could not be read (bad JSON, bad `paging.next`, …).
   */
  export type GlassixErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'invalid_argument' | 'parse';

  /** The second argument of `new GlassixError(message, fields)`. */
  export interface GlassixErrorFields {
    kind?: GlassixErrorKind | undefined;
    status?: number | undefined;
    body?: unknown;
    retryAfter?: number | undefined;
    cause?: unknown;
  }

  /**
   * Every failure of a GlassixClient call. `code` and `status` are the HTTP status (glassix-js
   * code checks `err.code`); `kind` says what went wrong.
   *
   * @example
   * try { await client.tickets.get(id); }
   * catch (err) {
   *   if (err instanceof GlassixError && err.kind === 'http' && err.status === 404) { … }
   * }
   */
  export class GlassixError extends Error {
    constructor(message?: string, fields?: GlassixErrorFields);
    /** `'GlassixError'`; a subclass of yours may name itself. */
    name: 'GlassixError' | (string & {});
    /** What went wrong (see {@link GlassixErrorKind}). */
    kind: GlassixErrorKind;
    /** The HTTP status, as glassix-js set it; `undefined` when there was no response. */
    code: number | undefined;
    /** The HTTP status; `undefined` when there was no response. */
    status: number | undefined;
    /** The response body: parsed JSON, text (whatever its content type), or `undefined`. */
    body: unknown;
    /** Seconds the server asked to wait (`Retry-After` of a 429, a 503 or any error status), when it said. */
    retryAfter?: number;
    /** The underlying error (network failure, abort reason, JSON error, …). */
    cause?: unknown;
    /** What `JSON.stringify(err)` writes: its name, message, stack and fields (not its cause). */
    toJSON(): { name: string; message: string; stack?: string; kind: GlassixErrorKind; code: number | undefined; status: number | undefined; body: unknown; retryAfter?: number };
  }

  // ───────────────────────────── standalone helpers ─────────────────────────────

  /**
   * Formats a date as Glassix expects it in `tickets.list` and phone-call bodies:
   * `dd/MM/yyyy HH:mm:ss:ff` in UTC (`ff` = hundredths of a second).
   * @param date a `Date` or epoch milliseconds
   * @throws {GlassixError} `kind: 'invalid_argument'` for an invalid date.
   */
  export function formatDate(date: Date | number): string;

  /**
   * Whether a webhook delivery is signed with `apiSecret`: `X-Hub-Signature` (HMAC-SHA1 of the
   * raw body) must be present and verify, and `X-Glassix-Auth-Signature` (HMAC-SHA1 of
   * `X-Glassix-Auth-Date`, which must be within `toleranceMs` of now), when present, too. The
   * date's signature alone proves nothing about the body. Neither stops a replay: de-duplicate
   * by the events' `key`. Comparison is constant-time.
   * @param rawBody the request body exactly as received, best as bytes (a string is hashed as
   *   UTF-8: text decoded by a framework has lost a byte order mark or invalid bytes)
   * @param headers a `Headers`, a plain object, Node's `req.headers`, or anything whose
   *   `get(name)` answers case-insensitively (names case-insensitive; an empty value is none)
   * @throws {GlassixError} `kind: 'invalid_argument'` when `rawBody` is not raw bytes/text or
   *   `apiSecret` is empty; a wrong signature returns `false`, it does not throw.
   * @see https://docs.glassix.com/docs/validate-outbound-webhooks-and-api
   */
  export function verifyWebhook(rawBody: RawBody, headers: HeadersLike, apiSecret: string, options?: VerifyOptions | null): boolean;

  /**
   * Parses a webhook delivery into its events: always an array, whether the body held one
   * event object or an array of them.
   * @throws {GlassixError} `kind: 'parse'` for a body that is not JSON, or not an object or an array of objects (an empty body included).
   * @see https://docs.glassix.com/reference/events
   */
  export function parseWebhook(rawBody: RawBody): WebhookEvent[];

  // ───────────────────────────── client options ─────────────────────────────

  /**
   * Options of `new GlassixClient(options)`: the common options, plus where the API is
   * ({@link WorkspaceLocation} or {@link BaseUrlLocation}) and how the client authenticates
   * ({@link CredentialsAuth}, {@link AccessTokenAuth} or {@link TokenProviderAuth}).
   */
  export type ClientOptions = CommonClientOptions &
    (BaseUrlLocation | WorkspaceLocation) &
    (TokenProviderAuth | AccessTokenAuth | CredentialsAuth);
  // (Member order matters for error messages only: on a tie TypeScript reports against the last
  // member, and "workspace is missing" / "apiKey, apiSecret, userName are missing" are the most
  // useful hints.)

  /** The API is at `https://{workspace}.{domain}/api/v{apiVersion}`. */
  export interface WorkspaceLocation {
    /** The sub-domain of the Glassix URL: `acme` for `https://acme.glassix.com`. */
    workspace: string;
  }

  /** The API is at `baseUrl` (when `workspace` is given too, `baseUrl` wins). */
  export interface BaseUrlLocation {
    /**
     * An origin (`https://acme.glassix.com`; `/api/v{apiVersion}` is appended) or a full API
     * root (`http://127.0.0.1:8080/api/v1.2`, used as given). Overrides workspace/domain.
     */
    baseUrl: string;
  }

  /** Authenticate with API credentials: the client gets and refreshes tokens itself. */
  export interface CredentialsAuth {
    /** The API key (a GUID; also the department id). */
    apiKey: string;
    /** The API secret. Never use it in a browser (see `dangerouslyAllowBrowser`). */
    apiSecret: string;
    /** E-mail of the Glassix user the client acts as (ideally a dedicated API user). */
    userName: string;
    /** A pre-issued token to use until it is rejected. */
    accessToken?: string | undefined;
    /** A token source, asked when a token is needed. */
    getAccessToken?: AccessTokenProvider | undefined;
  }

  /** Authenticate with a token issued elsewhere (e.g. by your server, for a browser). */
  export interface AccessTokenAuth {
    /** A pre-issued bearer token (from `POST /token/get`). */
    accessToken: string;
    /** Asked for a new token when `accessToken` is rejected or expires. */
    getAccessToken?: AccessTokenProvider | undefined;
    /** Only used by `getToken()`, which also needs apiKey and apiSecret. */
    userName?: string | undefined;
    apiKey?: undefined;
    apiSecret?: undefined;
  }

  /** Authenticate with a callback that returns tokens issued elsewhere. */
  export interface TokenProviderAuth {
    /** Asked whenever the client needs a (new) token; called once for concurrent calls. */
    getAccessToken: AccessTokenProvider;
    accessToken?: string | undefined;
    userName?: string | undefined;
    apiKey?: undefined;
    apiSecret?: undefined;
  }

  /**
   * Returns a bearer token: a string (kept until the API rejects it) or a token response whose
   * `expires_in` / `expiresIn` (seconds) lets the client refresh early. After a 401 it is called
   * with the token the API rejected (otherwise with `undefined`), so a shared cache can drop it.
   * When given together with apiKey/apiSecret, it is what the client's calls use. `signal` fires
   * when no call waits for the token any more (every one that asked for it gave up): a provider
   * may stop then, and what it resolves with after that is still cached.
   */
  export type AccessTokenProvider = (rejected: string | undefined, signal: AbortSignalType) => string | TokenLike | PromiseLike<string | TokenLike>;

  /** A token as `getAccessToken` may return it (`POST /token/get`'s response fits). */
  export type TokenLike = { access_token: string; expires_in?: number } | { accessToken: string; expiresIn?: number };

  /** Options every `ClientOptions` variant accepts. */
  export interface CommonClientOptions {
    /** API version, `'1.2'` or `'v1.2'` (or `1.2`). @default '1.2' */
    apiVersion?: string | number | undefined;
    /** Domain after the workspace; `localhost[:port]` switches to http. @default 'glassix.com' */
    domain?: string | undefined;
    /** Extra headers on every API call (not on `POST /token/get`); numbers and booleans are sent as written, `undefined` values are skipped. A `Content-Type` here is not sent: every body carries its own; nor are `Content-Length`, `Transfer-Encoding`, `Keep-Alive`, `Upgrade` and `Expect` (the runtime frames the request), nor `Host` (the API's is sent). */
    headers?: Record<string, string | number | boolean | undefined> | undefined;
    /** The fetch implementation. @default globalThis.fetch */
    fetch?: FetchLike | undefined;
    /** Milliseconds per attempt before it fails with `kind: 'timeout'`; `Infinity` for none. @default 60000 */
    timeout?: number | undefined;
    /**
     * Retries per call: of a 429, and for non-POST calls but `tickets.setDepartment` (each call
     * copies the ticket) of 502/503/504, network errors and timeouts; a `Retry-After` of up to 60 s is waited out (one longer rejects at once). (A 401
     * is retried once with a new token when the client can get one: not with `accessToken` alone.)
     * @default 2
     */
    maxRetries?: number | undefined;
    /** Allow `apiSecret` in a browser, where every visitor can read it (without it, a client in a
     * browser needs `accessToken` or `getAccessToken`). @default false */
    dangerouslyAllowBrowser?: boolean | undefined;
    /** At most this many API calls in flight at once. @default Infinity */
    maxConcurrency?: number | undefined;
    /**
     * Client-side pacing: at most `requests` calls per `perMs` milliseconds, or a function the
     * client awaits before each attempt, called with the call's `AbortSignal` if it has one
     * (the token request's: one that fires when no call waits for the token any more; e.g. a
     * shared limiter's `acquire`). If the function resolves with a function, that is
     * called as the response's headers come (before its body is read), with its status, its
     * `Retry-After` in seconds and how many ms ago its headers arrived (all `undefined` when the
     * attempt ended without a response).
     */
    rateLimit?: RateLimitOption | undefined;
    /**
     * Shares the token, the rate window and the 429 pause with every client (in any process)
     * built with the same store: `createRedisStore(redis, { prefix })` from `glassix-wasm/redis`,
     * or your own {@link GlassixStore}.
     */
    store?: GlassixStore | undefined;
  }

  /** See {@link CommonClientOptions.rateLimit}. */
  export type RateLimitOption = { requests: number; perMs: number } | ((signal?: AbortSignalType) => unknown);

  /**
   * What a client calls on a shared store (see the README's "Many workers"). Two methods, each
   * over the store's own atomic operations:
   */
  export interface GlassixStore {
    /**
     * The token every client shares. When the store has none that is usable (none yet, expired,
     * or equal to `rejected`, the token the API just refused), exactly one client in the fleet
     * calls `fetch()` (`POST /token/get` with its credentials) and stores what it resolves with;
     * the others wait for it (calls wait at most the client's `timeout` plus 61 s plus `perMs` for it).
     * Resolves with the token response (or the token string); a token
     * held from earlier with `expires_in` cut to what is left of its lifetime (the client
     * refreshes from it).
     * Each attempt of the token request `fetch()` sends first asks `acquire` for a place (it
     * waits as long as that takes). `signal` fires when no call of the client
     * waits for the token any more: a store should then stop waiting and not call `fetch()` (one
     * already called goes on: its token is the fleet's). `holder` is whom the token is for, the
     * client's origin, user name (lowercased) and department (16 hex digits of an HMAC of the API
     * key; no credential): never hand one holder's token to a client of another (it would go to
     * another origin, or act as another user or in another department).
     */
    token(fetch: () => Promise<TokenResponse>, rejected?: string, signal?: AbortSignalType, holder?: string): PromiseLike<string | TokenLike>;
    /**
     * Resolves when an attempt may start: no 429 pause is running, and (with a `window`) fewer
     * than `window.requests` attempts of the fleet hold a place in the window. Resolves with the
     * attempt's `done(status, retryAfter, ago)`, which the client calls as the response's headers
     * come, before its body is read, or when the attempt ended without any (`ago`: how many ms
     * ago its response headers arrived): the place then ages out
     * `window.perMs` after those headers, and a 429 with `Retry-After` pauses the fleet.
     * `status` undefined: no response came (the request may have arrived: the place counts);
     * `retryAfter` only up to 60 s (a longer one the client does not wait out).
     * `done()` with no arguments (`arguments.length` 0): nothing was sent; the place is given
     * back and must not count. `done` may be async: it is not awaited, and what it throws or
     * rejects with is ignored. Resolving with anything but a function or nothing rejects the
     * call (`invalid_argument`).
     * `signal`: the call's, when it has one (for the token request, one that fires once that
     * request has settled); once it fires, a waiter should stop waiting and take no place.
     * Called once per attempt as it comes (queued calls wait in `acquire` at once, at most
     * `maxConcurrency` of them; keeping them in order is the store's job), and no timeout counts
     * the wait: bound your own.
     */
    acquire(window: { requests: number; perMs: number } | null, signal?: AbortSignalType): PromiseLike<((status?: number, retryAfter?: number, ago?: number) => void | PromiseLike<void>) | void>;
  }

  /** Per-call options: the optional last argument of every resource method. */
  export interface RequestOptions {
    /** Aborts the call (rejects with `kind: 'aborted'`), including retries and waits. */
    signal?: SignalOption | null | undefined;
    /** Milliseconds per attempt for this call; overrides the client's `timeout`. */
    timeout?: number | undefined;
    /** Retries for this call; overrides the client's `maxRetries`. */
    maxRetries?: number | undefined;
    /** Extra headers for this call, on top of the client's `headers` (values as there; `Content-Type` and the framing headers are not sent). */
    headers?: Record<string, string | number | boolean | undefined> | undefined;
  }

  /** `client.request`'s HTTP method (any letter case at run time). */
  export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'get' | 'post' | 'put' | 'delete';

  /** `client.request`'s options: a call's, and what it sends. */
  export interface RawRequestOptions extends RequestOptions {
    /** Query values, written as every method's are: `Date`s `dd/MM/yyyy HH:mm:ss:ff` (UTC), arrays comma-joined, `null`, `undefined` and an empty array left out. */
    query?: Record<string, QueryValue> | null | undefined;
    /** Sent as JSON (an object or an array), or as multipart/form-data (a `FormData`). A GET takes none: one given is refused (`invalid_argument`), nothing sent. */
    body?: object | readonly unknown[] | FormDataType | null | undefined;
  }

  /**
   * `getToken`'s options: those of a call but `headers` (the token request carries none of the
   * caller's). `timeout` and `maxRetries` are the token request's when `getToken` makes it for
   * another user; the client's own user's token is the fetch calls share, under the client's own.
   */
  export interface TokenOptions {
    /** Stops waiting (rejects with `kind: 'aborted'`); the token request too when nothing else waits for it. */
    signal?: SignalOption | null | undefined;
    /** Milliseconds per attempt of another user's token request; overrides the client's `timeout`. */
    timeout?: number | undefined;
    /** Retries of another user's token request; overrides the client's `maxRetries`. */
    maxRetries?: number | undefined;
  }

  // ───────────────────────────── platform types ─────────────────────────────

  /** The global `AbortSignal` type when the project has one (DOM lib or @types/node). */
  export type AbortSignalType = typeof globalThis extends { AbortSignal: { prototype: infer T } } ? T : AbortSignalLike;
  /** The global `FormData` type when the project has one (DOM lib or @types/node). */
  export type FormDataType = typeof globalThis extends { FormData: { prototype: infer T } } ? T : FormDataLike;

  /**
   * What a `signal` option takes: an `AbortSignal`, or any object with a boolean `aborted` and an
   * `addEventListener` function (README: Retries, timeouts and cancellation).
   */
  export type SignalOption = AbortSignalType | SignalLike;

  /** A signal-like object: what the client reads of one (`reason` and `removeEventListener` when there). */
  export interface SignalLike {
    readonly aborted: boolean;
    readonly reason?: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener?(type: 'abort', listener: () => void): void;
  }

  /** What the client uses of an `AbortSignal` (stand-in for projects without DOM/Node types). */
  export interface AbortSignalLike {
    readonly aborted: boolean;
    readonly reason?: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }

  /** A `FormData` (stand-in for projects without DOM/Node types). */
  export interface FormDataLike {
    append(name: string, value: unknown, fileName?: string): void;
  }

  /**
   * What the client calls: `fetch(request)`, with one standard Fetch API `Request` per attempt
   * (method, URL, headers, body, `signal`, `redirect: 'manual'` all on it). The global `fetch`
   * fits, and so does any function that takes that `Request` and resolves with the runtime's own
   * `Response` (a logging wrapper around the global `fetch`, a test double reading `request.url`
   * and `request.headers`). It must resolve with a real `Response` (`instanceof Response`, the
   * global class); anything else rejects the call with kind `network`. So the `fetch` of the npm
   * `undici` package does not fit: its `Response` is another class (and it does not read the
   * global `Request`).
   */
  export type FetchLike = (request: RequestType) => PromiseLike<ResponseType>;

  /** The global `Request` type when the project has one (DOM lib or @types/node). */
  export type RequestType = typeof globalThis extends { Request: { prototype: infer T } } ? T : FetchRequestLike;
  /** The global `Response` type when the project has one (DOM lib or @types/node). */
  export type ResponseType = typeof globalThis extends { Response: { prototype: infer T } } ? T : FetchResponseLike;

  /** What a `Request` offers (stand-in for projects without DOM/Node types). */
  export interface FetchRequestLike {
    readonly url: string;
    readonly method: string;
    readonly headers: { get(name: string): string | null };
    readonly signal: AbortSignalType;
    readonly redirect: string;
    text(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }

  /** What the client reads of a `Response` (stand-in for projects without DOM/Node types). */
  export interface FetchResponseLike {
    readonly status: number;
    readonly type: string;
    readonly headers: { get(name: string): string | null };
    arrayBuffer(): PromiseLike<ArrayBuffer>;
  }

  /** Request headers as frameworks hand them over: `Headers`, a plain object, Node's `req.headers`. */
  export type HeadersLike =
    | { get(name: string): string | null | undefined }
    | Record<string, string | readonly string[] | undefined>;

  /** A raw request body: text, `Uint8Array` / Node `Buffer`, or `ArrayBuffer`. */
  export type RawBody = string | Uint8Array | ArrayBuffer;

  /** Options of `verifyWebhook` / `webhooks.verify`. */
  export interface VerifyOptions {
    /** How far `X-Glassix-Auth-Date` may be from `now`, in ms. @default 300000 */
    toleranceMs?: number | undefined;
    /** The time to check the date against. @default Date.now() */
    now?: number | Date | undefined;
  }

  // ───────────────────────────── ids, scalars ─────────────────────────────

  /** A ticket id: a positive integer, as a number or a decimal string (`160000001` or `'160000001'`). */
  export type TicketId = number | string;
  /** A contact id: a GUID string (`participant.contactId`). */
  export type ContactId = string;
  /** A GUID string, e.g. `0f8fad5b-d9cb-469f-a165-70867728950e`. */
  export type Guid = string;
  /**
   * An ISO-8601 date-time as the API sends it: .NET forms that differ from field to field, e.g.
   * `2018-11-25T14:17:57.4865353Z` (7 fraction digits), `2023-05-08T06:46:05Z` (no fraction) and
   * `2018-11-26T19:42:53.15` (**no zone**). All are UTC, but `new Date()` reads a date without a
   * zone as local time: append `Z` first when it has none. `0001-01-01T00:00:00` = not set.
   * @see https://docs.glassix.com/reference/ticket
   */
  export type DateTimeString = string;
  /** A date as Glassix takes it in requests: `dd/MM/yyyy HH:mm:ss:ff` (UTC), see `formatDate`. */
  export type GlassixDateString = string;
  /** A duration; the wire format is unproven (`"hh:mm:ss"` string per GlassixSharp, maybe a number). */
  export type Duration = string | number;

  // ───────────────────────────── enumerations ─────────────────────────────

  /**
   * Ticket state. `Undefined` is the zero value of GlassixSharp's `Ticket.State`; the API is not
   * known to send it, but a reader should not assume it never does.
   */
  export type TicketState = 'Open' | 'Closed' | 'Pending' | 'Snoozed' | 'Undefined';
  /** A state `tickets.setState` can set (`Snoozed` cannot be set there). */
  export type SettableTicketState = 'Open' | 'Closed' | 'Pending';
  /** Sort order of `tickets.list`. */
  export type SortOrder = 'ASC' | 'DESC';
  /** Channel. The docs' list plus GlassixSharp's additions; open. */
  export type ProtocolType =
    | 'SMS'
    | 'WhatsApp'
    | 'Mail'
    | 'Web'
    | 'FBmessenger'
    | 'WebViaSMS'
    | 'TelegramBot'
    | 'FacebookFeed'
    | 'InstagramFeed'
    | 'PhoneCall'
    | 'Viber'
    | 'AppleBusinessChat'
    | 'GoogleBusinessMessages'
    | 'GoogleBusinessReviews'
    | 'Undefined'
    | (string & {});
  /** E-mail recipient role of a participant. */
  export type SubProtocolType = 'Undefined' | 'MailTo' | 'MailCc' | 'MailBcc';
  /**
   * Participant type. `Undefined` is the zero value of GlassixSharp's `Participant.Type` (spelled
   * `Undefind` there).
   */
  export type ParticipantType = 'Client' | 'User' | 'System' | 'Undefined';
  /**
   * User type. The zero value of GlassixSharp's `User.Type` is `UNDEFINED` (upper case like the
   * others); `Undefined` is typed too, as the API's spelling is unknown. Neither is a type to
   * create a user with.
   */
  export type UserType = 'AGENT' | 'BOT' | 'API' | 'Undefined' | 'UNDEFINED';
  /** User status (`Break2`…`Break5` per GlassixSharp). */
  export type UserStatus = 'Online' | 'Offline' | 'Break' | 'Break2' | 'Break3' | 'Break4' | 'Break5';
  /** Gender of a user. */
  export type Gender = 'Undefined' | 'Male' | 'Female' | 'notApplicable';
  /** User role (`DataControler` is the API's spelling). Open. */
  export type Role =
    | 'MasterUser'
    | 'DepartmentAdmin'
    | 'SystemUser'
    | 'ReadOnly'
    | 'DataControler'
    | 'EmailSession'
    | 'webChat'
    | 'FaceBookMessenger'
    | 'FaceBookPosts'
    | 'SMSchat'
    | 'WhatsApp'
    | 'InstagramFeed'
    | 'PhoneCall'
    | 'InstagramDM'
    | 'Viber'
    | 'AppleBusinessChat'
    | (string & {});
  /** Contact identifier type. Open. */
  export type IdentifierType =
    | 'Undefined'
    | 'PhoneNumber'
    | 'MailAddress'
    | 'FacebookId'
    | 'InstagramId'
    | 'Web'
    | 'InstagramIGSID'
    | 'ClientViberID'
    | 'ClientAppleBusinessChatID'
    | 'ClientTwitterId'
    | 'ClientGoogleBusinessMessagesId'
    | 'ClientGoogleBusinessReviewerId'
    | 'TikTokId'
    | (string & {});
  /** Ticket type. Open. */
  export type TicketType = 'Regular' | 'Bot' | 'GlassixBot' | (string & {});
  /** Transaction (message/event) type. Open. */
  export type TransactionType = 'Message' | 'TicketOpened' | 'TicketClosed' | (string & {});
  /** Attachment type. Open. */
  export type AttachmentType =
    | 'Image'
    | 'Video'
    | 'Document'
    | 'File'
    | 'Solution'
    | 'InteractiveDocument'
    | 'Audio'
    | (string & {});
  /**
   * Webhook event type (`_event`). Only `TICKET_STATE_CHANGE` is confirmed by the docs; the
   * others come from GlassixSharp. Open.
   * @see https://docs.glassix.com/reference/events
   */
  export type WebhookEventType =
    | 'NEW_TICKET'
    | 'TICKET_STATE_CHANGE'
    | 'TICKET_OWNER_CHANGE'
    | 'NEW_MESSAGE'
    | 'USER_STATUS_CHANGE'
    | 'DOCUMENT_SIGNED'
    | 'NON_TICKET_MESSAGE_STATUS'
    | 'SURVEY_UPDATE'
    | (string & {});

  // ───────────────────────────── response models ─────────────────────────────

  /** `field1` … `field10` of a ticket: `field1` is the subject, the others are free or dynamic fields. */
  export interface TicketFields {
    /** The subject. */
    field1?: string | null | undefined;
    field2?: string | null | undefined;
    field3?: string | null | undefined;
    field4?: string | null | undefined;
    field5?: string | null | undefined;
    field6?: string | null | undefined;
    field7?: string | null | undefined;
    field8?: string | null | undefined;
    field9?: string | null | undefined;
    field10?: string | null | undefined;
  }

  /**
   * A ticket (conversation). `transactions` is absent in `tickets.list` results.
   * @see https://docs.glassix.com/reference/ticket
   */
  export interface Ticket extends TicketFields {
    id: number;
    state: TicketState;
    /** Equals the department's apiKey. */
    departmentId?: Guid;
    /** `en-US`, `he-IL`, … */
    culture?: string;
    ticketType?: TicketType;
    tags?: string[];
    /**
     * The owner, or `null` while the ticket waits in the queue. Often **partial**: the docs' ticket
     * and event samples show only `id`, `gender`, `UserName`, `culture`, `isAnonymous`,
     * `uniqueArgument` and `type`; for `fullName`, `roles`, `status`, … ask `users.getAll()`.
     */
    owner?: User | null;
    /** When the ticket was opened (UTC; see {@link DateTimeString} for the forms). */
    open?: DateTimeString;
    /** `0001-01-01T00:00:00` while open. */
    close?: DateTimeString | null;
    /** UTC, but the docs show it **without a zone** (`2018-11-27T16:42:53.15`): not for `new Date()` as is. */
    lastActivity?: DateTimeString;
    uniqueArgument?: string | null;
    details?: TicketDetails | null;
    primaryProtocolType?: ProtocolType;
    movedToTicketId?: number;
    movedFromTicketId?: number;
    movedToDepartmentId?: Guid;
    movedFromDepartmentId?: Guid;
    firstCustomerMessageDateTime?: DateTimeString | null;
    firstAgentMessageDateTime?: DateTimeString | null;
    lastCustomerMessageDateTime?: DateTimeString | null;
    lastAgentMessageDateTime?: DateTimeString | null;
    firstAgentAllocationTimestamp?: DateTimeString | null;
    lastAgentAllocationTimestamp?: DateTimeString | null;
    firstAgentMessageUserId?: Guid | null;
    agentAssignToResponseTimeGross?: Duration | null;
    agentAssignToResponseTimeNet?: Duration | null;
    queueTimeGross?: Duration | null;
    queueTimeNet?: Duration | null;
    firstAgentResponseTimeGross?: Duration | null;
    firstAgentResponseTimeNet?: Duration | null;
    agentResponseAverageTimeNet?: Duration | null;
    totalConversationTimeNet?: Duration | null;
    durationNet?: Duration | null;
    durationGross?: Duration | null;
    agentMediaCount?: number;
    customerMediaCount?: number;
    agentMessagesCount?: number;
    customerMessagesCount?: number;
    agentCannedRepliesCount?: number;
    transactionsCount?: number;
    botConversationId?: Guid | null;
    botConversations?: Guid[];
    isIncoming?: boolean;
    isScrambled?: boolean;
    wasClosedAutomatically?: boolean;
    participants?: Participant[];
    /** The messages and events; not included by `tickets.list`. */
    transactions?: Transaction[];
    dynamicParameters?: DynamicParameter[];
    botConversationSteps?: BotConversationStep[];
    ticketSummary?: TicketSummary | null;
    nestedTicketsIds?: number[];
    parentNestedTicketId?: number | null;
  }

  /** `ticket.details`. Other keys may appear. */
  export interface TicketDetails {
    userAgent?: string | null | undefined;
    /** Sic: the API's casing. */
    iPAddress?: string | null | undefined;
    location?: string | null | undefined;
    cardsPath?: string | null | undefined;
    source?: { title?: string | null; uri?: string | null } | null | undefined;
    externalLink?: string | null | undefined;
    isMobile?: boolean | undefined;
    identityTokenClaims?: Record<string, string> | null | undefined;
    referral?: TicketReferral | null | undefined;
    [key: string]: unknown;
  }

  /** `ticket.details.referral`: where the conversation came from (ads, stories, …). */
  export interface TicketReferral {
    utmParameters?: Record<string, string> | null;
    adId?: string | null;
    adTitle?: string | null;
    refData?: string | null;
    productId?: string | null;
    fbPostId?: string | null;
    instagramStoryId?: string | null;
    instagramStoryMediaUrl?: string | null;
    appleIntentId?: string | null;
    appleGroupId?: string | null;
    twitterRootTweetId?: string | null;
    tikTokVideoId?: string | null;
    tikTokCommentId?: string | null;
    whatsappHeadline?: string | null;
    whatsappBody?: string | null;
    whatsappSourceType?: string | null;
    whatsappSourceId?: string | null;
    whatsappSourceUrl?: string | null;
  }

  /** A bot-flow variable of a ticket. */
  export interface DynamicParameter {
    id?: Guid;
    flowId?: Guid;
    name?: string;
    strValue?: string | null;
    boolValue?: boolean | null;
    numValue?: number | null;
    intValue?: number | null;
    type?: 'String' | 'Number' | 'Boolean' | 'Location' | 'Attachment' | (string & {});
    description?: string | null;
    creationDatetime?: DateTimeString;
  }

  /** A bot step the ticket went through. */
  export interface BotConversationStep {
    departmentId?: Guid;
    botConversationId?: Guid;
    flowId?: Guid;
    flowVersion?: number;
    flowName?: string;
    stepType?: string;
    uniqueCardId?: string;
    cardFriendlyName?: string;
    visitDatetime?: DateTimeString;
  }

  /** `ticket.ticketSummary` (set by `tickets.setSummary`). */
  export interface TicketSummary {
    userId?: Guid;
    lastUpdateTimestamp?: DateTimeString | null;
    value?: string;
  }

  /**
   * A participant of a ticket. Note the lower-case `userName` (a {@link User} has `UserName`).
   * @see https://docs.glassix.com/reference/participant
   */
  export interface Participant {
    /** Id within the ticket (1, 2, 3, …); `setParticipantName` takes it. */
    id: number;
    type: ParticipantType;
    name?: string | null;
    /** Name shown to the customer. */
    displayName?: string | null;
    /** Only `Web` for `User` participants. */
    protocolType?: ProtocolType;
    subProtocolType?: SubProtocolType;
    /** Phone / e-mail / platform id of a customer; a GUID for users. */
    identifier?: string | null;
    /** The department-side number, address or page id. */
    departmentIdentifier?: string | null;
    isActive?: boolean;
    isDeleted?: boolean;
    /** The contact's GUID (`contacts.get`); empty GUID for agents. */
    contactId?: Guid;
    /** Agents only. */
    userName?: string | null;
  }

  /**
   * A message or event of a ticket.
   * @see https://docs.glassix.com/reference/transaction
   */
  export interface Transaction {
    id: number;
    guidTransactionId?: Guid;
    dateTime?: DateTimeString;
    fromProtocolType?: ProtocolType;
    type?: TransactionType;
    text?: string | null;
    html?: string | null;
    /** Aggregate delivery status, e.g. `Read`, `Delivered`. */
    status?: string | null;
    fromParticipant?: Participant | null;
    attachments?: Attachment[];
    payload?: unknown;
  }

  /**
   * A file of a transaction. `uri` is a pre-signed URL that expires after 3 hours.
   * @see https://docs.glassix.com/reference/attachment
   */
  export interface Attachment {
    id?: number;
    type?: AttachmentType;
    fileIdentifier?: string;
    originalFileName?: string | null;
    thumbnails?: string[];
    thumbnailsFileIdentifiers?: string[];
    uri?: string;
    isEmbedded?: boolean;
    sanitizationState?: 'Undefined' | 'Allowed' | 'Blocked' | 'Processing' | (string & {});
  }

  /**
   * A user (agent, bot or API user). Note the capitalised `UserName` key.
   * @see https://docs.glassix.com/reference/user
   */
  export interface User {
    id: Guid;
    /** The user's e-mail. Sic: capital U and N, unlike `Participant.userName`. */
    UserName: string;
    type?: UserType;
    gender?: Gender;
    culture?: string;
    isAnonymous?: boolean;
    uniqueArgument?: string | null;
    /** Not shown to customers. */
    fullName?: string | null;
    /** Shown to customers. */
    shortName?: string | null;
    jobTitle?: string | null;
    status?: UserStatus;
    roles?: Role[];
  }

  /**
   * `users.getStatus()`. The key casing is unproven (GlassixSharp reads `Status` and `_Status`
   * case-insensitively), so both spellings are typed.
   */
  export interface UserStatusResponse {
    Status?: UserStatus | (string & {});
    status?: UserStatus | (string & {});
    /** Numeric status (GlassixSharp: 1 = Offline, 2 = Break, 10 = Online; unverified). */
    _Status?: number;
  }

  /** One user's status history (`users.getStatusLogs`). */
  export interface UserInfoData {
    userId?: Guid;
    userName?: string;
    dates?: UserStatusDay[];
  }

  /** One day of a user's status history. */
  export interface UserStatusDay {
    date?: DateTimeString;
    totalOnlineTime?: Duration;
    totalBreakTime?: Duration;
    totalBreak2Time?: Duration;
    totalBreak3Time?: Duration;
    totalBreak4Time?: Duration;
    totalBreak5Time?: Duration;
    totalOfflineTime?: Duration;
    statusLogs?: UserStatusLog[];
  }

  /** One status change. */
  export interface UserStatusLog {
    dateTime?: DateTimeString;
    nextStatus?: UserStatus | (string & {});
    doNotDisturb?: boolean;
  }

  /** `users.delete()`. Key casing as GlassixSharp models it (`Message`), unproven on the wire:
   * both casings are typed, neither required (the sandbox's `deleteUserKeys` rule sends either). */
  export interface DeleteUserResponse {
    Message?: string;
    message?: string;
    /** Departments the user was removed from (only those shared with the caller). */
    DeletedFromDepartments?: string[];
    deletedFromDepartments?: string[];
  }

  /**
   * A contact (the person behind ticket participants).
   * @see https://docs.glassix.com/reference/contact
   */
  export interface Contact {
    id: Guid;
    /** At most 25 characters. */
    name?: string | null;
    identifiers?: ContactIdentifier[];
    /** At most 50 characters. */
    uniqueArgument?: string | null;
    imageFileIdentifier?: string | null;
    imageUri?: string | null;
    creationDateTime?: DateTimeString;
    updateDateTime?: DateTimeString;
    isDeleted?: boolean;
    isScrambled?: boolean;
    tags?: string[];
  }

  /** A phone number, e-mail address or platform id of a contact. */
  export interface ContactIdentifier {
    /** What `contacts.deleteIdentifier` takes as `contactIdentifierId`. */
    id: number;
    contactId?: Guid;
    identifierType?: IdentifierType;
    identifier?: string;
    lastAccessed?: DateTimeString;
    isVerified?: boolean;
    isDeleted?: boolean;
    isScrambled?: boolean;
  }

  /** A canned reply as `cannedReplies.getAll()` returns it. */
  export interface CannedReply {
    id: number;
    title?: string;
    text?: string | null;
    html?: string | null;
    rank?: number;
    autoTags?: string[];
    categoryName?: string | null;
    culture?: string | null;
    isPublished?: boolean;
    isSuggested?: boolean;
    isIncludedInAgentSuggestions?: boolean;
    attachments?: unknown[];
  }

  /**
   * A department tag (`tenants.getTags()`). GlassixSharp models it in PascalCase but matches
   * case-insensitively, so the wire casing is unproven: both spellings are typed.
   */
  export interface Tag {
    Name?: string;
    name?: string;
    /** Hex colour. */
    Color?: string;
    color?: string;
    ParentTags?: string[];
    parentTags?: string[];
    IsDeleted?: boolean;
    isDeleted?: boolean;
  }

  /**
   * A non-ticket ("protocol") message, as sent by `protocols.send` and as it appears in
   * `NON_TICKET_MESSAGE_STATUS` webhook changes. Expect fields to be **`null`**: a recorded real
   * reply had `html`, `attachmentUris` and `files` `null` when they were not sent. The reply's
   * `status` is `Pending`; `Sent`, `Delivered`, `Read` or `Failed` arrive later as
   * `NON_TICKET_MESSAGE_STATUS` events with the same `providerMessageId` (a GUID).
   * @see https://docs.glassix.com/docs/send-a-non-ticket-message
   */
  export interface ProtocolMessage {
    protocolType?: ProtocolType | undefined;
    /** A department-owned number / identifier. */
    from?: string | null | undefined;
    to?: string | null | undefined;
    text?: string | null | undefined;
    html?: string | null | undefined;
    /** File URLs. */
    files?: string[] | null | undefined;
    attachmentUris?: string[] | null | undefined;
    dateTime?: DateTimeString | null | undefined;
    providerMessageId?: string | null | undefined;
    departmentId?: Guid | null | undefined;
    /** `Pending` in the `protocols.send` reply; later `Sent`, `Delivered`, `Read`, `Failed`. */
    status?: string | null | undefined;
    /** The API's own number for the carrier (19 in a recorded WhatsApp reply); what you send is not echoed. */
    serviceProvider?: number | null | undefined;
  }

  /** A survey answer in a `SURVEY_UPDATE` webhook change. */
  export interface Survey {
    id?: number | string;
    surveyId?: number;
    title?: string | null;
    /** Rating `'1'`–`'5'` or text. */
    value?: string | null;
    headerTitle?: string | null;
    isDisabled?: boolean;
    isMandatory?: boolean;
    questionType?: 'Undefined' | 'Rating' | 'Text' | (string & {});
  }

  /**
   * One webhook event: a delivery body (or an element of it) and an item of
   * `webhooks.getevents()`. Every field is optional: only `TICKET_STATE_CHANGE` is documented.
   * @see https://docs.glassix.com/reference/events
   */
  export interface WebhookEvent {
    /** Event id (GUID). */
    key?: Guid;
    dateTime?: DateTimeString;
    changes?: WebhookChange[];
  }

  /** One change of a webhook event; which fields are set depends on `_event`. */
  export interface WebhookChange {
    /** Sic: leading underscore. */
    _event?: WebhookEventType;
    /** `TICKET_STATE_CHANGE`, `TICKET_OWNER_CHANGE`, `NEW_MESSAGE`. */
    ticketId?: number;
    /** `TICKET_STATE_CHANGE`. */
    ticketState?: TicketState | (string & {});
    /** `NEW_TICKET`, `TICKET_STATE_CHANGE`. */
    ticket?: Ticket;
    /** `TICKET_OWNER_CHANGE`. */
    ownerId?: Guid;
    ownerUserName?: string;
    /** `USER_STATUS_CHANGE`. */
    userId?: Guid;
    userName?: string;
    userStatus?: UserStatus | (string & {});
    doNotDisturb?: boolean;
    /** `NEW_MESSAGE`. */
    transaction?: Transaction;
    /** `DOCUMENT_SIGNED` (shape undocumented). */
    document?: unknown;
    /** `NON_TICKET_MESSAGE_STATUS`. */
    message?: ProtocolMessage;
    /** `SURVEY_UPDATE`. */
    participant?: Participant;
    surveys?: Survey[];
  }

  /** A polled event (`webhooks.getevents()`): carries what `webhooks.deleteEvents` needs. */
  export interface PolledWebhookEvent extends WebhookEvent {
    queueReceiptHandle: string;
    queueMessageId: string;
  }

  /**
   * `POST /token/get`'s response.
   * @see https://docs.glassix.com/reference/access-token
   */
  export interface TokenResponse {
    access_token: string;
    /** E.g. `bearer`. */
    token_type?: string;
    /** Lifetime in seconds (3 hours). */
    expires_in?: number;
  }

  /**
   * One raw page of `GET /tickets/list` (`tickets.list` / `iterate` follow `paging.next` for you).
   * @see https://docs.glassix.com/reference/get-tickets-list
   */
  export interface TicketListResponse {
    tickets: Ticket[];
    /**
     * `next`: absolute URL of the next page. The docs say the last page "returns an empty paging
     * JSON key": `{}`, a `next` that is absent or empty, or `paging: null`.
     */
    paging: { next?: string | null } | null;
  }

  /**
   * A `{ message }` acknowledgement (contacts mutations, `users.add`, `setState`). The casing is
   * unproven (glassix-js reads both `message` and `Message`), so both are typed.
   */
  export interface MessageResponse {
    message?: string;
    Message?: string;
  }

  /** `tickets.setDepartment()`: the id of the ticket's copy in the target department. */
  export interface SetDepartmentResponse {
    ticketId: number;
  }

  /** `tickets.generateSurveyLink()`. */
  export interface SurveyLinkResponse {
    surveyLink: string;
  }

  // ───────────────────────────── request models ─────────────────────────────

  /** A participant of a new ticket. Docs minimum for a customer: `type`, `protocolType`, `identifier`, `name`. */
  export interface ParticipantInput {
    type: Exclude<ParticipantType, 'Undefined'>;
    protocolType: ProtocolType;
    /** Phone (international, no `+`), e-mail or platform id. */
    identifier?: string | undefined;
    name?: string | undefined;
    displayName?: string | undefined;
    /** E.g. `MailTo` for the e-mail recipient. */
    subProtocolType?: SubProtocolType | undefined;
    departmentIdentifier?: string | undefined;
    userName?: string | undefined;
    contactId?: Guid | undefined;
    id?: number | undefined;
  }

  /** An initial message of a new ticket (support article; not in the SDK models). */
  export interface CreateTicketTransaction {
    type?: TransactionType | undefined;
    text?: string | undefined;
    html?: string | undefined;
    /** Which participant wrote it (shape not documented). */
    fromParticipant?: unknown;
  }

  /**
   * Body of `tickets.create`.
   * @see https://docs.glassix.com/reference/create-ticket
   */
  export interface CreateTicketRequest {
    participants: readonly ParticipantInput[];
    /** The subject. */
    field1?: string | undefined;
    field2?: string | undefined;
    field3?: string | undefined;
    field4?: string | undefined;
    field5?: string | undefined;
    field6?: string | undefined;
    field7?: string | undefined;
    field8?: string | undefined;
    field9?: string | undefined;
    field10?: string | undefined;
    /** @default 'en-US' */
    culture?: string | undefined;
    /** Must exist in the department's tag list. */
    tags?: readonly string[] | undefined;
    uniqueArgument?: string | undefined;
    /** @default 'Open' */
    state?: Exclude<TicketState, 'Undefined'> | undefined;
    /** Sent as JSON (a `Date` becomes ISO-8601). */
    open?: string | Date | null | undefined;
    close?: string | Date | null | undefined;
    /** @default true */
    getAvailableUser?: boolean | undefined;
    /** @default false */
    addIntroductionMessage?: boolean | undefined;
    /** @default true */
    enableWebhook?: boolean | undefined;
    /** @default false */
    markAsRead?: boolean | undefined;
    details?: TicketDetails | undefined;
    transactions?: readonly CreateTicketTransaction[] | undefined;
  }

  /** A quick-reply button of a message. */
  export interface QuickReply {
    title: string;
    imageUrl?: string | undefined;
  }

  /** A button of a message template (card). */
  export interface TemplateButton {
    title?: string | undefined;
    type?: 'text' | 'web_url' | 'postback' | 'phone_number' | undefined;
    uri?: string | undefined;
    data?: string | undefined;
  }

  /** A message template (card). */
  export interface MessageTemplate {
    title?: string | undefined;
    subtitle?: string | undefined;
    coverImageUrl?: string | undefined;
    buttons?: readonly TemplateButton[] | undefined;
    titleHtml?: string | undefined;
    subtitleHtml?: string | undefined;
  }

  /**
   * Body of `tickets.send`. HTML works on e-mail and web chat.
   * @see https://docs.glassix.com/reference/send-ticket
   */
  export interface SendMessageRequest {
    text?: string | undefined;
    html?: string | undefined;
    quickReplies?: readonly QuickReply[] | undefined;
    templates?: readonly MessageTemplate[] | undefined;
    /** File URLs (e.g. from `files.upload`). */
    files?: readonly string[] | undefined;
    /** @default false */
    enableFreeTextInput?: boolean | undefined;
  }

  /**
   * Argument of `tickets.setState`: `nextState`, `getTicket`, `sendTicketStateChangedMessage`
   * and `enableWebhook` go to the query string, `summary` and `tags` to the body (as glassix-js).
   * @see https://docs.glassix.com/reference/set-ticket-sate
   */
  export interface SetTicketStateRequest {
    nextState: SettableTicketState;
    /** Ask for the ticket in the response (unconfirmed what the API then returns). */
    getTicket?: boolean | undefined;
    sendTicketStateChangedMessage?: boolean | undefined;
    enableWebhook?: boolean | undefined;
    summary?: string | undefined;
    tags?: readonly string[] | undefined;
  }

  /**
   * Body of `tickets.setFields`.
   * @see https://docs.glassix.com/reference/setfields
   */
  export interface SetTicketFieldsRequest extends TicketFields {
    uniqueArgument?: string | null | undefined;
    details?: TicketDetails | undefined;
  }

  /** Body of `tickets.pdf` / `tickets.html` (GlassixSharp's defaults in brackets). Any other key is refused. */
  export interface TicketRenderOptions {
    /** [true] */
    includeDetails?: boolean | undefined;
    /** [true] */
    includeConversationLink?: boolean | undefined;
    /** [true] */
    includeNotes?: boolean | undefined;
    /** [14] */
    fontSizeInPixels?: number | undefined;
    /** Embed inline images. [true] */
    replaceContentId?: boolean | undefined;
    /** [true] */
    showParticipantType?: boolean | undefined;
  }

  /** A query value: `Date`s are written `dd/MM/yyyy HH:mm:ss:ff` (UTC), arrays comma-joined; `null`, `undefined` and an empty array leave the key out. */
  export type QueryValue =
    | string
    | number
    | boolean
    | Date
    | readonly (string | number | boolean | Date)[]
    | null
    | undefined;

  /**
   * Parameters of `tickets.list` / `tickets.iterate`. A window longer than the API's one
   * calendar month is split into month windows for you. The state and sort parameter names are
   * not documented (GlassixSharp: `ticketState`, `sortOrder`), so other keys pass through to
   * the query as given.
   * @see https://docs.glassix.com/reference/get-tickets-list
   */
  export interface ListTicketsParams {
    /** A `Date`, or a `dd/MM/yyyy HH:mm:ss:ff` string (UTC). */
    since: Date | GlassixDateString;
    /** A `Date`, or a `dd/MM/yyyy HH:mm:ss:ff` string (UTC). */
    until: Date | GlassixDateString;
    /** State filter; an array is sent comma-separated. */
    ticketState?: Exclude<TicketState, 'Undefined'> | readonly Exclude<TicketState, 'Undefined'>[] | undefined;
    sortOrder?: SortOrder | undefined;
    [param: string]: QueryValue;
  }

  /**
   * `tickets.list` / `tickets.iterate` from a page on: `next` is a page's URL on the client's
   * origin, as a `TicketIterator`'s `position` gives it (or a response's `paging.next`). That
   * page is read again, then every page after it, to the end of its window. The API's page
   * tokens expire (24 hours): an expired one is refused with a 400. With `next` given, other
   * keys (`since`, `until`, filters) are not read: the page's URL carries them.
   */
  export interface ListFromPage {
    next: string;
  }

  /** A user to add (`users.add`). */
  export interface AddUserRequest {
    userName: string;
    uniqueArgument?: string | undefined;
  }

  /** A canned reply to add (`cannedReplies.add`); `id: 0` for a new one. */
  export interface CannedReplyInput {
    id?: number | undefined;
    title?: string | undefined;
    text?: string | undefined;
    html?: string | undefined;
    rank?: number | undefined;
    autoTags?: readonly string[] | undefined;
    categoryName?: string | undefined;
    culture?: string | undefined;
    isPublished?: boolean | undefined;
    isSuggested?: boolean | undefined;
    isIncludedInAgentSuggestions?: boolean | undefined;
    /** Shape undocumented. */
    attachments?: readonly unknown[] | undefined;
  }

  /** A field of an interactive document. */
  export interface InteractiveDocumentField {
    type: 'Text' | (string & {});
    name: string;
    [key: string]: unknown;
  }

  /**
   * Body of `interactiveDocuments.send`.
   * @see https://docs.glassix.com/reference/send-interactive-document
   */
  export interface InteractiveDocumentRequest {
    shouldLockDocument?: boolean | undefined;
    baseTemplateId?: string | number | undefined;
    message?: string | undefined;
    fields?: readonly InteractiveDocumentField[] | undefined;
  }

  /**
   * Body of `protocols.send`: a message outside any ticket.
   * @see https://docs.glassix.com/reference/protocols-send
   */
  export interface ProtocolMessageRequest extends ProtocolMessage {
    protocolType: ProtocolType;
    to: string;
  }

  /** Options of `webhooks.consume`. */
  /** `consume`'s options; `timeout`, `maxRetries` and `headers` are each poll's and delete's,
   * as for any call. */
  export interface ConsumeOptions extends Omit<RequestOptions, 'signal'> {
    /** Stops the loop: `consume` resolves after the handler in progress finishes. */
    signal?: SignalOption | null | undefined;
    /** Pause between polls when the queue is empty or something failed. @default 5000 */
    intervalMs?: number | undefined;
    /**
     * Told about every failure; the loop goes on. `error` is a {@link GlassixError} when a poll
     * or delete failed (`event` undefined), or whatever `handler` threw for `event` (that event
     * is not deleted and comes back).
     */
    onError?: ((error: unknown, event: PolledWebhookEvent | undefined) => unknown) | undefined;
  }

  // ───────────────────────────── resources ─────────────────────────────

  /**
   * The async iterator of `tickets.iterate()`: fetches a page only when the previous one is
   * used up; `break` in `for await` stops it without fetching more.
   */
  export interface TicketIterator extends AsyncIterator<Ticket, undefined> {
    [Symbol.asyncIterator](): TicketIterator;
    /** The next ticket; rejects with a GlassixError when a page request fails. */
    next(): Promise<IteratorResult<Ticket, undefined>>;
    /** Stops the iteration; no further page is fetched. */
    return(value?: undefined): Promise<IteratorResult<Ticket, undefined>>;
    /**
     * The URL of the page the last ticket handed out came from (`undefined` before the first;
     * after a page that failed, that page): `tickets.iterate({ next: position })` reads on from
     * that page, its tickets again included, to the end of its month window (not further: a
     * longer range is read as month windows). A checkpoint's way back in (`glassix-wasm/export`
     * keeps it).
     */
    readonly position: string | undefined;
  }

  // <generated:resources>
  /** Tickets: create, read, list, message, state, fields, tags, notes, PDF/HTML export. */
  export interface TicketsResource {
    /**
     * Creates a ticket. `POST /tickets/create`
     * @see https://docs.glassix.com/reference/create-ticket
     */
    create(payload: CreateTicketRequest, options?: RequestOptions): Promise<Ticket>;
    /**
     * Gets a ticket with its transactions. `GET /tickets/get/{ticketId}`
     * @see https://docs.glassix.com/reference/get-ticket
     */
    get(ticketId: TicketId, options?: RequestOptions): Promise<Ticket>;
    /**
     * Every ticket with activity in `[since, until]`, following `paging.next` to the last page
     * (no cap). `{ next }` reads from a page's URL on instead (an iterator's `position`). `GET /tickets/list`
     * @see https://docs.glassix.com/reference/get-tickets-list
     */
    list(params: ListTicketsParams | ListFromPage, options?: RequestOptions): Promise<Ticket[]>;
    /**
     * The same tickets as `list`, lazily: a page is fetched only when the previous one is used up.
     * Returns the iterator at once (not a promise). Its `position` is the URL of the page the
     * last ticket came from; `iterate({ next: position })` reads on from that page. `GET /tickets/list`
     * @throws {GlassixError} synchronously, `kind: 'invalid_argument'`, for bad `params` or options.
     * @see https://docs.glassix.com/reference/get-tickets-list
     */
    iterate(params: ListTicketsParams | ListFromPage, options?: RequestOptions): TicketIterator;
    /**
     * Sends a message into the ticket. `POST /tickets/send/{ticketId}`
     * @see https://docs.glassix.com/reference/send-ticket
     */
    send(ticketId: TicketId, payload: SendMessageRequest, options?: RequestOptions): Promise<Transaction>;
    /**
     * Opens, closes or pends the ticket.
     * Resolves with the API's answer, which is not pinned down: a `{ message }` acknowledgement,
     * perhaps the ticket with `getTicket: true`, or `null` for an empty body. `PUT /tickets/setstate/{ticketId}`
     * @see https://docs.glassix.com/reference/set-ticket-sate
     */
    setState(ticketId: TicketId, payload: SetTicketStateRequest, options?: RequestOptions): Promise<Ticket | MessageResponse | null>;
    /**
     * Sets field1…field10, uniqueArgument and details. `PUT /tickets/setfields/{ticketId}`
     * @see https://docs.glassix.com/reference/setfields
     */
    setFields(ticketId: TicketId, payload: SetTicketFieldsRequest, options?: RequestOptions): Promise<unknown>;
    /**
     * Renames a participant (by its id within the ticket). `PUT /tickets/setparticipantname/{ticketId}`
     * @see https://docs.glassix.com/reference/set-participant-name
     */
    setParticipantName(ticketId: TicketId, payload: { id: number; name: string }, options?: RequestOptions): Promise<unknown>;
    /**
     * Assigns the ticket to another user (parameters go to the query). `PUT /tickets/setowner/{ticketId}`
     * @see https://docs.glassix.com/reference/set-owner
     */
    setOwner(ticketId: TicketId, params: { nextOwnerUserName: string; keepCurrentOwnerInConversation?: boolean | undefined }, options?: RequestOptions): Promise<unknown>;
    /**
     * Assigns the ticket to an available user, or queues it. `PUT /tickets/assignavailableuser/{ticketId}`
     * @see https://docs.glassix.com/reference/assign-available-user
     */
    assignAvailableUser(ticketId: TicketId, options?: RequestOptions): Promise<unknown>;
    /**
     * Moves (copies) the ticket to another department; resolves with the new ticket's id.
     * Never sent again after the server may have acted: a second call would copy it again. `PUT /tickets/setdepartment/{ticketId}`
     * @see https://docs.glassix.com/reference/set-department
     */
    setDepartment(ticketId: TicketId, payload: { departmentId: Guid }, options?: RequestOptions): Promise<SetDepartmentResponse>;
    /**
     * Adds tags (which must exist in the department); resolves with the ticket's tags. `POST /tickets/addtags/{ticketId}`
     * @see https://docs.glassix.com/reference/add-tags
     */
    addTags(ticketId: TicketId, tags: readonly string[], options?: RequestOptions): Promise<string[]>;
    /**
     * Removes a tag; resolves with the remaining tags. `DELETE /tickets/removetag/{ticketId}`
     * @see https://docs.glassix.com/reference/remove-tag
     */
    removeTag(ticketId: TicketId, params: { tag: string }, options?: RequestOptions): Promise<string[]>;
    /**
     * Adds an agent-only note (`text` and/or `html`). `POST /tickets/addnote/{ticketId}`
     * @see https://docs.glassix.com/reference/add-note
     */
    addNote(ticketId: TicketId, payload: { text?: string | undefined; html?: string | undefined }, options?: RequestOptions): Promise<unknown>;
    /**
     * Irreversibly wipes the ticket's data. `DELETE /tickets/scramble/{ticketId}`
     * @see https://docs.glassix.com/reference/scramble-ticket
     */
    scramble(ticketId: TicketId, options?: RequestOptions): Promise<unknown>;
    /**
     * Renders the ticket as PDF; resolves with the PDF's bytes (empty if the API sends an
     * empty body). `POST /tickets/pdf/{ticketId}`
     * @see https://docs.glassix.com/reference/ticket-pdf
     */
    pdf(ticketId: TicketId, renderOptions?: TicketRenderOptions | null, options?: RequestOptions): Promise<Uint8Array>;
    /**
     * Renders the ticket as an HTML document (`""` if the API sends an empty body). `POST /tickets/html/{ticketId}`
     * @see https://docs.glassix.com/reference/ticket-html
     */
    html(ticketId: TicketId, renderOptions?: TicketRenderOptions | null, options?: RequestOptions): Promise<string>;
    /**
     * Creates a survey link for a closed ticket. `POST /tickets/generatesurveylink/{ticketId}`
     * @see https://docs.glassix.com/reference/generate-survey-link
     */
    generateSurveyLink(ticketId: TicketId, payload: { surveyId: number; participantId?: number | undefined }, options?: RequestOptions): Promise<SurveyLinkResponse>;
    /**
     * Sets the ticket's summary (`ticket.ticketSummary.value`). `POST /tickets/setsummary/{ticketId}`
     * @see https://docs.glassix.com/reference/post-tickets-setsummary
     */
    setSummary(ticketId: TicketId, payload: { summary: string }, options?: RequestOptions): Promise<unknown>;
  }

  /** Users of the department (the token's user for the `set*` / `update` calls). */
  export interface UsersResource {
    /**
     * Lists the department's users. `GET /users/allusers`
     * @see https://docs.glassix.com/reference/get-all-users
     */
    getAll(options?: RequestOptions): Promise<User[]>;
    /**
     * Sets the token user's status. `PUT /users/setstatus`
     * @see https://docs.glassix.com/reference/set-status
     */
    setStatus(payload: { nextStatus: UserStatus }, options?: RequestOptions): Promise<unknown>;
    /**
     * Gets the token user's status. `GET /users/getstatus`
     * @see https://docs.glassix.com/reference/get-status
     */
    getStatus(options?: RequestOptions): Promise<UserStatusResponse>;
    /**
     * Status history of the department's users (or one `userId`); `Date`s are sent as `dd/MM/yyyy`. `GET /users/statuslogs`
     * @see https://docs.glassix.com/reference/get-users-statuslogs
     */
    getStatusLogs(params: { since: Date | string; until: Date | string; userId?: Guid | undefined }, options?: RequestOptions): Promise<UserInfoData[]>;
    /**
     * Adds users to the department (`userType` and `role` go to the query). `POST /users/add`
     * @see https://docs.glassix.com/reference/add-user
     */
    add(users: readonly AddUserRequest[], params: { userType: UserType; role?: Role | undefined }, options?: RequestOptions): Promise<MessageResponse | null>;
    /**
     * Removes a user from the departments shared with the caller. `DELETE /users/delete`
     * @see https://docs.glassix.com/reference/delete-user
     */
    delete(params: { userName: string }, options?: RequestOptions): Promise<DeleteUserResponse>;
    /**
     * Sets the token user's unique argument (≤ 50 characters). `PUT /users/setuniqueargument`
     * @see https://docs.glassix.com/reference/put_users-setuniqueargument
     */
    setUniqueArgument(payload: { nextUniqueArgument: string }, options?: RequestOptions): Promise<unknown>;
    /**
     * Updates the token user's names and job title. `POST /users/update`
     * @see https://docs.glassix.com/reference/user-update
     */
    update(payload: { shortName?: string | undefined; fullName?: string | undefined; jobTitle?: string | undefined }, options?: RequestOptions): Promise<unknown>;
    /**
     * Finds a user by unique argument. `GET /users/getbyuniqueargument`
     * @see https://docs.glassix.com/reference/get-by-unique-argument
     */
    getByUniqueArgument(params: { uniqueArgument: string }, options?: RequestOptions): Promise<User>;
    /**
     * Replaces a user's roles (caller must be admin). `POST /users/setroles`
     * @see https://docs.glassix.com/reference/set-roles
     */
    setRoles(roles: readonly Role[], params: { userName: string }, options?: RequestOptions): Promise<unknown>;
  }

  /** Department-level data: business-hours status and the tag list. */
  export interface TenantsResource {
    /**
     * Whether the department is open now (business hours, per channel). `GET /tenants/isonline`
     * @see https://docs.glassix.com/reference/is-online
     */
    isOnline(params: { departmentId: Guid; protocolType?: ProtocolType | undefined }, options?: RequestOptions): Promise<boolean>;
    /**
     * The department's tags. `GET /tenants/gettags`
     * @see https://docs.glassix.com/reference/get-tags
     */
    getTags(options?: RequestOptions): Promise<Tag[]>;
  }

  /** Contacts (ids are GUID strings). */
  export interface ContactsResource {
    /**
     * Gets a contact. `GET /contacts/get/{contactId}`
     * @see https://docs.glassix.com/reference/get-contacts
     */
    get(contactId: ContactId, options?: RequestOptions): Promise<Contact>;
    /**
     * Renames a contact (≤ 25 characters). `PUT /contacts/setname/{contactId}`
     * @see https://docs.glassix.com/reference/set-name
     */
    setName(contactId: ContactId, payload: { nextName: string }, options?: RequestOptions): Promise<MessageResponse>;
    /**
     * Adds a phone number, e-mail or platform id to a contact. `POST /contacts/addidentifier/{contactId}`
     * @see https://docs.glassix.com/reference/add-identifier
     */
    addIdentifier(contactId: ContactId, payload: { identifierType: IdentifierType; identifier: string; forceMerge?: boolean | undefined }, options?: RequestOptions): Promise<MessageResponse>;
    /**
     * Sets a contact's unique argument (≤ 50 characters). `PUT /contacts/setuniqueargument/{contactId}`
     * @see https://docs.glassix.com/reference/set-contact-unique-argument
     */
    setUniqueArgument(contactId: ContactId, payload: { nextUniqueArgument: string }, options?: RequestOptions): Promise<MessageResponse>;
    /**
     * Removes an identifier (by its integer `id`). `DELETE /contacts/deleteidentifier/{contactId}`
     * @see https://docs.glassix.com/reference/delete-identifier
     */
    deleteIdentifier(contactId: ContactId, params: { contactIdentifierId: number }, options?: RequestOptions): Promise<MessageResponse>;
  }

  /** Canned replies of the department. */
  export interface CannedRepliesResource {
    /**
     * Lists the canned replies. `GET /cannedreplies/getall`
     * @see https://docs.glassix.com/reference/get-all-c-anned-replies
     */
    getAll(options?: RequestOptions): Promise<CannedReply[]>;
    /**
     * Adds a canned reply. `POST /cannedreplies/add`
     * @see https://docs.glassix.com/reference/add-canned-replies
     */
    add(payload: CannedReplyInput, options?: RequestOptions): Promise<unknown>;
    /**
     * Deletes a canned reply. `DELETE /cannedreplies/delete`
     * @see https://docs.glassix.com/reference/delete-canned-replies
     */
    delete(params: { cannedReplyId: number }, options?: RequestOptions): Promise<unknown>;
  }

  /** Interactive documents sent into a ticket. */
  export interface InteractiveDocumentsResource {
    /**
     * Sends an interactive document to the ticket's participants. `POST /interactivedocuments/send/{ticketId}`
     * @see https://docs.glassix.com/reference/send-interactive-document
     */
    send(ticketId: TicketId, payload: InteractiveDocumentRequest, options?: RequestOptions): Promise<unknown>;
  }

  /** Non-ticket ("protocol") messages, e.g. WhatsApp templates to a number. */
  export interface ProtocolsResource {
    /**
     * Sends a message outside any ticket (replies open a ticket). `POST /protocols/send`
     * @see https://docs.glassix.com/reference/protocols-send
     */
    send(message: ProtocolMessageRequest, options?: RequestOptions): Promise<ProtocolMessage>;
  }

  /** Phone-call events of a ticket (the first argument is a ticket id). */
  export interface PhoneCallsResource {
    /**
     * Records that the ticket's call started; a `Date` is sent as `dd/MM/yyyy HH:mm:ss:ff`.
     * (No reference page of its own is known; the glassix-js README links to the
     * interactive-document page by mistake.) `POST /phonecalls/started/{ticketId}`
     * @see https://docs.glassix.com/reference/call-ended
     */
    started(ticketId: TicketId, payload: { dateTime: Date | GlassixDateString }, options?: RequestOptions): Promise<unknown>;
    /**
     * Records that the ticket's call ended; a `Date` is sent as `dd/MM/yyyy HH:mm:ss:ff`. `POST /phonecalls/ended/{ticketId}`
     * @see https://docs.glassix.com/reference/call-ended
     */
    ended(ticketId: TicketId, payload: { dateTime: Date | GlassixDateString }, options?: RequestOptions): Promise<unknown>;
    /**
     * Attaches the call recording's URL. `POST /phonecalls/audiolink/{ticketId}`
     * @see https://docs.glassix.com/reference/call-audio-link
     */
    audioLink(ticketId: TicketId, payload: { audioUri: string }, options?: RequestOptions): Promise<unknown>;
  }

  /** File upload. */
  export interface FilesResource {
    /**
     * Uploads files (multipart; glassix-js appends the file under the field name `"0"`).
     * Resolves with the API's answer (shape undocumented). `POST /files/upload`
     * @see https://docs.glassix.com/reference/file-upload
     */
    upload(form: FormDataType, options?: RequestOptions): Promise<unknown>;
  }

  /** Polled webhook events, delivery verification and an at-least-once consumer. */
  export interface WebhooksResource {
    /**
     * Polls queued events (glassix-js's name; same as `getEvents`). `params` takes only `deleteEvents` (any other key is refused). `GET /webhooks/getevents`
     * @see https://docs.glassix.com/reference/get-events
     */
    getevents(params?: { deleteEvents?: boolean | undefined } | null, options?: RequestOptions): Promise<PolledWebhookEvent[]>;
    /**
     * Polls queued events; `deleteEvents: false` leaves them queued until `deleteEvents()`. `GET /webhooks/getevents`
     * @see https://docs.glassix.com/reference/get-events
     */
    getEvents(params?: { deleteEvents?: boolean | undefined } | null, options?: RequestOptions): Promise<PolledWebhookEvent[]>;
    /**
     * Deletes polled events from the queue (each as received, with `queueReceiptHandle` and
     * `queueMessageId`; an empty array is refused: there is nothing to delete). `POST /webhooks/deleteevents`
     * @see https://docs.glassix.com/reference/delete-event
     */
    deleteEvents(events: readonly PolledWebhookEvent[], options?: RequestOptions): Promise<unknown>;
    /**
     * `verifyWebhook` with this client's `apiSecret` (no HTTP call).
     * @throws {GlassixError} `kind: 'invalid_argument'` when the client has no apiSecret.
     * @see https://docs.glassix.com/docs/validate-outbound-webhooks-and-api
     */
    verify(rawBody: RawBody, headers: HeadersLike, options?: VerifyOptions | null): boolean;
    /**
     * At-least-once consumer: polls `GET /webhooks/getevents?deleteEvents=false`, calls
     * `handler` for each new event and deletes (`POST /webhooks/deleteevents`) only the
     * events whose handler resolved. Runs until `options.signal` aborts, then resolves. `GET /webhooks/getevents`
     * @see https://docs.glassix.com/reference/get-events
     */
    consume(handler: (event: PolledWebhookEvent) => unknown, options?: ConsumeOptions | null): Promise<void>;
  }

  // </generated:resources>
}

export = GlassixClient;
