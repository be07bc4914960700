// Invariants under random schedules. Hundreds of calls, GETs and POSTs, against a server that
// answers each attempt with a fault chosen from a seed (slow answers, 429s with and without
// Retry-After, 5xx, 401s, hung requests, reset sockets, bodies cut short, malformed JSON), with
// some callers aborting at random moments. Whatever the interleaving, a model of the README's
// retry rules says what every call must end as and how many attempts it may make, and the
// server's log must keep the limits: never more than `maxConcurrency` in flight, never more than
// `requests` arrivals in `perMs`, one token request at a time, a 401's retry on another token.
// The fault of an attempt depends only on (seed, call, attempt number), so a failing seed fails
// again: GLASSIX_SEED=<n> node --test tests/invariants.test.mjs runs that one.
import { test } from 'node:test';
import { run, consumeRun } from './helpers/schedules.mjs';

const SEEDS = process.env.GLASSIX_SEED ? [Number(process.env.GLASSIX_SEED)] : [1, 2];

for (const seed of SEEDS) {
  test(`seed ${seed}: 150 calls, no limits: each ends as the retry rules say, settles once, sends nothing after`, async (t) => {
    t.diagnostic(JSON.stringify(await run(seed, { n: 150, lists: 0.25 })));
  });
  test(`seed ${seed}: 150 calls under maxConcurrency 4 and 12 per 250 ms, through a caller's fetch: the same, the limits hold at the server, and nothing starts during a 429's pause`, async (t) => {
    t.diagnostic(JSON.stringify(await run(seed + 1000, { n: 150, maxConcurrency: 4, rateLimit: { requests: 12, perMs: 250 }, lists: 0.25, ownFetch: true })));
  });
  test(`seed ${seed}: 150 calls under maxConcurrency 3 and a token endpoint that fails 40% of its requests: the same, and a call without a token says so`, async (t) => {
    t.diagnostic(JSON.stringify(await run(seed + 2000, { n: 150, maxConcurrency: 3, tokenFaults: true, lists: 0.25 })));
  });
}

for (const seed of SEEDS) {
  test(`seed ${seed}: webhooks.consume through faulty polls and deletes and a handler that throws: every event handled, once, deleted only after`, async (t) => {
    t.diagnostic(JSON.stringify(await consumeRun(seed + 3000)));
  });
}
