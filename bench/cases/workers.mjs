// Many workers, one account: 4 child processes, each with its own client on a glassix-wasm/redis
// store (a real redis-server started here), sending at once under one shared
// rateLimit { requests, perMs }. Time against the ideal the limit allows, and what the server
// saw (the most arrivals in any window). Skipped, not failed, when redis-server is not installed.
import { performance } from 'node:perf_hooks';
import { budget, ms, ratio, runCase, startServer } from '../lib.mjs';
import { haveRedis, startRedis } from '../../tests/helpers/redis.mjs';
import { startWorker } from '../../tests/redis/fleet.mjs';

const WORKERS = 4;

async function setting(server, redis, { library, perWorker, requests, perMs }, k) {
  const rateLimit = { requests, perMs };
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker({ library, redisUrl: redis.url, prefix: `bench:workers:${k}`, base: `${server.origin}/api/v1.2`, rateLimit, tag: `w${i}` })));
  try {
    await server.stats(); // forget earlier arrivals
    const t0 = performance.now();
    const results = await Promise.all(workers.map((w) => w.send(perWorker)));
    const elapsed = performance.now() - t0;
    const failed = results.flat().filter((r) => r.length === 3);
    if (failed.length) throw new Error(`${failed.length} of ${WORKERS * perWorker} sends failed; first: ${failed[0][2]}`);
    const n = WORKERS * perWorker;
    const seen = await server.stats(perMs, requests);
    if (seen.count !== n) throw new Error(`the server saw ${seen.count} sends, expected ${n}`);
    // n sends and the fleet's one token request, which takes a place too: the first window is
    // free, and the last of ⌈(n + 1)/requests⌉ windows starts at (⌈(n + 1)/requests⌉ − 1) × perMs
    const ideal = (Math.ceil((n + 1) / requests) - 1) * perMs;
    return { library, n, requests, perMs, ideal, t: elapsed, spanMs: seen.spanMs, most: seen.maxInWindow, minSpan: seen.minSpanMs, per100ms: seen.per100ms };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

runCase(async ({ quick }) => {
  const title = `Many workers: ${WORKERS} processes on one glassix-wasm/redis store, time against the ideal and arrivals at the server`;
  if (!haveRedis()) {
    return { id: 'workers', title, table: { head: [''], rows: [['skipped: redis-server is not installed (scripts/setup.sh installs it)']] }, budgets: [], notes: [], data: { skipped: 'no redis-server' } };
  }
  const settings = quick
    ? [{ library: 'ioredis', perWorker: 100, requests: 100, perMs: 1000 }]
    : [
        { library: 'ioredis', perWorker: 500, requests: 200, perMs: 1000 },
        { library: 'node-redis', perWorker: 500, requests: 200, perMs: 1000 },
      ];
  const [server, redis] = await Promise.all([startServer(), startRedis()]);
  const results = [];
  try {
    for (const [k, s] of settings.entries()) results.push(await setting(server, redis, s, k));
  } finally {
    server.close();
    await redis.stop();
  }
  const rows = results.flatMap((r) => [
    [`${WORKERS} × ${r.n / WORKERS} sends at { requests: ${r.requests}, perMs: ${r.perMs} }, ${r.library}`, '', ''],
    [`  ideal: (⌈(${r.n} + 1 token request)/${r.requests}⌉ − 1) × ${r.perMs} ms`, ms(r.ideal), ''],
    ['  all sends resolved (from the go, the token request included)', ms(r.t), ratio(r.t / r.ideal)],
    ['  the server saw the first to the last', ms(r.spanMs), ratio(r.spanMs / r.ideal)],
    [`  most arrivals the server saw in any ${r.perMs} ms (limit ${r.requests})`, String(r.most), ''],
    [`  shortest time in which the server saw ${r.requests + 1} (limit: ≥ ${r.perMs} ms)`, ms(r.minSpan), ''],
  ]);
  return {
    id: 'workers',
    title,
    table: { head: ['', 'time', '÷'], rows },
    budgets: [
      ...results.map((r) => budget(`${r.library}: most arrivals in any ${r.perMs} ms window (the limit)`, r.most, r.requests, String)),
      ...results.map((r) => budget(`${r.library}: time ÷ ideal (issue 15: 1.10×)`, r.t / r.ideal, 1.1, (x) => `${x.toFixed(3)}×`)),
    ],
    notes: [
      'a place ages from its attempt\'s response headers (Redis\'s clock when done() reaches it, less the ago it reports), so each window of a place costs perMs plus one round trip: on 2 cores shared by the workers, the server and Redis, about 10–30 ms',
      'the time includes the one token request and Node\'s fetch opening its connections in each worker (each worker has called fetch once before)',
    ],
    data: { results },
  };
});
