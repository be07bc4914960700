// Type definitions for glassix-wasm/redis: the ES-module entry (redis/index.mjs). It re-exports
// the declarations of ./redis.d.ts; the default export is the CommonJS module object.

import * as redis from './redis.js';

export * from './redis.js';
export default redis;
