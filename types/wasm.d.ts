// `glassix-wasm/wasm` is the package's one `.wasm` file. What importing it gives depends on the
// bundler: with esbuild's `--loader:.wasm=file` (and `bun build`, whose default is the same) it is
// the URL of the emitted file, which `init()` from glassix-wasm/init takes.
declare const wasmUrl: string;
export default wasmUrl;
