'use strict';
// glassix-wasm/redis: a store (README "Many workers, one account") that shares one token, one
// rate window and the 429 pause between every client, in any process on any machine, built with
// the same Redis and prefix. It is the two hooks of the store interface (`token`, `acquire`)
// over the Lua scripts in ./lua.cjs; the client never loads it, nor any Redis library.
//
// - token: one fetch per expiry for the fleet. The fetcher holds a lock (SET NX PX, renewed while
//   it fetches, released by compare-and-delete) so a worker killed mid-fetch blocks the others
//   for at most `lockMs`; the others poll until the token is there or the lock is gone.
// - acquire: calls waiting in this process queue here in order, and only the head talks to
//   Redis, asking for as many places as there are callers waiting (at most CHUNK). A caller
//   whose signal fires leaves the queue at once. Places of
//   attempts in flight are leased and the lease renewed while they run, so a crashed process's
//   places lapse after `leaseMs`.
// - Every Redis command is bounded by `commandTimeout` and never repeated (a script that timed
//   out may still have run: repeating ADMIT could take places twice). A failure rejects the
//   waiting calls with a GlassixError of kind `network`; nothing falls back to a local limit.

const crypto = require('node:crypto');
const { errorMonitor } = require('node:events');
const { GlassixError } = require('../pkg/index.cjs');
const LUA = require('./lua.cjs');

/** Each script's SHA-1, the name Redis caches it under (EVALSHA). */
const SHA = Object.fromEntries(Object.entries(LUA).map(([name, src]) => [name, crypto.createHash('sha1').update(src).digest('hex')]));

const NAME = 'createRedisStore';
const DEFAULTS = { commandTimeout: 5000, lockMs: 10_000, leaseMs: 15_000 };
/** The fields of a token response the store shares (`POST /token/get` answers these). */
const SHARED_FIELDS = ['access_token', 'token_type', 'expires_in'];
const MAX_TIMER = 2 ** 31 - 1;
/** At most this many places or answers to put right are remembered while Redis fails, and at
 * most this many are sent in one command once it answers again. */
const REPAIR_KEEP = 10_000;
const REPAIR_BATCH = 1000;
/** How long the repair waits after a failed attempt before the next (ms). */
const REPAIR_RETRY_MS = 250;
/** At most this many places asked for in one script call. */
const CHUNK = 64;
/** How often a client waiting for another's token fetch looks again (ms, at most). */
const POLL_MS = 20;
/** A place whose attempt has been in flight this long is no longer renewed: its `done` was
 * probably never coming (a call aborted while its admission was on the way). */
const MAX_HOLD_MS = 10 * 60_000;
/** Retry-After beyond this is not honoured, as by the client itself. */
const MAX_RETRY_AFTER_S = 60;

const invalid = (text) => new GlassixError(`${NAME}: ${text}`, { kind: 'invalid_argument' });
/** `read()`, where whatever reading `what` throws (a revoked Proxy, a getter that throws) is an
 * invalid_argument naming it, with that error as the cause. */
