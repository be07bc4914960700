// The access token: one per client, shared by concurrent calls, refreshed before expiry and
// once after a 401; pre-issued tokens and getAccessToken; getToken for another user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, GlassixError } from './helpers/server.mjs';

test('200 concurrent calls make exactly one token request', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', async (req, res) => {
    await new Promise((r) => setTimeout(r, 50));
    json(res, 200, { access_token: 'shared', token_type: 'bearer', expires_in: 10800 });
  });
  const c = s.client();
  await Promise.all(Array.from({ length: 200 }, (_, i) => c.tickets.get(i + 1)));
  assert.equal(s.tokenRequests.length, 1);
  assert.deepEqual(s.tokenRequests[0].body, { apiKey: 'key-123', apiSecret: 'secret-456', userName: 'api@example.com' });
  assert.equal(s.calls.length, 200);
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer shared'));
});

test('the token is reused until shortly before it expires, then refreshed', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.tokenLifetime = 1; // seconds: refreshed after 90 % of it
  const c = s.client();
  await c.tickets.get(1);
  await c.tickets.get(2);
  assert.equal(s.tokenRequests.length, 1);
  await new Promise((r) => setTimeout(r, 950));
  await c.tickets.get(3);
  assert.equal(s.tokenRequests.length, 2);
  assert.equal(s.calls.at(-1).headers.authorization, 'Bearer token-2');
});

test('an expires_in written as a string ("0.3", as some gateways re-serialise it) is read as seconds too: the token is refreshed, not kept until a 401', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.tokenLifetime = '0.3'; // refreshed after 270 ms
  const c = s.client();
  await c.tickets.get(1);
  await new Promise((r) => setTimeout(r, 300));
  await c.tickets.get(2);
  assert.equal(s.tokenRequests.length, 2);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
});

test('a token already due when it comes (expires_in 0 or less) is used for the call: one token request per call, not one per step out of the queue', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const expires of [0, -5]) {
    const before = s.tokenRequests.length;
    s.route('POST', '/token/get', (req, res) => json(res, 200, { access_token: `due-${expires}`, token_type: 'bearer', expires_in: expires }));
    const c = s.client();
    await c.tickets.get(1);
    await c.tickets.get(2);
    assert.equal(s.tokenRequests.length - before, 2, `expires_in ${expires}`);
    assert.equal(s.calls.at(-1).headers.authorization, `Bearer due-${expires}`);
  }
  // a provider's too
  const { GlassixClient } = await import('./helpers/server.mjs');
  let provided = 0;
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: async () => ({ access_token: `p-${++provided}`, expires_in: 0 }) });
  await c.tickets.get(3);
  assert.equal(provided, 1);
});

test('getToken() with apiKey/apiSecret and a getAccessToken: the token comes from the provider, in any of its forms, always as a token response (TokenResponse)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const [given, expected] of [
    ['provided-1', { access_token: 'provided-1' }],
    [{ access_token: 'provided-2', expires_in: 60 }, { access_token: 'provided-2', expires_in: 60 }],
    // the camelCase form: given back as a token response, not as it came (its access_token was undefined)
    [{ accessToken: 'provided-4', expiresIn: 60 }, { access_token: 'provided-4', expires_in: 60 }],
    [{ accessToken: 'provided-5' }, { access_token: 'provided-5' }],
  ]) {
    let calls = 0;
    const c = s.client({ getAccessToken: async () => (calls++, given) });
    assert.deepEqual(await c.getToken(), expected);
    assert.equal(calls, 1);
  }
  assert.equal(s.tokenRequests.length, 0);
  // another user's token is requested from the API
  const other = await s.client({ getAccessToken: async () => 'provided-3' }).getToken('alice@example.com');
  assert.equal(other.access_token, 'token-1');
  assert.deepEqual(s.tokenRequests.map((r) => r.body.userName), ['alice@example.com']);
});

