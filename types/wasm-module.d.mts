// `glassix-wasm/wasm?module` imported from an ES module (see wasm-module.d.ts): the `.wasm` as a
// compiled `WebAssembly.Module`, as Next.js's Edge runtime (webpack and Turbopack) and Vercel's
// Edge Functions give a `?module` import. Pass it to `init()` from glassix-wasm/init.
declare const wasmModule: typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T & object : never;
export default wasmModule;
