// Defects a code review found, each pinned by a test: odd values from a caller-supplied fetch or
// from getters, consume's polling pace, the iterator after return(), header bytes, fractional
// Retry-After, getToken during a refresh, a looping paging.next, a provider that never answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, runChild, invalid, GlassixClient, GlassixError, CREDS } from './helpers/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tokenResponse = () => new Response(JSON.stringify({ access_token: 't', expires_in: 3600 }), { headers: { 'content-type': 'application/json' } });

test('a fetch that resolves with something other than a Response rejects (kind network) and frees its slot', async () => {
  // (an object that only passes for a Response, and a real one whose headers getter throws,
  // are not Responses either: the wasm reads their status and headers, which would throw inside it)
  const fake = Object.create(Response.prototype);
  const broken = new Response('{}');
  Object.defineProperty(broken, 'headers', { get() { throw new Error('no headers'); } });
  const answers = [{ status: 200, headers: new Headers(), json: async () => ({}) }, null, 42, fake, broken];
  const c = new GlassixClient({
    workspace: 'acme',
    ...CREDS,
    maxConcurrency: 1,
    maxRetries: 0,
    fetch: async (request) => (request.url.endsWith('/token/get') ? tokenResponse() : answers.length ? answers.shift() : new Response('{"ok":1}', { headers: { 'content-type': 'application/json' } })),
  });
  for (let i = 0; i < 5; i++) {
    const e = await c.tickets.get(1).catch((x) => x);
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /did not resolve with a Response/);
  }
  assert.deepEqual(await c.tickets.get(1), { ok: 1 }, 'the concurrency slot was released each time');
});

test('the same in a fresh process: no uncaught exception, nothing printed', async () => {
  const r = await runChild(`
    const c = new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 's', userName: 'u', maxRetries: 0,
      fetch: async (request) => request.url.endsWith('/token/get') ? new Response('{"access_token":"t"}', { headers: { 'content-type': 'application/json' } }) : request.url.endsWith('/1') ? { status: 200, headers: new Headers() } : Object.create(Response.prototype) });
    for (const id of [1, 2]) {
      const e = await c.tickets.get(id).catch((x) => x);
      if (e.kind !== 'network') throw new Error('unexpected ' + e.kind);
    }
  `, 'unused');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test("a runtime without the Fetch API's Headers, Request or Response (or fetch) rejects each call with a GlassixError saying so, at its first attempt: nothing thrown past the call, the process not ended", async () => {
  // (gloo-net's request builder makes a Headers first thing and throws past the wasm without one:
  // an uncaught exception that ended a Node process, and a call that never settled. It is the
  // set-up's mistake, kind invalid_argument: retrying cannot help, so an attempt is all it costs,
  // counted through a rateLimit function, which is awaited before every attempt)
  const r = await runChild(`
    const { Headers, fetch } = globalThis;
    const out = [];
    let fetched = 0;
    let attempts = 0;
    const own = async () => (fetched++, new Response('{}', { headers: { 'content-type': 'application/json' } }));
    const rateLimit = async () => { attempts++; };
    const ask = async (options, call = (c) => c.tickets.get(1)) => {
      attempts = 0;
      const c = new GlassixClient({ workspace: 'acme', accessToken: 'tok123456', rateLimit, ...options });
      const e = await call(c).catch((x) => x);
      out.push([e instanceof GlassixClient.GlassixError, e.kind, e.message, attempts]);
    };
    delete globalThis.Headers;
    await ask({ fetch: own });
    await ask({});
    globalThis.Headers = Headers;
    // (jsdom, Jest's: Headers but no Request or Response, so a mocked fetch could never be used)
    for (const name of ['Request', 'Response']) {
      const kept = globalThis[name];
      delete globalThis[name];
      await ask({ fetch: own });
      globalThis[name] = kept;
    }
    delete globalThis.fetch;
    await ask({}, (c) => c.tickets.send(1, { text: 'x' }));
    await ask({ accessToken: undefined, apiKey: 'key-1234567', apiSecret: 'secret-1234567', userName: 'u@example.com' });
    globalThis.fetch = fetch;
    out.push(fetched);
    console.log(JSON.stringify(out));
  `, 'unused');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const why = 'no Fetch API (fetch, Headers, Request, Response): pass the `fetch` option or load a polyfill';
  assert.deepEqual(JSON.parse(r.stdout), [
    [true, 'invalid_argument', `tickets.get: ${why}`, 1],
    [true, 'invalid_argument', `tickets.get: ${why}`, 1],
    [true, 'invalid_argument', `tickets.get: ${why}`, 1],
    [true, 'invalid_argument', `tickets.get: ${why}`, 1],
    [true, 'invalid_argument', `tickets.send: ${why}`, 1],
    [true, 'invalid_argument', `tickets.get: no access token: getToken: ${why}`, 1],
    0,
  ]);
});

test('a throwing getter in params, a payload or headers is an invalid_argument, not a crash', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const boom = { get tag() { throw new Error('getter'); } };
  for (const call of [
    () => c.tickets.removeTag(1, boom),
    () => c.tickets.setState(1, { nextState: 'Closed', get summary() { throw new Error('getter'); } }),
    () => c.tickets.get(1, { headers: { get 'x-a'() { throw new Error('getter'); } } }),
    () => c.phoneCalls.started(1, { get dateTime() { throw new Error('getter'); } }),
  ]) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.kind, 'invalid_argument');
  }
  assert.deepEqual(s.calls, []);
});

