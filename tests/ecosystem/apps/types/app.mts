// TypeScript, ES modules (a .mts file), `tsc --strict` with node16 resolution: the package's
// `import` types. Compiled and run: a real call with the types' promises checked.
import GlassixClient, { GlassixError, type Ticket } from 'glassix-wasm';
import { fileURLToPath } from 'node:url';

const { subject, ...options } = JSON.parse(process.argv[2] ?? '{}') as { baseUrl: string; subject: string; apiKey: string; apiSecret: string; userName: string };
const client = new GlassixClient(options);
const created: Ticket = await client.tickets.create({ field1: subject, participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'dana@example.com' }] });
const ticket: Ticket = await client.tickets.get(created.id);
// the same through the escape hatch, typed by the caller
const same: Ticket = await client.request<Ticket>('GET', `/tickets/get/${created.id}`);
let kind: GlassixError['kind'] | undefined;
try {
  await client.tickets.get(999999999);
} catch (e) {
  if (e instanceof GlassixError) kind = e.kind;
}
// @ts-expect-error: no such resource; the client must not be typed as `any`
void client.nope;
process.stdout.write(JSON.stringify({ id: ticket.id, subject: ticket.field1, rawSubject: same.field1, kind, entry: fileURLToPath(import.meta.resolve('glassix-wasm')) }));
