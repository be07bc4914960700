// Scenarios: the real client against the bundled sandbox, through whole support conversations
// and bad days. (The sandbox's own rule checks are in tests/sandbox/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { apiDate } from './sandbox/_helpers.mjs';

// The whole file runs outside UTC: the sandbox writes some dates without a zone, as the API does,
// and anything that read them with `new Date()` would be off by two hours here, not by nothing.
process.env.TZ = 'Asia/Jerusalem';

const require = createRequire(import.meta.url);
const GlassixClient = require('glassix-wasm');
const { GlassixError, verifyWebhook, parseWebhook } = GlassixClient;
const { startSandbox } = require('glassix-wasm/sandbox');

const customer = (name, identifier, protocolType = 'WhatsApp') => ({ type: 'Client', protocolType, name, identifier });
async function setup(t, options = {}, clientOptions = {}) {
  const sb = await startSandbox({ port: 0, ...options });
  t.after(() => sb.close());
  return { sb, client: new GlassixClient({ ...sb.credentials, baseUrl: sb.baseUrl, ...clientOptions }) };
}

test('a whole support conversation', async (t) => {
  const { sb, client } = await setup(t);
  const since = new Date(Date.now() - 1000);
  const ticket = await client.tickets.create({ field1: 'Refund request', participants: [customer('Noa', '972501112233')], tags: ['Billing'] });
  assert.equal(ticket.state, 'Open');
  assert.deepEqual(ticket.tags, ['Billing']);

  const sent = await client.tickets.send(ticket.id, { text: 'Hi Noa, looking into it.' });
  assert.equal(sent.text, 'Hi Noa, looking into it.');
  assert.deepEqual(await client.tickets.addTags(ticket.id, ['VIP']), ['Billing', 'VIP']);
  assert.deepEqual(await client.tickets.removeTag(ticket.id, { tag: 'Billing' }), ['VIP']);
  await client.tickets.addNote(ticket.id, { text: 'Customer since 2019' });
  await client.tickets.setFields(ticket.id, { field2: 'order-77', uniqueArgument: 'crm-77' });
  await client.tickets.setParticipantName(ticket.id, { id: 1, name: 'Noa Cohen' });
  await client.tickets.setOwner(ticket.id, { nextOwnerUserName: 'alice@sandbox.test', keepCurrentOwnerInConversation: false });
  await client.tickets.setSummary(ticket.id, { summary: 'Refund approved' });

  const full = await client.tickets.get(String(ticket.id));
  assert.equal(full.field2, 'order-77');
  assert.equal(full.participants.find((p) => p.id === 1).name, 'Noa Cohen');
  assert.equal(full.owner.UserName, 'alice@sandbox.test');
  assert.equal(full.ticketSummary.value, 'Refund approved');
  assert.deepEqual(full.transactions.map((x) => x.type).filter((x) => x !== 'TicketOpened'), ['Message', 'Note']);

  const contact = await client.contacts.get(full.participants[0].contactId);
  await client.contacts.setName(contact.id, { nextName: 'Noa C.' });
  assert.equal((await client.contacts.get(contact.id)).name, 'Noa C.');

  const listed = await client.tickets.list({ since, until: new Date(Date.now() + 1000) });
  assert.deepEqual(listed.map((x) => x.id), [ticket.id]);

  const closedTicket = await client.tickets.setState(ticket.id, { nextState: 'Closed', getTicket: true, summary: 'Done' });
  assert.equal(closedTicket.state, 'Closed');
  const { surveyLink } = await client.tickets.generateSurveyLink(ticket.id, { surveyId: 1, participantId: 1 });
  assert.match(surveyLink, /^http:\/\/127\.0\.0\.1:\d+\//);

  const pdf = await client.tickets.pdf(ticket.id, { includeNotes: true });
  assert.ok(pdf instanceof Uint8Array);
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
  assert.match(Buffer.from(pdf.subarray(-6)).toString(), /%%EOF/);
  assert.ok(pdf.some((b) => b >= 0x80), 'binary bytes survived');
  assert.match(await client.tickets.html(ticket.id), /Refund request/);

  const events = await client.webhooks.getEvents({ deleteEvents: false });
  const kinds = events.flatMap((e) => e.changes.map((c) => c._event));
  for (const k of ['NEW_TICKET', 'NEW_MESSAGE', 'TICKET_OWNER_CHANGE', 'TICKET_STATE_CHANGE']) assert.ok(kinds.includes(k), k);
  await client.webhooks.deleteEvents(events);
  assert.deepEqual(await client.webhooks.getEvents({ deleteEvents: false }), []);
  assert.ok(sb.requests.every((r) => r.status < 500));
});

test('the API rules surface as GlassixErrors with the API status and message', async (t) => {
  const { client } = await setup(t);
  const ticket = await client.tickets.create({ field1: 'Rules', participants: [customer('Eli', '972500000002')] });
  const rejects = async (p, code, pattern) => {
    const e = await p.then(() => assert.fail('should reject'), (x) => x);
    assert.ok(e instanceof GlassixError);
    assert.equal(e.code, code);
    assert.equal(e.kind, 'http');
    if (pattern) assert.match(e.message, pattern);
  };
  await rejects(client.tickets.addTags(ticket.id, ['NoSuchTag']), 400);
  await rejects(client.tickets.setState(ticket.id, { nextState: 'Snoozed' }), 400);
  await rejects(client.tickets.generateSurveyLink(ticket.id, { surveyId: 1 }), 400);
  await rejects(client.tickets.get(999999999), 404);
  await client.tickets.setState(ticket.id, { nextState: 'Closed' });
  await rejects(client.tickets.addTags(ticket.id, ['VIP']), 400);
  await rejects(client.tickets.send(ticket.id, { text: 'too late' }), 400);
});

test('paging across many pages, and a range of three months split into windows', async (t) => {
  const { sb, client } = await setup(t, { pageSize: 7 });
  const day = 86_400_000;
  const start = Date.UTC(2024, 0, 10);
  const ids = [];
  for (let i = 0; i < 40; i++) {
    const open = new Date(start + i * 2 * day); // 10 Jan … 28 Mar 2024
    const created = await client.tickets.create({ field1: `T${i}`, participants: [customer(`C${i}`, `97250${String(i).padStart(7, '0')}`)], open: open.toISOString(), lastActivity: open.toISOString() });
    ids.push(created.id);
  }
  // one window: 6 pages of 7
  const jan = await client.tickets.list({ since: new Date(Date.UTC(2024, 0, 1)), until: new Date(Date.UTC(2024, 1, 1)) });
  assert.equal(jan.length, 12); // 10, 12, …, 30 Jan, and 1 Feb 00:00 (the window is inclusive)
  // three months: split into windows, every ticket exactly once
  const n = sb.requests.length;
  const all = await client.tickets.list({ since: new Date(Date.UTC(2024, 0, 1)), until: new Date(Date.UTC(2024, 3, 1)) });
  assert.deepEqual(all.map((x) => x.id).sort(), [...ids].sort());
  const listCalls = sb.requests.slice(n).filter((r) => r.path.endsWith('/tickets/list'));
  assert.ok(listCalls.every((r) => r.status === 200), 'no window was refused by the month limit');
  assert.ok(listCalls.length > 6);
  // lazy iteration stops fetching on break
  const m = sb.requests.length;
  let seen = 0;
  for await (const x of client.tickets.iterate({ since: '01/01/2024 00:00:00:00', until: '01/02/2024 00:00:00:00' })) {
    assert.ok(x.id);
    if (++seen === 3) break;
  }
  assert.equal(sb.requests.slice(m).filter((r) => r.path.endsWith('/tickets/list')).length, 1);
});

test('a bad day: 429 bursts, gateway errors, a hung request and a throttled token endpoint', async (t) => {
  const { sb, client } = await setup(t, { faults: { tokenFail429: 1, retryAfter: 1 } });
  const ticket = await client.tickets.create({ field1: 'Bad day', participants: [customer('Dan', '972500000077')] });
  assert.equal(sb.requests.filter((r) => r.path.endsWith('/token/get')).length, 2, 'token 429 then success');

  sb.setFaults({ burst429: 2, retryAfter: 1 });
  const started = Date.now();
  assert.equal((await client.tickets.get(ticket.id)).id, ticket.id);
  assert.ok(Date.now() - started >= 1900, 'honoured Retry-After twice');

  sb.setFaults({ burst5xx: 1 });
  assert.equal((await client.tickets.get(ticket.id)).id, ticket.id, 'GET retried after a 502');
  sb.setFaults({ burst5xx: 1 });
  const n = sb.requests.length;
  await assert.rejects(client.tickets.send(ticket.id, { text: 'once' }), (e) => e.code >= 502 && e.code <= 504);
  assert.equal(sb.requests.slice(n).filter((r) => r.path.includes('/tickets/send/')).length, 1, 'a POST is never re-sent');

  sb.setFaults({ hangNext: 1 });
  await assert.rejects(client.tickets.get(ticket.id, { timeout: 300, maxRetries: 0 }), (e) => e instanceof GlassixError && e.kind === 'timeout');
  assert.equal((await client.tickets.get(ticket.id, { timeout: 2000 })).id, ticket.id);
});

test('tokens expire: the client refreshes before expiry and recovers from a 401', async (t) => {
  const { sb, client } = await setup(t, { tokenLifetime: 1 });
  await client.users.getAll();
  await new Promise((r) => setTimeout(r, 1100));
  await client.users.getAll(); // refreshed ahead of expiry
  assert.equal(sb.requests.filter((r) => r.path.endsWith('/token/get')).length, 2);
  assert.ok(sb.requests.every((r) => r.status !== 401));

  // a token revoked server-side: one 401, one refresh, one retry
  const { sb: sb2, client: c2 } = await setup(t);
  await c2.users.getAll();
  sb2.reset({ tokens: true });
  assert.ok(Array.isArray(await c2.users.getAll()));
  assert.deepEqual(sb2.requests.map((r) => `${r.path.split('/').pop()} ${r.status}`), ['allusers 401', 'get 200', 'allusers 200']);
});

test('webhook deliveries from the sandbox verify with verifyWebhook; forged ones do not', async (t) => {
  const received = [];
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ ok: verifyWebhook(raw, req.headers, 'sandbox-secret'), forged: verifyWebhook(raw, req.headers, 'not-the-secret'), events: parseWebhook(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => receiver.close(r)));
  const { sb, client } = await setup(t, { webhookUrl: `http://127.0.0.1:${receiver.address().port}/hook` });
  const ticket = await client.tickets.create({ field1: 'Hook', participants: [customer('Ori', '972500000088')] });
  await client.tickets.setState(ticket.id, { nextState: 'Closed' });
  await sb.webhooksIdle();
  assert.ok(received.length >= 2);
  assert.ok(received.every((r) => r.ok && !r.forged));
  assert.deepEqual(received.map((r) => r.events[0].changes[0]._event).slice(0, 2), ['NEW_TICKET', 'TICKET_STATE_CHANGE']);
  assert.ok(client.webhooks.verify(JSON.stringify({ a: 1 }), {}) === false);
});

