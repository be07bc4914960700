// Failures: every one is a GlassixError with code/status, kind, body and a useful message;
// bad input is refused before any request; nothing is printed and no secret leaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import util from 'node:util';
import { startServer, json, runChild, GlassixClient, GlassixError, CREDS } from './helpers/server.mjs';
import { rejects } from './helpers/faults.mjs';

let s;
let c;
before(async () => {
  s = await startServer();
  c = s.client();
});
after(() => s.close());

test('404 { message } → code 404, that message, the parsed body', async () => {
  s.route('GET', '/tickets/get/404', (req, res) => json(res, 404, { message: 'Ticket not found' }));
  const e = await c.tickets.get(404).catch((x) => x);
  assert.ok(e instanceof GlassixError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'GlassixError');
  assert.equal(e.code, 404);
  assert.equal(e.status, 404);
  assert.equal(e.kind, 'http');
  assert.equal(e.message, 'Ticket not found');
  assert.deepEqual(e.body, { message: 'Ticket not found' });
});

test('400 { Message } (ASP.NET spelling) → that message', async () => {
  s.route('PUT', '/tickets/setstate/7', (req, res) => json(res, 400, { Message: 'The request is invalid.' }));
  const e = await c.tickets.setState(7, { nextState: 'Snoozed' }).catch((x) => x);
  assert.equal(e.code, 400);
  assert.equal(e.message, 'The request is invalid.');
});

// A `message` of only whitespace (or an empty one, or one that is no string) says nothing: the
// error names its method and request instead, as for a body with no message; the body keeps it.
test('a body whose message is blank or not a string → the message names the request', async () => {
  const blanks = [' ', '\n\t ', '', 42, null];
  blanks.forEach((m, i) => s.route('GET', `/tickets/get/${900 + i}`, (req, res) => json(res, 404, { message: m, Message: '  ' })));
  for (const [i, m] of blanks.entries()) {
    const e = await c.tickets.get(900 + i).catch((x) => x);
    assert.equal(e.code, 404);
    assert.equal(e.message, `tickets.get: Glassix API responded 404 to GET /tickets/get/${900 + i}`, JSON.stringify(m));
    assert.deepEqual(e.body, { message: m, Message: '  ' });
  }
  // (a blank `message` beside a real `Message`: the real one)
  s.route('GET', '/tickets/get/910', (req, res) => json(res, 404, { message: ' ', Message: 'No such ticket.' }));
  assert.equal((await c.tickets.get(910).catch((x) => x)).message, 'No such ticket.');
});

test('a non-JSON 500 → code 500, the text as body, a message naming the request', async () => {
  s.route('POST', '/tickets/send/8', (req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<h1>Server Error</h1>');
  });
  const e = await c.tickets.send(8, { text: 'x' }).catch((x) => x);
  assert.equal(e.code, 500);
  assert.equal(e.kind, 'http');
  assert.equal(e.body, '<h1>Server Error</h1>');
  assert.equal(e.message, 'tickets.send: Glassix API responded 500 to POST /tickets/send/8');
});

test('a 2xx with malformed JSON rejects with kind parse, never resolves garbage', async () => {
  s.route('GET', '/tickets/get/9', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": 9,');
  });
  const e = await c.tickets.get(9).catch((x) => x);
  assert.ok(e instanceof GlassixError);
  assert.equal(e.kind, 'parse');
  assert.equal(e.status, 200);
});

test('connection refused → kind network, no code', async () => {
  const port = await new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  const dead = new GlassixClient({ baseUrl: `http://127.0.0.1:${port}/api/v1.2`, ...CREDS, maxRetries: 0 });
  const e = await dead.tickets.get(1).catch((x) => x);
  assert.ok(e instanceof GlassixError);
  assert.equal(e.kind, 'network');
  assert.equal(e.code, undefined);
  assert.ok(e.cause, 'the underlying error is kept as cause');
});

test('ticket ids must be positive integers; contact ids GUIDs — refused before any request', async () => {
  const n = s.requests.length;
  for (const bad of ['../../users/delete', '12/../13', '1?x=1', 0, -3, 1.5, NaN, '', null, undefined, {}, '1e3']) {
    const e = await c.tickets.get(bad).catch((x) => x);
    assert.ok(e instanceof GlassixError, String(bad));
    assert.equal(e.kind, 'invalid_argument');
    assert.match(e.message, /ticketId must be a positive integer/);
  }
  for (const bad of ['123', '../x', 42]) {
    const e = await c.contacts.get(bad).catch((x) => x);
    assert.equal(e.kind, 'invalid_argument');
    assert.match(e.message, /contactId must be a GUID/);
  }
  assert.equal(s.requests.length, n, 'nothing was sent, not even a token request');
});

