import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, getToken, client, fakeClock, createTicket } from './_helpers.mjs';

const DENIED = 'Authorization has been denied for this request.';

describe('token endpoint and authorization', () => {
  let sb;
  before(async () => { sb = await startSandbox(); });
  after(() => sb.close());

  test('issues a bearer token with the documented shape', async () => {
    const { status, json } = await getToken(sb);
    assert.equal(status, 200);
    assert.equal(typeof json.access_token, 'string');
    assert.ok(json.access_token.length >= 20);
    assert.equal(json.token_type, 'bearer');
    assert.equal(json.expires_in, 10800);
    const again = await getToken(sb);
    assert.notEqual(again.json.access_token, json.access_token, 'tokens are random');
  });

  test('the token is checked before the path: no token and an unreadable id is 401, with a token 400', async () => {
    for (const path of ['/tickets/get/abc', '/contacts/get/xyz']) {
      const anonymous = await fetch(`${sb.baseUrl}${path}`);
      assert.equal(anonymous.status, 401, path);
      assert.equal((await anonymous.json()).Message, DENIED);
      const token = (await getToken(sb)).json.access_token;
      assert.equal((await fetch(`${sb.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).status, 400, path);
    }
    // rules.authOrder: 'path-first' refuses the path whatever the token
    const other = await startSandbox({ rules: { authOrder: 'path-first' } });
    try {
      assert.equal((await fetch(`${other.baseUrl}/tickets/get/abc`)).status, 400);
    } finally {
      await other.close();
    }
  });

  test('default credentials', () => {
    assert.deepEqual(sb.credentials, {
      workspace: 'sandbox', apiKey: '00000000-0000-4000-8000-000000000001', apiSecret: 'sandbox-secret', userName: 'api@sandbox.test',
    });
    assert.match(sb.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\.2$/);
    assert.equal(sb.origin, `http://127.0.0.1:${sb.port}`);
  });

  test('wrong secret or unknown apiKey → 401 { message }', async () => {
    let r = await getToken(sb, { apiSecret: 'nope' });
    assert.equal(r.status, 401);
    assert.equal(typeof r.json.message, 'string');
    r = await getToken(sb, { apiKey: '11111111-1111-4111-8111-111111111111' });
    assert.equal(r.status, 401);
    r = await getToken(sb, { apiKey: 'not-a-guid' });
    assert.equal(r.status, 401);
  });

  test('unknown userName → 400; missing fields → 400', async () => {
    let r = await getToken(sb, { userName: 'nobody@example.com' });
    assert.equal(r.status, 400);
    assert.match(r.json.message, /nobody@example\.com/);
    r = await getToken(sb, { userName: '' });
    assert.equal(r.status, 400);
    // carol exists, but only in the second department
    r = await getToken(sb, { userName: 'carol@sandbox.test' });
    assert.equal(r.status, 400);
  });

  test('malformed JSON body → 400 { Message }', async () => {
    const res = await fetch(`${sb.baseUrl}/token/get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"apiKey":' });
    assert.equal(res.status, 400);
    const j = await res.json();
    assert.equal(typeof j.Message, 'string');
  });

  test('missing, malformed or unknown token → 401 { Message }', async () => {
    const call = client(sb, null);
    for (const headers of [{}, { authorization: 'Bearer' }, { authorization: 'Basic abc' }, { authorization: 'Bearer not-a-token' }]) {
      const r = await call('GET', '/users/allusers', { headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.deepEqual(r.json, { Message: DENIED });
    }
  });

  test('a real token works, with any casing of the Bearer scheme', async () => {
    const { json } = await getToken(sb);
    const call = client(sb, null);
    let r = await call('GET', '/users/allusers', { headers: { authorization: `Bearer ${json.access_token}` } });
    assert.equal(r.status, 200);
    r = await call('GET', '/users/allusers', { headers: { authorization: `bearer ${json.access_token}` } });
    assert.equal(r.status, 200);
  });

  test('the token acts as its user', async () => {
    const { json } = await getToken(sb, { userName: 'alice@sandbox.test' });
    const call = client(sb, json.access_token);
    const ticket = await createTicket(call);
    const r = await call('POST', `/tickets/send/${ticket.id}`, { body: { text: 'hello from alice' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.fromParticipant.userName, 'alice@sandbox.test');
    const s = await call('GET', '/users/getstatus');
    assert.deepEqual(s.json, { status: 'Online' });
  });

  test('issueToken() returns a usable token; tokens survive reset() unless asked', async () => {
    const tok = sb.issueToken();
    const call = client(sb, tok);
    assert.equal((await call('GET', '/users/allusers')).status, 200);
    sb.reset();
    assert.equal((await call('GET', '/users/allusers')).status, 200);
    sb.reset({ tokens: true });
    assert.equal((await call('GET', '/users/allusers')).status, 401);
    assert.throws(() => sb.issueToken('nobody@example.com'));
  });

  test('reset() and POST /__sandbox/reset refuse an unknown option (a misspelt tokens) before resetting anything', async () => {
    const call = client(sb, sb.issueToken());
    const t = await createTicket(call);
    for (const [opts, message] of [[{ token: true }, /^reset: unknown option 'token' \(known: tokens\)$/], [{ tokens: 'yes' }, /tokens must be true or false/],
      [[], /options must be an object/], [null, /options must be an object/], [true, /options must be an object/]]) {
      assert.throws(() => sb.reset(opts), { name: 'TypeError', message }, JSON.stringify(opts));
    }
    for (const body of ['{"token":true}', '{"tokens":1}', '[]']) {
      const res = await fetch(`${sb.origin}/__sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      assert.match((await res.json()).message, /^reset: /);
    }
    assert.ok(sb.state.ticket(t.id), 'nothing was reset');
    assert.equal((await call('GET', '/users/allusers')).status, 200, 'the token is still valid');
    assert.equal((await fetch(`${sb.origin}/__sandbox/reset`, { method: 'POST', body: 'null' })).status, 200, 'a JSON null is no body');
    sb.reset({ tokens: undefined });
    sb.reset({});
    // `beforeEach(sb.reset)`: vitest passes its test context (a function with keys), node:test its
    // TestContext; mocha and jest pass a `done` to a hook that declares a parameter
    assert.equal(sb.reset.length, 0, 'no declared parameter');
    sb.reset(Object.assign(() => {}, { task: {}, expect() {}, skip() {} }));
    assert.equal((await call('GET', '/users/allusers')).status, 200);
  });
});

describe('token expiry', () => {
  test('tokens expire after tokenLifetime seconds (fake clock)', async () => {
    const now = fakeClock();
    const sb = await startSandbox({ tokenLifetime: 60, now });
    try {
      const { json } = await getToken(sb);
      assert.equal(json.expires_in, 60);
      const call = client(sb, json.access_token);
      assert.equal((await call('GET', '/users/allusers')).status, 200);
      now.advance(59_000);
      assert.equal((await call('GET', '/users/allusers')).status, 200);
      now.advance(1_000);
      const r = await call('GET', '/users/allusers');
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { Message: DENIED });
    } finally {
      await sb.close();
    }
  });

  test('short real-time lifetime', async () => {
    const sb = await startSandbox({ tokenLifetime: 0.5 });
    try {
      const call = client(sb, (await getToken(sb)).json.access_token);
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      await new Promise((r) => setTimeout(r, 600));
      assert.equal((await call('GET', '/users/getstatus')).status, 401);
    } finally {
      await sb.close();
    }
  });
});

describe('custom credentials and departments', () => {
  test('custom credentials are accepted; the API user is added to the department', async () => {
    const credentials = { workspace: 'acme', apiKey: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', apiSecret: 's3cret', userName: 'bot@acme.test' };
    const sb = await startSandbox({ credentials });
    try {
      assert.equal(sb.credentials.apiKey, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
      const r = await getToken(sb);
      assert.equal(r.status, 200);
      const users = await client(sb, r.json.access_token)('GET', '/users/allusers');
      assert.ok(users.json.some((u) => u.UserName === 'bot@acme.test'));
    } finally {
      await sb.close();
    }
  });

  test('a token for the second department only sees that department', async () => {
    const sb = await startSandbox();
    try {
      const second = '00000000-0000-4000-8000-000000000002';
      const r = await getToken(sb, { apiKey: second });
      assert.equal(r.status, 200);
      const call2 = client(sb, r.json.access_token);
      const call1 = client(sb);
      const t1 = await createTicket(call1);
      assert.equal((await call2('GET', `/tickets/get/${t1.id}`)).status, 404);
      const tags = await call2('GET', '/tenants/gettags');
      assert.deepEqual(tags.json.map((t) => t.Name), ['Lead', 'VIP']);
    } finally {
      await sb.close();
    }
  });
});