test('consume against the sandbox handles every event once and leaves the queue empty', async (t) => {
  const { sb, client } = await setup(t);
  for (let i = 0; i < 3; i++) await client.tickets.create({ field1: `E${i}`, participants: [customer(`P${i}`, `97250000010${i}`)] });
  const ac = new AbortController();
  const handled = [];
  // stopped once the sandbox has answered a delete after the third event (a timer started by the
  // handler raced the delete on a slow machine and cut it short), or after 5 s whatever happened
  const giveUp = setTimeout(() => ac.abort(), 5000);
  const watch = setInterval(() => {
    const deleted = sb.requests.filter((r) => r.path.endsWith('/webhooks/deleteevents') && r.status === 200).reduce((n, r) => n + r.body.length, 0);
    if (handled.length === 3 && deleted >= 3) ac.abort();
  }, 10);
  await client.webhooks.consume(
    async (event) => {
      handled.push(event.changes[0]._event);
    },
    { signal: ac.signal, intervalMs: 50 },
  );
  clearTimeout(giveUp);
  clearInterval(watch);
  assert.deepEqual(handled, ['NEW_TICKET', 'NEW_TICKET', 'NEW_TICKET']);
  assert.deepEqual(await client.webhooks.getEvents({ deleteEvents: false }), []);
});