test('bad payloads and params are refused before any request', async () => {
  const n = s.requests.length;
  const cases = [
    () => c.tickets.create('not an object'),
    () => c.tickets.create(),
    () => c.tickets.addTags(1, 'vip'),
    () => c.tickets.addTags(1, ['ok', 3]),
    () => c.tickets.setState(1, { summary: 'no nextState' }),
    () => c.tickets.removeTag(1, { tag: { nested: true } }),
    () => c.users.setRoles('SystemUser', { userName: 'a' }),
    () => c.users.add({ userName: 'x' }, { userType: 'AGENT' }),
    () => c.files.upload({ file: 'not form data' }),
    () => c.webhooks.deleteEvents([{ key: 'no queue fields' }]),
    () => c.webhooks.deleteEvents([]),
    () => c.tickets.get(1, { timeout: -1 }),
    () => c.tickets.get(1, { headers: { 'x-bad': 'a\r\nInjected: yes' } }),
    () => c.tickets.get(1, { signal: 'not a signal' }),
    () => c.tickets.list({ since: 'yesterday', until: 'today' }),
  ];
  for (const call of cases) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError, call.toString());
    assert.equal(e.kind, 'invalid_argument', call.toString());
  }
  assert.equal(s.requests.length, n);
});

test("the catalog's rarer messages, word for word: each names its method or option and what is wrong (they were checked by kind only)", async (t) => {
  const n = s.requests.length;
  const refused = (message) => (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === message;
  const built = [
    [{ rateLimit: 5 }, 'GlassixClient: option `rateLimit` must be { requests, perMs } or an async function'],
    [{ baseUrl: undefined, workspace: 'acme', domain: 'bad host' }, 'GlassixClient: domain "bad host" is not a valid host name'],
    [{ headers: { 'bad name': 'x' } }, 'GlassixClient: option `headers`: header name "bad name" is not valid'],
  ];
  for (const [options, message] of built) assert.throws(() => s.client(options), refused(message));
  const rejected = [
    [() => c.webhooks.getevents('x'), 'webhooks.getevents: params must be an object like { deleteEvents }'],
    [() => c.webhooks.getevents({ deleteEvents: 'false' }), 'webhooks.getevents: deleteEvents must be a boolean'],
    [() => c.tickets.list({ since: '01/01/2024', until: '02/01/2024', ticketState: [{}] }), 'tickets.list: `ticketState` must hold strings, numbers, booleans or Dates'],
    [() => c.getToken(5), 'getToken: userName must be a string'],
    [() => c.tickets.list({ since: '02/01/2024', until: '01/01/2024' }), 'tickets.list: since is after until'],
    [() => c.webhooks.consume(() => {}, { onError: 5 }), 'webhooks.consume: option `onError` must be a function'],
    [() => new GlassixClient({ baseUrl: s.base, accessToken: 'abc' }).getToken(), 'getToken: needs apiKey, apiSecret and userName'],
  ];
  for (const [call, message] of rejected) await rejects(call(), { kind: 'invalid_argument', message });
  assert.throws(() => c.webhooks.verify('{}', 5), refused('webhooks.verify: headers must be an object or a Headers'));
  assert.throws(() => c.webhooks.verify('{}', {}, { now: 'x' }), refused('webhooks.verify: option `now` must be a Date or a number of milliseconds'));
  assert.equal(s.requests.length, n, 'nothing sent');
  // what a server answered, unusable (a server of its own: its routes stay)
  const bad = await startServer();
  t.after(() => bad.close());
  bad.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [], paging: { next: 'http://[::1' } }));
  bad.route('GET', '/weird-text', (req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=shift_jis' }).end(Buffer.from([0x82, 0x20, 0xff])));
  bad.route('GET', '/webhooks/getevents', (req, res) => json(res, 200, {}));
  const b = bad.client();
  for (const [call, message] of [
    [() => b.tickets.list({ since: '01/01/2024', until: '02/01/2024' }), 'tickets.list: paging.next is not a URL'],
    [() => b.request('GET', '/weird-text'), 'request: GET /weird-text: the response is not valid text in its charset'],
  ]) {
    await rejects(call(), { kind: 'parse', message });
  }
  const ac = new AbortController();
  const polled = await new Promise((resolve) => b.webhooks.consume(() => {}, { signal: ac.signal, onError: (e) => (ac.abort(), resolve(e)) }).catch(() => {}));
  assert.ok(polled instanceof GlassixError && polled.kind === 'parse', String(polled));
  assert.equal(polled.message, 'webhooks.consume: getevents did not return an array');
});

test('path segments and query values are always encoded', async () => {
  await c.tickets.removeTag(1, { tag: 'a&b=c/../d?e#f' });
  await c.users.delete({ userName: 'first+last@example.com' });
  const [tag, del] = s.calls.slice(-2);
  assert.equal(tag.path, '/api/v1.2/tickets/removetag/1');
  assert.deepEqual(tag.query, { tag: 'a&b=c/../d?e#f' });
  assert.equal(del.query.userName, 'first+last@example.com');
});

