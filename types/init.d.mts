// Type definitions for glassix-wasm/init: the entry with no top-level await, for esbuild,
// `bun build` and other bundlers that do not follow `new URL(…, import.meta.url)`. Everything of
// the main entry, plus `init()`, which must resolve before the client is used.

export * from './index.mjs';
export { default } from './index.mjs';

/**
 * Loads the wasm. Call it once, before anything else, and await it; using the client first throws
 * a `GlassixError` (kind `invalid_argument`).
 * @param source where the `.wasm` is: its URL (with esbuild's `--loader:.wasm=file`,
 *   `import wasmUrl from 'glassix-wasm/wasm'` gives it), a `Response`, its bytes, or a compiled
 *   `WebAssembly.Module`. A relative URL string (what the file loaders make of the `.wasm`) is
 *   read against the bundle's own URL, not the page's. Without one, the file next to this module
 *   (native ES modules fetched over http(s), Deno, Bun; Node's fetch cannot read a file: there,
 *   pass its bytes). A source of another kind rejects with a `GlassixError` of kind
 *   `invalid_argument`, one that cannot be loaded (a failed fetch, a 404, bytes that are not the
 *   wasm) with kind `network` and the failure as its `cause`: `could not load the .wasm (…)`.
 * @example
 * import { init, GlassixClient } from 'glassix-wasm/init';
 * import wasmUrl from 'glassix-wasm/wasm';
 * await init(wasmUrl);
 * const client = new GlassixClient({ baseUrl, getAccessToken });
 */
export function init(source?: string | WasmURL | WasmResponse | ArrayBuffer | Uint8Array | WasmModule | PromiseLike<unknown>): Promise<void>;

// The runtime's own types when the project has them (DOM lib or @types/node), else what `init()`
// uses of them: the declarations need neither. A `WebAssembly.Module` is an object (its type in
// the DOM lib is an empty interface, which a number would satisfy).
type WasmURL = typeof globalThis extends { URL: { prototype: infer T } } ? T : { readonly href: string };
type WasmResponse = typeof globalThis extends { Response: { prototype: infer T } } ? T : { readonly ok: boolean; readonly status: number; arrayBuffer(): PromiseLike<ArrayBuffer> };
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T & object : never;
