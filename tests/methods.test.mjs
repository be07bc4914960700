// Every resource method: the exact HTTP method, path, query, JSON body and bearer token on the
// wire, and the resolved value (the parsed JSON body).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, json } from './helpers/server.mjs';

const T = 160000001;
const C = '0f8fad5b-d9cb-469f-a165-70867728950e';
let s;
let client;
before(async () => {
  s = await startServer();
  client = s.client();
});
after(() => s.close());

// [name, call, method, path, query, body]; body undefined = no body sent
const CASES = [
  ['tickets.create', (c) => c.tickets.create({ participants: [{ name: 'Dana', protocolType: 'Mail', identifier: 'dana@example.com', type: 'Client' }], field1: 'Subject', tags: ['vip'] }),
    'POST', '/tickets/create', {}, { participants: [{ name: 'Dana', protocolType: 'Mail', identifier: 'dana@example.com', type: 'Client' }], field1: 'Subject', tags: ['vip'] }],
  ['tickets.get', (c) => c.tickets.get(T), 'GET', `/tickets/get/${T}`, {}, undefined],
  ['tickets.get (decimal string id)', (c) => c.tickets.get(String(T)), 'GET', `/tickets/get/${T}`, {}, undefined],
  ['tickets.send', (c) => c.tickets.send(T, { text: 'Hello', files: ['https://x/y.png'] }), 'POST', `/tickets/send/${T}`, {}, { text: 'Hello', files: ['https://x/y.png'] }],
  ['tickets.setState', (c) => c.tickets.setState(T, { nextState: 'Closed', sendTicketStateChangedMessage: false, getTicket: true, enableWebhook: true, summary: 'Solved', tags: ['done'] }),
    'PUT', `/tickets/setstate/${T}`, { nextState: 'Closed', sendTicketStateChangedMessage: 'false', getTicket: 'true', enableWebhook: 'true' }, { summary: 'Solved', tags: ['done'] }],
  ['tickets.setState (query keys only)', (c) => c.tickets.setState(T, { nextState: 'Open' }), 'PUT', `/tickets/setstate/${T}`, { nextState: 'Open' }, {}],
  ['tickets.setFields', (c) => c.tickets.setFields(T, { field2: 'a', uniqueArgument: 'crm-1', details: { source: { title: 'Site', uri: 'https://s' } } }),
    'PUT', `/tickets/setfields/${T}`, {}, { field2: 'a', uniqueArgument: 'crm-1', details: { source: { title: 'Site', uri: 'https://s' } } }],
  ['tickets.setParticipantName', (c) => c.tickets.setParticipantName(T, { id: 1, name: 'Dana R' }), 'PUT', `/tickets/setparticipantname/${T}`, {}, { id: 1, name: 'Dana R' }],
  ['tickets.setOwner', (c) => c.tickets.setOwner(T, { nextOwnerUserName: 'agent@example.com', keepCurrentOwnerInConversation: true }),
    'PUT', `/tickets/setowner/${T}`, { nextOwnerUserName: 'agent@example.com', keepCurrentOwnerInConversation: 'true' }, {}],
  ['tickets.assignAvailableUser', (c) => c.tickets.assignAvailableUser(T), 'PUT', `/tickets/assignavailableuser/${T}`, {}, {}],
  ['tickets.setDepartment', (c) => c.tickets.setDepartment(T, { departmentId: C }), 'PUT', `/tickets/setdepartment/${T}`, {}, { departmentId: C }],
  ['tickets.addTags', (c) => c.tickets.addTags(T, ['vip', 'billing']), 'POST', `/tickets/addtags/${T}`, {}, ['vip', 'billing']],
  ['tickets.removeTag', (c) => c.tickets.removeTag(T, { tag: 'vip' }), 'DELETE', `/tickets/removetag/${T}`, { tag: 'vip' }, undefined],
  ['tickets.addNote', (c) => c.tickets.addNote(T, { text: 'internal' }), 'POST', `/tickets/addnote/${T}`, {}, { text: 'internal' }],
  ['tickets.scramble', (c) => c.tickets.scramble(T), 'DELETE', `/tickets/scramble/${T}`, {}, undefined],
  ['tickets.pdf', (c) => c.tickets.pdf(T, { includeNotes: false, fontSizeInPixels: 12 }), 'POST', `/tickets/pdf/${T}`, {}, { includeNotes: false, fontSizeInPixels: 12 }],
  ['tickets.html', (c) => c.tickets.html(T, { includeDetails: true }), 'POST', `/tickets/html/${T}`, {}, { includeDetails: true }],
  ['tickets.generateSurveyLink', (c) => c.tickets.generateSurveyLink(T, { surveyId: 3, participantId: 1 }), 'POST', `/tickets/generatesurveylink/${T}`, {}, { surveyId: 3, participantId: 1 }],
  ['tickets.setSummary', (c) => c.tickets.setSummary(T, { summary: 'Refund issued' }), 'POST', `/tickets/setsummary/${T}`, {}, { summary: 'Refund issued' }],
  ['users.getAll', (c) => c.users.getAll(), 'GET', '/users/allusers', {}, undefined],
  ['users.setStatus', (c) => c.users.setStatus({ nextStatus: 'Break' }), 'PUT', '/users/setstatus', {}, { nextStatus: 'Break' }],
  ['users.getStatus', (c) => c.users.getStatus(), 'GET', '/users/getstatus', {}, undefined],
  ['users.getStatusLogs', (c) => c.users.getStatusLogs({ since: new Date(Date.UTC(2024, 0, 5, 13)), until: '10/01/2024', userId: C }),
    'GET', '/users/statuslogs', { since: '05/01/2024', until: '10/01/2024', userId: C }, undefined],
  ['users.add', (c) => c.users.add([{ userName: 'new@example.com', uniqueArgument: 'u1' }], { userType: 'AGENT', role: 'SystemUser' }),
    'POST', '/users/add', { userType: 'AGENT', role: 'SystemUser' }, [{ userName: 'new@example.com', uniqueArgument: 'u1' }]],
  ['users.delete', (c) => c.users.delete({ userName: 'old@example.com' }), 'DELETE', '/users/delete', { userName: 'old@example.com' }, undefined],
  ['users.setUniqueArgument', (c) => c.users.setUniqueArgument({ nextUniqueArgument: 'abc' }), 'PUT', '/users/setuniqueargument', {}, { nextUniqueArgument: 'abc' }],
  ['users.update', (c) => c.users.update({ shortName: 'Dee', fullName: 'Dana Doe', jobTitle: 'Agent' }), 'POST', '/users/update', {}, { shortName: 'Dee', fullName: 'Dana Doe', jobTitle: 'Agent' }],
  ['users.getByUniqueArgument', (c) => c.users.getByUniqueArgument({ uniqueArgument: 'abc' }), 'GET', '/users/getbyuniqueargument', { uniqueArgument: 'abc' }, undefined],
  ['users.setRoles', (c) => c.users.setRoles(['SystemUser', 'WhatsApp'], { userName: 'a@example.com' }), 'POST', '/users/setroles', { userName: 'a@example.com' }, ['SystemUser', 'WhatsApp']],
  ['tenants.isOnline', (c) => c.tenants.isOnline({ departmentId: C, protocolType: 'WhatsApp' }), 'GET', '/tenants/isonline', { departmentId: C, protocolType: 'WhatsApp' }, undefined],
  ['tenants.getTags', (c) => c.tenants.getTags(), 'GET', '/tenants/gettags', {}, undefined],
  ['contacts.get', (c) => c.contacts.get(C), 'GET', `/contacts/get/${C}`, {}, undefined],
  ['contacts.setName', (c) => c.contacts.setName(C, { nextName: 'Dana' }), 'PUT', `/contacts/setname/${C}`, {}, { nextName: 'Dana' }],
  ['contacts.addIdentifier', (c) => c.contacts.addIdentifier(C, { forceMerge: false, identifierType: 'PhoneNumber', identifier: '972500000000' }),
    'POST', `/contacts/addidentifier/${C}`, {}, { forceMerge: false, identifierType: 'PhoneNumber', identifier: '972500000000' }],
  ['contacts.setUniqueArgument', (c) => c.contacts.setUniqueArgument(C, { nextUniqueArgument: 'crm-9' }), 'PUT', `/contacts/setuniqueargument/${C}`, {}, { nextUniqueArgument: 'crm-9' }],
  ['contacts.deleteIdentifier', (c) => c.contacts.deleteIdentifier(C, { contactIdentifierId: 17 }), 'DELETE', `/contacts/deleteidentifier/${C}`, { contactIdentifierId: '17' }, undefined],
  ['cannedReplies.getAll', (c) => c.cannedReplies.getAll(), 'GET', '/cannedreplies/getall', {}, undefined],
  ['cannedReplies.add', (c) => c.cannedReplies.add({ id: 0, title: 'Hi', text: 'Hello!', isPublished: true }), 'POST', '/cannedreplies/add', {}, { id: 0, title: 'Hi', text: 'Hello!', isPublished: true }],
  ['cannedReplies.delete', (c) => c.cannedReplies.delete({ cannedReplyId: 5 }), 'DELETE', '/cannedreplies/delete', { cannedReplyId: '5' }, undefined],
  ['interactiveDocuments.send', (c) => c.interactiveDocuments.send(T, { baseTemplateId: 2, message: 'Sign', fields: [{ type: 'Text', name: 'n' }] }),
    'POST', `/interactivedocuments/send/${T}`, {}, { baseTemplateId: 2, message: 'Sign', fields: [{ type: 'Text', name: 'n' }] }],
  ['protocols.send', (c) => c.protocols.send({ protocolType: 'WhatsApp', from: '972500000001', to: '972500000002', text: 'Hi' }),
    'POST', '/protocols/send', {}, { protocolType: 'WhatsApp', from: '972500000001', to: '972500000002', text: 'Hi' }],
  ['phoneCalls.started', (c) => c.phoneCalls.started(T, { dateTime: '24/12/2020 11:20:00:22' }), 'POST', `/phonecalls/started/${T}`, {}, { dateTime: '24/12/2020 11:20:00:22' }],
  ['phoneCalls.ended (Date)', (c) => c.phoneCalls.ended(T, { dateTime: new Date(Date.UTC(2020, 11, 24, 11, 25, 0, 500)) }), 'POST', `/phonecalls/ended/${T}`, {}, { dateTime: '24/12/2020 11:25:00:50' }],
  ['phoneCalls.audioLink', (c) => c.phoneCalls.audioLink(T, { audioUri: 'https://rec/1.mp3' }), 'POST', `/phonecalls/audiolink/${T}`, {}, { audioUri: 'https://rec/1.mp3' }],
  ['webhooks.getevents', (c) => c.webhooks.getevents({ deleteEvents: false }), 'GET', '/webhooks/getevents', { deleteEvents: 'false' }, undefined],
  ['webhooks.getEvents', (c) => c.webhooks.getEvents({ deleteEvents: true }), 'GET', '/webhooks/getevents', { deleteEvents: 'true' }, undefined],
  ['webhooks.deleteEvents', (c) => c.webhooks.deleteEvents([{ key: 'k', queueReceiptHandle: 'h1', queueMessageId: 'm1' }]),
    'POST', '/webhooks/deleteevents', {}, [{ key: 'k', queueReceiptHandle: 'h1', queueMessageId: 'm1' }]],
];

