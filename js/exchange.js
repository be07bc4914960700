// The few functions the wasm imports from JS because they are smaller or safer here: two checks
// that look at a caller's whole object (`plain`, `unknownKey`: they catch what a throwing getter or
// a revoked Proxy throws, which must never unwind through the wasm), one attempt's exchange
// with the server (`exchange`, which the attempt's `stop` ends), and the clock and timers the
// rate window and the 429 pause run on (`mono`, `timer`). js/runtime.js uses `plain` too.

// The clock of what measures elapsed time, the rate window and the 429 pause (`mono`): the
// monotonic one, since the wall clock steps. It never goes back, even when `performance` is
// faked and starts again from 0 (sinon's, jest's). Every wait of the wasm is a `timer`; one that
// fires while `mono` says more than 2 ms are still to go, but `Date` says its time has passed,
// was faked with `Date` while `performance` was not (node:test's `mock.timers`), or the machine
// slept while `performance` stood still: `mono` moves on by what it missed, so 429 pauses and the
// window follow. A runtime's own timer that fires early (up to a 15.6 ms quantum, Bun's on
// Windows) is early by `Date` too: it never moves the clock, so the window never opens early.
let skew = 0;
let last = 0;
export function mono() {
  const t = performance.now() + skew;
  if (t < last) skew += last - t;
  else last = t;
  return last;
}
export function timer(f, ms) {
  const end = mono() + ms;
  const wall = Date.now();
  return setTimeout(() => {
    const missed = end - mono();
    if (missed > 2 && Date.now() - wall >= ms) skew += missed;
    f();
  }, ms);
}

/** Whether `v` is a stream (it has a `pipe` method, looked up only when present: a strict Proxy
 * stays readable): the npm form-data package's object, given as a JSON body, sent its internals.
 * (js/runtime.js names such a value in messages.) */
export const isStream = (v) => 'pipe' in v && typeof v.pipe == 'function';

/** Whether `v` is a plain object (`{…}`, a class instance, `Object.create(null)`, a module
 * namespace, one from another realm): not an array, a function, nor an instance of one of the
 * runtime's own classes (a Date, Map, URLSearchParams, Headers, FormData, Blob…) whose data
 * `Object.entries` and `JSON.stringify` would silently lose, nor a stream. By class, not by `toString` tag: a
 * class of the app's may name itself with `Symbol.toStringTag`. A revoked Proxy is not plain
 * either (it throws here, never inside the wasm). */
export function plain(v) {
  try {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const c = Object.getPrototypeOf(v)?.constructor;
    // (an iterable is a collection: another realm's Map or Headers is no class of this one)
    return !(c !== Object && typeof c === 'function' && globalThis[c.name] === c) && !(Symbol.iterator in v) && !isStream(v) && Object.prototype.toString.call(v) !== '[object Date]';
  } catch {
    return false;
  }
}

/** The first own key of `v` not among `known` (names separated by spaces or `, `), if any: a misspelt
 * option; or `[key, error]` for a known one whose getter throws (the reader would take it for
 * "not given"). Keys that cannot be listed (a throwing Proxy trap) count as unknown. */
export function unknownKey(v, known) {
  try {
    const names = known.split(/,? /);
    for (const k of Object.keys(v)) {
      if (!names.includes(k)) return k;
      try {
        v[k];
      } catch (error) {
        return [k, error];
      }
    }
  } catch {
    return '?';
  }
}

/** `v instanceof c`, by the class's own `Symbol.hasInstance` (a GlassixError of any entry is a
 * GlassixError); false where that throws (a revoked Proxy, a class that is no function). */
export function isA(v, c) {
  try {
    return v instanceof c;
  } catch {
    return false;
  }
}

/** Whether a `tickets/list` answer is a page: `{ tickets: [...], paging: { next } }`, `tickets`
 * left out only when nothing else is there (an empty last page), `paging` and `next` left out or
 * null, `next` a string. Anything else would end a list short without a word: a bare array, a
 * `paging` that is no object, a `next` that is no string, or a key in another casing (`Tickets`,
 * `Paging`, `Next`). Other keys beside a `tickets` array are the API's to add. */
export function isPage(b) {
  // every key of `o` is one of `known`, or no other casing of one (`strict`: one of them)
  const keys = (o, known, strict) => plain(o) && Object.keys(o).every((k) => known.includes(k) || (!strict && !known.includes(k.toLowerCase())));
  const p = b?.paging;
  return keys(b, ['tickets', 'paging'], b?.tickets == null) && (b.tickets == null || Array.isArray(b.tickets)) && (p == null || (keys(p, ['next']) && (p.next == null || typeof p.next == 'string')));
}

