// Memory: RSS, JS heap and wasm linear memory before and after many tickets.get calls, each
// client in a fresh process started with --expose-gc (raw fetch as the control: undici's own
// pools and caches grow too).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { budget, fetchClient, gc, glassixClient, mb, pool, runCase, signedMb, startServer, wasmMemory } from '../lib.mjs';

const IN_FLIGHT = 50;
const ID = 160000001;
const which = process.argv.find((a) => a.startsWith('--child='))?.slice(8);

const snapshot = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, wasm: which === 'glassix' ? wasmMemory() : 0 };
};

/** In the child: `n` calls through one client, memory measured around them. */
async function child(n) {
  const server = await startServer();
  try {
    const client = which === 'glassix' ? glassixClient(server.origin) : await fetchClient(server.origin);
    const call = which === 'glassix' ? (id) => client.tickets.get(id) : client.ticket;
    const check = (t) => {
      if (t?.id !== ID) throw new Error(`${which}: tickets.get answered ${JSON.stringify(t)?.slice(0, 80)}`);
    };
    await pool(2000, IN_FLIGHT, async () => check(await call(ID))); // warm-up: pools, JIT, token
    await gc();
    const before = snapshot();
    let peakRss = before.rss;
    let peakWasm = before.wasm;
    await pool(n, IN_FLIGHT, async (i) => {
      check(await call(ID));
      if (i % 1000 === 0) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (which === 'glassix') peakWasm = Math.max(peakWasm, wasmMemory());
      }
    });
    await gc();
    const after = snapshot();
    return { before, after, peakRss, peakWasm, gc: typeof global.gc === 'function' };
  } finally {
    server.close();
  }
}

function spawnChild(name, quick) {
  return new Promise((resolve, reject) => {
    const args = [`--child=${name}`, ...(quick ? ['--quick'] : [])];
    const c = fork(fileURLToPath(import.meta.url), args, { execArgv: ['--expose-gc'] });
    let result;
    c.on('message', (m) => (result = m));
    c.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`memory child ${name} exited with ${code}`))));
  });
}

runCase(async ({ quick }) => {
  const n = quick ? 10_000 : 100_000;
  if (which) return child(n);
  const runs = { glassix: await spawnChild('glassix', quick), fetch: await spawnChild('fetch', quick) };
  const drift = (k, f) => runs[k].after[f] - runs[k].before[f];
  const row = (k, label) => [label, mb(runs[k].before.rss), mb(runs[k].after.rss), signedMb(drift(k, 'rss')), signedMb(drift(k, 'heapUsed')), signedMb(drift(k, 'external')), mb(runs[k].peakRss)];
  const g = runs.glassix;
  return {
    id: 'memory',
    title: `Memory: ${n.toLocaleString('en')} tickets.get calls (${IN_FLIGHT} in flight), after a 2,000-call warm-up, gc() before each reading`,
    table: {
      head: ['', 'RSS before', 'RSS after', 'RSS drift', 'JS heap drift', 'external drift', 'peak RSS'],
      rows: [row('glassix', 'glassix-wasm'), row('fetch', 'raw fetch (control)')],
    },
    // RSS also drifts with raw fetch alone (undici, V8, the allocator), so the RSS budget applies
    // to what glassix-wasm adds to the control's drift; the table shows both raw drifts.
    budgets: [
      budget('glassix-wasm: wasm linear memory drift', drift('glassix', 'wasm'), 1048576, signedMb),
      budget('glassix-wasm: JS heap drift', drift('glassix', 'heapUsed'), 1048576, signedMb),
      budget('glassix-wasm: RSS drift beyond the raw-fetch control', drift('glassix', 'rss') - drift('fetch', 'rss'), 1048576, signedMb),
    ],
    notes: [`wasm linear memory: ${mb(g.before.wasm)} before, ${mb(g.after.wasm)} after (peak seen ${mb(g.peakWasm)})`, ...(g.gc ? [] : ['global.gc unavailable: readings include garbage'])],
    data: { n, inFlight: IN_FLIGHT, ...runs },
  };
});