test('every one-request method of the table (js/table.json) has a case here; files.upload has its own test below', () => {
  const table = JSON.parse(readFileSync(new URL('../js/table.json', import.meta.url), 'utf8'));
  const covered = new Set(CASES.map(([name]) => name.split(' ')[0]));
  const missing = table.rows.filter((r) => r.handler === 'Request').map((r) => (r.group === 'client' ? r.name : `${r.group}.${r.name}`)).filter((n) => n !== 'files.upload' && !covered.has(n));
  assert.deepEqual(missing, [], 'add a line to CASES for each new row');
});

for (const [name, call, method, path, query, body] of CASES) {
  test(`${name} sends ${method} ${path}`, async () => {
    const n = s.requests.length;
    const value = await call(client);
    const sent = s.requests.slice(n).filter((r) => !r.path.endsWith('/token/get'));
    assert.equal(sent.length, 1, 'exactly one request');
    const [r] = sent;
    assert.equal(r.method, method);
    assert.equal(r.path, `/api/v1.2${path}`);
    assert.deepEqual(r.query, query);
    assert.match(r.headers.authorization, /^Bearer token-\d+$/);
    if (body === undefined) {
      assert.equal(r.text, '', 'no body');
    } else {
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.body, body);
    }
    const echo = { ok: true, method, path: `/api/v1.2${path}` };
    // pdf always resolves bytes and html text, whatever the content type
    if (name.startsWith('tickets.pdf')) assert.deepEqual(JSON.parse(Buffer.from(value).toString()), echo);
    else if (name.startsWith('tickets.html')) assert.deepEqual(JSON.parse(value), echo);
    else assert.deepEqual(value, echo);
  });
}