test('a 401 refreshes the token once and retries the call once', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/5', (req, res, rec) =>
    rec.headers.authorization === 'Bearer token-1' ? json(res, 401, { Message: 'Authorization has been denied for this request.' }) : json(res, 200, { id: 5 }),
  );
  const c = s.client();
  assert.deepEqual(await c.tickets.get(5), { id: 5 });
  assert.equal(s.tokenRequests.length, 2);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
});

test('a second 401 after the refresh rejects with code 401 (no loop)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', `/tickets/send/9`, (req, res) => json(res, 401, { Message: 'Authorization has been denied for this request.' }));
  const c = s.client();
  await assert.rejects(c.tickets.send(9, { text: 'hi' }), (e) => e instanceof GlassixError && e.code === 401 && e.kind === 'http' && e.message === 'Authorization has been denied for this request.');
  assert.equal(s.calls.length, 2);
  assert.equal(s.tokenRequests.length, 2);
});

test('concurrent 401s share one refresh', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', /\/tickets\/get\//, (req, res, rec) => (rec.headers.authorization === 'Bearer token-1' ? json(res, 401, {}) : json(res, 200, {})));
  const c = s.client();
  await c.users.getAll(); // token-1 cached
  await Promise.all(Array.from({ length: 20 }, (_, i) => c.tickets.get(i + 1)));
  assert.equal(s.tokenRequests.length, 2);
});

test('a failed token request rejects every waiting call with its status and message', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', (req, res) => json(res, 400, { message: 'wrong apiKey or apiSecret' }));
  const c = s.client();
  const results = await Promise.allSettled([c.tickets.get(1), c.tickets.get(2), c.users.getAll()]);
  // each call rejects with its own error, named after it, with the one shared token failure as
  // its cause: kind, status and body as the token request's
  const names = ['tickets.get', 'tickets.get', 'users.getAll'];
  results.forEach((r, i) => {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof GlassixError);
    assert.equal(r.reason.code, 400);
    assert.equal(r.reason.kind, 'http');
    assert.deepEqual(r.reason.body, { message: 'wrong apiKey or apiSecret' });
    assert.equal(r.reason.message, `${names[i]}: no access token: wrong apiKey or apiSecret`);
    assert.ok(r.reason.cause instanceof GlassixError);
    assert.equal(r.reason.cause.message, 'wrong apiKey or apiSecret');
    assert.equal(r.reason.cause, results[0].reason.cause, 'one token request, one failure');
  });
  assert.notEqual(results[0].reason, results[1].reason);
  // getToken() itself rejects with the token request's own failure
  await assert.rejects(c.getToken(), (e) => e instanceof GlassixError && e.message === 'wrong apiKey or apiSecret' && e.status === 400);
  assert.equal(s.tokenRequests.length, 2);
  assert.equal(s.calls.length, 0);
  assert.doesNotMatch(results[0].reason.stack + JSON.stringify(results[0].reason) + JSON.stringify(results[0].reason.cause), /secret-456/);
});

test('getToken(otherUser) returns that user\'s token without changing who the client acts as', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  await c.tickets.get(1);
  const other = await c.getToken('boss@example.com');
  assert.equal(other.access_token, 'token-2');
  assert.equal(other.token_type, 'bearer');
  assert.equal(s.tokenRequests[1].body.userName, 'boss@example.com');
  await c.tickets.get(2);
  assert.equal(s.calls.at(-1).headers.authorization, 'Bearer token-1');
  const own = await c.getToken();
  assert.equal(s.tokenRequests[2].body.userName, 'api@example.com');
  await c.tickets.get(3);
  assert.equal(s.calls.at(-1).headers.authorization, `Bearer ${own.access_token}`);
});

