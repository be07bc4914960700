// TypeScript, `tsc --strict` with bundler resolution (module preserve, DOM lib): the browser code
// paths users write, the main entry and glassix-wasm/init with glassix-wasm/wasm. Type-checked only.
import GlassixClient, { GlassixError, type Ticket } from 'glassix-wasm';
import { init, GlassixClient as InitClient } from 'glassix-wasm/init';
import wasmUrl from 'glassix-wasm/wasm';

const url: string = wasmUrl;
await init(url);
const viaInit: GlassixClient = new InitClient({ baseUrl: 'https://acme.glassix.com', getAccessToken: async () => (await fetch('/my-server/glassix-token')).text() });
const client = new GlassixClient({ workspace: 'acme', accessToken: 'token' });
const ticket: Ticket = await viaInit.tickets.get(160000001);
try {
  await client.tickets.setState(ticket.id, { nextState: 'Closed' });
} catch (e) {
  if (e instanceof GlassixError && e.kind === 'http' && e.code === 404) document.title = 'gone';
}
// @ts-expect-error: no such resource; the client must not be typed as `any`
void client.nope;
