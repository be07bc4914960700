// `glassix-wasm/wasm` imported from an ES module (see wasm.d.ts): the URL of the emitted `.wasm`
// (esbuild's `--loader:.wasm=file`, `bun build`), which `init()` from glassix-wasm/init takes.
declare const wasmUrl: string;
export default wasmUrl;