test('an argument that cannot be read (a revoked Proxy, an array whose element getter throws) is refused, not a process killed by an uncaught error', async (t) => {
  // (in a child process: the defect was an uncaught exception from inside the wasm, which ends
  // the process, with the call left pending for ever)
  const s = await startServer();
  t.after(() => s.close());
  const r = await runChild(`
    const { GlassixError } = GlassixClient;
    const c = new GlassixClient({ baseUrl: base, accessToken: 'tok-robust-1', maxConcurrency: 1, maxRetries: 0 });
    const revoked = () => { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy; };
    const throwing = () => Object.defineProperty(['a'], 0, { get() { throw new Error('element getter'); } });
    const trap = () => new Proxy(['a'], { get() { throw new Error('get trap'); } });
    const said = [];
    for (const [name, call] of [
      ['addTags revoked', () => c.tickets.addTags(1, revoked())],
      ['addTags getter', () => c.tickets.addTags(1, throwing())],
      ['addTags trap', () => c.tickets.addTags(1, trap())],
      ['removeTag query', () => c.tickets.removeTag(1, { tag: revoked() })],
      ['users.add', () => c.users.add(throwing(), { userType: 'AGENT' })],
      ['deleteEvents', () => c.webhooks.deleteEvents(revoked())],
      ['upload', () => c.files.upload(revoked())],
      ['option value', () => c.tickets.get(1, { headers: { 'x-a': revoked() } })],
    ]) {
      const e = await call().then(() => null, (x) => x);
      if (!(e instanceof GlassixError) || e.kind !== 'invalid_argument') throw new Error(name + ': ' + (e && e.message));
      said.push(e.message.split(':')[0]);
    }
    // the iterator is made at once: it throws
    let thrown;
    try { c.tickets.iterate({ since: new Date(0), until: new Date(), ticketState: revoked() }); } catch (e) { thrown = e; }
    if (!(thrown instanceof GlassixError) || thrown.kind !== 'invalid_argument') throw new Error('iterate: ' + thrown);
    // the client still works (its one concurrency slot is free)
    const t = await c.tickets.get(7);
    console.log(JSON.stringify({ said, path: t.path }));
  `, s.base);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { said: ['tickets.addTags', 'tickets.addTags', 'tickets.addTags', 'tickets.removeTag', 'users.add', 'webhooks.deleteEvents', 'files.upload', 'tickets.get'], path: '/api/v1.2/tickets/get/7' });
  assert.deepEqual(s.calls.map((c) => c.path), ['/api/v1.2/tickets/get/7'], 'nothing sent for the refused calls');
});

