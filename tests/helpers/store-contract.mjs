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
