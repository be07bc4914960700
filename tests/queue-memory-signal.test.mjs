// tests/queue-memory.test.mjs's measure for calls queued with a signal (each also listens to it),
// in a process of its own (tests/helpers/queue.mjs says why). About 620 B of wasm memory and
// 1.9 to 2.0 KB of JS heap a call (Node 18 to 24; 3.2 to 3.7 KB when the wait was a JsFuture
// raced against a second promise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdingServer, fullClient, queued, send } from './helpers/queue.mjs';

test('queued calls with a signal: as small, and an abort rejects every one at once with nothing sent', async (t) => {
  const s = await holdingServer(t);
  const { client, first } = await fullClient(s);
  const controller = new AbortController();
  const { calls, wasm, heap } = await queued(client, { signal: controller.signal });
  controller.abort(new Error('campaign cancelled'));
  const settled = await Promise.allSettled(calls);
  s.release(); // (before any assertion: a failed one leaves no call pending)
  assert.deepEqual(await first, { ok: true });
  assert.ok(wasm < 700, `each queued call grew the wasm memory by ${wasm.toFixed(0)} B`);
  assert.ok(heap < 2500, `each queued call grew the JS heap by ${heap.toFixed(0)} B`);
  assert.ok(settled.every((r) => r.status === 'rejected' && r.reason.kind === 'aborted' && r.reason.cause?.message === 'campaign cancelled'));
  assert.equal(s.requests, 2, 'an aborted call sent nothing');
  // the client goes on: the next call is sent at once
  assert.deepEqual(await send(client, 1), { ok: true });
});
