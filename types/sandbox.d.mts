// Type definitions for glassix-wasm/sandbox: the ES-module entry (sandbox/index.mjs). It re-exports
// the declarations of ./sandbox.d.ts; the default export is the CommonJS module object (all of them).

import * as sandbox from './sandbox.js';

export * from './sandbox.js';
export default sandbox;
