// `glassix-wasm/wasm?module` is the package's `.wasm` for bundlers that compile a `?module` import
// into a `WebAssembly.Module` (Next.js's Edge runtime with webpack or Turbopack, Vercel's Edge
// Functions): pass it to `init()` from glassix-wasm/init. Not for Node, which cannot import a .wasm.
declare const wasmModule: typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T & object : never;
export default wasmModule;
