// require() of the package in code bundled for a browser: it cannot give the client (the .wasm
// loads asynchronously), and says so when the bundle runs.
const GlassixClient = require('glassix-wasm');

globalThis.result = typeof GlassixClient;
