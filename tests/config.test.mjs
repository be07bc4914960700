// Construction: both forms, the default API root, baseUrl as origin or full root, apiVersion
// with or without `v`, and validation that names what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GlassixClient, GlassixError, CREDS, startServer } from './helpers/server.mjs';

const TABLE = JSON.parse(readFileSync(new URL('../js/table.json', import.meta.url), 'utf8'));

const rootOf = (c) => c.toJSON().baseUrl;

test('default root is https://{workspace}.glassix.com/api/v1.2', () => {
  assert.equal(rootOf(new GlassixClient({ workspace: 'acme', ...CREDS })), 'https://acme.glassix.com/api/v1.2');
});

test("apiVersion '1.2' and 'v1.2' mean the same (glassix-js made 'vv1.2')", () => {
  for (const apiVersion of ['1.2', 'v1.2', 1.2]) {
    assert.equal(rootOf(new GlassixClient({ workspace: 'acme', apiVersion, ...CREDS })), 'https://acme.glassix.com/api/v1.2');
  }
});

test('the positional glassix-js form', () => {
  const c = new GlassixClient('acme', 'k', 's', 'v1.2', 'u@x.com', 'glassix-dev.com');
  assert.equal(rootOf(c), 'https://acme.glassix-dev.com/api/v1.2');
  assert.equal(rootOf(new GlassixClient('acme', 'k', 's', undefined, 'u@x.com')), 'https://acme.glassix.com/api/v1.2');
});

test('http only for localhost and localhost:PORT', () => {
  assert.equal(rootOf(new GlassixClient({ workspace: 'a', domain: 'localhost:8080', ...CREDS })), 'http://a.localhost:8080/api/v1.2');
  assert.equal(rootOf(new GlassixClient({ workspace: 'a', domain: 'localhost', ...CREDS })), 'http://a.localhost/api/v1.2');
  assert.equal(rootOf(new GlassixClient({ workspace: 'a', domain: 'mylocalhost.io', ...CREDS })), 'https://a.mylocalhost.io/api/v1.2');
});

test('baseUrl: an origin gets /api/v{apiVersion}; a full root is used as given', () => {
  for (const [baseUrl, root] of [
    ['https://acme.glassix.com', 'https://acme.glassix.com/api/v1.2'],
    ['https://acme.glassix.com/', 'https://acme.glassix.com/api/v1.2'],
    ['http://127.0.0.1:8080/api/v1.2', 'http://127.0.0.1:8080/api/v1.2'],
    ['http://127.0.0.1:8080/api/v1.2/', 'http://127.0.0.1:8080/api/v1.2'],
  ]) {
    assert.equal(rootOf(new GlassixClient({ baseUrl, ...CREDS })), root, baseUrl);
  }
  assert.equal(rootOf(new GlassixClient({ baseUrl: 'https://x.glassix.com', apiVersion: 'v2', ...CREDS })), 'https://x.glassix.com/api/v2');
});

test('an origin baseUrl really sends to {origin}/api/v1.2', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  await new GlassixClient({ baseUrl: s.origin + '/', ...CREDS }).tickets.get(3);
  assert.deepEqual(s.requests.map((r) => r.path), ['/api/v1.2/token/get', '/api/v1.2/tickets/get/3']);
});

