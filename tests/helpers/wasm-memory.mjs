// The package's CommonJS entry loaded with its wasm memory in view: WebAssembly.Instance is
// wrapped while the entry loads (the package exports no memory), then restored. The memory
// never shrinks, so what a test makes the wasm hold shows as growth of `wasmBytes()`.
import { createRequire } from 'node:module';

export function loadWithMemory() {
  const Instance = WebAssembly.Instance;
  let instance;
  WebAssembly.Instance = function (module, imports) {
    instance = new Instance(module, imports);
    return instance;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
  let GlassixClient;
  try {
    GlassixClient = createRequire(import.meta.url)('../../pkg/index.cjs');
  } finally {
    WebAssembly.Instance = Instance;
  }
  if (!instance) throw new Error('the package was loaded before loadWithMemory(): its wasm memory is out of view');
  const memory = Object.values(instance.exports).find((e) => e instanceof WebAssembly.Memory);
  return { GlassixClient, wasmBytes: () => memory.buffer.byteLength };
}