// One attempt's exchange with the server, for src/transport.rs: the fetch, then the whole body,
// as one promise. The wasm awaits it once per attempt instead of twice (a fetch and an
// arrayBuffer), which saves two wasm-bindgen closures and a round through the wasm's task queue
// per call; every decision (redirects, status, retries, decoding) stays in Rust.
//
// `request` is what gloo-net's builder built, with the attempt's signal (`ctl`'s) in it;
// `redirect: 'manual'` is added here (a redirect is never followed: Rust refuses the 3xx or the
// opaque redirect). The package's build defers the `Request` itself (scripts/short-imports.mjs,
// `deferRequest`): `request` is `{ url, init }`, which the runtime's fetch takes as
// `fetch(url, init)`, the same request by the Fetch standard, sparing undici a `Request` and a
// copy of it; a caller-supplied fetch (`how & 1`) gets one `Request`. An undeferred build (the wasm
// tests) hands a `Request` as it is.
//
// `how` holds two bits: 1, the fetch is a caller's; 2, the request is one the client never sends
// twice whose method a runtime takes as safe to send again (`tickets.setDepartment`, a PUT that
// copies the ticket): it goes with `keepalive: false`, the Fetch standard's default, which Bun
// reads as "on a connection of its own" (Bun sends a GET, PUT or DELETE again, by itself, when
// the keep-alive connection it reused is reset, and never one it opened for the request).
//
// Resolves as the response's headers arrive, with [response, headersAt, body], or [value,
// headersAt] when a caller-supplied fetch resolved with something that is not a Response (or
// only passes for one). `body` is the rest, already being read: a promise of [ArrayBuffer], or
// [undefined, error] when the body could not be read (the rate window learns of the headers
// before the body is in: a slow body does not hold the window). Each rejects as fetch does, or
// (with nothing) when `ctl.stop()`, which it puts there, ends the wait: the attempt's timeout
// and the caller's abort end it there, whatever the fetch does with the signal. (A caller's
// fetch may ignore it; Node 20's leaves a body read pending for ever after an abort when the
// body does not match its `Content-Encoding` and the connection closes.)
export function exchange(fetch, request, how, ctl) {
  return new Promise((resolve, reject) => {
    // (aborts, then rejects what is awaited now, the headers or the body: with nothing,
    // `abort()`'s value)
    let fail = reject;
    ctl.stop = () => fail(ctl.abort());
    // (`redirect: 'manual'` set here: gloo-net's builder takes it as an enum whose string table
    // would cost the glue more)
    const manual = { redirect: 'manual', keepalive: how & 2 ? false : undefined };
    const parts = request instanceof Request ? [request, manual] : [request.url, Object.assign(request.init, manual)];
    // (settled through `then`, not `resolve(promise)`: a promise resolved with another follows
    // it, and `stop`'s reject would be ignored)
    Promise.resolve(how & 1 ? fetch(new Request(...parts)) : fetch(...parts))
      .then((response) => {
        // (the rate window's clock, `mono`; runtimes coarsen it to the millisecond: the headers
        // may have come up to 1 ms after it, and a place in the window must not age from before
        // they did)
        const at = mono() + 1;
        if (!(response instanceof Response)) return [response, at];
        // (nor is an object from a caller's fetch that only passes for one, or whose getters
        // throw: the wasm reads its status, type and headers, and must never unwind; the
        // runtime's own fetch resolves with real ones, so its calls skip the probe)
        if (how & 1) {
          try {
            void (response.status + response.type + response.headers.get('content-type'));
          } catch {
            return [response, at];
          }
        }
        const body = new Promise((done, reject) => {
          fail = reject;
          response.arrayBuffer().then((buf) => done([buf]), (error) => done([, error]));
        });
        // (handled: a body no one awaits, after a refused redirect, may still be stopped)
        body.catch(() => {});
        return [response, at, body];
      })
      .then(resolve, reject);
  });
}

const settled = Promise.resolve();
/** Calls `run(id)` (src/task.rs: polls a task of the wasm) in a promise reaction queued now, so in
 * the async context queued now (Node's `AsyncLocalStorage`, which OpenTelemetry reads). A
 * reaction, not `queueMicrotask`, which test runners' fake timers replace (jest's
 * `useFakeTimers()` does by default: a task queued there ran only when the test moved the clock). */
