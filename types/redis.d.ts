// Type definitions for glassix-wasm/redis: the CommonJS entry (`require('glassix-wasm/redis')` →
// redis/index.cjs). The ES-module entry (redis/index.mjs) is typed by ./redis.d.mts, which
// re-exports these. Node only. The Redis client libraries' own types are not needed: a client
// is accepted by the one method each library runs scripts with, and its connection state
// (ioredis's `status`, node-redis's `isOpen`), which a pipeline or a MULTI made from it lacks.

import type { GlassixStore } from './index.js';

/** An ioredis client (`new Redis(url)`, 5 or later): scripts run with `evalsha(sha, numKeys, ...)`. */
export interface IoRedisLike {
  evalsha(...args: any[]): unknown;
  eval(...args: any[]): unknown;
  /** The connection's state (`'ready'`, `'reconnecting'`…): read to tell an ioredis client. */
  readonly status: string;
}

/** A node-redis client (`createClient({ url })`, 4 or later, connected): scripts run with
 * `evalSha(sha, { keys, arguments })`. */
export interface NodeRedisLike {
  evalSha(...args: any[]): unknown;
  eval(...args: any[]): unknown;
  /** Whether it is connected: read to tell a node-redis client. */
  readonly isOpen: boolean;
}

/** Options of {@link createRedisStore}. Unknown keys are refused. */
export interface RedisStoreOptions {
  /** Starts every key the store writes (`<prefix>:token`, `:lock`, `:failed`, `:window`,
   * `:pause`, `:limit`): one prefix per Glassix account, department (API key) and user (a client of
   * another origin, department or user is refused the prefix's token). A non-empty string; on
   * Redis Cluster it must hold a hash tag (`{glassix:acme}`) so that the keys share a slot. */
  prefix: string;
  /** Milliseconds each Redis command may take before the calls waiting on it reject with kind
   * `network`. @default 5000 */
  commandTimeout?: number | undefined;
  /** Expiry of the token lock (renewed while the fetch runs): the longest a worker that died
   * while fetching the token holds the others up. @default 10000 */
  lockMs?: number | undefined;
  /** Lease of a place in the window while its attempt is in flight (renewed while it runs): a
   * dead worker's places lapse this long plus `perMs` after their last renewal. @default 15000 */
  leaseMs?: number | undefined;
}

/**
 * A store on Redis: every client built with a store on the same Redis and `prefix` (in any
 * process) shares one token, one `rateLimit` window and the 429 pause. See the README's "Many
 * workers, one account".
 *
 *   const store = createRedisStore(new Redis(process.env.REDIS_URL), { prefix: 'glassix:acme' });
 *   const client = new GlassixClient({ ..., rateLimit: { requests: 500, perMs: 60_000 }, store });
 *
 * @throws {GlassixError} `kind: 'invalid_argument'` for a bad prefix or option, a Cluster client
 * with a prefix without a hash tag, or a client that is not an ioredis or node-redis client.
 */
export function createRedisStore(client: IoRedisLike | NodeRedisLike, options: RedisStoreOptions): GlassixStore;