test('a signal whose getter throws partway through a call stops that call (kind aborted), and the client keeps its places', async (t) => {
  // (every read of a caller's signal catches: a throw used to unwind through the wasm, leaving
  // the call pending and its concurrency place taken for good)
  const s = await startServer();
  t.after(() => s.close());
  for (let at = 1; at <= 8; at++) {
    const c = s.client({ accessToken: 'tok-robust-2', maxConcurrency: 1, maxRetries: 0 });
    let reads = 0;
    const signal = { addEventListener() {}, get aborted() { if (++reads === at) throw new Error('signal getter threw'); return false; } };
    const e = await c.tickets.get(1, { signal }).then(() => null, (x) => x);
    // (its first read is the option check: a signal that cannot say is no signal)
    if (e) assert.ok(e instanceof GlassixError && ['aborted', 'invalid_argument'].includes(e.kind), `read ${at}: ${e}`);
    assert.ok((await c.tickets.get(2)).ok, `read ${at}: the client still works`);
  }
});

test('what is checked is what is sent: setState needs an own nextState, deleteEvents own handles; an own __proto__ key stays a key', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ accessToken: 'tok-robust-3' });
  for (const payload of [Object.create({ nextState: 'Closed' }), { nextState: null, text: 'bye' }]) {
    await assert.rejects(c.tickets.setState(1, payload), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /nextState/.test(e.message));
  }
  class Polled {
    get queueReceiptHandle() { return 'h'; }
    get queueMessageId() { return 'm'; }
  }
  await assert.rejects(c.webhooks.deleteEvents([new Polled()]), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /events\[0\]/.test(e.message));
  assert.deepEqual(s.calls, [], 'nothing sent');
  await c.tickets.setState(1, JSON.parse('{"nextState":"Closed","__proto__":{"note":"x"},"keep":1}'));
  await c.phoneCalls.started(1, JSON.parse('{"dateTime":"2024-01-01T00:00:00Z","__proto__":{"x":1}}'));
  assert.deepEqual(s.calls.map((r) => r.text), ['{"__proto__":{"note":"x"},"keep":1}', '{"dateTime":"2024-01-01T00:00:00Z","__proto__":{"x":1}}']);
});

test('aborting thousands of queued calls at once rejects them all, and the queue goes on', async (t) => {
  // (a call that gives up leaves the queue in constant time: leaving by a scan of the whole
  // queue made aborting N queued calls take N² steps)
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ accessToken: 'tok-robust-4', maxConcurrency: 1 });
  const first = c.tickets.get(1); // holds the one place
  const controller = new AbortController();
  const queued = Array.from({ length: 20000 }, () => c.tickets.get(2, { signal: controller.signal }).then(() => 'sent', (e) => e.kind));
  const last = c.tickets.get(3); // queued behind them, never aborted
  controller.abort();
  const kinds = await Promise.all(queued);
  assert.deepEqual([...new Set(kinds)], ['aborted']);
  assert.ok((await first).ok && (await last).ok);
  assert.deepEqual(s.calls.map((r) => r.path), ['/api/v1.2/tickets/get/1', '/api/v1.2/tickets/get/3']);
});

test('text with a lone surrogate is refused by name, not sent with U+FFFD in its place; a workspace must be a host name', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  for (const [call, name] of [
    [() => c.tickets.removeTag(1, { tag: 'vip\ud800' }), 'tickets.removeTag: tag'],
    [() => c.tickets.removeTag(1, { ['t\udc00']: 'x' }), 'tickets.removeTag: params'],
    [() => c.getToken('agent\ud800@example.com'), 'getToken: userName'],
  ]) {
    await assert.rejects(call(), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === `${name} has a lone surrogate (text with no UTF-8 form)`);
  }
  assert.throws(() => new GlassixClient({ workspace: 'acme', apiKey: 'k\ud800', apiSecret: 's', userName: 'u' }), /GlassixClient: apiKey has a lone surrogate/);
  assert.deepEqual(s.requests, [], 'nothing sent, no token request either');
  // a real U+FFFD and a surrogate pair (an emoji) are text like any other
  await c.tickets.removeTag(1, { tag: 'ok \ufffd \ud83d\ude00' });
  assert.equal(s.calls.at(-1).query.tag, 'ok \ufffd \ud83d\ude00');
  for (const workspace of ['.', 'a..b', '-', '-acme-', 'acme.']) {
    assert.throws(() => new GlassixClient({ workspace, apiKey: 'k', apiSecret: 's', userName: 'u' }), /is not a sub-domain like "acme"$/, workspace);
  }
});