test('getToken(userName, { signal, timeout, maxRetries }): the signal stops its wait, timeout and maxRetries are another user\'s token request\'s, anything else is refused by name before a request', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let delay = 0;
  let status = 200;
  s.route('POST', '/token/get', async (req, res) => {
    await new Promise((r) => setTimeout(r, delay));
    json(res, status, status === 200 ? { access_token: `t-${s.tokenRequests.length}`, token_type: 'bearer', expires_in: 10800 } : { message: 'busy' });
  });
  const c = s.client({ timeout: 10_000, maxRetries: 0 });
  // refused before anything is sent: headers (the token request carries none of yours), a typo,
  // a non-object
  for (const bad of [{ headers: { a: '1' } }, { tiemout: 50 }, 5]) {
    await assert.rejects(c.getToken(undefined, bad), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /^getToken: /.test(e.message));
    await assert.rejects(c.getToken('boss@example.com', bad), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
  }
  assert.equal(s.tokenRequests.length, 0);
  // an aborted signal: nothing sent, for either user
  for (const user of [undefined, 'boss@example.com']) {
    await assert.rejects(c.getToken(user, { signal: AbortSignal.abort() }), (e) => e instanceof GlassixError && e.kind === 'aborted');
  }
  assert.equal(s.tokenRequests.length, 0);
  // aborted while the token request is under way (the client's own user's shared fetch too)
  delay = 400;
  for (const user of [undefined, 'boss@example.com']) {
    const started = Date.now();
    await assert.rejects(c.getToken(user, { signal: AbortSignal.timeout(50) }), (e) => e instanceof GlassixError && e.kind === 'aborted');
    assert.ok(Date.now() - started < 350, 'the wait stopped at the abort');
  }
  // another user's request under the call's timeout (the client's is 10 s)
  await assert.rejects(c.getToken('boss@example.com', { timeout: 50 }), (e) => e instanceof GlassixError && e.kind === 'timeout');
  // and its maxRetries (the client's is 0)
  delay = 0;
  status = 503;
  const before = s.tokenRequests.length;
  await assert.rejects(c.getToken('boss@example.com', { maxRetries: 1 }), (e) => e instanceof GlassixError && e.status === 503);
  assert.equal(s.tokenRequests.length - before, 2);
  status = 200;
  assert.match((await c.getToken('boss@example.com', { signal: new AbortController().signal, timeout: 5000, maxRetries: 0 })).access_token, /^t-/);
  assert.equal(c.getToken.length, 2);
});

test('custom headers go on API calls but not on the token request; Authorization cannot be overridden', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ headers: { 'X-Automation-Token': 'auto-1', Authorization: 'Basic nope', 'x-flag': true, 'x-count': 3 } });
  await c.tickets.get(1, { headers: { 'x-request-id': 'r-1' } });
  assert.equal(s.tokenRequests[0].headers['x-automation-token'], undefined);
  const r = s.calls[0];
  assert.equal(r.headers['x-automation-token'], 'auto-1');
  assert.equal(r.headers['x-request-id'], 'r-1');
  assert.equal(r.headers['x-flag'], 'true');
  assert.equal(r.headers['x-count'], '3');
  assert.equal(r.headers.authorization, 'Bearer token-1');
});

test('accessToken alone: no token request, a 401 rejects after one attempt', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/2', (req, res) => json(res, 401, { Message: 'Authorization has been denied for this request.' }));
  const c = new (await import('./helpers/server.mjs')).GlassixClient({ baseUrl: s.origin, accessToken: 'pre-issued' });
  assert.deepEqual(await c.tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  await assert.rejects(c.tickets.get(2), (e) => e.code === 401);
  assert.equal(s.tokenRequests.length, 0);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer pre-issued', 'Bearer pre-issued']);
});

test('accessToken + getAccessToken: a 401 calls getAccessToken once and retries once', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/2', (req, res, rec) => (rec.headers.authorization === 'Bearer fresh' ? json(res, 200, { id: 2 }) : json(res, 401, {})));
  let calls = 0;
  const { GlassixClient } = await import('./helpers/server.mjs');
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'stale', getAccessToken: async () => (calls++, 'fresh') });
  assert.deepEqual(await c.tickets.get(2), { id: 2 });
  assert.equal(calls, 1);
  assert.equal(s.tokenRequests.length, 0);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer stale', 'Bearer fresh']);
});

