// A complete store in one process's memory: the reference for the store interface (README:
// "Many workers, one account"), shipped in the package (node_modules/glassix-wasm/examples/
// memory-store.mjs: copy it, it is not an export), and what the tests share between clients standing in for processes. A store for Postgres or
// DynamoDB has the same two methods over its own atomic operations.
import { GlassixError } from 'glassix-wasm';

export function createMemoryStore() {
  let shared = null; // { response, value, until, expires }
  let refreshing = null; // the one token fetch in progress
  const places = new Map(); // id -> time the place ages from (Infinity while in flight)
  let pausedUntil = 0;
  let next = 0;
  let holder = null; // whom the token is for: one store serves one API root, user and department
  const wakeups = new Set();
  const wakeAll = () => {
    for (const w of wakeups) w();
    wakeups.clear();
  };
  // one `abort` listener per signal, however many calls share it (Node warns past ten)
  const aborts = new WeakMap();
  const onAbort = (signal) => {
    let wakes = aborts.get(signal);
    if (!wakes) {
      wakes = new Set();
      aborts.set(signal, wakes);
      signal.addEventListener('abort', () => wakes.forEach((w) => w()), { once: true });
    }
    return wakes;
  };
  const store = {
    tokenFetches: 0,
    /** The fleet's token: the shared one, unless it is the one the API just rejected. Never
     * another holder's (API root, user and department): a client of another is refused, as a
     * mistake in the set-up (kind invalid_argument: not a passing fault to retry). */
    async token(fetch, rejected, signal, of) {
      holder ??= of;
      if (of !== holder) throw new GlassixError(`this store holds the token of ${holder}, not of ${of}: give each account its own store`, { kind: 'invalid_argument' });
      if (shared && rejected !== undefined && shared.value === rejected) shared = null;
      // A token fetched earlier is handed out with `expires_in` cut to what is left of its
      // lifetime: a client that joins late refreshes from that, not from a whole lifetime.
      if (shared && Date.now() < shared.until) {
        const left = (shared.expires - Date.now()) / 1000;
        return Number.isFinite(left) ? { ...shared.response, expires_in: left } : shared.response;
      }
      refreshing ??= (async () => {
        store.tokenFetches += 1;
        const response = await fetch();
        const fetched = Date.now();
        const lifetime = Number(response.expires_in) * 1000 || Infinity;
        shared = { response, value: response.access_token, until: fetched + lifetime * 0.9, expires: fetched + lifetime };
        return response;
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    /** Resolves when an attempt may start, with its `done(status, retryAfter, ago)`; with
     * nothing once the call's `signal` has fired (the call gave up: it needs no place). */
    async acquire(window, signal) {
      for (;;) {
        if (signal?.aborted) return undefined;
        const now = Date.now();
        let wait = pausedUntil - now;
        if (wait <= 0 && window) {
          for (const [id, since] of places) if (since + window.perMs <= now) places.delete(id);
          if (places.size >= window.requests) wait = Math.min(...places.values()) + window.perMs - now;
        }
        if (wait <= 0) break;
        await new Promise((resolve) => {
          const wakes = signal ? onAbort(signal) : null;
          const wake = () => {
            clearTimeout(t);
            wakes?.delete(wake);
            resolve();
          };
          // (timers take at most 2^31 - 1 ms: a longer wait is taken in steps, the loop looks again)
          const t = setTimeout(wake, Math.min(wait, 2 ** 31 - 1));
          wakeups.add(wake);
          wakes?.add(wake);
        });
      }
      const id = next++;
      if (window) places.set(id, Infinity);
      return (...args) => {
        // done() with no arguments: nothing was sent, the place is given back
        if (args.length === 0) places.delete(id);
        const [status, retryAfter, ago = 0] = args;
        if (args.length && places.has(id)) places.set(id, Date.now() - ago);
        if (status === 429 && retryAfter !== undefined) pausedUntil = Math.max(pausedUntil, Date.now() + retryAfter * 1000);
        wakeAll();
      };
    },
  };
  return store;
}