test('the library never writes to the console, on success or failure', async () => {
  s.route('GET', '/tickets/get/500', (req, res) => json(res, 500, { message: 'boom' }));
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [{ id: 1 }], paging: {} }));
  const r = await runChild(`
    const c = new GlassixClient({ baseUrl: base, apiKey: 'k', apiSecret: 's', userName: 'u', maxRetries: 0 });
    await c.tickets.get(1);
    await c.tickets.get(500).catch(() => {});
    await c.tickets.get('bad').catch(() => {});
    void c.webhooks; // glassix-js printed the whole client, secret included, here
    await c.tickets.list({ since: '01/01/2024 00:00:00:00', until: '02/01/2024 00:00:00:00' });
    try { new GlassixClient({}); } catch {}
  `, s.base);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
});

test('neither JSON.stringify nor util.inspect of a client shows the secret or the token', async () => {
  const client = s.client();
  await client.tickets.get(1);
  const token = s.calls.at(-1).headers.authorization.slice('Bearer '.length);
  for (const shown of [JSON.stringify(client), util.inspect(client, { showHidden: true, depth: 5, getters: true }), String(client), JSON.stringify(client.tickets), util.inspect(client.webhooks, { showHidden: true })]) {
    assert.doesNotMatch(shown, /secret-456/);
    assert.doesNotMatch(shown, new RegExp(token));
  }
});

test('errors do not carry the secret or the token either', async () => {
  s.route('GET', '/tickets/get/403', (req, res) => json(res, 403, { message: 'forbidden' }));
  const e = await c.tickets.get(403).catch((x) => x);
  const shown = JSON.stringify(e) + util.inspect(e, { depth: 10, showHidden: true }) + e.stack;
  assert.doesNotMatch(shown, /secret-456/);
  assert.doesNotMatch(shown, /Bearer/);
});

test("across a thread (postMessage) an error arrives as a plain Error; `{ ...err, message }`, as the README says to post, keeps every field", async () => {
  s.route('GET', '/tickets/get/429', (req, res) => {
    res.setHeader('retry-after', '120');
    json(res, 429, { message: 'slow down' });
  });
  const e = await c.tickets.get(429, { maxRetries: 0 }).catch((x) => x);
  assert.equal(e.kind, 'http');
  const { port1, port2 } = new MessageChannel();
  const across = (v) => new Promise((resolve) => {
    port2.once('message', resolve);
    port1.postMessage(v);
  });
  try {
    const plain = await across(e);
    assert.ok(plain instanceof Error && !(plain instanceof GlassixError));
    assert.deepEqual([plain.name, plain.message, plain.kind, plain.code], ['Error', 'slow down', undefined, undefined]);
    assert.deepEqual(await across({ ...e, message: e.message }), { name: 'GlassixError', kind: 'http', code: 429, status: 429, body: { message: 'slow down' }, retryAfter: 120, message: 'slow down' });
    // (JSON.stringify gives the name, message and stack too, through GlassixError's toJSON,
    // which a thread's structured clone does not call)
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { name: 'GlassixError', message: 'slow down', stack: e.stack, kind: 'http', code: 429, status: 429, body: { message: 'slow down' }, retryAfter: 120 });
    assert.deepEqual(JSON.parse(JSON.stringify({ error: e })).error.message, 'slow down', 'inside a log line too');
    // a cause arrives too (a refused connection's)
    const refused = await new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api', accessToken: 't', maxRetries: 0 }).tickets.get(1).catch((x) => x);
    assert.equal(refused.kind, 'network');
    const { cause } = await across(refused);
    assert.ok(cause instanceof Error, 'the cause crossed');
    assert.equal(cause.message, refused.cause.message);
  } finally {
    port1.close();
  }
});

// The README's store section tells a store to reject with `new GlassixError(message, { kind })`,
// and the types declare `kind` on every GlassixError: one made with no fields (a hook's own) still
// has a kind, 'http' (what the constructor has always given; code that branches on `kind` sees one
// of the documented kinds), and no status, retryAfter or cause it was not given.
test('a GlassixError made by hand: kind defaults to http, the fields are the ones given and no others', () => {
  const bare = new GlassixError('mine');
  assert.deepEqual([bare.name, bare.message, bare.kind, bare.code, bare.status, bare.body], ['GlassixError', 'mine', 'http', undefined, undefined, undefined]);
  assert.ok(!('retryAfter' in bare) && !('cause' in bare), 'nothing it was not given');
  const cause = new Error('down');
  const full = new GlassixError('refused', { kind: 'invalid_argument', status: 409, body: { a: 1 }, retryAfter: 3, cause });
  assert.deepEqual([full.kind, full.code, full.status, full.body, full.retryAfter, full.cause], ['invalid_argument', 409, 409, { a: 1 }, 3, cause]);
  assert.ok(full instanceof Error && full instanceof GlassixError);
});
