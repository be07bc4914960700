// ESM entry of glassix-wasm/redis: re-exports the CommonJS implementation, so `import` and
// `require` share one module (and the client's GlassixError).
import cjs from './index.cjs';

export const { createRedisStore } = cjs;
export default cjs;