test('getAccessToken is handed the rejected token once, right after its 401; a later refresh (the token came to its refresh point) is asked with no rejected token', async (t) => {
  // (a shared store drops the token it is handed for everyone: handed again later, it would drop
  // a newer token that happens to be stored under it, or keep a refresh from being a refresh)
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/2', (req, res, rec) => (rec.headers.authorization === 'Bearer p-1' ? json(res, 401, {}) : json(res, 200, { id: 2 })));
  const asked = [];
  const { GlassixClient } = await import('./helpers/server.mjs');
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: async (rejected) => (asked.push(rejected), { access_token: `p-${asked.length}`, expires_in: 0.2 }) });
  await c.tickets.get(1);
  await c.tickets.get(2);
  await new Promise((r) => setTimeout(r, 250)); // p-2 is past its refresh point (180 ms)
  await c.tickets.get(3);
  assert.deepEqual(asked, [undefined, 'p-1', undefined]);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer p-1', 'Bearer p-1', 'Bearer p-2', 'Bearer p-3']);
});

test('getAccessToken alone is called once for many concurrent calls, and may return a token object', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let calls = 0;
  const { GlassixClient } = await import('./helpers/server.mjs');
  const c = new GlassixClient({
    baseUrl: s.base,
    getAccessToken: async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { access_token: `cb-${calls}`, expires_in: 3600 };
    },
  });
  await Promise.all(Array.from({ length: 50 }, (_, i) => c.tickets.get(i + 1)));
  assert.equal(calls, 1);
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer cb-1'));
});

test('a getAccessToken that throws rejects the call with a GlassixError carrying the cause', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const { GlassixClient } = await import('./helpers/server.mjs');
  const boom = new Error('token service down');
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: () => Promise.reject(boom) });
  await assert.rejects(c.tickets.get(1), (e) => e instanceof GlassixError && e.message === "tickets.get: no access token: getAccessToken() or the store's token() failed" && e.cause.cause === boom);
  assert.equal(s.calls.length, 0);
});

test('a GlassixError a getAccessToken throws is the token failure itself (the README says so)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const { GlassixClient } = await import('./helpers/server.mjs');
  const refused = new GlassixError('getToken: Invalid credentials', { kind: 'http', status: 401 });
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: () => Promise.reject(refused) });
  await assert.rejects(c.tickets.get(1), (e) => e.message === 'tickets.get: no access token: getToken: Invalid credentials' && e.cause === refused && e.kind === 'http' && e.status === 401);
  const readme = (await import('node:fs')).readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  assert.ok(readme.includes('A `GlassixError` it threw (of any entry: another client\'s failed `getToken()`, a store\'s token request) is taken as the token failure itself: it is `err.cause`'));
});

test('a getToken() that fails keeps the cached token in use (and a pre-issued one): only a new token replaces it', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let down = false;
  s.route('POST', '/token/get', (req, res) => (down ? json(res, 503, { message: 'token endpoint down' }) : json(res, 200, { access_token: `token-${s.tokenRequests.length}`, expires_in: 10800 })));
  for (const options of [{ maxRetries: 0 }, { maxRetries: 0, accessToken: 'pre-issued' }]) {
    const c = s.client(options);
    await c.tickets.get(1);
    const before = s.calls.at(-1).headers.authorization;
    down = true;
    await assert.rejects(c.getToken(), (e) => e instanceof GlassixError && e.status === 503);
    const tokens = s.tokenRequests.length;
    await c.tickets.get(2);
    assert.equal(s.calls.at(-1).headers.authorization, before, 'the call went on with the token it had');
    assert.equal(s.tokenRequests.length, tokens, 'and asked for none');
    down = false;
    const fresh = await c.getToken();
    await c.tickets.get(3);
    assert.equal(s.calls.at(-1).headers.authorization, `Bearer ${fresh.access_token}`, 'a new token replaces it');
  }
});
