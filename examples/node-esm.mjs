// ES modules: default and named imports; the per-call options (last argument of every method).
import GlassixClient, { formatDate } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';

// API dates are UTC, but some come without a zone (`2018-11-26T19:42:53.15`), which new Date() reads as local time.
const apiDate = (s) => new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);

const sandbox = await startSandbox();
try {
  const client = new GlassixClient({ ...sandbox.credentials, baseUrl: sandbox.baseUrl, timeout: 10_000 });
  const ticket = await client.tickets.create({
    field1: 'Where is my invoice?',
    participants: [{ type: 'Client', protocolType: 'WhatsApp', name: 'Noa', identifier: '972501234567' }],
  });
  const controller = new AbortController();
  const same = await client.tickets.get(ticket.id, { signal: controller.signal, timeout: 5_000, maxRetries: 1 });
  console.log(`ticket #${same.id} opened ${formatDate(apiDate(same.open))}: ${same.field1}`);
  for await (const t of client.tickets.iterate({ since: new Date(Date.now() - 3_600_000), until: new Date() })) {
    console.log(`iterated ticket #${t.id} (${t.state})`);
  }
} finally {
  await sandbox.close();
}
