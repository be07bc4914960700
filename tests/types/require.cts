// Type test: the CommonJS shape, `import x = require()` (a .cts file is CommonJS in any project).
// `require('glassix-wasm')` is the GlassixClient class itself, with the helpers as statics.

import GlassixClient = require('glassix-wasm');
import sandbox = require('glassix-wasm/sandbox');
import exporter = require('glassix-wasm/export');
import redisStore = require('glassix-wasm/redis');

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function assert<T extends true>(): T | void {}

export async function main(): Promise<void> {
  const client: GlassixClient = new GlassixClient({ workspace: 'acme', accessToken: 'token' });
  const ticket: GlassixClient.Ticket = await client.tickets.get(1);
  void ticket;
  assert<Equal<typeof GlassixClient.default, typeof GlassixClient>>();
  assert<Equal<typeof GlassixClient.GlassixClient, typeof GlassixClient>>();
  const err = new GlassixClient.GlassixError('x', { kind: 'parse' });
  const kind: GlassixClient.GlassixErrorKind = err.kind;
  void kind;
  const events: GlassixClient.WebhookEvent[] = GlassixClient.parseWebhook('[]');
  const ok: boolean = GlassixClient.verifyWebhook('{}', { 'x-hub-signature': 'sha1=00' }, 'secret');
  const date: string = GlassixClient.formatDate(0);
  void events, ok, date;
  // the default import of the .default property (Babel add-module-exports style) is the class too
  new GlassixClient.default('acme', 'key', 'secret', undefined, 'api@acme.com');

  const exported: exporter.ExportResult = await exporter.exportTickets({ client, since: '2025-01-01', out: 'tickets.ndjson' });
  void exported;
  const sb: sandbox.Sandbox = await sandbox.startSandbox({ generateTickets: { count: 10, since: '2024-01-01', until: new Date() } });
  const when: string = sandbox.formatGlassixDate(new Date());
  const parsed: Date | null = sandbox.parseGlassixDate(when);
  void parsed;
  await sb.close();
  // @ts-expect-error the CommonJS sandbox module has no default export
  sandbox.default;
  const store: GlassixClient.GlassixStore = redisStore.createRedisStore({ evalSha: async () => null, eval: async () => null, isOpen: true }, { prefix: 'glassix:acme' });
  new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 's', userName: 'u', store });
}