test("a caller's fetch that aborts the caller's signal as the request goes out: the call rejects aborted at once", async () => {
  for (const timeout of [Infinity, 60000]) {
    const ac = new AbortController();
    const fetch = (req) => {
      ac.abort(new Error('user cancelled'));
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)));
    };
    const c = new GlassixClient({ workspace: 'acme', accessToken: 'tok-robust-5', fetch, timeout, maxRetries: 0 });
    const bound = new Promise((r) => setTimeout(r, 3000, 'still pending').unref());
    const r = await Promise.race([c.tickets.get(1, { signal: ac.signal }).then(() => 'resolved', (e) => e.kind), bound]);
    assert.equal(r, 'aborted', `timeout ${timeout}`);
  }
});

test('a token a provider hands over late, after its calls gave up, does not replace a newer one', async () => {
  const seen = [];
  const fetch = async (req) => (seen.push(req.headers.get('authorization')), new Response('{"id":1}', { headers: { 'content-type': 'application/json' } }));
  let answerFirst;
  let n = 0;
  const getAccessToken = () => (++n === 1 ? new Promise((r) => (answerFirst = r)) : { access_token: 'token-B-123456', expires_in: 3600 });
  const c = new GlassixClient({ workspace: 'acme', getAccessToken, fetch, timeout: 2000 });
  const ac = new AbortController();
  const first = c.tickets.get(1, { signal: ac.signal }).catch((e) => e.kind);
  await sleep(20);
  ac.abort();
  assert.equal(await first, 'aborted');
  await c.tickets.get(2);
  answerFirst({ access_token: 'token-A-123456', expires_in: 3600 }); // within its bound, but a newer fetch came since
  await sleep(20);
  await c.tickets.get(3);
  assert.deepEqual(seen, ['Bearer token-B-123456', 'Bearer token-B-123456']);
  assert.equal(n, 2);
});

test("a throwing getter put on Object.prototype does not break a call's options (read as not given, as before)", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ accessToken: 'tok-robust-6' });
  Object.defineProperty(Object.prototype, 'maxRetries', { get() { throw new Error('polluted'); }, configurable: true });
  try {
    assert.ok((await c.tickets.get(1, {})).ok);
  } finally {
    delete Object.prototype.maxRetries;
  }
});

