// One worker of a fleet (tests/redis/fleet.test.mjs, bench/cases/workers.mjs): a process with a
// GlassixClient on a glassix-wasm/redis store, driven over IPC.
//   env GLASSIX_WORKER: { library, redisUrl, prefix, base, rateLimit, store: {...options},
//                         client: {...options}, tag }
//   parent → { send: n }   sends n protocols.send at once, texts `${tag}-${i}`; answers
//                          { results: [[i, id] | [i, null, failure]], failures: { text: count } }
//   parent → { exit: true } closes its Redis client and exits
// It says { ready: true } once its client and store exist and its fetch is warm.
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { connect } from '../helpers/redis.mjs';

const require = createRequire(import.meta.url);
const GlassixClient = require('glassix-wasm');
const { createRedisStore } = require('glassix-wasm/redis');

const cfg = JSON.parse(process.env.GLASSIX_WORKER);
const redis = await connect(cfg.library, cfg.redisUrl);
const store = createRedisStore(redis.client, { prefix: cfg.prefix, ...cfg.store });
const client = new GlassixClient({ baseUrl: cfg.base, apiKey: 'key-123', apiSecret: 'secret-456', userName: 'api@example.com', rateLimit: cfg.rateLimit, store, ...cfg.client });

/** A failure as the parent checks it: everything a user could print of it. */
const describe = (err) => JSON.stringify({ kind: err?.kind, message: err?.message, cause: err?.cause?.message, isGlassixError: err instanceof GlassixClient.GlassixError, inspected: inspect(err, { depth: 5, showHidden: true }), json: JSON.stringify(err) });

process.on('message', async (m) => {
  if (m.send !== undefined) {
    const results = await Promise.all(
      Array.from({ length: m.send }, (_, i) =>
        client.protocols.send({ protocolType: 'WhatsApp', text: `${cfg.tag}-${i}` }).then(
          (r) => [i, r?.id ?? null],
          (err) => [i, null, describe(err)],
        ),
      ),
    );
    process.send({ results });
  }
  if (m.exit) {
    await redis.close();
    process.exit(0);
  }
});
// Node's fetch loads and compiles undici on its first call (about 100 ms of one core): do that
// before the timed part, as a long-running worker has.
await fetch(new URL('/warm-up', cfg.base)).then((r) => r.arrayBuffer());
process.send({ ready: true });
