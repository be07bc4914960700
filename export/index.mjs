// ESM entry of glassix-wasm/export: re-exports the CommonJS implementation, so `import` and
// `require` share one module (and the client's GlassixError).
import cjs from './index.cjs';

export const { exportTickets, DEFAULT_COLUMNS, KNOWN_COLUMNS, checkpointPath } = cjs;
export default cjs;
