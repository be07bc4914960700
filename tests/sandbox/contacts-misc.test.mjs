import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, client, createTicket, WA, sleep, FORM, fakeClock } from './_helpers.mjs';

const SECOND = '00000000-0000-4000-8000-000000000002';

describe('contacts', () => {
  let sb; let call;
  before(async () => { sb = await startSandbox(); });
  after(() => sb.close());
  beforeEach(() => { sb.reset(); call = client(sb); });

  test('get: 200 for a participant contact, 404 unknown, 400 malformed', async () => {
    const t = await createTicket(call, { participants: [WA('972500000002')] });
    const id = t.participants[0].contactId;
    const r = await call('GET', `/contacts/get/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.id, id);
    assert.equal(r.json.name, 'Eli Customer');
    assert.equal(r.json.identifiers[0].contactId, id);
    assert.equal(typeof r.json.identifiers[0].id, 'number');
    assert.equal((await call('GET', `/contacts/get/${id.toUpperCase()}`)).status, 200, 'GUIDs are case-insensitive');
    // ASP.NET binds a Guid path value in its 32-digit form too (Guid.Parse, format "N"): the same contact
    const dashless = await call('GET', `/contacts/get/${id.replace(/-/g, '').toUpperCase()}`);
    assert.equal(dashless.status, 200, 'a GUID without hyphens');
    assert.equal(dashless.json.id, id, 'answered with the canonical id');
    const nf = await call('GET', '/contacts/get/12345678-1234-4234-8234-123456789012');
    assert.equal(nf.status, 404);
    const bad = await call('GET', '/contacts/get/12345');
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.json.Message, 'string');
  });

  test('setname (≤ 25 chars), setuniqueargument (≤ 50 chars) return { message }', async () => {
    const id = (await createTicket(call)).participants[0].contactId;
    let r = await call('PUT', `/contacts/setname/${id}`, { body: { nextName: 'Luke Skywalker' } });
    assert.equal(r.status, 200);
    assert.equal(typeof r.json.message, 'string');
    assert.equal((await call('GET', `/contacts/get/${id}`)).json.name, 'Luke Skywalker');
    assert.equal((await call('PUT', `/contacts/setname/${id}`, { body: { nextName: 'x'.repeat(26) } })).status, 400);
    assert.equal((await call('PUT', `/contacts/setname/${id}`, { body: {} })).status, 400);
    r = await call('PUT', `/contacts/setuniqueargument/${id}`, { body: { nextUniqueArgument: 'CRM-42' } });
    assert.equal(r.status, 200);
    assert.equal((await call('GET', `/contacts/get/${id}`)).json.uniqueArgument, 'CRM-42');
    assert.equal((await call('PUT', `/contacts/setuniqueargument/${id}`, { body: { nextUniqueArgument: 'x'.repeat(51) } })).status, 400);
  });

  test('addidentifier / deleteidentifier; conflicts need forceMerge', async () => {
    const id = (await createTicket(call)).participants[0].contactId;
    let r = await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'MailAddress', identifier: 'luke@example.com', forceMerge: false } });
    assert.equal(r.status, 200);
    let c = (await call('GET', `/contacts/get/${id}`)).json;
    const mail = c.identifiers.find((i) => i.identifier === 'luke@example.com');
    assert.equal(mail.identifierType, 'MailAddress');
    assert.equal((await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'Pigeon', identifier: 'x' } })).status, 400);
    assert.equal((await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'PhoneNumber' } })).status, 400);
    // Dana's phone belongs to another contact
    r = await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'PhoneNumber', identifier: '972500000001' } });
    assert.equal(r.status, 400);
    r = await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'PhoneNumber', identifier: '972500000001', forceMerge: true } });
    assert.equal(r.status, 200);
    c = (await call('GET', `/contacts/get/${id}`)).json;
    assert.ok(c.identifiers.some((i) => i.identifier === 'dana@example.com'), 'merged');

    r = await call('DELETE', `/contacts/deleteidentifier/${id}`, { query: { contactIdentifierId: mail.id } });
    assert.equal(r.status, 200);
    c = (await call('GET', `/contacts/get/${id}`)).json;
    assert.ok(!c.identifiers.some((i) => i.id === mail.id));
    assert.equal((await call('DELETE', `/contacts/deleteidentifier/${id}`, { query: { contactIdentifierId: mail.id } })).status, 404);
    assert.equal((await call('DELETE', `/contacts/deleteidentifier/${id}`)).status, 400);
    assert.equal((await call('DELETE', `/contacts/deleteidentifier/${id}`, { query: { contactIdentifierId: 'abc' } })).status, 400);
  });

  test('every change of a contact moves its updateDateTime, an added identifier too; creationDateTime stays', async () => {
    const now = fakeClock(Date.UTC(2024, 5, 15, 12, 0, 0));
    const sb2 = await startSandbox({ now });
    try {
      const call2 = client(sb2);
      const id = (await createTicket(call2)).participants[0].contactId;
      const updated = async () => (await call2('GET', `/contacts/get/${id}`)).json;
      now.advance(60_000);
      assert.equal((await call2('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'MailAddress', identifier: 'luke@example.com' } })).status, 200);
      let c = await updated();
      assert.deepEqual([c.creationDateTime, c.updateDateTime], ['2024-06-15T12:00:00Z', '2024-06-15T12:01:00Z']);
      assert.equal(c.identifiers.find((i) => i.identifier === 'luke@example.com').lastAccessed, '2024-06-15T12:01:00Z');
      now.advance(60_000);
      assert.equal((await call2('DELETE', `/contacts/deleteidentifier/${id}`, { query: { contactIdentifierId: c.identifiers[1].id } })).status, 200);
      c = await updated();
      assert.equal(c.updateDateTime, '2024-06-15T12:02:00Z');
    } finally {
      await sb2.close();
    }
  });
});

describe('tenants, canned replies, protocols, documents, phone calls', () => {
  let sb; let call;
  before(async () => { sb = await startSandbox(); });
  after(() => sb.close());
  beforeEach(() => { sb.reset(); call = client(sb); });

  test('isonline returns a JSON boolean, with or without a token', async () => {
    let r = await call('GET', '/tenants/isonline', { query: { departmentId: sb.credentials.apiKey } });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'true');
    r = await call('GET', '/tenants/isonline', { query: { departmentId: sb.credentials.apiKey, protocolType: 'WhatsApp' }, token: null });
    assert.equal(r.status, 200);
    assert.equal(r.json, true);
    r = await call('GET', '/tenants/isonline', { query: { departmentId: SECOND } });
    assert.equal(r.json, false);
    assert.equal((await call('GET', '/tenants/isonline')).status, 400);
    assert.equal((await call('GET', '/tenants/isonline', { query: { departmentId: 'abc' } })).status, 400);
    assert.equal((await call('GET', '/tenants/isonline', { query: { departmentId: sb.credentials.apiKey, protocolType: 'Fax' } })).status, 400);
    assert.equal((await call('GET', '/tenants/isonline', { query: { departmentId: '12345678-1234-4234-8234-123456789012' } })).status, 404);
    sb.state.department(sb.credentials.apiKey).online = false;
    assert.equal((await call('GET', '/tenants/isonline', { query: { departmentId: sb.credentials.apiKey } })).json, false);
  });

  test('gettags returns Tag[] (PascalCase keys)', async () => {
    const r = await call('GET', '/tenants/gettags');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json[0], { Name: 'VIP', Color: '#e53935', ParentTags: [], IsDeleted: false });
    assert.ok(r.json.some((t) => t.Name === 'Retired' && t.IsDeleted === true));
  });

  test('canned replies: getall, add, delete', async () => {
    let r = await call('GET', '/cannedreplies/getall');
    assert.deepEqual(r.json.map((c) => c.title), ['Greeting', 'Closing']);
    r = await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'Refund', text: 'We refunded you.', rank: 0, autoTags: ['Billing'], isPublished: true } });
    assert.equal(r.status, 200);
    const id = r.json.id;
    assert.equal(typeof id, 'number');
    assert.equal(r.json.title, 'Refund');
    r = await call('GET', '/cannedreplies/getall');
    assert.deepEqual(r.json.map((c) => c.title), ['Refund', 'Greeting', 'Closing']);
    r = await call('POST', '/cannedreplies/add', { body: { id, title: 'Refund v2', text: 'Done.' } });
    assert.equal(r.json.id, id);
    assert.equal((await call('POST', '/cannedreplies/add', { body: { text: 'no title' } })).status, 400);
    assert.equal((await call('POST', '/cannedreplies/add', { body: { id: 999, title: 'x', text: 'y' } })).status, 404);
    r = await call('DELETE', '/cannedreplies/delete', { query: { cannedReplyId: id } });
    assert.equal(r.status, 200);
    assert.equal((await call('DELETE', '/cannedreplies/delete', { query: { cannedReplyId: id } })).status, 404);
    assert.equal((await call('DELETE', '/cannedreplies/delete')).status, 400);
  });

  test('protocols/send answers like the recorded real reply, then delivers Sent and Delivered as events', async () => {
    const body = { protocolType: 'WhatsApp', from: '15550000001', to: '972500000001', text: 'Your order shipped', serviceProvider: 0 };
    let r = await call('POST', '/protocols/send', { body });
    assert.equal(r.status, 200);
    // key for key, in order, as the reply recorded in Darkmift/notify-volunteer-glassix-api
    assert.deepEqual(Object.keys(r.json), ['text', 'html', 'protocolType', 'attachmentUris', 'from', 'to', 'dateTime',
      'providerMessageId', 'departmentId', 'status', 'files', 'serviceProvider']);
    assert.equal(r.json.text, 'Your order shipped');
    assert.equal(r.json.to, '972500000001');
    assert.equal(r.json.status, 'Pending');
    assert.equal(r.json.html, null);
    assert.equal(r.json.attachmentUris, null);
    assert.equal(r.json.files, null);
    assert.equal(r.json.serviceProvider, 19, "the API's own value, not the client's 0");
    assert.match(r.json.providerMessageId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(r.json.dateTime, FORM.ticks);
    assert.equal(r.json.departmentId, sb.credentials.apiKey);
    await sleep(20);
    const events = (await call('GET', '/webhooks/getevents')).json;
    assert.deepEqual(events.map((e) => [e.changes[0]._event, e.changes[0].message.status]),
      [['NON_TICKET_MESSAGE_STATUS', 'Sent'], ['NON_TICKET_MESSAGE_STATUS', 'Delivered']]);
    for (const e of events) {
      assert.equal(e.changes[0].message.providerMessageId, r.json.providerMessageId);
      assert.equal(e.changes[0].message.dateTime, r.json.dateTime, 'the message keeps its send time');
    }
    // files and attachmentUris are echoed when given
    const withFiles = await call('POST', '/protocols/send', { body: { ...body, files: ['https://example.com/a.pdf'], html: '<b>x</b>' } });
    assert.deepEqual(withFiles.json.files, ['https://example.com/a.pdf']);
    assert.equal(withFiles.json.html, '<b>x</b>');
    // Case-insensitive enum, C# spelling
    assert.equal((await call('POST', '/protocols/send', { body: { ...body, protocolType: 'Whatsapp' } })).status, 200);
    for (const bad of [{ ...body, protocolType: 'Mail' }, { ...body, from: '999' }, { ...body, to: '' }, { ...body, text: '' }, { ...body, files: ['nope'] }]) {
      assert.equal((await call('POST', '/protocols/send', { body: bad })).status, 400, JSON.stringify(bad));
    }
  });

  test('interactivedocuments/send appends a document message', async () => {
    const t = await createTicket(call);
    const r = await call('POST', `/interactivedocuments/send/${t.id}`, {
      body: { shouldLockDocument: true, baseTemplateId: 'tpl-1', message: 'Please sign', fields: [{ type: 'Text', name: 'fullName', value: 'Luke' }] },
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.text, 'Please sign');
    assert.equal(r.json.attachments[0].type, 'InteractiveDocument');
    assert.equal(r.json.fromParticipant.userName, 'alice@sandbox.test', 'sent on behalf of the owner');
    assert.equal((await call('POST', `/interactivedocuments/send/${t.id}`, { body: { message: 'x' } })).status, 400);
    assert.equal((await call('POST', '/interactivedocuments/send/1', { body: { baseTemplateId: 'x' } })).status, 404);
  });

  test('phonecalls started / ended validate dd/MM/yyyy HH:mm:ss:ff; audiolink validates the URI', async () => {
    const t = await createTicket(call);
    assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:20:00:22' } })).status, 200);
    assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '2020-12-24T11:20:00Z' } })).status, 400);
    assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: {} })).status, 400);
    assert.equal((await call('POST', `/phonecalls/ended/${t.id}`, { body: { dateTime: '24/12/2020 11:19:00:00' } })).status, 400, 'before start');
    assert.equal((await call('POST', `/phonecalls/ended/${t.id}`, { body: { dateTime: '24/12/2020 11:30:00:00' } })).status, 200);
    assert.equal((await call('POST', `/phonecalls/audiolink/${t.id}`, { body: { audioUri: 'https://example.com/call.mp3' } })).status, 200);
    assert.equal((await call('POST', `/phonecalls/audiolink/${t.id}`, { body: { audioUri: 'call.mp3' } })).status, 400);
    const g = (await call('GET', `/tickets/get/${t.id}`)).json;
    const types = g.transactions.map((x) => x.type);
    assert.deepEqual(types.slice(-3), ['PhoneCallStarted', 'PhoneCallEnded', 'PhoneCallRecording']);
    assert.equal(g.transactions.find((x) => x.type === 'PhoneCallStarted').dateTime, '2020-12-24T11:20:00.22Z');
    assert.equal(g.transactions.at(-1).attachments[0].type, 'Audio');
  });
});
