// What a call costs while it waits for a place (`maxConcurrency`, the rate window). A bulk
// sender may queue a whole campaign at once (README, Bulk sends: `Promise.allSettled(
// recipients.map(…))`), and the wasm memory such a queue grows is never given back to the
// system. Each queued call held 1,520 B of wasm memory (its task stored its future twice); now
// about 680 (Node 18 to 24). The JS heap it holds, about 2.5 KB here (4.2 KB with a signal), is
// the promise it waits on, which must be made in its own context for Cloudflare Workers (see
// src/gate.rs), and its arguments. The limits sit above today's figures, the wasm's well below
// the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadWithMemory } from './helpers/wasm-memory.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const { GlassixClient, wasmBytes } = loadWithMemory();
const N = 10000;

/** A server that holds its answers while `hold` is set, counting requests and the most in flight. */
async function holdingServer(t) {
  const s = { hold: false, held: [], requests: 0, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    s.requests++;
    s.maxInFlight = Math.max(s.maxInFlight, ++s.inFlight);
    req.resume();
    req.on('end', () => {
      const answer = () => {
        s.inFlight--;
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      };
      s.hold ? s.held.push(answer) : answer();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  s.release = () => {
    s.hold = false;
    s.held.splice(0).forEach((answer) => answer());
  };
  s.baseUrl = `http://127.0.0.1:${server.address().port}/api/v1.2`;
  return s;
}

const send = (client, i, options) =>
  client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: `97250${i}`, text: 'Your order has shipped' }, options);

/** Queues N calls behind one held request; the wasm memory and JS heap they add, per call. */
async function queue(client, s, options) {
  const calls = [];
  for (let i = 0; i < N; i++) calls.push(send(client, i, options));
  await new Promise((r) => setTimeout(r, 200)); // (every task has run up to its wait)
  return calls;
}

async function measured(fn) {
  gc();
  const [w, h] = [wasmBytes(), process.memoryUsage().heapUsed];
  const out = await fn();
  gc();
  return { out, wasm: (wasmBytes() - w) / N, heap: (process.memoryUsage().heapUsed - h) / N };
}

test('a call waiting for a place holds about 0.7 KB of wasm memory, and every one is sent once', async (t) => {
  const s = await holdingServer(t);
  const client = new GlassixClient({ baseUrl: s.baseUrl, accessToken: 't', maxConcurrency: 1 });
  await send(client, 0); // (the client's first call grows what every call uses)
  s.hold = true;
  const first = send(client, 0);
  while (s.held.length === 0) await new Promise((r) => setTimeout(r, 5));
  const { out: calls, wasm, heap } = await measured(() => queue(client, s));
  const sentWhileHeld = s.requests;
  s.release(); // (before any assertion: a failed one leaves no call pending)
  const results = await Promise.all([first, ...calls]);
  assert.equal(sentWhileHeld, 2, 'nothing else left while the first was held');
  assert.ok(wasm < 800, `each queued call grew the wasm memory by ${wasm.toFixed(0)} B`);
  assert.ok(heap < 3000, `each queued call grew the JS heap by ${heap.toFixed(0)} B`);
  assert.equal(results.length, N + 1);
  assert.ok(results.every((r) => r.ok === true));
  assert.equal(s.requests, N + 2);
  assert.equal(s.maxInFlight, 1);
  // what the queue held is used again, not added to
  s.hold = true;
  const again = send(client, 0);
  while (s.held.length === 0) await new Promise((r) => setTimeout(r, 5));
  const second = await measured(() => queue(client, s));
  assert.ok(second.wasm < 20, `a second queue as long grew the wasm memory again, by ${second.wasm.toFixed(0)} B a call`);
  s.release();
  await Promise.all([again, ...second.out]);
});

test('queued calls with a signal: as small, and an abort rejects every one at once with nothing sent', async (t) => {
  const s = await holdingServer(t);
  const client = new GlassixClient({ baseUrl: s.baseUrl, accessToken: 't', maxConcurrency: 1 });
  await send(client, 0);
  s.hold = true;
  const first = send(client, 0);
  while (s.held.length === 0) await new Promise((r) => setTimeout(r, 5));
  const controller = new AbortController();
  const { out: calls, wasm, heap } = await measured(() => queue(client, s, { signal: controller.signal }));
  controller.abort(new Error('campaign cancelled'));
  const settled = await Promise.allSettled(calls);
  assert.ok(wasm < 800, `each queued call grew the wasm memory by ${wasm.toFixed(0)} B`);
  assert.ok(heap < 5000, `each queued call grew the JS heap by ${heap.toFixed(0)} B`);
  assert.ok(settled.every((r) => r.status === 'rejected' && r.reason.kind === 'aborted' && r.reason.cause?.message === 'campaign cancelled'));
  s.release();
  assert.deepEqual(await first, { ok: true });
  assert.equal(s.requests, 2, 'an aborted call sent nothing');
  // the client goes on: the next call is sent at once
  assert.deepEqual(await send(client, 1), { ok: true });
});