test('files.upload round-trips bytes through the sandbox', async (t) => {
  const { client } = await setup(t);
  const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 255);
  const form = new FormData();
  form.append('0', new Blob([bytes], { type: 'application/octet-stream' }), 'blob.bin');
  const res = await client.files.upload(form);
  const back = new Uint8Array(await (await fetch(res.urls[0])).arrayBuffer());
  assert.deepEqual([...back], [...bytes]);
  const ticket = await client.tickets.create({ field1: 'Files', participants: [customer('F', '972500000099')] });
  const tx = await client.tickets.send(ticket.id, { text: 'see attached', files: res.urls });
  assert.equal(tx.attachments.length, 1);
});

test('setDepartment copies the ticket with a new id', async (t) => {
  const { client } = await setup(t);
  const ticket = await client.tickets.create({ field1: 'Move me', participants: [customer('M', '972500000055')] });
  const { ticketId } = await client.tickets.setDepartment(ticket.id, { departmentId: '00000000-0000-4000-8000-000000000002' });
  assert.notEqual(ticketId, ticket.id);
  assert.equal((await client.tickets.get(ticket.id)).movedToTicketId, ticketId);
});

test('a ticket created a moment ago is in a list that ends now (until: new Date())', async (t) => {
  const { client } = await setup(t);
  for (let i = 0; i < 30; i++) {
    const created = await client.tickets.create({ field1: `now ${i}`, participants: [customer(`N${i}`, `9725000003${String(i).padStart(2, '0')}`)] });
    const listed = await client.tickets.list({ since: new Date(Date.now() - 3_600_000), until: new Date() });
    assert.ok(listed.some((x) => x.id === created.id), `ticket ${i} missing`);
  }
});