test('files.upload sends the FormData as multipart/form-data, bytes intact', async () => {
  const bytes = new Uint8Array(256).map((_, i) => i);
  const form = new FormData();
  form.append('0', new Blob([bytes], { type: 'image/png' }), 'all-bytes.png');
  const n = s.requests.length;
  await client.files.upload(form);
  const [r] = s.requests.slice(n).filter((x) => !x.path.endsWith('/token/get'));
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/api/v1.2/files/upload');
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(r.headers['content-type'])[1];
  assert.ok(boundary);
  const start = r.raw.indexOf('\r\n\r\n') + 4;
  assert.deepEqual([...r.raw.subarray(start, start + 256)], [...bytes]);
  assert.match(r.text, /name="0"; filename="all-bytes.png"/);
});

test('the resolved value is the parsed JSON body, whatever its shape', async () => {
  s.route('POST', `/tickets/addtags/${T}`, (req, res) => json(res, 200, ['vip', 'billing']));
  s.route('GET', '/tenants/isonline', (req, res) => json(res, 200, true));
  assert.deepEqual(await client.tickets.addTags(T, ['vip', 'billing']), ['vip', 'billing']);
  assert.equal(await client.tenants.isOnline({ departmentId: C }), true);
});

test('the glassix-js positional form targets https://{workspace}.{domain}/api/v{apiVersion}', async () => {
  const positional = new (client.constructor)('acme', 'key-123', 'secret-456', '1.2', 'api@example.com', 'glassix.com');
  assert.equal(JSON.stringify(positional), '{"baseUrl":"https://acme.glassix.com/api/v1.2"}');
});