function readable(what, read) {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof GlassixError) throw cause;
    throw new GlassixError(`${NAME}: ${what} could not be read`, { kind: 'invalid_argument', cause });
  }
}
/** `requests/perMs` (the limit key's form) as users write it. */
const limitText = (limit) => {
  const [requests, perMs] = String(limit).split('/');
  // (a client's own rateLimit function keeps no window in the store, as none does)
  return requests === '0' ? 'none (or a function of its own)' : `{ requests: ${requests}, perMs: ${perMs} }`;
};
const kindOf = (v) => (v == null ? String(v) : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : /^[aeiou]/.test(typeof v) ? `an ${typeof v}` : `a ${typeof v}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const noop = () => {};

/** Whether `client` is a node-redis 4 client in legacyMode (callback-style commands under the v4
 * names); its `v4` getter throws on a client that is not. */
function legacyMode(client) {
  try {
    return Boolean(client.v4) && typeof client.v4 === 'object';
  } catch {
    return false;
  }
}

/** How the two client libraries run a script: ioredis `evalsha(sha, numKeys, ...keys, ...args)`,
 * node-redis (v4+) `evalSha(sha, { keys, arguments })`. */
function scripting(client) {
  if (client && typeof client === 'object') {
    if (legacyMode(client)) throw invalid('a node-redis client in legacyMode cannot run the scripts: create one without legacyMode');
    // a pipeline or a MULTI (ioredis `redis.pipeline()`, node-redis `client.multi()`) has the
    // script commands but only queues them, and node-redis 5's `client.legacy()` answers through
    // callbacks: a client reports its connection, and none of these does
    const connected = typeof client.status === 'string' || typeof client.isOpen === 'boolean';
    if (!connected && (typeof client.evalSha === 'function' || typeof client.evalsha === 'function')) {
      throw invalid('the first argument must be an ioredis or node-redis client itself, not a pipeline, a MULTI or a legacy (callback) interface made from one, nor a client over HTTP (such as @upstash/redis): the store needs a connection');
    }
    if (typeof client.evalSha === 'function' && typeof client.eval === 'function') {
      return {
        evalsha: (sha, keys, args) => client.evalSha(sha, { keys, arguments: args }),
        eval: (src, keys, args) => client.eval(src, { keys, arguments: args }),
      };
    }
    if (typeof client.evalsha === 'function' && typeof client.eval === 'function') {
      return {
        evalsha: (sha, keys, args) => client.evalsha(sha, keys.length, ...keys, ...args),
        eval: (src, keys, args) => client.eval(src, keys.length, ...keys, ...args),
      };
    }
  }
  // (a promise: most likely node-redis's `createClient().connect()` not awaited)
  const what = client && typeof client.then === 'function' ? 'a Promise (await createClient().connect() first)'
    : client && typeof client === 'object' ? 'an object without eval/evalsha' : kindOf(client);
  throw invalid(`the first argument must be an ioredis client or a node-redis (v4+) client, not ${what}`);
}

function readOptions(options) {
  if (!options || typeof options !== 'object' || Array.isArray(options)) throw invalid(`options must be an object with a prefix, not ${kindOf(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'prefix' && !Object.hasOwn(DEFAULTS, key)) throw invalid(`unknown option ${JSON.stringify(key.slice(0, 40))} (known: prefix, ${Object.keys(DEFAULTS).join(', ')})`);
  }
  const { prefix } = options;
  if (typeof prefix !== 'string' || prefix.length === 0) throw invalid(`prefix must be a non-empty string (for example 'glassix:acme'), not ${typeof prefix === 'string' ? 'an empty string' : kindOf(prefix)}`);
  // the keys are `${prefix}:token` and so on: a prefix someone could not type into redis-cli, or
  // that matches other keys in a KEYS/SCAN pattern, is a mistake
  if (/[\s\u0000-\u001f\u007f-\u009f*?[\]\\]/.test(prefix)) throw invalid(`prefix must not contain whitespace, control characters or the pattern characters * ? [ ] \\ (for example 'glassix:acme')`);
  // a key name, not a payload: a lone surrogate has no UTF-8 form (Redis would get U+FFFD)
  if (prefix.length > 256 || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(prefix)) throw invalid(`prefix must be at most 256 characters of well-formed text (for example 'glassix:acme')`);
  const out = { prefix };
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const v = options[key] ?? fallback;
    // (at most what a timer can wait: a longer setTimeout fires after 1 ms)
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > MAX_TIMER) throw invalid(`${key} must be a number of milliseconds from 1 to ${MAX_TIMER} (about 24.8 days), not ${typeof v === 'number' ? String(v) : kindOf(v)}`);
    out[key] = Math.ceil(v); // PX and PEXPIRE take whole milliseconds
  }
  return out;
}