export function schedule(run, id) {
  settled.then(() => run(id));
}

/** A function that, called by anyone in any context, calls `run(id)` (`id` 0: nothing) in a
 * reaction of a promise made now, so in the async context of now (src/task.rs, `park`: a task
 * waiting to be woken, which workerd resumes only through a promise made in its own request). */
export function park(run, id) {
  let wake;
  new Promise((r) => (wake = r)).then(() => id && run(id));
  return wake;
}

/** A webhook's raw body as bytes, left in JS (a body copied into the wasm grew its memory, which
 * never shrinks, by the largest body ever verified, three times that for text): a string as
 * UTF-8, a `Uint8Array` (a Node `Buffer`) as it is, an `ArrayBuffer` whole; anything else
 * `undefined`, never a throw (it would unwind through the wasm). Checked by the built-in getters
 * that read an object's internal slots, which work on any realm's arrays (a `vm` context's, Jest's
 * jsdom environment's, an iframe's) and throw for anything else, so no `Symbol.toStringTag` can
 * forge one: `%TypedArray%`'s tag getter names the array's own type (a `DataView` or another
 * typed array is refused), `ArrayBuffer`'s `byteLength` getter refuses a `SharedArrayBuffer`. */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
const bufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
export function bodyBytes(v) {
  try {
    if (typeof v == 'string') return new TextEncoder().encode(v);
    if (typedArrayName.call(v) == 'Uint8Array') return v;
    bufferLength.call(v);
    return new Uint8Array(v);
  } catch {}
}

/** A copy of the runtime's `FormData` `v` as it is now, or `undefined` for anything else (never a
 * throw: it would unwind through the wasm). Its values are strings and `File`s, which do not
 * change, so a form reused in a loop (`form.set('file', next)`) sends each upload what it held
 * when the call was made, as every other argument is read then. */
export function formCopy(v) {
  try {
    if (v instanceof FormData) {
      const copy = new FormData();
      for (const [k, x] of v) copy.append(k, x);
      return copy;
    }
  } catch {}
}

/** HMAC-SHA1 (RFC 2104) of `message` keyed with `key` (both Uint8Arrays), as 40 lower-case hex
 * digits. Webhook signatures (src/webhooks.rs) need it synchronously, which WebCrypto is not; in
 * JS it costs about 1.5 KB gzip less than a SHA-1 in the wasm (README, Performance). Tested
 * against node:crypto (tests/webhooks.test.mjs). */
export function hmacSha1(key, message) {
  if (key.length > 64) key = sha1(key);
  const pad = (x) => {
    const k = new Uint8Array(64);
    k.set(key);
    return k.map((b) => b ^ x);
  };
  return Array.from(sha1(pad(0x5c), sha1(pad(0x36), message)), (b) => (b + 256).toString(16).slice(1)).join('');
}

/** SHA-1 (FIPS 180-4) of `head` followed by `tail` (Uint8Arrays), without joining them: HMAC
 * hashes a 64-byte pad followed by the message, which may be large. */
function sha1(head, tail = head.subarray(0, 0)) {
  const h0 = head.length;
  const n = h0 + tail.length;
  const blocks = ((n + 8) >>> 6) + 1;
  const m = new Uint32Array(blocks * 16);
  for (let i = 0; i < n; i++) m[i >> 2] |= (i < h0 ? head[i] : tail[i - h0]) << (24 - (i & 3) * 8);
  m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
  m[blocks * 16 - 2] = n / 0x20000000; // the length in bits, as two 32-bit words
  m[blocks * 16 - 1] = n << 3;
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let i = 0; i < m.length; i += 16) {
    let [a, b, c, d, e] = h;
    for (let j = 0; j < 80; j++) {
      w[j] = j < 16 ? m[i + j] : ((w[j] = w[j - 3] ^ w[j - 8] ^ w[j - 14] ^ w[j - 16]) << 1) | (w[j] >>> 31);
      const f = j < 20 ? ((b & c) | (~b & d)) + 0x5a827999 : j < 40 ? (b ^ c ^ d) + 0x6ed9eba1 : j < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + w[j]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  return Uint8Array.from({ length: 20 }, (_, i) => h[i >> 2] >>> (24 - (i & 3) * 8));
}
