// The package's hand-written JS, pasted by scripts/build.mjs into every entry together with the
// generated facade (js/generated.js). Before it, each entry binds `call`, `Core`, `__init`,
// `formatDate`, `verifyWebhook` and `parseWebhook` from the wasm-bindgen glue, and `plain` and
// `isStream` from js/exchange.js. Nothing here knows an endpoint: the facade is made from the
// table, and every rule lives in Rust.

/** Marks every GlassixError, whichever entry made it (see `Symbol.hasInstance` below). */
const BRAND = Symbol.for('glassix-wasm.GlassixError');

/** Every failure of a GlassixClient call. `code` and `status` are the HTTP status (glassix-js
 * users check `err.code`); `kind` says what went wrong. */
class GlassixError extends Error {
  constructor(message, fields) {
    const f = fields || {};
    super(message, f.cause === undefined ? undefined : { cause: f.cause });
    this.name = 'GlassixError';
    this.kind = f.kind || 'http';
    this.code = f.status;
    this.status = f.status;
    this.body = f.body;
    if (f.retryAfter !== undefined) this.retryAfter = f.retryAfter;
    Object.defineProperty(this, BRAND, { value: true });
  }
  /** What `JSON.stringify(err)` writes (a logger's JSON line, serialize-error, which defers to
   * it): its name, message and stack (which are no own enumerable fields) and its fields; not its
   * cause (an `Error` writes as `{}`). */
  toJSON() {
    return { name: this.name, message: this.message, stack: this.stack, ...this };
  }
  /** Each entry (`glassix-wasm`, `glassix-wasm/init`, the browser and Workers builds) is its own
   * bundle with its own copy of this class; `err instanceof GlassixError` holds for an error from
   * any of them. A subclass keeps the ordinary check. */
  static [Symbol.hasInstance](v) {
    return Function.prototype[Symbol.hasInstance].call(this, v) || (isGlassixError(this) && Object(v)[BRAND] === true);
  }
}

/** Whether `c` is GlassixError itself, not a subclass. Outside the class: a class that names
 * itself in its body keeps a (minified) name of its own there, which the build could not give
 * its real one (scripts/build.mjs, `classNames`). */
const isGlassixError = (c) => c === GlassixError;

/** `s` at most `max` characters long (cut between code points, never inside a surrogate pair),
 * control characters escaped (\x1b, \x0a, \x9b, ...), so that no value puts a terminal escape, a
 * line break (U+2028 and U+2029 too) or a NUL into a message, nor a bidirectional embedding, override or isolate
 * (\u202e) that would reorder the rest of a log line (the U+200E/U+200F marks of Hebrew text
 * stay). */
function printable(s, max) {
  const cut = s.length > max ? s.slice(0, max - /[\ud800-\udbff]/.test(s[max - 1])) + '...' : s;
  return cut.replace(/[\0-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]/g, (c) => ((c = c.charCodeAt(0).toString(16)), (c[2] ? '\\u' : '\\x') + c.padStart(2, '0')));
}

/** A value as messages show it: strings quoted (at most 40 characters, control characters
 * escaped), numbers and booleans as written, anything else by its kind. */
function describe(v) {
  if (typeof v === 'string') return '"' + printable(v, 40) + '"';
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  // (a BigInt, from a database driver's BIGINT column, as JS writes it; a Symbol by its kind: neither is an object to look into)
  if (typeof v === 'bigint') return printable(v + 'n', 40);
  if (typeof v === 'symbol') return 'a Symbol';
  let kind = typeof v;
  try {
    // a Map, a Date, URLSearchParams…: by its tag (`object` for a plain one; a Date of any realm)
    kind = Array.isArray(v) ? 'array' : Object.prototype.toString.call(v).slice(8, -1).replace(/^Object$|^Function$/, kind);
    if (kind == 'Date' && isNaN(v)) return 'an invalid Date';
    // (the npm form-data package's, undici's: "expected a FormData, not a FormData" said nothing)
    if (kind == 'FormData' && !(v instanceof FormData)) return "another library's FormData";
    if (isStream(v)) return 'a stream';
  } catch {
    // a revoked Proxy, a throwing trap
    kind = 'unreadable ' + kind;
  }
  // (a class's own `Symbol.toStringTag` could hold anything: shortened and escaped like a string)
  kind = printable(kind, 40);
  return (/^[aeiouAEIO]/.test(kind) ? 'an ' : 'a ') + kind; // a URLSearchParams, a Uint8Array
}