/** What the Redis client says of its connection, when it is not ready: ioredis's `status`
 * ('connecting', 'reconnecting', 'end', ...), node-redis's `isOpen` / `isReady`. The connection
 * errors themselves reach the client's own `error` listeners, which are the user's. */
function connectionState(client) {
  // (ioredis's words that read badly after "the Redis client is": `connect` is connected but not
  // ready yet, `end` closed for good)
  const WORDS = { wait: 'not connected yet', connect: 'connected, but not ready yet', close: 'closed', end: 'closed for good' };
  if (typeof client.status === 'string') return client.status === 'ready' ? null : WORDS[client.status] || client.status;
  if (typeof client.isReady === 'boolean') return client.isReady ? null : client.isOpen ? 'reconnecting' : 'not connected';
  // (node-redis clusters and pools have only `isOpen`)
  if (typeof client.isOpen === 'boolean') return client.isOpen ? null : 'not connected';
  return null;
}

/** The connection error each Redis client last reported (its `error` event) since it was last
 * ready, by client: one pair of listeners per client, however many stores share it. Watched
 * through `errorMonitor`, which is not a listener of `error`: a client nobody else listens to
 * behaves as without the store (node-redis throws the error, ioredis prints it and, having no
 * listener, emits nothing, so nothing is recorded). */
const lastErrors = new WeakMap();
function watchConnection(client) {
  if (lastErrors.has(client) || typeof client.on !== 'function') return;
  const seen = { error: undefined };
  lastErrors.set(client, seen);
  try {
    client.on(errorMonitor, (err) => (seen.error = err));
    client.on('ready', () => (seen.error = undefined));
  } catch {
    // (an object with an `on` that is not an EventEmitter's: nothing to record)
  }
}

/** A copy of a Redis library's error with its name, message, code and stack but not its other
 * fields: ioredis hangs the command's arguments on its errors, and one command's arguments are
 * the token (an AUTH's, the password). `cause`: the copy's own. */
function copyOf(err, cause) {
  // node-redis's TimeoutError has an empty message, and so has Node's AggregateError of a
  // connection refused on every address: say what it is rather than nothing
  const inner = Array.isArray(err?.errors) ? err.errors.map((e) => String(e?.message ?? e)).filter(Boolean).join('; ') : '';
  const said = String(err?.message ?? err) || inner || `${err?.constructor?.name || err?.name || 'an error'} with no message`;
  const copy = new Error(said, cause ? { cause } : undefined);
  for (const key of ['name', 'code', 'errno', 'syscall', 'address', 'port', 'stack']) {
    if (err && typeof err === 'object' && err[key] !== undefined) copy[key] = err[key];
  }
  return copy;
}

/** A Redis failure as the calls see it. The cause is a copy of the client library's error
 * (`copyOf`), or the timeout; when the client is not ready (`state`: what it says of its
 * connection, `connectionState`, added to the message), that cause's own cause is the connection
 * error the client last reported (`lastErrors`), copied the same way. */
function failure(prefix, err, state, client) {
  const lost = state && client ? lastErrors.get(client)?.error : undefined;
  const cause = copyOf(err, lost && lost !== err ? copyOf(lost) : undefined);
  const said = cause.message;
  const why = state ? `${said} (the Redis client is ${state})` : said;
  return new GlassixError(`the Redis store (prefix ${JSON.stringify(prefix)}) failed: ${why}`, { kind: 'network', cause });
}

/**
 * A store for `new GlassixClient({ ..., store })` on Redis: clients built with the same Redis
 * and `prefix` share their token, their `rateLimit` window and the 429 pause.
 * @param client an ioredis client, or a node-redis (v4+) client (connected by you)
 * @param options `{ prefix, commandTimeout?, lockMs?, leaseMs? }`
 */
