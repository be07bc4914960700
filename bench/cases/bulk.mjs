// Bulk sends: many protocols.send at once under rateLimit { requests, perMs }, completion time
// against the ideal the limit allows, and what the server saw (the most arrivals in any window).
import { performance } from 'node:perf_hooks';
import { budget, glassixClient, median, ms, ratio, runCase, startServer } from '../lib.mjs';

runCase(async ({ quick }) => {
  const [n, requests, perMs] = quick ? [200, 100, 1000] : [2000, 1000, 1000];
  const reps = quick ? 1 : 3;
  // The first window is free: batch k (k = 0 … ⌈n/requests⌉−1) may start at k × perMs, so the
  // last starts at (⌈n/requests⌉ − 1) × perMs. (The client counts each slot's window from when
  // its request completed, so that the server, which counts arrivals, never sees too many; the
  // round trip therefore adds to the ideal once per window.)
  const windows = Math.ceil(n / requests) - 1;
  const ideal = windows * perMs;
  const server = await startServer();
  const runs = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      const client = glassixClient(server.origin, { rateLimit: { requests, perMs } });
      await client.getToken(); // the token request is not rate-limited; fetch it outside the timing
      await server.stats(); // forget earlier arrivals
      const t0 = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: `9725${String(i).padStart(8, '0')}`, text: 'Your order has shipped' }),
        ),
      );
      const elapsed = performance.now() - t0;
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length) throw new Error(`${failed.length} of ${n} protocols.send failed; first: ${failed[0].reason?.message}`);
      const seen = await server.stats(perMs, requests);
      if (seen.count !== n) throw new Error(`the server saw ${seen.count} sends, expected ${n}`);
      runs.push({ ms: elapsed, serverSpanMs: seen.spanMs, minSpanMs: seen.minSpanMs, maxInWindow: seen.maxInWindow, serverArrivalsPer100ms: seen.per100ms });
    }
  } finally {
    server.close();
  }
  const t = median(runs.map((r) => r.ms));
  const most = Math.max(...runs.map((r) => r.maxInWindow));
  return {
    id: 'bulk',
    title: `Bulk: ${n.toLocaleString('en')} protocols.send at rateLimit { requests: ${requests}, perMs: ${perMs} } (median of ${reps})`,
    table: {
      head: ['', 'time', '÷ ideal'],
      rows: [
        [`ideal: (⌈${n}/${requests}⌉ − 1) × ${perMs} ms`, ms(ideal), ''],
        ['glassix-wasm, all sends resolved', ms(t), ratio(t / ideal)],
        ['  first to last arrival at the server', ms(median(runs.map((r) => r.serverSpanMs))), ''],
        [`  shortest time in which the server saw ${requests + 1} (limit: ≥ ${perMs} ms)`, ms(Math.min(...runs.map((r) => r.minSpanMs))), ''],
      ],
    },
    budgets: [budget(`most arrivals the server saw in any ${perMs} ms window (the limit)`, most, requests, String)],
    notes: ['no time budget: the ratio to the ideal is the figure to watch across commits'],
    data: { n, requests, perMs, ideal, runs },
  };
});
