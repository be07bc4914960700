// Type definitions for glassix-wasm/export: the ES-module entry (export/index.mjs). It re-exports
// the declarations of ./export.d.ts; the default export is the CommonJS module object.

import * as exporter from './export.js';

export * from './export.js';
export default exporter;