function createRedisStore(client, options) {
  const redis = readable('the Redis client', () => scripting(client));
  readable('the Redis client', () => watchConnection(client));
  const { prefix, commandTimeout, lockMs, leaseMs } = readable('the options', () => readOptions(options));
  // On Redis Cluster the six keys must share a slot, which only a hash tag gives them (the
  // first `{…}` with something inside); without one every script fails with CROSSSLOT, a
  // network error to the calls, when it is the set-up that is wrong. (ioredis's Cluster says
  // so; node-redis's cluster is the one with slot lookups.)
  const cluster = readable('the Redis client', () => client.isCluster === true || typeof client.getSlotRandomNode === 'function');
  if (cluster && !/^[^{]*\{[^}]+\}/.test(prefix)) {
    throw invalid(`on Redis Cluster the prefix needs a hash tag, so that its keys share a slot: ${JSON.stringify('{' + prefix + '}')}, not ${JSON.stringify(prefix)}`);
  }
  const key = { token: `${prefix}:token`, lock: `${prefix}:lock`, failed: `${prefix}:failed`, window: `${prefix}:window`, pause: `${prefix}:pause`, limit: `${prefix}:limit` };
  // this store's place ids: <random>:<n>
  const self = crypto.randomBytes(9).toString('base64url');
  let counter = 0;

  /** The scripts this store has run: Redis has them cached (unless it restarted since). */
  const cached = new Set();

  /** Runs script `name` once, bounded by `commandTimeout`: the first time as EVAL (which caches
   * it), then as EVALSHA. A NOSCRIPT answer (Redis lost its cache: the script did not run) is the
   * one case that sends it again, as EVAL. One command per call matters at shutdown too: a
   * `done` sends its script without waiting, and a NOSCRIPT round trip could land after the
   * user's `quit()`. */
  function run(name, keys, args) {
    // A node-redis client (or cluster, or pool) that is not open is sent nothing: node-redis
    // rejects at once anyway, except a cluster never connected, which node-redis 4 answers by
    // spinning for ever on the second command
    if (client.isOpen === false && typeof client.status !== 'string') {
      return Promise.reject(failure(prefix, new Error('The client is closed'), connectionState(client), client));
    }
    const strings = args.map(String);
    const sent = (async () => {
      if (!cached.has(name)) {
        const reply = await redis.eval(LUA[name], keys, strings);
        cached.add(name);
        return reply;
      }
      try {
        return await redis.evalsha(SHA[name], keys, strings);
      } catch (err) {
        if (!/^NOSCRIPT/.test(String(err?.message))) throw err;
        return redis.eval(LUA[name], keys, strings);
      }
    })();
    let timer;
    // (the rejection waits for the loop's I/O: after the event loop was blocked past the deadline,
    // its timer and the reply that came meanwhile are both due, and timers run first)
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${commandTimeout} ms`))), commandTimeout);
    });
    sent.catch(noop); // if it fails after the timeout, nobody is waiting for it
    return Promise.race([sent, late])
      .then(
        (reply) => {
          // an answer: whatever connection error came before it is over, though a client that
          // never says 'ready' again (a node-redis cluster or pool: 'connect') did not say so
          const seen = lastErrors.get(client);
          if (seen) seen.error = undefined;
          return reply;
        },
        (err) => {
          throw failure(prefix, err, connectionState(client), client);
        },
      )
      .finally(() => clearTimeout(timer));
  }

  // ---------------------------------------------------------------- token

  /** The stored token response, its `expires_in` now what is left of its lifetime. */
  function stored([, json, dueMs]) {
    let response;
    try {
      response = JSON.parse(json);
    } catch {
      // (not the parser's error: its message quotes the start of the text, a token's perhaps)
      throw new GlassixError(`${NAME}: the token stored under prefix ${JSON.stringify(prefix)} is not valid JSON`, { kind: 'parse' });
    }
    if (typeof response === 'string') return response;
    if (Number(dueMs) > 0 && response.expires_in !== undefined) {
      // The client stops using a token a tenth of its lifetime (at most 5 minutes) before it
      // expires. Handed what is left of it, late in its life it would keep it until a tenth of
      // that (a few hundred ms) before the end; so it is handed the lifetime whose stopping point
      // is this store's due point, as for a token it had fetched itself.
      const due = Number(dueMs);
      response.expires_in = (due <= 2_700_000 ? due / 0.9 : due + 300_000) / 1000;
    }
    return response;
  }

  /** Fetches the token while holding the lock `lockId` (renewed meanwhile), stores it, and
   * releases the lock. A failed fetch releases the lock and rejects with the fetch's error. */
  async function fetchAndStore(fetch, lockId, holder) {
    const renew = setInterval(() => run('LOCK', [key.lock], [lockId, lockMs]).catch(noop), Math.max(1, lockMs / 3));
    renew.unref?.();
    let response;
    const started = performance.now();
    try {
      response = await fetch();
    } catch (err) {
      clearInterval(renew);
      // (not awaited: the fetch's error is the answer, now, not after a Redis that is away
      // too has timed out; Redis runs this connection's commands in order, so a fetch that
      // follows finds the lock released.) The clients that waited for this fetch reject with its
      // failure rather than each send a token request series of its own to an endpoint that is
      // failing (and throttled): only a failure of the endpoint itself (a 5xx, a 429, an answer
      // that is no token response), never one of this client's own (its timeout, its network,
      // its credentials: a 4xx, its options), which another client's fetch may not meet.
      const shared = endpointFailure(err) ? failureJson(err) : undefined;
      (shared ? run('FAIL', [key.lock, key.failed], [lockId, shared, lockMs]) : run('LOCK', [key.lock], [lockId, ''])).catch(noop);
      throw err;
    }
    clearInterval(renew);
    const value = typeof response === 'string' ? response : response?.access_token;
    // (read as the client reads it: a number, or a numeric string; anything else is no lifetime)
    const given = typeof response === 'object' && response ? response.expires_in : undefined;
    const lifetimeS = typeof given === 'number' || typeof given === 'string' ? Number(given) : NaN;
    // due for refresh like the client's own token: 10 % of its lifetime (at most 5 minutes)
    // before it expires, counted from when the fetch started
    const margin = lifetimeS > 0 ? Math.min(lifetimeS * 100, 300_000) : 0;
    // (no expires_in: kept until a 401; 0 or less: due already, never stored: the next call asks
    // for another, as a client without a store does)
    const due = lifetimeS > 0 ? Math.floor(lifetimeS * 1000 - margin - (performance.now() - started)) : lifetimeS <= 0 ? 0 : Infinity;
    if (typeof value === 'string' && due > 0) {
      // Only the token response's own fields are shared: a server that echoed the request back
      // (apiKey, apiSecret) must not have it written to Redis and handed to every worker.
      const shared = typeof response === 'string' ? response : Object.fromEntries(SHARED_FIELDS.filter((k) => response[k] !== undefined).map((k) => [k, response[k]]));
      // If this fails the token is still good: this call uses it, and the failing Redis
      // rejects the call's admission anyway.
      await run('STORE', [key.token, key.lock], [value, JSON.stringify(shared), margin, Number.isFinite(due) ? due : '', lockId, holder]).catch(noop);
    } else {
      await run('LOCK', [key.lock], [lockId, '']).catch(noop);
    }
    return response;
  }

  /** Whether a failed token fetch failed at the token endpoint, for every client alike. */
  const endpointFailure = (err) => err instanceof GlassixError && ((err.kind === 'http' && (err.status === 429 || err.status >= 500)) || err.kind === 'parse');

  /** A failed token fetch as the clients that waited for it see it: its message (the client's
   * own, credentials already cut), kind, status, `Retry-After` and body (already redacted; left
   * out past 4 KB of JSON). */
  function failureJson(err) {
    const f = { message: err.message, kind: err.kind, status: err.status, retryAfter: err.retryAfter };
    try {
      const all = JSON.stringify({ ...f, body: err.body });
      if (all.length <= 4096) return all;
    } catch {
      // (a body JSON cannot write: left out)
    }
    return JSON.stringify(f);
  }

  /** The failure of the fetch a client waited for, thrown as that fetch's own error was. */
  function sharedFailure(json) {
    let f;
    try {
      f = JSON.parse(json);
    } catch {
      f = {};
    }
    const message = typeof f.message === 'string' ? f.message : `${NAME}: the token request another client made failed`;
    return new GlassixError(message, { kind: f.kind || 'network', status: f.status ?? undefined, retryAfter: f.retryAfter ?? undefined, body: f.body });
  }

  /** `signal` fires when no call of the client waits for the token any more: it then stops
   * waiting for another client's fetch, and fetches nothing itself. `holder` (the client's origin,
   * user name and department) is stored with the token: a client of another holder on the same prefix
   * is refused it, never handed another origin's or user's token. */
  async function token(fetch, rejected, signal, holder = '') {
    const lockId = `${self}:${crypto.randomBytes(6).toString('base64url')}`;
    const refused = typeof rejected === 'string' ? rejected : '';
    // (the fetch this client waits for, if another client's: its failure is this one's too)
    let waited = '';
    for (;;) {
      if (signal?.aborted) throw new GlassixError(`${NAME}: no call waits for the token any more`, { kind: 'aborted', cause: signal.reason });
      const r = await run('TOKEN', [key.token, key.lock, key.failed], [refused, lockId, lockMs, String(holder), waited]);
      // (the lock just taken is given back at once if nobody wants the token)
      if (Number(r[0]) === 2 && signal?.aborted) {
        await run('LOCK', [key.lock], [lockId, '']).catch(noop);
        continue;
      }
      if (Number(r[0]) === 3) {
        throw invalid(`the token under prefix ${JSON.stringify(prefix)} is for ${r[1] ? JSON.stringify(r[1]) : 'another client'}, not ${JSON.stringify(String(holder))} (origin, user and department): give each Glassix account, department and user a prefix of its own`);
      }
      if (Number(r[0]) === 1) return stored(r);
      if (Number(r[0]) === 2) return fetchAndStore(fetch, lockId, String(holder));
      if (Number(r[0]) === 4) throw sharedFailure(r[1]);
      if (Number(r[0]) !== 0) throw failure(prefix, new Error('the token script answered something unexpected'));
      // another client is fetching: look again soon (or when its lock runs out)
      waited = String(r[2] ?? '');
      await sleep(Math.min(POLL_MS, Math.max(1, Number(r[1]) || 1)));
    }
  }

  // ---------------------------------------------------------------- admission

  /** One queue of waiting callers per window (a store is normally used with one). */
  const lanes = new Map();
  const laneOf = (window) => {
    const id = window ? `${window.requests}/${window.perMs}` : 'none';
    let lane = lanes.get(id);
    if (!lane) {
      lane = { window, queue: [], pumping: false, inFlight: new Map(), renewer: null, wake: null };
      lanes.set(id, lane);
    }
    return lane;
  };

  /** Keeps the leases of this lane's attempts in flight alive while there are any. */
  function renewLeases(lane) {
    if (lane.renewer || !lane.window) return;
    lane.renewer = setInterval(() => {
      const now = performance.now();
      for (const [member, since] of lane.inFlight) if (now - since > MAX_HOLD_MS) lane.inFlight.delete(member);
      if (lane.inFlight.size === 0) {
        clearInterval(lane.renewer);
        lane.renewer = null;
        return;
      }
      run('RENEW', [key.window], [leaseMs, lane.window.perMs, ...lane.inFlight.keys()]).catch(noop);
    }, Math.max(1, leaseMs / 3));
    lane.renewer.unref?.();
  }

  /** A place that was never used goes back to the window; this store's waiters look again. If
   * Redis does not answer, it goes back once Redis does (repair), rather than held for its lease. */
  function giveBack(lane, member) {
    run('CANCEL', [key.window], [member]).then(
      () => lane.wake?.(),
      () => {
        if (orphans.length < REPAIR_KEEP) orphans.push([member, lane.window.perMs, performance.now()]);
        repair();
      },
    );
  }

  // What a failed command may have left wrong in Redis, put right once Redis answers again. A
  // command that timed out here can still run there later (the server was only slow, or the
  // client re-sends it on reconnect, as ioredis does): an ADMIT then holds places nobody owns
  // until its lease ends, which stalled the whole fleet for leaseMs + perMs after a short outage.
  // Its members are given back, and so are places whose give-back (CANCEL) failed; a DONE that
  // failed is sent again, aged from when it was due.
  // This runs on its own, retrying until Redis answers, so a process that makes no further call
  // puts right what it left too. Redis runs one connection's commands in order, so once a CANCEL
  // is answered, the late ADMIT before it has run. Both lists are bounded, and an entry older
  // than its lease (and window) is dropped: it has lapsed in Redis anyway.
  const orphans = []; // [member, perMs, at]
  const lateDone = []; // [member, pause ms, perMs, response headers at, at]
  let repairing = false;
  async function repair() {
    if (repairing) return;
    repairing = true;
    while (orphans.length || lateDone.length) {
      const now = performance.now();
      const members = orphans.splice(0, REPAIR_BATCH).filter(([, perMs, at]) => now - at < leaseMs + perMs);
      const done = lateDone.splice(0, REPAIR_BATCH).filter(([, , , , at]) => now - at < leaseMs);
      try {
        if (members.length) await run('CANCEL', [key.window], members.map(([member]) => member));
        for (const [member, pause, perMs, headersAt] of done) {
          const left = pause === '' ? 0 : pause - (performance.now() - headersAt);
          if (!member && left <= 0) continue;
          await run('DONE', [key.window, key.pause], [member, left > 0 ? Math.ceil(left) : '', perMs, Math.max(0, performance.now() - headersAt)]);
        }
        for (const lane of lanes.values()) lane.wake?.();
      } catch {
        // still no answer: again a little later (a DONE sent twice sets the same score)
        orphans.unshift(...members);
        lateDone.unshift(...done);
        await new Promise((resolve) => setTimeout(resolve, REPAIR_RETRY_MS).unref?.());
      }
    }
    repairing = false;
  }

  /** The attempt's `done(status, retryAfter, ago)`: its place ages from when its response
   * headers arrived (`ago` ms before now); a 429's Retry-After pauses every client. `done()`
   * with no arguments: nothing was sent, and the place is given back. Called once by the
   * client; later calls do nothing. */
  function doneFor(lane, member) {
    let called = false;
    return (...args) => {
      if (called) return;
      called = true;
      if (member) lane.inFlight.delete(member);
      if (args.length === 0) {
        if (member) giveBack(lane, member);
        return;
      }
      const [status, retryAfter, ago] = args;
      const pause = status === 429 && typeof retryAfter === 'number' && retryAfter > 0 && retryAfter <= MAX_RETRY_AFTER_S ? Math.ceil(retryAfter * 1000) : '';
      if (!member && pause === '') return;
      // nobody waits for this: if Redis fails, it is sent again once Redis answers (repair)
      const since = typeof ago === 'number' && ago > 0 && ago < leaseMs ? Math.floor(ago) : 0;
      const perMs = lane.window ? Math.ceil(lane.window.perMs) : 1;
      const headersAt = performance.now() - since;
      run('DONE', [key.window, key.pause], [member || '', pause, perMs, since]).catch(() => {
        if (lateDone.length < REPAIR_KEEP) lateDone.push([member || '', pause, perMs, headersAt, performance.now()]);
        repair();
      });
    };
  }

  /** Serves the lane's queue in order until it is empty. */
  async function pump(lane) {
    lane.pumping = true;
    const { window } = lane;
    while (lane.queue.length) {
      const wanted = Math.min(lane.queue.length, CHUNK);
      // the ids are this call's before it awaits (another lane may ask meanwhile); unused ones
      // are skipped
      const first = counter;
      counter += wanted;
      let admitted;
      let wait;
      try {
        const r = await run('ADMIT', [key.window, key.pause, key.limit], [window ? window.requests : 0, window ? window.perMs : 0, wanted, leaseMs, self, first]);
        if (Number(r[0]) === -1) {
          // another rateLimit on this prefix: nothing was admitted, nothing to put right
          const mine = window ? `${window.requests}/${window.perMs}` : '0/0';
          const err = invalid(`the clients on prefix ${JSON.stringify(prefix)} admit under rateLimit ${limitText(r[1])}, this one under ${limitText(mine)}: every client on one prefix must use the same rateLimit`);
          for (const waiter of lane.queue.splice(0)) waiter.reject(err);
          break;
        }
        [admitted, wait] = r.map(Number);
        if (!(admitted >= 0 && admitted <= wanted)) throw failure(prefix, new Error('the admission script answered something unexpected'));
      } catch (err) {
        // Redis is not answering: every caller waiting now gets the error (one by one, each
        // would wait commandTimeout again). The script may still run later: its places go back
        // once Redis answers (repair).
        if (window) for (let i = 0; i < wanted && orphans.length < REPAIR_KEEP; i++) orphans.push([`${self}:${first + i}`, window.perMs, performance.now()]);
        repair();
        for (const waiter of lane.queue.splice(0)) waiter.reject(err);
        break;
      }
      const now = performance.now();
      for (let i = 0; i < admitted; i++) {
        const member = window ? `${self}:${first + i}` : null;
        const waiter = lane.queue.shift();
        // its caller gave up while the script ran: the place goes back
        if (!waiter) {
          if (member) giveBack(lane, member);
          continue;
        }
        if (member) lane.inFlight.set(member, now);
        waiter.resolve(doneFor(lane, member));
      }
      if (admitted > 0) renewLeases(lane);
      if (admitted < wanted && lane.queue.length) {
        // until a place should have aged out, or one of this store's is given back, or the
        // queue empties (its callers gave up: the process is not kept alive for nothing)
        // (a perMs beyond what a timer can wait is waited for in steps)
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, Math.min(wait, MAX_TIMER));
          lane.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        lane.wake = null;
      }
    }
    lane.pumping = false;
  }

  /** Callers whose signal fired leave the queue at once: they ask for no place (they resolve
   * with nothing; the call is over). */
  function dropAborted() {
    for (const lane of lanes.values()) {
      if (!lane.queue.some((waiter) => waiter.signal?.aborted)) continue;
      for (const waiter of lane.queue) if (waiter.signal?.aborted) waiter.resolve(undefined);
      lane.queue = lane.queue.filter((waiter) => !waiter.signal?.aborted);
      if (!lane.queue.length) lane.wake?.();
    }
  }
  /** One `abort` listener per signal, however many calls share it (eleven listeners on one
   * signal make Node warn). */
  const watched = new WeakSet();

  /** Resolves when an attempt may start, with its `done`. `signal`: the call's, if it has one. */
  function acquire(window, signal) {
    const lane = laneOf(window && typeof window === 'object' ? window : null);
    const watch = signal && typeof signal === 'object' && typeof signal.addEventListener === 'function' ? signal : null;
    if (watch?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      lane.queue.push({ resolve, reject, signal: watch });
      if (watch && !watched.has(watch)) {
        watched.add(watch);
        watch.addEventListener('abort', dropAborted, { once: true });
      }
      if (!lane.pumping) pump(lane);
    });
  }

  return { token, acquire };
}

module.exports = { createRedisStore };
