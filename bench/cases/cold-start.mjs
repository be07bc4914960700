// Cold start: a fresh Node process until a client is constructed. Each child measures itself
// with performance.now(), which counts from the process's start (performance.timeOrigin).
import { execFileSync } from 'node:child_process';
import { CREDS, ROOT, budget, median, ms, ratio, require, runCase } from '../lib.mjs';

const BUDGET_MS = 15;
const baseUrl = 'http://127.0.0.1:9/api/v1.2'; // never called

// Each child script prints { start, load, construct, total } (ms). `start` is when the script
// began, after Node's own start-up; `total` is performance.now() once the client exists.
const CHILD = {
  // Node alone: the floor every variant pays before its first line runs.
  node: `const t0 = performance.now(); console.log(JSON.stringify({ start: t0, load: 0, construct: 0, total: t0 }));`,
  glassix: `const t0 = performance.now();
    const GlassixClient = require(${JSON.stringify(`${ROOT}/pkg/index.cjs`)}); // + wasm compile and instantiate
    const t1 = performance.now();
    const client = new GlassixClient(${JSON.stringify({ ...CREDS, baseUrl })});
    const t2 = performance.now();
    console.log(JSON.stringify({ start: t0, load: t1 - t0, construct: t2 - t1, total: t2 }));`,
  axios: `const t0 = performance.now();
    const axios = require(${JSON.stringify(require.resolve('axios'))});
    const t1 = performance.now();
    const http = axios.create({ baseURL: ${JSON.stringify(baseUrl)} });
    const t2 = performance.now();
    console.log(JSON.stringify({ start: t0, load: t1 - t0, construct: t2 - t1, total: t2 }));`,
};

const once = (name) => JSON.parse(execFileSync(process.execPath, ['-e', CHILD[name]], { encoding: 'utf8', env: { PATH: process.env.PATH } }));

runCase(async ({ quick }) => {
  const n = quick ? 5 : 20;
  const runs = { node: [], glassix: [], axios: [] };
  const names = Object.keys(runs);
  once('glassix'); // let the OS cache the files first
  once('axios');
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]; // rotate the order
      runs[name].push(once(name));
    }
  }
  const med = Object.fromEntries(names.map((k) => [k, Object.fromEntries(['start', 'load', 'construct', 'total'].map((f) => [f, median(runs[k].map((r) => r[f]))]))]));
  const own = (k) => med[k].total - med.node.total; // what the library adds to an empty process
  const row = (k, label) => (k === 'node' ? [label, ms(med[k].total), '', '', ''] : [label, ms(med[k].total), ms(med[k].load), ms(med[k].construct), ms(own(k))]);
  return {
    id: 'cold-start',
    title: `Cold start: fresh process → constructed client (median of ${n} processes each)`,
    table: {
      head: ['', 'total since process start', 'require (+ wasm instantiate)', 'constructor', 'added to bare node'],
      rows: [row('node', 'bare node (no library)'), row('glassix', 'glassix-wasm: require + new GlassixClient'), row('axios', 'axios: require + axios.create')],
    },
    // Bare Node already needs more than the budget to reach a script's first line, so the budget
    // applies to what the library adds to it (require + instantiate + construct).
    budgets: [budget('glassix-wasm: added to bare node (require + instantiate + construct)', own('glassix'), BUDGET_MS, ms)],
    notes: [
      `glassix-wasm ÷ axios, time added to bare node: ${ratio(own('glassix') / own('axios'))}`,
      `bare node reaches its first line after ${ms(med.node.total)}; glassix-wasm is constructed ${ms(med.glassix.total)} after process start`,
    ],
    data: { n, median: med, runs },
  };
});
