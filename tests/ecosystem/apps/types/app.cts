// TypeScript, CommonJS (a .cts file), `tsc --strict` with node16 resolution: the package's
// `require` types. Compiled and run: a real call with the types' promises checked.
import GlassixClient = require('glassix-wasm');
import type { Ticket } from 'glassix-wasm';

async function main(input: { baseUrl: string; subject: string; apiKey: string; apiSecret: string; userName: string }): Promise<void> {
  const { subject, ...options } = input;
  const client = new GlassixClient(options);
  const created: Ticket = await client.tickets.create({ field1: subject, participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'dana@example.com' }] });
  const ticket: Ticket = await client.tickets.get(created.id);
  // the same through the escape hatch, typed by the caller
  const same: Ticket = await client.request<Ticket>('GET', `/tickets/get/${created.id}`);
  let kind: GlassixClient.GlassixError['kind'] | undefined;
  try {
    await client.tickets.get(999999999);
  } catch (e) {
    if (e instanceof GlassixClient.GlassixError) kind = e.kind;
  }
  // @ts-expect-error: no such resource; the client must not be typed as `any`
  void client.nope;
  process.stdout.write(JSON.stringify({ id: ticket.id, subject: ticket.field1, rawSubject: same.field1, kind, entry: require.resolve('glassix-wasm') }));
}

main(JSON.parse(process.argv[2] ?? '{}')).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