test('invalid configuration throws an invalid_argument GlassixError naming the problem', () => {
  const cases = [
    [{ apiKey: 'k', apiSecret: 's', userName: 'u' }, /workspace/],
    [{ workspace: 'a', apiSecret: 's', userName: 'u' }, /apiKey/],
    [{ workspace: 'a', apiKey: 'k', userName: 'u' }, /apiSecret/],
    [{ workspace: 'a', apiKey: 'k', apiSecret: 's' }, /userName/],
    [{ baseUrl: 'not a url', ...CREDS }, /baseUrl/],
    [{ baseUrl: '/api/v1.2', ...CREDS }, /baseUrl/],
    [{ baseUrl: 'ftp://x.com', ...CREDS }, /baseUrl/],
    [{ baseUrl: 'https://acme.glassix.com/api/v1.2?debug=1', ...CREDS }, /baseUrl/],
    [{ baseUrl: 'https://acme.glassix.com/#x', ...CREDS }, /baseUrl/],
    [{ baseUrl: 'https://user:pw@acme.glassix.com', ...CREDS }, /baseUrl/],
    [{ workspace: 'a/b', ...CREDS }, /workspace/],
    // the sub-domain, not the whole host (it went to acme.glassix.com.glassix.com), in any case;
    // a label DNS cannot hold (over 63 characters)
    [{ workspace: 'acme.glassix.com', ...CREDS }, /workspace "acme\.glassix\.com" is not a sub-domain like "acme"$/],
    [{ workspace: 'Acme.Glassix.COM', ...CREDS }, /is not a sub-domain like "acme"$/],
    [{ workspace: 'a'.repeat(64), ...CREDS }, /is not a sub-domain like "acme"$/],
    [{ workspace: 'a', apiVersion: 'latest', ...CREDS }, /apiVersion/],
    [{ workspace: 'a', headers: { 'x-a': 'v\r\nx-b: 1' }, ...CREDS }, /CR, LF/],
    [{ workspace: 'a', headers: { 'x-a': 'v\u0085' }, ...CREDS }, /header "x-a" has a control character/],
    [{ workspace: 'a', timeout: 0, ...CREDS }, /timeout/],
    [{ workspace: 'a', maxRetries: -1, ...CREDS }, /maxRetries/],
    [{ workspace: 'a', fetch: 'nope', ...CREDS }, /fetch/],
    [{ workspace: 'a', rateLimit: { requests: 0, perMs: 1000 }, ...CREDS }, /option `rateLimit\.requests` must be a whole number >= 1$/],
    [{ workspace: 'a', rateLimit: { requests: 10, perMs: 'x' }, ...CREDS }, /option `rateLimit\.perMs` must be a number >= 1$/],
    [{ workspace: 'a', maxConcurrency: 0, ...CREDS }, /maxConcurrency/],
    // (only `true` allows a secret in a page: anything else but a boolean was taken as not set)
    [{ workspace: 'a', dangerouslyAllowBrowser: 'yes', ...CREDS }, /option `dangerouslyAllowBrowser` must be a boolean$/],
    [{ workspace: 'a', dangerouslyAllowBrowser: 1, ...CREDS }, /option `dangerouslyAllowBrowser` must be a boolean$/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new GlassixClient(options), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && message.test(e.message), JSON.stringify(options));
  }
  assert.throws(() => new GlassixClient('acme'), /apiKey, apiSecret, userName/);
});

test('the fetch option replaces the global fetch: it receives one Request per attempt', async () => {
  const seen = [];
  const c = new GlassixClient({
    workspace: 'acme',
    ...CREDS,
    headers: { 'x-tenant': 'acme' },
    fetch: async (request) => {
      assert.ok(request instanceof Request, 'a standard Fetch API Request');
      seen.push([request.url, request.method, request.headers.get('authorization'), request.headers.get('x-tenant'), request.redirect]);
      const body = request.url.endsWith('/token/get') ? { access_token: 't', expires_in: 60 } : { id: 1 };
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    },
  });
  assert.deepEqual(await c.tickets.get(1), { id: 1 });
  assert.deepEqual(seen, [
    // the token request carries neither the bearer token nor the caller's headers
    ['https://acme.glassix.com/api/v1.2/token/get', 'POST', null, null, 'manual'],
    ['https://acme.glassix.com/api/v1.2/tickets/get/1', 'GET', 'Bearer t', 'acme', 'manual'],
  ]);
});

test('a caller-supplied fetch gets the body on the Request', async () => {
  const bodies = [];
  const c = new GlassixClient({
    workspace: 'acme',
    accessToken: 'tok',
    fetch: async (request) => {
      bodies.push([request.headers.get('content-type'), await request.text()]);
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    },
  });
  await c.tickets.send(7, { text: 'hi' });
  assert.deepEqual(bodies, [['application/json', '{"text":"hi"}']]);
});

test('client.user is client.users, and each group is one stable object', () => {
  const c = new GlassixClient({ workspace: 'acme', ...CREDS });
  assert.equal(c.user, c.users);
  // every group of the table, glassix-js's ten among them
  const groups = TABLE.groups.map((g) => g.name).filter((n) => n !== 'client');
  for (const g of ['tickets', 'users', 'tenants', 'contacts', 'cannedReplies', 'interactiveDocuments', 'protocols', 'phoneCalls', 'files', 'webhooks']) assert.ok(groups.includes(g), g);
  for (const g of groups) {
    assert.equal(c[g], c[g], g);
    assert.equal(typeof c[g], 'object', g);
  }
});

test('baseUrl wins over workspace, domain and apiVersion (README, Options): they are not read, not even checked', () => {
  for (const others of [{ workspace: 'acme' }, { workspace: 'not a host!!', domain: 'example.com' }, { apiVersion: '1.3' }]) {
    const c = new GlassixClient({ ...others, baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'tok' });
    assert.equal(c.toJSON().baseUrl, 'http://127.0.0.1:9/api/v1.2', JSON.stringify(others));
  }
});
