// A whole support conversation through the real client: create a ticket, message the customer,
// tag it, add a note, list tickets, close it, fetch its PDF, and poll the webhook events.
//
// Against your workspace:   GLASSIX_WORKSPACE=acme GLASSIX_API_KEY=… GLASSIX_API_SECRET=… \
//                           GLASSIX_USER_NAME=api@acme.com node examples/quickstart.mjs
// Without credentials it starts the bundled sandbox and runs against that (`npm run demo`).
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';

const env = process.env;
const sandbox = env.GLASSIX_API_KEY ? null : await startSandbox();
const client = sandbox
  ? new GlassixClient({ ...sandbox.credentials, baseUrl: sandbox.baseUrl })
  : new GlassixClient({ workspace: env.GLASSIX_WORKSPACE, apiKey: env.GLASSIX_API_KEY, apiSecret: env.GLASSIX_API_SECRET, userName: env.GLASSIX_USER_NAME });
const say = (step, detail) => console.log(`${step.padEnd(22)} ${detail}`);

try {
  say('API', sandbox ? `${sandbox.baseUrl} (bundled sandbox)` : client.toJSON().baseUrl);
  const since = new Date();

  const ticket = await client.tickets.create({
    field1: 'Order #1042 arrived damaged',
    culture: 'en-US',
    participants: [{ type: 'Client', protocolType: 'Mail', subProtocolType: 'MailTo', name: 'Dana Levi', identifier: 'dana@example.com' }],
  });
  say('created ticket', `#${ticket.id} "${ticket.field1}" (${ticket.state})`);

  const sent = await client.tickets.send(ticket.id, { text: 'Sorry about that, Dana! A replacement is on its way.' });
  say('sent message', `"${sent.text}"`);

  const tags = await client.tickets.addTags(ticket.id, ['VIP']);
  say('tagged', tags.join(', '));

  await client.tickets.addNote(ticket.id, { text: 'Replacement shipped via express courier.' });
  say('added note', 'visible to agents only');

  const recent = await client.tickets.list({ since, until: new Date(Date.now() + 60_000) });
  say('listed tickets', `${recent.length} with activity since ${GlassixClient.formatDate(since)}`);

  await client.tickets.setState(ticket.id, { nextState: 'Closed', summary: 'Replacement sent' });
  const closed = await client.tickets.get(ticket.id);
  say('closed ticket', `state is now ${closed.state}, ${closed.transactions?.length ?? 0} transactions`);

  const pdf = await client.tickets.pdf(ticket.id, { includeNotes: true });
  const magic = new TextDecoder().decode(pdf.subarray(0, 5));
  say('fetched PDF', `${pdf.byteLength} bytes, starts with ${magic}`);

  const events = await client.webhooks.getEvents({ deleteEvents: false });
  const kinds = events.flatMap((e) => e.changes.map((c) => c._event));
  say('webhook events', `${events.length}: ${[...new Set(kinds)].join(', ')}`);
  if (events.length) await client.webhooks.deleteEvents(events);
  say('done', 'all steps succeeded');
} catch (e) {
  if (!(e instanceof GlassixError)) throw e;
  console.error(`failed: ${e.kind} ${e.code ?? ''} ${e.message}`);
  process.exitCode = 1;
} finally {
  await sandbox?.close();
}
