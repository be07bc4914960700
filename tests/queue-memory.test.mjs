// What a call costs while it waits for a place (`maxConcurrency`, the rate window). A bulk
// sender may queue a whole campaign at once (README, Bulk sends: `Promise.allSettled(
// recipients.map(…))`), and the wasm memory such a queue grows is never given back to the
// system. Each queued call held 1,520 B of wasm memory (its task stored its future twice); now
// about 590 (Node 18 to 24). The JS heap it holds, 1.7 to 1.9 KB here (2.4 KB with a JsFuture),
// is the promise it waits on, which must be made in its own context (see src/gate.rs and `park`
// in src/task.rs), the facade's and its arguments. The limits sit above today's figures, and
// below the old ones. With a signal:
// tests/queue-memory-signal.test.mjs (a process of its own: see tests/helpers/queue.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { N, holdingServer, fullClient, queued, send } from './helpers/queue.mjs';

test('a call waiting for a place holds about 0.6 KB of wasm memory, and every one is sent once', async (t) => {
  const s = await holdingServer(t);
  const { client, first } = await fullClient(s);
  const { calls, wasm, heap } = await queued(client);
  const sentWhileHeld = s.requests;
  s.release(); // (before any assertion: a failed one leaves no call pending)
  const results = await Promise.all([first, ...calls]);
  assert.equal(sentWhileHeld, 2, 'nothing else left while the first was held');
  assert.ok(wasm < 680, `each queued call grew the wasm memory by ${wasm.toFixed(0)} B`);
  assert.ok(heap < 2300, `each queued call grew the JS heap by ${heap.toFixed(0)} B`);
  assert.equal(results.length, N + 1);
  assert.ok(results.every((r) => r.ok === true));
  assert.equal(s.requests, N + 2);
  assert.equal(s.maxInFlight, 1);
  // what the queue held is used again, not added to
  s.hold = true;
  const again = send(client, 0);
  while (s.held.length === 0) await new Promise((r) => setTimeout(r, 5));
  const second = await queued(client);
  s.release();
  await Promise.all([again, ...second.calls]);
  assert.ok(second.wasm < 20, `a second queue as long grew the wasm memory again, by ${second.wasm.toFixed(0)} B a call`);
});
