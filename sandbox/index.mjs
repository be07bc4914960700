// ESM entry of glassix-wasm/sandbox: re-exports the CommonJS implementation.
import cjs from './index.cjs';

export const {
  startSandbox,
  formatGlassixDate,
  formatGlassixDay,
  parseGlassixDate,
  signWebhook,
  DEFAULT_SEED,
  DEFAULT_CREDENTIALS,
  DEFAULT_FAULTS,
  DEFAULT_RULES,
} = cjs;
export default cjs;
