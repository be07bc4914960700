// Bulk sends: many protocols.send at once under rateLimit { requests, perMs }, completion time
// against the ideal the limit allows, and what the server saw (the most arrivals in any window).
// Two settings: a burst-heavy one (1,000 per second, the server answering at once) and a
// realistic one (100 per second, the server taking 50 ms per answer).
import { performance } from 'node:perf_hooks';
import { budget, glassixClient, median, ms, ratio, runCase, startServer } from '../lib.mjs';

const send = (client, i) => client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: `9725${String(i).padStart(8, '0')}`, text: 'Your order has shipped' });

/** `n` sends at once; resolves with the wall time. Every send must resolve. */
async function burst(client, n) {
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(client, i)));
  const elapsed = performance.now() - t0;
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`${failed.length} of ${n} protocols.send failed; first: ${failed[0].reason?.message}`);
  return elapsed;
}

async function setting(server, { n, requests, perMs, latencyMs, reps }) {
  await fetch(`${server.origin}/__latency?ms=${latencyMs}`);
  // The first window is free: batch k (k = 0 … ⌈n/requests⌉−1) may start at k × perMs, so the
  // last starts at (⌈n/requests⌉ − 1) × perMs.
  const ideal = (Math.ceil(n / requests) - 1) * perMs;
  // What one window's sends cost this machine with no limit at all, from a fresh client: a
  // reference beside the ideal (each send costs the client and the server CPU), not a strict
  // lower bound (a limited run's last window overlaps the answers of the one before).
  const unlimitedClient = glassixClient(server.origin);
  // the limited clients use this token: a token request would take a slot of the first window
  const { access_token: accessToken } = await unlimitedClient.getToken();
  const floorMs = median(await Promise.all([0].map(() => burst(unlimitedClient, Math.min(requests, n)))));
  await server.stats();
  const runs = [];
  for (let rep = 0; rep < reps; rep++) {
    const client = glassixClient(server.origin, { rateLimit: { requests, perMs }, accessToken, apiKey: undefined, apiSecret: undefined, userName: undefined });
    await server.stats(); // forget earlier arrivals
    const elapsed = await burst(client, n);
    const seen = await server.stats(perMs, requests);
    if (seen.count !== n) throw new Error(`the server saw ${seen.count} sends, expected ${n}`);
    runs.push({ ms: elapsed, serverSpanMs: seen.spanMs, minSpanMs: seen.minSpanMs, maxInWindow: seen.maxInWindow, serverArrivalsPer100ms: seen.per100ms });
  }
  const t = median(runs.map((r) => r.ms));
  return { n, requests, perMs, latencyMs, ideal, floorMs, t, most: Math.max(...runs.map((r) => r.maxInWindow)), minSpan: Math.min(...runs.map((r) => r.minSpanMs)), runs };
}

runCase(async ({ quick }) => {
  const server = await startServer();
  const settings = quick
    ? [{ n: 200, requests: 100, perMs: 1000, latencyMs: 0, reps: 1 }]
    : [
        { n: 2000, requests: 1000, perMs: 1000, latencyMs: 0, reps: 3 },
        { n: 300, requests: 100, perMs: 1000, latencyMs: 50, reps: 3 },
      ];
  const results = [];
  try {
    for (const s of settings) results.push(await setting(server, s));
  } finally {
    server.close();
  }
  const rows = results.flatMap((r) => [
    [`${r.n.toLocaleString('en')} sends at { requests: ${r.requests}, perMs: ${r.perMs} }, server latency ${r.latencyMs} ms`, '', ''],
    [`  ideal: (⌈${r.n}/${r.requests}⌉ − 1) × ${r.perMs} ms`, ms(r.ideal), ''],
    ['  glassix-wasm, all sends resolved (median)', ms(r.t), ratio(r.t / r.ideal)],
    [`  reference: ideal + one unlimited burst of ${r.requests} sends (${ms(r.floorMs)})`, ms(r.ideal + r.floorMs), ratio(r.t / (r.ideal + r.floorMs))],
    [`  most arrivals the server saw in any ${r.perMs} ms (limit ${r.requests})`, String(r.most), ''],
    [`  shortest time in which the server saw ${r.requests + 1} (limit: ≥ ${r.perMs} ms)`, ms(r.minSpan), ''],
  ]);
  return {
    id: 'bulk',
    title: 'Bulk: protocols.send under rateLimit, time against the ideal and arrivals at the server',
    table: { head: ['', 'time', '÷'], rows },
    budgets: [
      ...results.map((r) => budget(`{ requests: ${r.requests}, perMs: ${r.perMs} }: most arrivals in any ${r.perMs} ms window (the limit)`, r.most, r.requests, String)),
      ...results.map((r) => budget(`{ requests: ${r.requests}, perMs: ${r.perMs} }, latency ${r.latencyMs} ms: time ÷ ideal (issue 15: 1.05×)`, r.t / r.ideal, 1.05, (x) => `${x.toFixed(3)}×`)),
    ],
    notes: [
      "an attempt holds its place from when its fetch is called until perMs after its response's headers arrived (the README's Bulk sends section says why not from the departure)",
      "the reference row: one burst of a window's sends with no limit, from a fresh client, measured once: what this machine's CPU costs a window (client and server share 2 cores); not a strict lower bound, since a limited run's last window overlaps the one before",
    ],
    data: { results },
  };
});
