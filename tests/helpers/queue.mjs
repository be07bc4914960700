// What the queue-memory tests share: a server that holds its answers, and the measure of what N
// queued calls add to the wasm memory and the JS heap. Each test file measures one case in its
// own process: the wasm memory never shrinks, and a second measure in one process would only see
// the room the first left behind.
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadWithMemory } from './wasm-memory.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
export const { GlassixClient, wasmBytes } = loadWithMemory();
export const N = 10000;

/** A server that holds its answers while `hold` is set, counting requests and the most in flight. */
export async function holdingServer(t) {
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

export const send = (client, i, options) =>
  client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: `97250${i}`, text: 'Your order has shipped' }, options);

/** A client with `maxConcurrency: 1` whose one place is taken by a held call (returned). */
export async function fullClient(s) {
  const client = new GlassixClient({ baseUrl: s.baseUrl, accessToken: 't', maxConcurrency: 1 });
  await send(client, 0); // (the client's first call grows what every call uses)
  s.hold = true;
  const first = send(client, 0);
  while (s.held.length === 0) await new Promise((r) => setTimeout(r, 5));
  return { client, first };
}

/** N calls queued behind the held one, and what they added, per call, to the wasm memory and the JS heap. */
export async function queued(client, options) {
  gc();
  const [w, h] = [wasmBytes(), process.memoryUsage().heapUsed];
  const calls = [];
  for (let i = 0; i < N; i++) calls.push(send(client, i, options));
  await new Promise((r) => setTimeout(r, 200)); // (every task has run up to its wait)
  gc();
  return { calls, wasm: (wasmBytes() - w) / N, heap: (process.memoryUsage().heapUsed - h) / N };
}
