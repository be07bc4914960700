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
    const run = () =>
      pool(n, IN_FLIGHT, async (i) => {
        check(await call(ID));
        if (i % 1000 === 0) {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          if (which === 'glassix') peakWasm = Math.max(peakWasm, wasmMemory());
        }
      });
    // The first n calls also grow what only grows once (V8's heap spaces, the allocator's
    // arenas, undici's pool); the second n show what each n calls add once that has settled.
    await run();
    await gc();
    const middle = snapshot();
    await run();
    await gc();
    const after = snapshot();
    return { before, middle, after, peakRss, peakWasm, gc: typeof global.gc === 'function' };
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
  const limit = (1_000_000 * n) / 100_000;
  if (which) return child(n);
  const runs = { glassix: await spawnChild('glassix', quick), fetch: await spawnChild('fetch', quick) };
  // drift over the second n calls (`from` 'middle'), or over the first (`from` 'before', to 'middle')
  const drift = (k, f, from = 'middle', to = 'after') => runs[k][to][f] - runs[k][from][f];
  const row = (k, label) => [label, mb(runs[k].before.rss), mb(runs[k].middle.rss), mb(runs[k].after.rss), signedMb(drift(k, 'rss', 'before', 'middle')), signedMb(drift(k, 'rss')), signedMb(drift(k, 'heapUsed')), signedMb(drift(k, 'external')), mb(runs[k].peakRss)];
  const g = runs.glassix;
  const per = n.toLocaleString('en');
  return {
    id: 'memory',
    title: `Memory: 2 × ${per} tickets.get calls (${IN_FLIGHT} in flight), after a 2,000-call warm-up, gc() before each reading`,
    table: {
      head: ['', 'RSS before', `after ${per}`, `after 2 × ${per}`, `RSS drift, first ${per}`, `RSS drift, second ${per}`, 'JS heap drift', 'external drift', 'peak RSS'],
      rows: [row('glassix', 'glassix-wasm'), row('fetch', 'raw fetch (control)')],
    },
    // RSS also drifts with raw fetch alone (undici, V8, the allocator), so the RSS budget applies
    // to what glassix-wasm adds to the control's drift. The budgets are on the second n calls:
    // a leak grows with every call, while the first n also grow what only grows once.
    // (1 MB, 1,000,000 B, per 100k calls: a --quick run's 10k calls get a tenth of it)
    budgets: [
      budget(`glassix-wasm: wasm linear memory drift over ${(2 * n).toLocaleString('en')} calls`, drift('glassix', 'wasm', 'before'), 2 * limit, signedMb),
      budget('glassix-wasm: JS heap drift, second run', drift('glassix', 'heapUsed'), limit, signedMb),
      budget('glassix-wasm: RSS drift beyond the raw-fetch control, second run', drift('glassix', 'rss') - drift('fetch', 'rss'), limit, signedMb),
    ],
    notes: [
      `wasm linear memory: ${mb(g.before.wasm)} before, ${mb(g.after.wasm)} after (peak seen ${mb(g.peakWasm)})`,
      `first run, for comparison: RSS drift beyond the control ${signedMb(drift('glassix', 'rss', 'before', 'middle') - drift('fetch', 'rss', 'before', 'middle'))}, JS heap ${signedMb(drift('glassix', 'heapUsed', 'before', 'middle'))} (one-time growth: V8's heap spaces, the allocator, undici's pool)`,
      ...(g.gc ? [] : ['global.gc unavailable: readings include garbage']),
    ],
    data: { n, inFlight: IN_FLIGHT, ...runs },
  };
});