test('methods keep working when detached from their group (glassix-js methods were closures)', async () => {
  const { get } = client.tickets;
  const send = client.protocols.send;
  assert.deepEqual(await get(T), { ok: true, method: 'GET', path: `/api/v1.2/tickets/get/${T}` });
  assert.deepEqual(await send({ to: '1', text: 'x' }), { ok: true, method: 'POST', path: '/api/v1.2/protocols/send' });
  assert.equal(client.tickets.get, get, 'one bound function per group');
});

test("a method passed to an array's map or forEach takes only the value (glassix-js ignored the index and array); other extra arguments stay refused", async () => {
  const ids = [T, T + 1];
  assert.deepEqual(await Promise.all(ids.map(client.tickets.get)), ids.map((id) => ({ ok: true, method: 'GET', path: `/api/v1.2/tickets/get/${id}` })));
  const C2 = C.replace(/e$/, 'f');
  const seen = [];
  [C, C2].forEach((id, i, all) => seen.push(client.contacts.get(id, i, all)));
  assert.deepEqual((await Promise.all(seen)).map((r) => r.path), [`/api/v1.2/contacts/get/${C}`, `/api/v1.2/contacts/get/${C2}`]);
  const created = await Promise.all([{ field1: 'a' }, { field1: 'b' }].map(client.tickets.create));
  assert.deepEqual(created.map((r) => r.path), ['/api/v1.2/tickets/create', '/api/v1.2/tickets/create']);
  // (an optional second parameter: the index is not taken for it)
  const pdfs = await Promise.all(ids.map(client.tickets.pdf));
  assert.deepEqual(pdfs.map((bytes) => JSON.parse(Buffer.from(bytes).toString()).path), ids.map((id) => `/api/v1.2/tickets/pdf/${id}`));
  assert.deepEqual(s.calls.slice(-2).map((r) => r.body), [{}, {}]);
  // the index without the array, an array that does not hold the value there, a two-parameter
  // method: options, still refused by name, nothing sent
  const before = s.calls.length;
  const revoked = Proxy.revocable([T], {});
  revoked.revoke();
  for (const call of [() => client.tickets.get(T, 0), () => client.tickets.get(T, 0, [T + 1]), () => client.tickets.get(T, 1, [T]), () => client.tickets.get(T, 0, revoked.proxy), () => client.tickets.send(T, { text: 'x' }, 0, [])]) {
    const e = await call().catch((x) => x);
    assert.equal(e.kind, 'invalid_argument', String(e));
    assert.match(e.message, /^tickets\.(get|send): options must be an object like \{ signal, timeout, maxRetries, headers \}$/);
  }
  assert.equal(s.calls.length, before);
});

test("users.getStatusLogs sends a Date as its UTC day, whatever the machine's time zone (README: in Israel, local midnight is the day before)", async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    const GlassixClient = require('glassix-wasm');
    const urls = [];
    const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 't', fetch: async (r) => (urls.push(r.url), new Response('[]', { headers: { 'content-type': 'application/json' } })) });
    // 23:30 UTC on 5 January is 01:30 on the 6th in Jerusalem; local midnight of 28 March is the 27th, 22:00 UTC
    c.users.getStatusLogs({ since: new Date(Date.UTC(2024, 0, 5, 23, 30)), until: new Date(2025, 2, 28) })
      .then(() => console.log(JSON.stringify([new Date(2025, 2, 28).toISOString(), ...urls])));`;
  for (const TZ of ['UTC', 'Asia/Jerusalem']) {
    const [midnight, url] = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ }, encoding: 'utf8' }));
    const until = TZ === 'UTC' ? '28/03/2025' : '27/03/2025';
    assert.equal(midnight, TZ === 'UTC' ? '2025-03-28T00:00:00.000Z' : '2025-03-27T22:00:00.000Z', 'the zone took effect');
    assert.equal(new URL(url).search, `?since=${encodeURIComponent('05/01/2024')}&until=${encodeURIComponent(until)}`, TZ);
  }
});
