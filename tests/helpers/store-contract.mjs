// Scenarios every store must pass, shared by the memory store's tests (tests/store.test.mjs) and
// the Redis store's (tests/redis/store.test.mjs).
import assert from 'node:assert/strict';
import { maxInWindow } from '../../bench/lib.mjs';

/** Two clients on two stores of one fleet send 10 each at 5 per `perMs`: never more than 5 in
 * any 500 ms at the server `s`, and four windows' time at least (`minMs`). */
export async function sharedWindow(s, [storeA, storeB], { perMs = 500, minMs = 1400 } = {}) {
  const rateLimit = { requests: 5, perMs };
  const [a, b] = [s.client({ store: storeA, rateLimit }), s.client({ store: storeB, rateLimit })];
  await a.getToken();
  const started = Date.now();
  await Promise.all([...Array.from({ length: 10 }, (_, i) => a.protocols.send({ text: `a${i}` })), ...Array.from({ length: 10 }, (_, i) => b.protocols.send({ text: `b${i}` }))]);
  const times = s.calls.map((r) => r.time);
  assert.equal(times.length, 20);
  assert.ok(maxInWindow(times, 500) <= 5, `${maxInWindow(times, 500)} in one window`);
  assert.ok(Date.now() - started >= minMs, 'four windows of 5');
}

/** A caller that gave up while it waited takes no place, and `done()` with no arguments (nothing
 * was sent) gives a place back: with one place per minute, a second place comes at once only if
 * both hold. */
export async function givenBack(store) {
  const window = { requests: 1, perMs: 60_000 };
  const first = await store.acquire(window);
  assert.equal(typeof first, 'function');
  const ctl = new AbortController();
  const waiting = store.acquire(window, ctl.signal);
  setTimeout(() => ctl.abort(), 50);
  assert.equal(typeof (await waiting), 'undefined', 'a caller that gave up gets no place');
  first(); // nothing was sent
  const again = await Promise.race([store.acquire(window), new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000))]);
  assert.equal(typeof again, 'function', String(again));
  again(200, undefined, 0);
}
