// The few functions the wasm imports from JS because they are smaller or safer here: two checks
// that look at a caller's whole object (`plain`, `unknownKey`: they catch what a throwing getter or
// a revoked Proxy throws, which must never unwind through the wasm), and one attempt's exchange
// with the server (`exchange`). js/runtime.js uses `plain` too.

/** Whether `v` is a plain object (`{…}`, a class instance, `Object.create(null)`, a module
 * namespace, one from another realm): not an array, a function, nor an instance of one of the
 * runtime's own classes (a Date, Map, URLSearchParams, Headers, FormData, Blob…) whose data
 * `Object.entries` and `JSON.stringify` would silently lose. By class, not by `toString` tag: a
 * class of the app's may name itself with `Symbol.toStringTag`. A revoked Proxy is not plain
 * either (it throws here, never inside the wasm). */
export function plain(v) {
  try {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const c = Object.getPrototypeOf(v)?.constructor;
    // (an iterable is a collection: another realm's Map or Headers is no class of this one)
    return !(c !== Object && typeof c === 'function' && globalThis[c.name] === c) && !(Symbol.iterator in v) && Object.prototype.toString.call(v) !== '[object Date]';
  } catch {
    return false;
  }
}

/** The first own key of `v` not among `known` (names separated by spaces), if any: a misspelt
 * option; or `[key, error]` for a known one whose getter throws (the reader would take it for
 * "not given"). Keys that cannot be listed (a throwing Proxy trap) count as unknown. */
export function unknownKey(v, known) {
  try {
    const names = known.split(' ');
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

// One attempt's exchange with the server, for src/transport.rs: the fetch, then the whole body,
// as one promise. The wasm awaits it once per attempt instead of twice (a fetch and an
// arrayBuffer), which saves two wasm-bindgen closures and a round through the wasm's task queue
// per call; every decision (redirects, status, retries, decoding) stays in Rust.
//
// `request` is what gloo-net's builder built, with the attempt's signal in it. The package's
// build defers the `Request` itself (scripts/short-imports.mjs, `deferRequest`): `request` is
// `{ url, init }`, which the runtime's fetch takes as `fetch(url, init)`, the same request by the
// Fetch standard, sparing undici a `Request` and a copy of it; a caller-supplied fetch (`own`) gets
// one `Request`. An undeferred build (the wasm tests) hands a `Request` as it is.
//
// Resolves with [response, headersAt, body] (body: an ArrayBuffer), [response, headersAt,
// undefined, error] when the body could not be read, or [value, headersAt] when a caller-supplied
// fetch resolved with something that is not a Response. Rejects as fetch does.
export function exchange(fetch, request, own) {
  let sent;
  try {
    const parts = request instanceof Request ? [request] : [request.url, request.init];
    sent = Promise.resolve(own ? fetch(new Request(...parts)) : fetch(...parts));
  } catch (error) {
    return Promise.reject(error);
  }
  return sent.then((response) => {
    const at = Date.now();
    if (!(response instanceof Response)) return [response, at];
    return response.arrayBuffer().then(
      (body) => [response, at, body],
      (error) => [response, at, undefined, error],
    );
  });
}
