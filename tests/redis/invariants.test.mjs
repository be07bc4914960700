// The invariants of tests/invariants.test.mjs for a fleet: three clients on one Redis prefix
// (each with its own connection, as separate processes would have), calls spread over them at
// random, against the server whose faults come from a seed. Every call ends as the retry rules
// say; across the fleet, never more than `requests` arrivals in `perMs` and one token request at
// a time; within each client, never more than its maxConcurrency. With ioredis and node-redis.
// GLASSIX_SEED=<n> replays a seed (GLASSIX_DEBUG=1 also prints the token requests and 401s).
import { test, before, after } from 'node:test';
import { createRequire } from 'node:module';
import { run } from '../helpers/schedules.mjs';
import { startRedis, connect, LIBRARIES } from '../helpers/redis.mjs';

const require = createRequire(import.meta.url);
const { createRedisStore } = require('glassix-wasm/redis');

let redis;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

const SEEDS = process.env.GLASSIX_SEED ? [Number(process.env.GLASSIX_SEED)] : [1];

async function fleet(t, library, prefix) {
  const stores = [];
  for (let i = 0; i < 3; i++) {
    const c = await connect(library, redis.url);
    t.after(c.close);
    stores.push(createRedisStore(c.client, { prefix }));
  }
  return stores;
}

for (const seed of SEEDS) {
  for (const [l, library] of LIBRARIES.entries()) {
    test(`${library}, seed ${seed}: 150 calls over three clients sharing a store, maxConcurrency 3 each, 12 per 250 ms for all, a 429's pause for all`, async (t) => {
      const stores = await fleet(t, library, `glassix:schedules:${seed}:${library}:a`);
      t.diagnostic(JSON.stringify(await run(seed + 4000 + l * 100, { n: 150, maxConcurrency: 3, rateLimit: { requests: 12, perMs: 250 }, lists: 0.25, stores, ownFetch: true })));
    });
    test(`${library}, seed ${seed}: the same with a token endpoint that fails 40% of its requests`, async (t) => {
      const stores = await fleet(t, library, `glassix:schedules:${seed}:${library}:b`);
      t.diagnostic(JSON.stringify(await run(seed + 5000 + l * 100, { n: 150, maxConcurrency: 3, rateLimit: { requests: 12, perMs: 250 }, lists: 0.25, tokenFaults: true, stores })));
    });
  }
}