test('month windows lose nothing at the seams, whatever the millisecond', async (t) => {
  const mk = (id, iso) => ({ id, open: iso, lastActivity: iso, state: 'Open', participants: [{ protocolType: 'SMS', identifier: `97250000${id}` }] });
  const { client } = await setup(t, {
    seed: { tickets: [mk(1001, '2024-01-31T23:59:59.995Z'), mk(1002, '2024-02-01T00:00:00.000Z'), mk(1003, '2024-01-31T23:59:59.990Z'), mk(1004, '2024-02-29T23:59:59.999Z'), mk(1005, '2024-01-10T12:00:00.000Z')] },
  });
  const ids = (await client.tickets.list({ since: '01/01/2024 00:00:00:00', until: '15/03/2024 00:00:00:00' })).map((x) => x.id).sort();
  assert.deepEqual(ids, [1001, 1002, 1003, 1004, 1005]);
});

test('this file runs outside UTC', () => {
  assert.equal(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset(), -120, 'Asia/Jerusalem is in effect');
});

test('dates the sandbox writes as the API does: a zone-less lastActivity read as UTC drives the next list; read by new Date() it misses', async (t) => {
  const { client } = await setup(t);
  const ticket = await client.tickets.create({ field1: 'Dates', participants: [customer('Dov', '972500000111')] });
  await client.tickets.send(ticket.id, { text: 'on it' });
  const full = await client.tickets.get(ticket.id);
  assert.match(full.lastActivity, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?$/, 'no zone, as in the docs');
  assert.match(full.open, /(\.\d{0,6}[1-9])?Z$/, 'up to 7 fraction digits, as in the docs');
  const careful = new Date(apiDate(full.lastActivity)); // ms, read as UTC
  const careless = new Date(full.lastActivity);
  assert.equal(careful - careless, 2 * 3_600_000, 'new Date() read the UTC time as Jerusalem time');
  assert.equal(new Date(full.open).getTime(), apiDate(full.open), 'a date with Z reads the same either way');
  assert.ok(apiDate(full.open) <= careful.getTime() + 10);
  const found = await client.tickets.list({ since: careful, until: new Date(careful.getTime() + 60_000) });
  assert.deepEqual(found.map((x) => x.id), [ticket.id]);
  const missed = await client.tickets.list({ since: careless, until: new Date(careless.getTime() + 60_000) });
  assert.deepEqual(missed, [], 'the careless window ends two hours before the activity');
  // the transactions' dates (milliseconds, Z) and the close date (seconds, Z)
  const closed = await client.tickets.setState(ticket.id, { nextState: 'Closed', getTicket: true });
  assert.match(closed.close, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const tr of closed.transactions) assert.ok(apiDate(tr.dateTime) >= apiDate(closed.open) - 1, tr.type);
});