/** The errors `makeError` made whose stack is still the one they were made with. */
const MADE = new WeakSet();
const mark = (e) => (MADE.add(e), e);

/** The one place a GlassixError is made: Rust hands over the failure's fields (serialized with
 * serde-wasm-bindgen); the message comes from the catalog. An HTTP failure whose body carries a
 * `message` (or `Message`) has that as its message, as glassix-js users expect: at most 500
 * characters of it, control characters escaped (the whole body stays in `err.body`). */
function makeError(f) {
  // A 2xx body that is not JSON keeps the parser's SyntaxError as the cause, whose message quotes
  // part of the body. If any 6 characters in a row of a credential of the call (`f.b`) are in
  // it, or it is the token response's (a token nobody knows yet), the cause is a SyntaxError
  // without the quote (or, in a form not known, with no text of the body at all).
  // (in any letter case: a server may echo a GUID key in lower case; each side lower-cased once)
  const hit = (m, low = m.toLowerCase()) => Array.isArray(f.b) && f.b.some((x) => [...x.toLowerCase()].some((_, i, c) => i + 6 <= c.length && low.includes(c.slice(i, i + 6).join(''))));
  if (f.kind === 'parse' && f.cause instanceof SyntaxError) {
    const m = String(f.cause.message);
    if (f.at === GET_TOKEN || hit(m)) {
      const quoteless = m.replace(/"[^]*"/, '"…"');
      f.cause = new SyntaxError(hit(quoteless) ? 'not valid JSON' : quoteless);
    }
  }
  // The runtime's errors may hold what was sent, which a server can make the request echoed
  // back: undici's HTTPParserError keeps the bytes it could not parse (`data`; its `code` is
  // `HPE_…` up to Node 22, none in Node 24: known by its name too), and workerd's fetch quotes a
  // bad header's value in its message. With a credential of the call (`f.b`) in a message of the
  // chain, the chain is made anew: each error by its name, code and message (withheld where it
  // quotes one), nothing else.
  let c = f.cause;
  const chain = [];
  for (let i = 0; c instanceof Error && i < 9; c = c.cause, i++) {
    if (/^HPE_/.test(c.code) || c.name == 'HTTPParserError') delete c.data;
    chain.push(c);
  }
  if (chain.some((e) => hit(String(e.message)))) {
    f.cause = chain.reduceRight((below, e) => Object.assign(new Error(hit(String(e.message)) ? 'its message quoted the request: withheld' : e.message, below && { cause: below }), { name: e.name }, e.code !== undefined && { code: e.code }), undefined);
  }
  if (f.msg === HTTP) {
    // The body, as text (invalid bytes as U+FFFD) or its JSON value, with every credential of the
    // call (`f.b`, from Rust) cut out of each string after JSON has unescaped it: a `\u002B` or
    // `\"` spelling hides nothing. The credentials are not kept.
    // (any letter case; every other character stands for itself, escaped; each pattern made
    // once, not once per string of the body: a body of 100k strings took half a second)
    const patterns = f.b.map((x) => RegExp(x.replace(/\W/g, '\\$&'), 'gi'));
    const cut = (s) => patterns.reduce((t, p) => t.replace(p, '[redacted]'), s);
    const text = typeof f.body === 'string' ? f.body : new TextDecoder().decode(f.body);
    // (keys too: a server that parses what it got as a form echoes it back as a key)
    let said;
    try {
      const body = (f.body = JSON.parse(text, (_, v) => (typeof v === 'string' ? cut(v) : v && typeof v == 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [cut(k), x])) : v)));
      said = body && [body.message, body.Message].find((m) => typeof m === 'string' && m.trim());
    } catch (e) {
      // (not JSON: the text, cut; JSON nested too deep for the reviver: no body, as its
      // escapes could spell a credential)
      f.body = text && e instanceof SyntaxError ? cut(text) : undefined;
    }
    // (the server's own message stands alone, as glassix-js gave it: code that compares it keeps
    // working; every other message names its method or option)
    if (said) return mark(new GlassixError(printable(said, 500), f));
  }
  // `{p}`: the row's body parameter (BODY, generated from the table); `{a}` as written (an
  // option's or a parameter's name, `METHOD /path`, a shared token failure's message, the URL of
  // a .wasm), escaped and at most 1,000 characters: a key of the caller's object may hold anything
  const text = (MESSAGES[f.msg] || '').replace(/\{(a|b|p|status)(!?)\}/g, (_, k, d) => (d ? describe(f[k]) : k === 'p' ? BODY[f.at] || 'payload' : printable(String(f[k]), 1e3)));
  const subject = SUBJECTS[f.at];
  return mark(new GlassixError(subject ? subject + ': ' + text : text, f));
}

