// Type test: glassix-wasm/redis takes the real clients of both libraries, typed by the libraries
// themselves (compiled by scripts/typecheck.mjs in the mode that links ioredis and redis).

import { Redis, Cluster } from 'ioredis';
import { createClient } from 'redis';
import GlassixClient from 'glassix-wasm';
import { createRedisStore } from 'glassix-wasm/redis';

export function clients(): void {
  const fromIoredis = createRedisStore(new Redis('redis://127.0.0.1:6379'), { prefix: 'glassix:acme' });
  const fromNodeRedis = createRedisStore(createClient({ url: 'redis://127.0.0.1:6379' }), { prefix: 'glassix:acme', commandTimeout: 1000 });
  const fromCluster = createRedisStore(new Cluster([{ host: '127.0.0.1', port: 7000 }]), { prefix: '{glassix:acme}' });
  for (const store of [fromIoredis, fromNodeRedis, fromCluster]) {
    new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 's', userName: 'u', rateLimit: { requests: 500, perMs: 60_000 }, store });
  }
  // @ts-expect-error a Redis URL is not a client
  createRedisStore('redis://127.0.0.1:6379', { prefix: 'glassix:acme' });
}