test('with dateFormat: iso every date is toISOString(), and the client is none the wiser', async (t) => {
  const { client } = await setup(t, { dateFormat: 'iso' });
  const ticket = await client.tickets.create({ field1: 'ISO', participants: [customer('Ira', '972500000112')] });
  for (const k of ['open', 'lastActivity']) assert.equal(new Date(ticket[k]).toISOString(), ticket[k], k);
});

test("a ticket's owner is the docs' 7-key owner; the full user comes from users.getAll", async (t) => {
  const { client } = await setup(t);
  const ticket = await client.tickets.create({ field1: 'Owner', participants: [customer('Oz', '972500000113')] });
  assert.deepEqual(Object.keys(ticket.owner).sort(), ['UserName', 'culture', 'gender', 'id', 'isAnonymous', 'type', 'uniqueArgument']);
  assert.equal(ticket.owner.fullName, undefined);
  const owner = (await client.users.getAll()).find((u) => u.id === ticket.owner.id);
  assert.equal(owner.fullName, 'Alice Agent');
  assert.deepEqual(owner.roles, ['SystemUser', 'WhatsApp', 'webChat']);
});

test('paging: null on the last page (one reading of the docs) ends tickets.list and iterate cleanly', async (t) => {
  const { sb, client } = await setup(t, { pageSize: 2, rules: { lastPaging: 'null' } });
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await client.tickets.create({ field1: `P${i}`, participants: [customer(`P${i}`, `97250000020${i}`)] })).id);
  const window = { since: new Date(Date.now() - 60_000), until: new Date(Date.now() + 60_000) };
  assert.deepEqual((await client.tickets.list(window)).map((x) => x.id).sort(), [...ids].sort());
  const seen = [];
  for await (const x of client.tickets.iterate(window)) seen.push(x.id);
  assert.deepEqual(seen.sort(), [...ids].sort());
  const pages = sb.requests.filter((r) => r.path.endsWith('/tickets/list'));
  assert.equal(pages.length, 6, 'three pages each, the last with paging: null');
});

test('protocols.send resolves Pending; Sent and Delivered arrive as NON_TICKET_MESSAGE_STATUS events', async (t) => {
  const { client } = await setup(t, { rules: { protocolStatusDelayMs: 20 } });
  const sent = await client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: '972500000114', text: 'Your code is 1234' });
  assert.equal(sent.status, 'Pending');
  assert.equal(sent.html, null);
  assert.equal(sent.files, null);
  assert.match(sent.providerMessageId, /^[0-9a-f-]{36}$/);
  const ac = new AbortController();
  const statuses = [];
  await client.webhooks.consume(
    async (event) => {
      for (const c of event.changes) {
        if (c._event === 'NON_TICKET_MESSAGE_STATUS' && c.message.providerMessageId === sent.providerMessageId) statuses.push(c.message.status);
      }
      if (statuses.length === 2) ac.abort();
    },
    { signal: ac.signal, intervalMs: 20 },
  );
  assert.deepEqual(statuses, ['Sent', 'Delivered']);
});