/** What the package is making groups or an iterator for (a core, a pager). Users can reach
 * those classes (`client.tickets.constructor`), but only `make` makes one: `made(this)` in a
 * class's field initializer refuses a `new` of the user's. */
let making;
// (nothing `f` makes can throw: no try/finally needed)
const make = (what, f) => ((making = what), (what = f()), (making = undefined), what);
function made(o) {
  if (!making) throw makeError({ kind: 'invalid_argument', msg: NOT_NEW, a: o.constructor.name, at: AT_CLIENT });
  return making;
}

/** What `tickets.iterate()` returns: an async iterator over a Rust pager it holds privately. */
class TicketIterator {
  #pager = made(this);
  next() {
    // (the hooks are kept while the page is fetched: nothing else may hold this iterator then)
    return handOut(keep(this, this.#pager.next()));
  }
  /** The URL of the page the last ticket came from: `iterate({ next: position })` reads on
   * from there (a checkpoint's way back in). */
  get position() {
    return this.#pager.position;
  }
  async return(value) {
    this.#pager.stop();
    return { value, done: true };
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

/** Keeps a class's name through minification (util.inspect shows `Tickets {}`, not `a {}`). */
function named(cls, name) {
  Object.defineProperty(cls, 'name', { value: name });
}

/** glassix-js's methods were closures: `const { get } = client.tickets` worked. Each method of a
 * group (and the client's own) is bound to its object on access, so detached calls keep working
 * here too (a bound function keeps its `.length`), and cached on it where it can be: not on a
 * subclass's instance (its overrides stay in charge) nor on a frozen or sealed one. Read from
 * anything else (the prototype itself, as `Tickets.prototype.get`), it is the plain method. */
function detachable(cls, name, group) {
  named(cls, name);
  const proto = cls.prototype;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, name).value;
    if (name === 'constructor' || typeof method !== 'function') continue;
    // a group's methods are the table's rows in order (scripts/gen.mjs checks): each names its
    // row in messages, `tickets.get` (cheaper than a list of every row's name in the bundle)
    if (group) SUBJECTS[NAMED++] = cls.name[0].toLowerCase() + cls.name.slice(1) + '.' + name;
    // `client.getToken = stub` (as tests do) stays an ordinary assignment: it makes an own property
    const own = (o, value) => Object.defineProperty(o, name, { value, configurable: true, writable: true });
    Object.defineProperty(proto, name, {
      configurable: true,
      get() {
        if (!proto.isPrototypeOf(this)) return method;
        // (named and printed as the method: `get`, `get(ticketId,options){…}`, not `bound get`
        // and `[native code]`)
        const bound = Object.defineProperties(method.bind(this), { name: { value: name }, toString: { value: () => method.toString() } });
        if (Object.getPrototypeOf(this) === proto && Object.isExtensible(this)) own(this, bound);
        return bound;
      },
      set(value) {
        own(this, value);
      },
    });
  }
}

/** `keys` of `o`, each read once; a getter that throws is refused as the core refuses one: named
 * (`within` + key), its error the cause. */
function readAll(o, keys, within) {
  const out = {};
  let key;
  try {
    for (key of keys) out[key] = o[key];
  } catch (cause) {
    throw makeError({ kind: 'invalid_argument', msg: OPT_UNREADABLE, a: within + key, cause, at: AT_CLIENT });
  }
  return out;
}

/** Calls `f` (a limiter's `done`) if it is a function: whatever it throws or rejects with (an
 * async one, on a database) is its own, the attempt being over, and never goes unhandled. (The
 * core calls a `done` the same way.) */
function run(f, ...a) {
  try {
    if (typeof f == 'function') Promise.resolve(f(...a)).catch(() => {});
  } catch {}
}

/** `new GlassixClient(…)`'s arguments for the core. A `store` (README: "Many workers") becomes
 * the two hooks the core already has: `rateLimit` awaits the store's admission, which resolves
 * with the attempt's `done(status, retryAfter, ago)` (the shared window and 429 pause), and
 * `getAccessToken(rejected)` gets the one token the store shares, fetched when the store says so
 * by a second core that holds only the credentials. Everything else is as given. */
function configure(args) {
  const options = args[0];
  // An object that is not a plain one (a Map, URLSearchParams, an array, a revoked Proxy) would be
  // read as the positional `workspace`: refused as the options it was meant to be. (`plain` is
  // js/exchange.js's.)
  if (typeof options == 'object' && options && !plain(options)) throw makeError({ kind: 'invalid_argument', msg: NOT_OBJECT, a: 'options', b: options, at: AT_CLIENT });
  // the positional form, (workspace, apiKey, apiSecret, apiVersion, userName, domain), as
  // options with no prototype (nothing put on Object.prototype is read as one of them)
  if (!plain(options)) {
    const o = Object.create(null);
    'workspace apiKey apiSecret apiVersion userName domain'.split(' ').forEach((k, i) => (o[k] = args[i]));
    return [o];
  }
  // Each attempt's place (`place(signal)`: your rateLimit function, or the store's window and
  // 429 pause). The call's signal goes along; a call that gave up before its place came (the
  // core stops waiting at once) sends nothing, so a place granted later is given back with
  // `done()` and no arguments: a limiter that grants regardless loses no place.
  // (`place(signal)` as a promise: one that throws rejects it, like one that rejects)
  // (your function's value is a `done` only if it is a function, as it always was: a limiter
  // library resolves with a number or a token; a store's `acquire` must resolve with one or
  // nothing, and the core refuses anything else)
  const admit = (place, yours) => (signal) =>
    new Promise((resolve) => resolve(place(signal))).then((done) => {
      if (yours && typeof done != 'function') done = undefined;
      if (!(signal && signal.aborted)) return done;
      run(done);
    });
  // The core reads your options itself (a class's getters, inherited values), through a view
  // that puts these in their place: your rateLimit function in `admit`, and with a store the
  // hooks that share its window, 429 pause and token. (A view over an object of its own: a
  // frozen options object's values could not be replaced in a view over it.)
  // (with no prototype: an option polluting Object.prototype is no override)
  const over = Object.create(null);
  // An option the options object only inherits from an Object.prototype (of this realm or
  // another, polluted: a `baseUrl` or `fetch` put there would take the credentials elsewhere) is
  // not given. Everything else is read as the object answers: its own values, a class's getters
  // and prototype values, a null-prototype defaults object's, a Proxy's.
  const polluted = (k, o = options) => {
    while (!Object.hasOwn(o, k)) if (!(o = Object.getPrototypeOf(o))) return;
    return Object.hasOwn(o, 'isPrototypeOf');
  };
  const view = new Proxy(
    {},
    {
      get: (_, k) => (k in over ? over[k] : polluted(k) ? undefined : options[k]),
      // (what the core asks when a read threw: a getter of yours that threw, or a key you lack)
      has: (_, k) => k in options,
      ownKeys: () => Reflect.ownKeys(options),
      getOwnPropertyDescriptor: (_, k) => ({ ...Reflect.getOwnPropertyDescriptor(options, k), configurable: true }),
    },
  );
  // (read here once; `''` is no token, to the core too)
  // (only those it has: an options object that throws for a key it lacks is not refused for that,
  // the core takes such a key as not given)
  const { store, rateLimit: own, accessToken, getAccessToken, userName, apiKey, fetch } = readAll(view, ['store', 'rateLimit', 'accessToken', 'getAccessToken', 'userName', 'apiKey', 'fetch'].filter((k) => k in options), '');
  const mine = typeof own == 'function';
  // The functions the core calls (your fetch, getAccessToken and rateLimit, the store's hooks)
  // are held by the client, not by the core: what the wasm holds is never collected, and a
  // function of yours that reaches the client (a tenant object's method that holds it) would
  // keep the client, and its core, for ever. The core gets stand-ins that reach them through a
  // WeakRef; `invoke` keeps them while a call runs, and an iterator while it lives.
  // (Workers before 2025-05-05 have no WeakRef: there js/weak.mjs's holds them, as before.)
  const held = {};
  const weak = new WeakRef(held);
  const out = [view];
  const hold = (k, f) => {
    if (typeof f == 'function') {
      out.held = held;
      held[k] = f;
      over[k] = standIn(weak, k);
    }
  };
  hold('fetch', fetch);
  hold('getAccessToken', getAccessToken);
  if (store == null) {
    hold('rateLimit', mine && admit(own, 1));
    return out;
  }
  try {
    if (typeof store.token !== 'function' || typeof store.acquire !== 'function') throw 0;
  } catch {
    throw makeError({ kind: 'invalid_argument', msg: OPT_STORE, at: AT_CLIENT });
  }
  const window = own == null || mine ? null : readAll(own, ['requests', 'perMs'], 'rateLimit.');
  // A `rateLimit` function of yours is awaited first and stays the limiter (the store keeps no
  // window then); `done` goes to both, and a call that gave up in between gives both back.
  const place = admit((signal) => store.acquire(window, signal));
  const yours = mine && admit(own, 1);
  hold('rateLimit', !mine
    ? place
    : (signal) =>
        yours(signal).then((first) =>
          place(signal).then(
            (second) => {
              // (a store's value that is no `done`: yours is given back, the core refuses it)
              if (second !== undefined && typeof second != 'function') return run(first), second;
              const both = (...a) => (run(first, ...a), run(second, ...a));
              if (!(signal && signal.aborted)) return both;
              both();
            },
            (e) => {
              run(first);
              throw e;
            },
          ),
        ));
  // Each attempt of the token request (its retries too) asks for a place like any attempt (the
  // store's, and your rateLimit function's), so the server sees at most `requests` arrivals in a
  // window, the token's included. It waits for one however long: no call holds a place while it
  // waits for a token (the core gives it back first), so places free up as requests land.
  // (a `rateLimit` object is checked here: both cores get the hook in its place)
  if (window) new Core([options]);
  // (made before `getAccessToken` is put in place: this core sends POST /token/get itself)
  const tokens = new Core([view]);
  HELD.set(tokens, held);
  if (!accessToken && getAccessToken == null) {
    // (`signal` fires when no call waits for the token any more: the store then stops waiting and
    // starts no fetch; one already started goes on, its token being the fleet's)
    // (`holder`, whom the token is for: a store shared by mistake across accounts must not hand
    // one origin's or user's token to another; the origin as URL writes it, the user name
    // lowercased, so one account written two ways is one holder)
    // (and its department: the API key names one, and a token acts in it; by a digest, as the
    // key is a credential)
    const bytes = (t) => new TextEncoder().encode(t);
    const holder = new URL(tokens.baseUrl).origin + ' ' + String(userName).toLowerCase() + ' ' + hmacSha1(bytes(String(apiKey)), bytes('holder')).slice(0, 16);
    // (not `invoke`: the store awaits it, not a caller; a failure keeps the stack it was made with)
    hold('getAccessToken', (rejected, signal) => store.token(() => keep(tokens, call(tokens, GET_TOKEN)), rejected, signal, holder));
    // The core bounds it by the timeout plus this: the token request's wait for a place (the
    // requests in flight land within the timeout, their places age out perMs later) and a 429
    // pause (at most 60 s honoured) are queueing, which timeouts do not count.
    over.getAccessToken.glassixStore = 61000 + (window ? window.perMs : 0);
  }
  return out;
}

/** The core's stand-in for hook `k`, calling it through `weak`. Made out here: a function made
 * inside `configure` would keep its whole scope (your options with it) alive. */
const standIn = (weak, k) => (...a) => (0, weak.deref()[k])(...a);

/** The hooks each core and iterator keeps (see `configure`). */
const HELD = new WeakMap();

/** `new GlassixClient(…)`'s core, which keeps the hooks its options gave. */
function core(args) {
  try {
    const a = configure(args);
    const c = new Core(a);
    HELD.set(c, a.held);
    return c;
  } catch (e) {
    throw restack(e, core);
  }
}

/** `r`, what a call on `on` (a core, an iterator) made: its hooks are kept while the promise is
 * pending, and while the iterator lives. */
function keep(on, r) {
  const held = HELD.get(on);
  if (held && r && typeof r == 'object') r instanceof Promise ? r.then(() => held, () => held) : HELD.set(r, held);
  return r;
}

/** A GlassixError's stack made where the caller is, not in the wasm (whose frames say nothing
 * to anyone): `Error.captureStackTrace`, frames from `at` up left out. Only an error `makeError`
 * made, and only once: an error of the caller's own (a hook's, a subclass's) keeps its stack, and
 * one failure handed to several calls (concurrent `getToken()`s) keeps the first's. Where that
 * leaves nothing (SpiderMonkey keeps no async frames), the stack stays as it was; JavaScriptCore
 * keeps the stack an error has. */
function restack(e, at) {
  if (MADE.delete(e) && Error.captureStackTrace) {
    const was = e.stack;
    try {
      Error.captureStackTrace(e, at);
      e.stack ||= was;
    } catch {}
  }
  return e;
}

/** What a call hands its caller: a promise's rejection restacked where the caller awaits it. An
 * async function, not a `.catch`: V8 follows either to the code awaiting it (`at async
 * yourFunction (app.js:12:20)`), JavaScriptCore (Bun) only an `await`. */
const handOut = (r) => (r instanceof Promise ? traced(r) : r);
async function traced(p) {
  try {
    return await p;
  } catch (e) {
    throw restack(e, traced);
  }
}

/** Whether `(a, b, c)` is what an array's `map`, `forEach`, `filter`… hand a callback: (value,
 * index, array). Nothing else has that shape: no method takes a number after its first argument. */
const isCallback = (a, b, c) => {
  try {
    return typeof b == 'number' && Array.isArray(c) && c[b] === a;
  } catch {
    return false; // (a revoked Proxy: left to the method's own checks)
  }
};

/** A row of the table called on `core` (the facade's methods). `ids.map(client.tickets.get)`
 * worked with glassix-js, whose methods ignored arguments past their own: the index and array
 * are left out, not read as options. */
function invoke(core, row, a, b, c) {
  try {
    if (isCallback(a, b, c)) b = c = undefined;
    return handOut(keep(core, call(core, row, a, b, c)));
  } catch (e) {
    throw restack(e, invoke);
  }
}

/** Whether the wasm is instantiated: at load in every entry but glassix-wasm/init, where
 * `init()` does it. */
let READY = false;
function ready(at = AT_CLIENT) {
  if (!READY) throw makeError({ kind: 'invalid_argument', msg: NOT_READY, at });
}

/** Names the classes and functions (the minifier's names would show) and hangs the package's
 * exports on GlassixClient: at load, in every entry (in glassix-wasm/init before `init()` too). */
function setup() {
  detachable(GlassixClient, 'GlassixClient');
  named(GlassixError, 'GlassixError');
  named(TicketIterator, 'TicketIterator');
  const free = { formatDate, verifyWebhook, parseWebhook };
  const api = { GlassixClient, default: GlassixClient, GlassixError, ...free };
  for (const name of Object.keys(api)) {
    if (name in free) named(api[name], name);
    Object.defineProperty(GlassixClient, name, { value: api[name], enumerable: true });
  }
}

/** Registers the hooks with the wasm (once it is instantiated) and returns the class the entries
 * export. */
function finish() {
  READY = true;
  __init(makeError, GlassixError, (pager) => make(pager, () => new TicketIterator()));
  return GlassixClient;
}