test('text longer than 65,536 characters for a URL, a header or a userName is refused by name before any request, not copied into wasm memory (hundreds of megabytes ended the process)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const long = 'x'.repeat(65_537);
  for (const [call, message] of [
    [() => c.tickets.removeTag(1, { tag: long }), 'tickets.removeTag: tag is longer than 65536 characters'],
    [() => c.tickets.removeTag(1, { [long]: 'x' }), 'tickets.removeTag: params is longer than 65536 characters'],
    [() => c.tickets.list({ since: new Date(0), until: new Date(1), tag: long }), 'tickets.list: tag is longer than 65536 characters'],
    [() => c.tickets.setState(1, { nextState: long }), 'tickets.setState: nextState is longer than 65536 characters'],
    [() => c.getToken(long), 'getToken: userName is longer than 65536 characters'],
    [() => c.tickets.get(1, { headers: { 'x-note': long } }), 'tickets.get: option `headers`: header "x-note" is longer than 65536 characters (name or value)'],
    // (values each short enough that add up, and an array's items joined)
    [() => c.users.getStatusLogs(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'y'.repeat(2000)]))), 'users.getStatusLogs: the URL would be longer than 65536 characters'],
    [() => c.tickets.removeTag(1, { tag: Array.from({ length: 70 }, () => 'z'.repeat(1000)) }), 'tickets.removeTag: the URL would be longer than 65536 characters'],
    // an id that long is not one (not copied to be looked at: said with its start)
    [() => c.tickets.get(long), /^tickets\.get: ticketId must be a positive integer, not "x{40}\.\.\."$/],
    [() => c.contacts.get(long), /^contacts\.get: contactId must be a GUID, not "x{40}\.\.\."$/],
  ]) {
    await assert.rejects(call(), invalid(message), String(message));
  }
  assert.throws(() => new GlassixClient({ workspace: 'a', ...CREDS, headers: { 'x-note': long } }), (e) => e instanceof GlassixError && e.message === 'GlassixClient: option `headers`: header "x-note" is longer than 65536 characters (name or value)');
  assert.throws(() => new GlassixClient({ workspace: 'a', ...CREDS, apiKey: long }), (e) => e instanceof GlassixError && e.message === 'GlassixClient: apiKey is longer than 65536 characters');
  // a header's name; a page URL to read on from; a list's date given as text
  await assert.rejects(c.tickets.get(1, { headers: { [long]: 'v' } }), invalid(/^tickets\.get: option `headers`: header "x{40}\.\.\." is longer than 65536 characters \(name or value\)$/));
  await assert.rejects(c.tickets.list({ next: `${s.base}/tickets/list?${long}` }), invalid(/^tickets\.list: /));
  assert.throws(() => c.tickets.iterate({ next: `${s.base}/tickets/list?${long}` }), invalid(/^tickets\.iterate: /));
  await assert.rejects(c.tickets.list({ since: long, until: '01/01/2026' }), invalid(/^tickets\.list: `since` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not "x{40}\.\.\."$/));
  assert.deepEqual(s.requests, [], 'nothing sent, no token request either');
  // a token from getAccessToken that long (a string or an object's access_token): refused, not quoted
  for (const token of [long, { access_token: long }]) {
    const p = new GlassixClient({ baseUrl: s.base, getAccessToken: async () => token });
    await assert.rejects(p.tickets.get(1), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /or over 65536 characters$/.test(e.message) && !e.message.includes('xxx'));
  }
  assert.deepEqual(s.requests, []);
  // a header of 65,536 is taken, a query shorter than that in all, and the client goes on (what a
  // server does with them is its own: Node's says 431)
  const sent = [];
  const f = new GlassixClient({ baseUrl: s.base, accessToken: 't', fetch: async (request) => (sent.push(request), new Response('[]', { headers: { 'content-type': 'application/json' } })) });
  await f.tickets.removeTag(1, { tag: 'x'.repeat(65_000) }, { headers: { 'x-note': 'n'.repeat(65_536) } });
  assert.equal(new URL(sent[0].url).searchParams.get('tag').length, 65_000);
  assert.equal(sent[0].headers.get('x-note').length, 65_536);
  await assert.rejects(f.tickets.removeTag(1, { tag: 'x'.repeat(65_534) }), /the URL would be longer than 65536 characters/);
  assert.equal((await c.tickets.get(1)).ok, true);
});

test('header values must be byte strings: refused up front, not a network error later', async () => {
  assert.throws(() => new GlassixClient({ workspace: 'a', ...CREDS, headers: { 'x-agent': 'דנה' } }), (e) => e.kind === 'invalid_argument' && /U\+00FF/.test(e.message));
  const c = new GlassixClient({ workspace: 'a', ...CREDS, headers: { 'x-agent': 'Zoë' } });
  await assert.rejects(c.tickets.get(1, { headers: { 'x-agent': '😀' } }), (e) => e.kind === 'invalid_argument');
});

test('consume does not spin on events it has already handled (undeletable or still visible)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // no queueReceiptHandle: cannot be deleted, so it stays visible on every poll
  s.route('GET', '/webhooks/getevents', (req, res) => json(res, 200, [{ key: 'k1', queueMessageId: 'm1', changes: [] }]));
  const ac = new AbortController();
  let handled = 0;
  setTimeout(() => ac.abort(), 1000);
  await s.client().webhooks.consume(async () => void handled++, { signal: ac.signal, intervalMs: 200 });
  const polls = s.calls.filter((r) => r.path.endsWith('/getevents')).length;
  assert.equal(handled, 1);
  assert.ok(polls <= 7, `${polls} polls in one second at intervalMs 200`);
});

