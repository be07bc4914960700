// `glassix-wasm/wasm` is the package's one `.wasm` file. What importing it gives depends on the
// bundler: with esbuild's `--loader:.wasm=file` (and `bun build`, whose default is the same) it is
// the URL of the emitted file, which `init()` from glassix-wasm/init takes. For bundlers only:
// Node and Deno cannot import a .wasm as a URL (`require.resolve('glassix-wasm/wasm')` gives
// its path there).
declare const wasmUrl: string;
export default wasmUrl;
