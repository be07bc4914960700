// Per-call overhead: tickets.get against a local server that answers at once, beside raw fetch
// (the floor) and an axios client like glassix-js, all in the same process and run, rounds
// interleaved with the order rotated so that drift hits all three alike.
import { performance } from 'node:perf_hooks';
import { axiosClient, budget, fetchClient, glassixClient, median, pool, ratio, runCase, startServer, ticket, us } from '../lib.mjs';

const IN_FLIGHT = 50;
const ID = 160000001;

/** µs per call for `n` calls of `call`, one after another or `IN_FLIGHT` at a time: wall time,
 * and this process's CPU time (user + system; the server runs in another process). */
async function timed(call, mode, n) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'sequential') for (let i = 0; i < n; i++) await call(ID);
  else await pool(n, IN_FLIGHT, () => call(ID));
  const cpu = process.cpuUsage(c0);
  return { wall: ((performance.now() - t0) * 1000) / n, cpu: (cpu.user + cpu.system) / n };
}

/** The client's own cost, without a network: fetch replaced by an in-memory Response. */
async function clientOnly(n) {
  const body = JSON.stringify(ticket(ID, 2));
  const stub = async () => new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } });
  const g = glassixClient('http://127.0.0.1:9', { fetch: stub, accessToken: 'bench-token' });
  const direct = async () => (await stub()).json();
  const calls = { glassix: (id) => g.tickets.get(id), 'stub + res.json()': direct };
  const out = { glassix: [], 'stub + res.json()': [] };
  for (let r = 0; r < 5; r++) {
    for (const [k, call] of r % 2 ? Object.entries(calls).reverse() : Object.entries(calls)) out[k].push((await timed(call, 'sequential', n)).wall);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v.slice(1))])); // round 0 is warm-up
}

runCase(async ({ quick }) => {
  const n = quick ? { sequential: 200, concurrent: 500 } : { sequential: 2000, concurrent: 5000 };
  const rounds = quick ? 3 : 7;
  const server = await startServer();
  try {
    const g = glassixClient(server.origin);
    const f = await fetchClient(server.origin);
    const a = axiosClient(server.origin);
    const clients = { glassix: (id) => g.tickets.get(id), fetch: f.ticket, axios: a.ticket };
    const names = Object.keys(clients);
    for (const [name, call] of Object.entries(clients)) {
      const t = await call(ID);
      if (t?.id !== ID) throw new Error(`${name}: tickets.get answered ${JSON.stringify(t)?.slice(0, 80)}`);
      await timed(call, 'sequential', n.sequential / 2); // warm-up
      await timed(call, 'concurrent', n.concurrent / 2);
    }
    const perCall = { sequential: {}, concurrent: {} }; // µs of wall time per call, one entry per round
    const cpuPerCall = { sequential: {}, concurrent: {} }; // µs of this process's CPU per call
    for (const mode of Object.keys(perCall)) {
      for (const name of names) [perCall[mode][name], cpuPerCall[mode][name]] = [[], []];
      for (let r = 0; r < rounds; r++) {
        for (let j = 0; j < names.length; j++) {
          const name = names[(r + j) % names.length];
          const { wall, cpu } = await timed(clients[name], mode, n[mode]);
          perCall[mode][name].push(wall);
          cpuPerCall[mode][name].push(cpu);
        }
      }
    }
    // Ratios paired by round (the same moment of the run), then the median over rounds.
    const pairRatio = (mode, other) => median(perCall[mode].glassix.map((x, r) => x / perCall[mode][other][r]));
    const rows = [];
    const budgets = [];
    const summary = {};
    for (const mode of Object.keys(perCall)) {
      const med = Object.fromEntries(names.map((k) => [k, median(perCall[mode][k])]));
      const cpu = Object.fromEntries(names.map((k) => [k, median(cpuPerCall[mode][k])]));
      const vsFetch = pairRatio(mode, 'fetch');
      const vsAxios = pairRatio(mode, 'axios');
      summary[mode] = { medianUs: med, cpuUs: cpu, glassixOverFetch: vsFetch, glassixOverAxios: vsAxios };
      const label = mode === 'sequential' ? `sequential (${n[mode]} per round)` : `${IN_FLIGHT} in flight (${n[mode]} per round)`;
      rows.push([label, us(med.glassix), us(med.fetch), us(med.axios), ratio(vsFetch), ratio(vsAxios)]);
      rows.push([`  client CPU per call`, us(cpu.glassix), us(cpu.fetch), us(cpu.axios), ratio(cpu.glassix / cpu.fetch), ratio(cpu.glassix / cpu.axios)]);
      // issue 18: ≤ 1.10× one after another, ≤ 1.20× at 50 in flight
      budgets.push(budget(`${mode}: glassix ÷ raw fetch`, vsFetch, mode === 'sequential' ? 1.1 : 1.2, ratio));
      budgets.push(budget(`${mode}: glassix ÷ axios`, vsAxios, 1.0, ratio));
    }
    const only = await clientOnly(quick ? 300 : 3000);
    return {
      id: 'overhead',
      title: `Per-call overhead: tickets.get, local node:http (median of ${rounds} interleaved rounds, time per call)`,
      table: { head: ['', 'glassix-wasm', 'raw fetch', 'axios', 'glassix ÷ fetch', 'glassix ÷ axios'], rows },
      budgets,
      notes: [
        'wall-time ratios are the median of per-round ratios (each round runs all three back to back); the budgets apply to them',
        'client CPU: user + system time of the calling process per call (the server is another process)',
        `without a network (fetch replaced by an in-memory Response): glassix ${us(only.glassix)} vs stub + res.json() ${us(only['stub + res.json()'])} per call, so the client itself adds ${us(only.glassix - only['stub + res.json()'])}`,
      ],
      data: { n, rounds, inFlight: IN_FLIGHT, perCallUs: perCall, cpuPerCallUs: cpuPerCall, summary, clientOnlyUs: only },
    };
  } finally {
    server.close();
  }
});