test('a page still in flight when return() is called is dropped', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/list', async (req, res) => {
    await sleep(100);
    json(res, 200, { tickets: [{ id: 1 }, { id: 2 }, { id: 3 }], paging: {} });
  });
  const it = s.client().tickets.iterate({ since: '01/01/2024 00:00:00:00', until: '02/01/2024 00:00:00:00' });
  const pending = it.next();
  assert.deepEqual(await it.return(), { value: undefined, done: true });
  assert.equal((await pending).done, true);
  assert.equal((await it.next()).done, true);
});

test('Retry-After: 1.5 is a second and a half, not a date in 2001', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let first = true;
  s.route('GET', '/tickets/get/1', (req, res) => (first ? ((first = false), json(res, 429, {}, { 'retry-after': '1.5' })) : json(res, 200, { id: 1 })));
  const c = s.client();
  await c.users.getAll();
  const t0 = Date.now();
  await c.tickets.get(1);
  assert.ok(Date.now() - t0 >= 1400, `${Date.now() - t0} ms`);
});

test('getToken() for the client\'s own user joins a refresh in flight: one token request', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', async (req, res) => {
    await sleep(100);
    json(res, 200, { access_token: `tok-${s.tokenRequests.length}`, token_type: 'bearer', expires_in: 3600 });
  });
  const c = s.client();
  const [, own] = await Promise.all([c.tickets.get(1), c.getToken()]);
  assert.equal(s.tokenRequests.length, 1);
  assert.equal(own.access_token, 'tok-1');
  await c.tickets.get(2);
  assert.equal(s.calls.at(-1).headers.authorization, 'Bearer tok-1');
});

test('a paging.next that repeats stops with kind parse instead of looping', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [{ id: 1 }], paging: { next: `${s.base}/tickets/list?page=same` } }));
  const e = await s.client().tickets.list({ since: '01/01/2024 00:00:00:00', until: '02/01/2024 00:00:00:00' }).catch((x) => x);
  assert.ok(e instanceof GlassixError);
  assert.equal(e.kind, 'parse');
  assert.ok(s.calls.length <= 3);
});

test('a getAccessToken that never resolves times out with the client\'s timeout', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: () => new Promise(() => {}), timeout: 200 });
  const e = await c.tickets.get(1).catch((x) => x);
  assert.equal(e.kind, 'timeout');
  assert.deepEqual(s.calls, []);
  // whatever properties your function carries (the store's own provider has a mark of its own)
  const marked = Object.assign(() => new Promise(() => {}), { glassixStore: false });
  const e2 = await new GlassixClient({ baseUrl: s.base, getAccessToken: marked, timeout: 200 }).tickets.get(1).catch((x) => x);
  assert.equal(e2.kind, 'timeout');
});

test('constructor options whose keys cannot be listed (a Proxy with a throwing ownKeys trap) are a GlassixError, not the trap\'s error', () => {
  const options = new Proxy({ accessToken: 't' }, { ownKeys() { throw new Error('no keys'); } });
  let e;
  try {
    new GlassixClient(options);
  } catch (x) {
    e = x;
  }
  assert.ok(e instanceof GlassixError, String(e));
  assert.equal(e.kind, 'invalid_argument');
  assert.equal(e.message, 'GlassixClient: unknown option `?`');
});

