// require() of the package in code bundled for a browser: it cannot give the client (the .wasm
// loads asynchronously). The module still loads (code shared with a server may only require it);
// using what it gave says what to do.
const GlassixClient = require('glassix-wasm');

globalThis.loaded = typeof GlassixClient;
globalThis.notAnError = new Error('x') instanceof GlassixClient.GlassixError;
try {
  new GlassixClient({ workspace: 'acme', accessToken: 'token' });
} catch (e) {
  globalThis.refused = e.message;
}
