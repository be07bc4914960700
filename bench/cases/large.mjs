// Large responses: one ~5 MB tickets/list page through client.tickets.list(), beside JSON.parse
// of the same body and raw fetch + res.json(). Each contender runs in a fresh process (started
// with --expose-gc); a worker thread samples the process's RSS every millisecond to catch the
// peak while the main thread is busy.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { budget, fetchClient, gc, glassixClient, mb, median, ms, ratio, runCase, startServer, wasmMemory } from '../lib.mjs';

const BYTES = 5 * 1024 * 1024;
const RANGE = { since: new Date('2024-01-01T00:00:00Z'), until: new Date('2024-01-20T00:00:00Z') };
const which = process.argv.find((a) => a.startsWith('--child='))?.slice(8);

const SAMPLER = `const { parentPort } = require('node:worker_threads');
let peak = 0;
let on = false;
setInterval(() => { if (on) peak = Math.max(peak, process.memoryUsage.rss()); }, 1);
parentPort.on('message', (m) => {
  if (m === 'start') { peak = process.memoryUsage.rss(); on = true; parentPort.postMessage('started'); }
  else { on = false; parentPort.postMessage(Math.max(peak, process.memoryUsage.rss())); }
});`;

/** In the child: `runs` timed runs of one contender, each with its peak RSS above the baseline. */
async function child(runs) {
  const server = await startServer({ listBytes: BYTES });
  const sampler = new Worker(SAMPLER, { eval: true });
  const ask = (m) => new Promise((r) => (sampler.once('message', r), sampler.postMessage(m)));
  try {
    let op;
    let body = '';
    if (which === 'glassix') {
      const client = glassixClient(server.origin);
      // one window of less than a month: one request, as for the other contenders
      op = () => client.tickets.list(RANGE);
    } else if (which === 'fetch') {
      op = (await fetchClient(server.origin)).list;
    } else {
      body = await (await fetch(`${server.origin}/api/v1.2/tickets/list`)).text();
      op = async () => JSON.parse(body).tickets;
    }
    const wasmStart = which === 'glassix' ? wasmMemory() : 0;
    const count = (await op()).length; // warm-up (and the token)
    const out = { count, bodyBytes: body.length, ms: [], peakRss: [], wasmStart, wasmAfterFirst: which === 'glassix' ? wasmMemory() : 0 };
    for (let i = 0; i < runs; i++) {
      await gc();
      const base = process.memoryUsage.rss();
      await ask('start');
      const t0 = performance.now();
      const tickets = await op();
      const t = performance.now() - t0;
      const peak = await ask('stop');
      if (tickets.length !== count) throw new Error(`${which}: ${tickets.length} tickets, expected ${count}`);
      out.ms.push(t);
      out.peakRss.push(peak - base);
    }
    await gc();
    out.wasmAfter = which === 'glassix' ? wasmMemory() : 0;
    return out;
  } finally {
    await sampler.terminate();
    server.close();
  }
}

function spawnChild(name, quick) {
  return new Promise((resolve, reject) => {
    const c = fork(fileURLToPath(import.meta.url), [`--child=${name}`, ...(quick ? ['--quick'] : [])], { execArgv: ['--expose-gc'] });
    let result;
    c.on('message', (m) => (result = m));
    c.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`large child ${name} exited with ${code}`))));
  });
}

runCase(async ({ quick }) => {
  const runs = quick ? 3 : 10;
  if (which) return child(runs);
  const r = {};
  for (const name of ['parse', 'glassix', 'fetch']) r[name] = await spawnChild(name, quick);
  if (r.glassix.count !== r.parse.count || r.fetch.count !== r.parse.count) throw new Error('the contenders saw different ticket counts');
  const t = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v.ms)]));
  const peak = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v.peakRss)]));
  const row = (k, label) => [label, ms(t[k]), ratio(t[k] / t.parse), mb(peak[k]), ratio(peak[k] / peak.parse)];
  return {
    id: 'large',
    title: `Large response: one ${mb(r.parse.bodyBytes)} tickets/list page, ${r.parse.count} tickets (median of ${runs} runs)`,
    table: {
      head: ['', 'time', '÷ JSON.parse', 'peak RSS above baseline', '÷ JSON.parse'],
      rows: [
        row('parse', 'JSON.parse(body) (body already a string)'),
        row('glassix', 'glassix-wasm: client.tickets.list({ since, until })'),
        row('fetch', 'raw fetch + res.json() (context)'),
      ],
    },
    budgets: [budget('glassix-wasm time ÷ JSON.parse', t.glassix / t.parse, 1.5, ratio)],
    notes: [
      `glassix-wasm ÷ raw fetch + res.json(): ${ratio(t.glassix / t.fetch)} time, ${ratio(peak.glassix / peak.fetch)} peak RSS`,
      `wasm linear memory: ${mb(r.glassix.wasmStart)} before the first list, ${mb(r.glassix.wasmAfterFirst)} after it, ${mb(r.glassix.wasmAfter)} after all ${runs + 1} (linear memory never shrinks)`,
    ],
    data: { bytes: r.parse.bodyBytes, runs, results: r, medianMs: t, medianPeakRss: peak },
  };
});
