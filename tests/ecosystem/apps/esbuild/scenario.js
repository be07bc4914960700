// esbuild and bun build: glassix-wasm/init (no top-level await) with glassix-wasm/wasm, built
// with the README's command. Before init() resolves, the client must refuse with a GlassixError.
import { init, GlassixClient, GlassixError } from 'glassix-wasm/init';
import wasmUrl from 'glassix-wasm/wasm';
import { inPage } from '../scenario.mjs';

let beforeInit = 'no error';
try {
  new GlassixClient({ baseUrl: 'http://127.0.0.1:9', accessToken: 'unused' });
} catch (e) {
  beforeInit = e instanceof GlassixError ? e.kind : String(e);
}
init(wasmUrl).then(() => inPage(GlassixClient, GlassixError, { beforeInit }));