test("options from a class's getters, a prototype or non-enumerable properties are read as before, with a rateLimit function and with a store too", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const { createMemoryStore } = await import('../examples/memory-store.mjs');
  const limited = [];
  const rateLimit = async () => (limited.push(1), undefined);
  class Options {
    get baseUrl() { return s.base; }
    get apiKey() { return CREDS.apiKey; }
    get apiSecret() { return CREDS.apiSecret; }
    get userName() { return CREDS.userName; }
  }
  class Limited extends Options {
    get rateLimit() { return rateLimit; }
  }
  const store = createMemoryStore();
  class Stored extends Options {
    get store() { return store; }
  }
  const inherited = Object.create({ baseUrl: s.base, ...CREDS, rateLimit });
  const hidden = Object.defineProperty({ baseUrl: s.base, apiKey: CREDS.apiKey, userName: CREDS.userName }, 'apiSecret', { value: CREDS.apiSecret });
  for (const options of [new Options(), new Limited(), new Stored(), inherited, hidden]) {
    const c = new GlassixClient(options);
    assert.deepEqual(await c.tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  }
  assert.ok(limited.length >= 4, `the rateLimit function was awaited (${limited.length})`);
  // frozen options (their values cannot be replaced in a view over them), with a function and a store
  for (const options of [Object.freeze({ baseUrl: s.base, ...CREDS, rateLimit }), Object.freeze({ baseUrl: s.base, ...CREDS, rateLimit: { requests: 500, perMs: 60000 }, store: createMemoryStore(), getAccessToken: undefined })]) {
    assert.deepEqual(await new GlassixClient(options).tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  }
  // a getter that throws, own or inherited, is named (it switched the store off, or escaped raw)
  class Broken extends Options {
    get store() { throw new Error('no store'); }
  }
  class BrokenToken extends Stored {
    get accessToken() { throw new Error('no token'); }
  }
  for (const [options, name] of [[new Broken(), 'store'], [new BrokenToken(), 'accessToken']]) {
    assert.throws(() => new GlassixClient(options), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === `GlassixClient: option \`${name}\` could not be read (its getter threw)`, name);
  }
  // an options object that throws for a key it lacks (a strict config) is read as before
  const strict = new Proxy({ baseUrl: s.base, accessToken: 'tok', rateLimit }, { get: (o, k) => { if (typeof k == 'string' && !(k in o)) throw new Error(`no ${k}`); return o[k]; } });
  assert.deepEqual(await new GlassixClient(strict).tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
});

test("an option polluting Object.prototype overrides none of the client's own: nothing goes to its baseUrl", async (t) => {
  const [s, other] = [await startServer(), await startServer()];
  t.after(() => s.close());
  t.after(() => other.close());
  const rateLimit = async () => {};
  for (const options of [{ baseUrl: s.base, ...CREDS }, { baseUrl: s.base, ...CREDS, rateLimit }]) {
    Object.prototype.baseUrl = other.base; // eslint-disable-line no-extend-native
    let c;
    try {
      c = new GlassixClient(options);
    } finally {
      delete Object.prototype.baseUrl;
    }
    await c.tickets.get(1);
  }
  assert.equal(other.requests.length, 0, 'the polluted origin got nothing, credentials included');
  assert.equal(s.calls.length, 2);
});

test('options inherited from a polluted Object.prototype are not given: baseUrl, fetch, headers and token options there take nothing elsewhere; a class getter still counts', async (t) => {
  const [s, other] = [await startServer(), await startServer()];
  t.after(() => s.close());
  t.after(() => other.close());
  const seen = [];
  const polluted = {
    baseUrl: other.base,
    fetch: (req) => (seen.push(req), fetch(req)),
    headers: { 'x-polluted': '1' },
    accessToken: 'polluted-token',
    getAccessToken: () => 'polluted-token',
    store: { token: () => 'polluted-token', acquire: () => {} },
    rateLimit: () => new Promise(() => {}),
  };
  const clients = [];
  try {
    Object.assign(Object.prototype, polluted); // eslint-disable-line no-extend-native
    // no baseUrl of its own: the default would be the real API; one is needed to reach the test server, so it is
    // given by a class getter (which counts), and the credentials are the caller's own
    class Config {
      get baseUrl() {
        return s.base;
      }
    }
    clients.push(new GlassixClient(Object.assign(new Config(), CREDS)));
    clients.push(new GlassixClient({ baseUrl: s.base, ...CREDS }));
  } finally {
    for (const k of Object.keys(polluted)) delete Object.prototype[k];
  }
  for (const c of clients) await c.tickets.get(1);
  assert.equal(other.requests.length, 0, 'the polluted origin got nothing');
  assert.equal(seen.length, 0, 'the polluted fetch saw nothing');
  assert.equal(s.tokenRequests.length, 2, 'each client got its token with its own credentials');
  for (const r of s.calls) {
    assert.equal(r.headers['x-polluted'], undefined);
    assert.match(r.headers.authorization, /^Bearer token-\d$/);
  }
  // and a baseUrl only Object.prototype has is no baseUrl: the client's default stands, for the
  // positional form too
  Object.prototype.baseUrl = other.base; // eslint-disable-line no-extend-native
  try {
    assert.equal(new GlassixClient({ workspace: 'acme', ...CREDS }).toJSON().baseUrl, 'https://acme.glassix.com/api/v1.2');
    assert.equal(new GlassixClient('acme', 'key-123', 'secret-456', '1.2', 'me@acme.com').toJSON().baseUrl, 'https://acme.glassix.com/api/v1.2');
  } finally {
    delete Object.prototype.baseUrl;
  }
  // options made in another realm, whose Object.prototype is polluted
  const vm = await import('node:vm');
  const realm = vm.createContext({});
  vm.runInContext(`Object.prototype.baseUrl = ${JSON.stringify(other.base)}`, realm);
  const foreign = vm.runInContext(`({ apiKey: 'key-123', apiSecret: 'secret-456', userName: 'me@acme.com', workspace: 'acme' })`, realm);
  assert.equal(new GlassixClient(foreign).toJSON().baseUrl, 'https://acme.glassix.com/api/v1.2');
  // while a class's own prototype values still count, from any realm
  const classy = vm.runInContext(`class C { get baseUrl() { return ${JSON.stringify(s.base)}; } }; Object.assign(new C(), { apiKey: 'key-123', apiSecret: 'secret-456', userName: 'me@acme.com' })`, realm);
  assert.equal(new GlassixClient(classy).toJSON().baseUrl, s.base);
});

test('options read as the object answers: a null-prototype defaults object under them, a class extending null, a Proxy that makes its values up', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let limited = 0;
  const defaults = Object.assign(Object.create(null), { headers: { 'x-tenant': 'a' }, rateLimit: async () => void limited++ });
  const layered = Object.assign(Object.create(defaults), { baseUrl: s.base, ...CREDS });
  await new GlassixClient(layered).tickets.get(1);
  assert.equal(s.calls.at(-1).headers['x-tenant'], 'a');
  assert.ok(limited >= 1, 'the rateLimit function from the defaults ran');
  class Bare extends null {
    constructor() {
      return Object.create(new.target.prototype);
    }
    get baseUrl() {
      return s.base;
    }
  }
  await new GlassixClient(Object.assign(new Bare(), CREDS)).tickets.get(2);
  const src = { baseUrl: s.base, ...CREDS, headers: { 'x-made-up': '1' } };
  await new GlassixClient(new Proxy({}, { get: (_, k) => src[k] })).tickets.get(3);
  assert.equal(s.calls.at(-1).headers['x-made-up'], '1');
  assert.deepEqual(s.calls.map((r) => r.path), ['/api/v1.2/tickets/get/1', '/api/v1.2/tickets/get/2', '/api/v1.2/tickets/get/3']);
});

test('a queueMicrotask faked and dropped (jest.useFakeTimers, then useRealTimers) does not hang the client', async () => {
  // jest's fake timers replace queueMicrotask by default and drop what is queued when the real
  // timers come back: a wake-up of the wasm's task queue given to the fake was lost, and every
  // later call of every client in the process hung
  const r = await runChild(`
    const real = globalThis.queueMicrotask;
    const ok = async () => new Response('{"id":1}', { headers: { 'content-type': 'application/json' } });
    const a = new GlassixClient({ accessToken: 'tok-ABCDEFGH', baseUrl: 'https://acme.glassix.com', fetch: ok });
    globalThis.queueMicrotask = () => {}; // the fake, which drops what it was given when it goes
    const first = a.tickets.get(1);
    globalThis.queueMicrotask = real;
    const hung = () => new Promise((r) => setTimeout(() => r('hung'), 2000).unref());
    const b = new GlassixClient({ accessToken: 'tok-ABCDEFGH', baseUrl: 'https://acme.glassix.com', fetch: ok });
    console.log(JSON.stringify([await Promise.race([first, hung()]), await Promise.race([b.tickets.get(2), hung()])]));
  `, '');
  assert.equal(r.stdout.trim(), '[{"id":1},{"id":1}]', r.stderr);
});
