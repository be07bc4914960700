// `glassix-wasm/wasm` imported from an ES module (see wasm.d.ts): the URL of the emitted `.wasm`
// (esbuild's `--loader:.wasm=file`, `bun build`), which `init()` from glassix-wasm/init takes.
// For bundlers only: Node and Deno cannot import a .wasm as a URL (use
// `require.resolve('glassix-wasm/wasm')` there).
declare const wasmUrl: string;
export default wasmUrl;
