// Credentials never leave the configured origin: redirects are never followed (the token
// request's body and an API call's body, custom headers and bearer token would go with them),
// a token from getAccessToken is checked like every other token, and an already-aborted call
// makes no request of any kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startServer, json, GlassixError, CREDS, GlassixClient } from './helpers/server.mjs';

const REDIRECTS = [301, 302, 303, 307, 308];

/** Everything an error could show of itself. */
function everything(err) {
  return [err.message, err.stack, inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err), String(err.cause ?? '')].join('\n');
}

/** A 2xx answer that says it is JSON but is `text`. */
function notJson(res, text) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(text);
}

async function twoOrigins(t) {
  const home = await startServer();
  const elsewhere = await startServer();
  t.after(() => Promise.all([home.close(), elsewhere.close()]));
  return { home, elsewhere };
}

for (const status of REDIRECTS) {
  test(`a ${status} from the token endpoint is an error with its status; the credentials go nowhere else`, async (t) => {
    const { home, elsewhere } = await twoOrigins(t);
    home.route('POST', '/token/get', (req, res) => {
      res.writeHead(status, { location: `${elsewhere.base}/token/get` }).end();
    });
    const c = home.client({ headers: { 'x-tenant-secret': 'custom-header-value' } });
    const err = await c.tickets.get(1).catch((e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'http');
    assert.equal(err.status, status);
    assert.equal(err.code, status);
    assert.match(err.message, /redirect/i);
    assert.match(err.message, /POST \/token\/get/);
    assert.equal(elsewhere.requests.length, 0, 'the other origin received a request');
    assert.equal(home.tokenRequests.length, 1, 'a redirect is not retried');
    assert.equal(home.calls.length, 0);
    assert.ok(!everything(err).includes(CREDS.apiSecret));
  });

  test(`getToken(): a ${status} from the token endpoint is an error; nothing reaches the redirect target`, async (t) => {
    const { home, elsewhere } = await twoOrigins(t);
    home.route('POST', '/token/get', (req, res) => res.writeHead(status, { location: `${elsewhere.origin}/steal` }).end());
    const err = await home.client().getToken().catch((e) => e);
    assert.ok(err instanceof GlassixError);
    assert.equal(err.status, status);
    assert.equal(elsewhere.requests.length, 0);
    assert.equal(home.tokenRequests.length, 1);
  });

  test(`a ${status} from an API call stops the call: its body, custom headers and token stay home`, async (t) => {
    const { home, elsewhere } = await twoOrigins(t);
    home.route('PUT', '/tickets/setfields/7', (req, res) => res.writeHead(status, { location: `${elsewhere.base}/tickets/setfields/7` }).end());
    const c = home.client({ headers: { 'x-client-header': 'client-level' } });
    const err = await c.tickets
      .setFields(7, { field1: 'private payload' }, { headers: { 'x-call-header': 'call-level' } })
      .catch((e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'http');
    assert.equal(err.status, status);
    assert.match(err.message, /redirect/i);
    assert.match(err.message, /tickets\.setFields/);
    assert.equal(elsewhere.requests.length, 0, 'the other origin received a request');
    assert.equal(home.calls.length, 1, 'a redirect is not retried, even for an idempotent PUT');
  });
}

test('a redirect to the same origin is not followed either', async (t) => {
  const { home } = await twoOrigins(t);
  home.route('GET', '/tickets/get/3', (req, res) => res.writeHead(302, { location: '/api/v1.2/tickets/get/4' }).end());
  const err = await home.client().tickets.get(3).catch((e) => e);
  assert.equal(err.status, 302);
  assert.deepEqual(home.calls.map((r) => r.path), ['/api/v1.2/tickets/get/3']);
});

for (const [label, bad] of [
  ['CR/LF', 'tok-secret\r\nx-injected: 1'],
  ['a NUL', 'tok-secret\u0000'],
  ['a character above U+00FF', 'tok-secret\u20ac'],
  ['another control character', 'tok-secret\u0001x'],
  ['a DEL', 'tok-secret\u007f'],
  ['a space', 'tok-secret more'],
  ['only whitespace', '   '],
  ['a C1 control (NEL)', 'tok-secret\u0085'],
  ['a no-break space', 'tok-secret\u00a0x'],
]) {
  test(`getAccessToken returning a token with ${label} fails at once: no request, no retry, no token in the error`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    let calls = 0;
    const c = new GlassixClient({
      baseUrl: s.base,
      getAccessToken: async () => {
        calls += 1;
        return bad;
      },
    });
    const err = await c.tickets.get(1).catch((e) => e);
    assert.ok(err instanceof GlassixError);
    assert.equal(err.kind, 'invalid_argument');
    assert.match(err.message, /getAccessToken/);
    assert.equal(calls, 1);
    assert.equal(s.requests.length, 0);
    assert.ok(!everything(err).includes('tok-secret'), everything(err));
  });
}

test('the accessToken option is held to the same rule: a control character fails at construction', () => {
  for (const bad of ['tok-secret\u0001', 'tok-secret\u007f', 'tok secret', ' ', 'tok-secret\u009f', 'tok-secret\u00a0']) {
    const err = (() => {
      try {
        new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: bad });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof GlassixError, JSON.stringify(bad));
    assert.equal(err.kind, 'invalid_argument');
    assert.ok(!everything(err).includes('tok-secret'));
  }
});

test('a server that echoes the token or the credentials back does not put them into an error', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const token = 'tok-7f3e9a1c5b2d';
  s.route('GET', '/tickets/get/1', (req, res) => json(res, 401, { message: `Bad token ${req.headers.authorization}`, sent: req.headers.authorization }));
  const byToken = await new GlassixClient({ baseUrl: s.base, accessToken: token }).tickets.get(1).catch((e) => e);
  assert.equal(byToken.status, 401);
  assert.match(byToken.message, /Bad token Bearer \[redacted\]/);
  assert.ok(!everything(byToken).includes(token) && !JSON.stringify(byToken.body).includes(token), everything(byToken));

  s.route('POST', '/token/get', (req, res, rec) => json(res, 400, { message: `bad credentials ${rec.text}`, echo: rec.body }));
  const byCreds = await s.client().tickets.get(2).catch((e) => e);
  assert.equal(byCreds.status, 400);
  const shown = everything(byCreds) + JSON.stringify(byCreds.body);
  assert.ok(!shown.includes(CREDS.apiSecret) && !shown.includes(CREDS.apiKey), shown);
  assert.match(byCreds.message, /\[redacted\]/);
});

test('an echo is redacted in whatever JSON spelling the server uses, and in a body that is not valid text', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // .NET's System.Text.Json writes `+` as \u002B; a quote or backslash is escaped by every writer
  const apiSecret = 'Ab3+kL9/xY"z\\Qw7+Rt5';
  const token = 'eyJhbGciOi+JIUzI1NiJ9';
  const dotnet = (v) => JSON.stringify(v).replace(/\+/g, '\\u002B');
  s.route('POST', '/token/get', (req, res, rec) => {
    if (rec.body.apiSecret === apiSecret) return json(res, 200, { access_token: token, expires_in: 3600 });
    res.writeHead(400, { 'content-type': 'application/json' }).end(`{"message":${dotnet(`bad secret ${rec.body.apiSecret}`)}}`);
  });
  s.route('GET', '/tickets/get/1', (req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' }).end(`{"message":${dotnet(`got ${req.headers.authorization}`)},"echo":{"deep":[${dotnet(req.headers.authorization)}]}}`);
  });
  const c = new GlassixClient({ baseUrl: s.base, apiKey: 'key-123456', apiSecret, userName: 'u', maxRetries: 0 });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.status, 400);
  assert.equal(err.message, 'got Bearer [redacted]');
  assert.deepEqual(err.body, { message: 'got Bearer [redacted]', echo: { deep: ['Bearer [redacted]'] } });
  assert.ok(!everything(err).includes(token), everything(err));

  const wrong = new GlassixClient({ baseUrl: s.base, apiKey: 'key-123456', apiSecret: 'Zz9+wrong"secret', userName: 'u', maxRetries: 0 });
  const byCreds = await wrong.tickets.get(1).catch((e) => e);
  assert.equal(byCreds.message, 'tickets.get: no access token: bad secret [redacted]');
  assert.equal(byCreds.cause.message, 'bad secret [redacted]');
  assert.ok(!(everything(byCreds) + JSON.stringify(byCreds.body)).includes('wrong"secret'));

  // one byte that is not UTF-8: the body is read with a replacement character, and redacted
  s.route('GET', '/tickets/get/2', (req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(Buffer.concat([Buffer.from(`{"message":"you sent ${req.headers.authorization} `), Buffer.from([0xff]), Buffer.from('"}')]));
  });
  const bytes = await c.tickets.get(2).catch((e) => e);
  assert.equal(bytes.status, 500);
  assert.equal(typeof bytes.body, 'object');
  assert.equal(bytes.message, 'you sent Bearer [redacted] \ufffd');
  assert.ok(!(everything(bytes) + JSON.stringify(bytes.body)).includes(token));
});

test('an echo in another letter case is redacted too (.NET writes a GUID key in lower case), with regex characters in the credential taken as themselves', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const apiKey = '3F2A9C1E-7B4D-4E8A-9C2B-1D5E6F7A8B9C';
  const apiSecret = 'Se.cr+et(x)*[a]';
  s.route('POST', '/token/get', (req, res, rec) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `bad key ${rec.body.apiKey.toLowerCase()} or secret ${rec.body.apiSecret.toUpperCase()}`, key: rec.body.apiKey.toLowerCase() }));
  });
  const c = new GlassixClient({ baseUrl: s.base, apiKey, apiSecret, userName: 'u', maxRetries: 0 });
  const err = await c.getToken().catch((e) => e);
  assert.equal(err.status, 400);
  assert.equal(err.message, 'bad key [redacted] or secret [redacted]');
  assert.deepEqual(err.body, { message: 'bad key [redacted] or secret [redacted]', key: '[redacted]' });
  const all = (everything(err) + JSON.stringify(err.body)).toLowerCase();
  assert.ok(!all.includes(apiKey.toLowerCase()) && !all.includes(apiSecret.toLowerCase()), all);
  // a body that only looks like a pattern of the secret (`.` is no wildcard) is left alone
  s.route('POST', '/token/get', (req, res) => json(res, 400, { message: 'SeXcr+et(x)*[a] is not it' }));
  assert.equal((await c.getToken().catch((e) => e)).message, 'SeXcr+et(x)*[a] is not it');
});

test("a store's bad token is named as the store's", async () => {
  const store = { token: async () => 'tok-secret\r\n', acquire: async () => () => {} };
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', apiKey: 'key-123456', apiSecret: 'secret-123456', userName: 'u', store });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.kind, 'invalid_argument');
  assert.match(err.message, /^tickets\.get: no access token: getAccessToken\(\) or the store's token\(\) returned a token with whitespace/);
  assert.ok(!everything(err).includes('tok-secret'));
});

test('a short test credential is not cut out of an error body: keys and the message stay whole', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/1', (req, res) => json(res, 404, { message: 'Ticket 1 is missing', id: 1, secretary: true }));
  const c = new GlassixClient({ baseUrl: s.base, apiKey: 'k', apiSecret: 's', userName: 'u' });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.status, 404);
  assert.equal(err.message, 'Ticket 1 is missing');
  assert.deepEqual(err.body, { message: 'Ticket 1 is missing', id: 1, secretary: true });
});

test("a token response without a usable token names the token request", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // (one over 65536 characters, as the other ways a token comes in: it is not copied into the
  // wasm, whose memory never shrinks, and no server takes a header that long)
  const long = 'L'.repeat(65537);
  for (const body of [{ token_type: 'bearer' }, { access_token: 'a b', expires_in: 60 }, { access_token: long, expires_in: 60 }]) {
    s.route('POST', '/token/get', (req, res) => json(res, 200, body));
    const err = await s.client().tickets.get(1).catch((e) => e);
    assert.equal(err.kind, 'parse');
    assert.match(err.message, /^tickets\.get: no access token: getToken: the (token response has no access_token|access token has whitespace)/, err.message);
    if (body.access_token === long) {
      assert.match(err.message, /or over 65536 characters$/);
      assert.ok(!inspect(err, { depth: 5 }).includes('LLLL'), 'the token is not quoted');
      // another user's token, through getToken(user), the same
      const other = await s.client().getToken('boss@example.com').catch((e) => e);
      assert.equal(other.kind, 'parse');
      assert.match(other.message, /^getToken: the access token has whitespace, a control character or a character above U\+00FF, or over 65536 characters$/);
    }
  }
  assert.equal(s.calls.length, 0);
});

test("a server's message is shortened and its control characters escaped; the body keeps it whole", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const said = '\u001b[31mred\r\nline two\u0000' + 'x'.repeat(2000);
  s.route('GET', '/tickets/get/3', (req, res) => json(res, 400, { message: said }));
  const err = await s.client().tickets.get(3).catch((e) => e);
  assert.equal(err.status, 400);
  assert.ok(err.message.startsWith('\\x1b[31mred\\x0d\\x0aline two\\x00xxx'), err.message.slice(0, 60));
  assert.ok(err.message.length <= 545, String(err.message.length));
  assert.doesNotMatch(err.message, /[\u0000-\u001f]/);
  assert.equal(err.body.message, said);
});

test("messages are cut between code points and carry no C1 control nor bidirectional override: a Hebrew log line stays readable and in order", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const hebrew = 'ש'.repeat(499);
  s.route('GET', '/tickets/get/4', (req, res) => json(res, 400, { message: hebrew + '👋 and more' }));
  s.route('GET', '/tickets/get/5', (req, res) => json(res, 400, { message: 'שלום\u200f \u009b31m \u202eevil\u202c \u2067iso\u2069 ok\u2028line\u2029para' }));
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const cut = await s.client().tickets.get(4).catch((e) => e);
  assert.equal(cut.message, hebrew + '...', 'the emoji at the cut is left out whole');
  const odd = await s.client().tickets.get(5).catch((e) => e);
  assert.equal(odd.message, 'שלום\u200f \\x9b31m \\u202eevil\\u202c \\u2067iso\\u2069 ok\\u2028line\\u2029para', 'U+200F (a mark of Hebrew text) stays');
  assert.equal(odd.body.message, 'שלום\u200f \u009b31m \u202eevil\u202c \u2067iso\u2069 ok\u2028line\u2029para', 'the body keeps it whole');
  // a value the caller passed, quoted at 40 characters, and a key of the caller's, at 1,000
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 't' });
  const quoted = await c.tickets.get('א'.repeat(39) + '👋').catch((e) => e);
  assert.equal(quoted.kind, 'invalid_argument');
  assert.ok(quoted.message.includes('"' + 'א'.repeat(39) + '..."'), quoted.message);
  assert.doesNotMatch(quoted.message, lone);
  const key = '\u202e' + 'k'.repeat(1200) + '\u001b';
  const unknown = (() => { try { return new GlassixClient({ baseUrl: s.base, accessToken: 't', [key]: 1 }); } catch (e) { return e; } })();
  assert.equal(unknown.kind, 'invalid_argument');
  assert.equal(unknown.message, `GlassixClient: unknown option \`\\u202e${'k'.repeat(999)}...\``);
  // a server's message carried into another call's (the shared token request's failure) stays whole
  const refused = 'The token request was refused because ' + 'x'.repeat(300) + ' END';
  s.route('POST', '/token/get', (req, res) => json(res, 400, { message: refused }));
  const viaToken = await s.client().tickets.get(6).catch((e) => e);
  assert.equal(viaToken.message, `tickets.get: no access token: ${refused}`);
});

// The limits are inclusive, as the README's Errors table says ("its first 500 characters and
// `...` when it is longer"): a message or value of exactly the limit is shown whole, with no
// `...` that would read as something left out; one character more is cut.
test('a server message of exactly 500 characters, and a value of exactly 40, are shown whole; one more is cut', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const at = 'm'.repeat(499) + 'Z';
  s.route('GET', '/tickets/get/1', (req, res) => json(res, 404, { message: at }));
  s.route('GET', '/tickets/get/2', (req, res) => json(res, 404, { message: at + '!' }));
  assert.equal((await s.client().tickets.get(1).catch((e) => e)).message, at);
  assert.equal((await s.client().tickets.get(2).catch((e) => e)).message, at + '...');
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 't' });
  const forty = 'v'.repeat(39) + 'Z';
  const whole = await c.tickets.get(forty).catch((e) => e);
  assert.equal(whole.kind, 'invalid_argument');
  assert.ok(whole.message.includes(`"${forty}"`), whole.message);
  const longer = await c.tickets.get(forty + '!').catch((e) => e);
  assert.ok(longer.message.includes(`"${forty}..."`), longer.message);
  assert.equal(s.requests.filter((r) => r.path.includes('/tickets/')).length, 2, 'only the two server messages were asked for');
});

test('getAccessToken returning { access_token } with CR/LF fails the same way', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = new GlassixClient({ baseUrl: s.base, getAccessToken: async () => ({ access_token: 'tok-secret\nx', expires_in: 60 }) });
  const err = await c.users.getAll().catch((e) => e);
  assert.equal(err.kind, 'invalid_argument');
  assert.equal(s.requests.length, 0);
  assert.ok(!everything(err).includes('tok-secret'));
});

test('getAccessToken returning something that is not a token names what it returned, not the value', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const value of ['', 42, null, { token: 'tok-secret' }]) {
    const c = new GlassixClient({ baseUrl: s.base, getAccessToken: async () => value });
    const err = await c.users.getAll().catch((e) => e);
    assert.ok(err instanceof GlassixError, String(value));
    assert.equal(err.kind, 'invalid_argument', String(value));
    assert.ok(!everything(err).includes('tok-secret'));
  }
  assert.equal(s.requests.length, 0);
});

test('an already-aborted signal makes no request of any kind, not even for the token', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const signal = AbortSignal.abort(new Error('stop'));
  for (const p of [
    c.tickets.get(1, { signal }),
    c.tickets.send(1, { text: 'x' }, { signal }),
    c.users.getAll({ signal }),
    c.tickets.list({ since: new Date(Date.now() - 86_400_000), until: new Date() }, { signal }),
    c.webhooks.getEvents({ deleteEvents: false }, { signal }),
  ]) {
    const err = await p.catch((e) => e);
    assert.ok(err instanceof GlassixError);
    assert.equal(err.kind, 'aborted');
  }
  const it = c.tickets.iterate({ since: new Date(Date.now() - 86_400_000), until: new Date() }, { signal });
  await assert.rejects(it.next(), (e) => e.kind === 'aborted');
  await c.webhooks.consume(() => {}, { signal });
  assert.equal(s.requests.length, 0, s.requests.map((r) => r.path).join(', '));
});

test('an abort while the token is being fetched rejects at once and sends no API call', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', async (req, res) => {
    await new Promise((r) => setTimeout(r, 200));
    json(res, 200, { access_token: 't', expires_in: 100 });
  });
  const c = s.client();
  const ctl = new AbortController();
  const p = c.tickets.get(1, { signal: ctl.signal });
  setTimeout(() => ctl.abort(), 20);
  await assert.rejects(p, (e) => e.kind === 'aborted');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.calls.length, 0);
});

test('a token request every waiting call gave up on is not sent when its place comes', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // tokens live a second (due for refresh after 900 ms); one slot, held 1.5 s by a call
  s.tokenLifetime = 1;
  s.route('GET', '/tickets/get/1', async (req, res) => {
    await new Promise((r) => setTimeout(r, 1500));
    json(res, 200, { id: 1 });
  });
  const c = s.client({ maxConcurrency: 1 });
  await c.tickets.get(2);
  const holder = c.tickets.get(1);
  await new Promise((r) => setTimeout(r, 1000)); // the token is due now, the slot still held
  assert.equal(s.tokenRequests.length, 1);
  // a call that needs a fresh token starts its request, which waits for the slot; the call gives up
  const ctl = new AbortController();
  const gaveUp = c.tickets.get(3, { signal: ctl.signal }).catch((e) => e);
  setTimeout(() => ctl.abort(), 100);
  assert.equal((await gaveUp).kind, 'aborted');
  await holder;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(s.tokenRequests.length, 1, 'no token request for the call that gave up');
  assert.ok(!s.calls.some((r) => r.path.endsWith('/tickets/get/3')));
  // a later call starts a new one and goes through
  assert.deepEqual(await c.tickets.get(4), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/4' });
  assert.equal(s.tokenRequests.length, 2);
});

test('getAccessToken gets a signal that fires once no call waits for the token', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const signals = [];
  let answer;
  const c = new GlassixClient({
    baseUrl: s.base,
    getAccessToken: (rejected, signal) => {
      signals.push(signal);
      return new Promise((resolve) => (answer = resolve));
    },
  });
  const a = new AbortController();
  const b = new AbortController();
  const first = c.tickets.get(1, { signal: a.signal }).catch((e) => e);
  const second = c.tickets.get(2, { signal: b.signal }).catch((e) => e);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(signals.length, 1, 'one provider call for both');
  assert.ok(signals[0] instanceof AbortSignal);
  a.abort();
  assert.equal((await first).kind, 'aborted');
  assert.equal(signals[0].aborted, false, 'another call still waits');
  b.abort();
  assert.equal((await second).kind, 'aborted');
  assert.equal(signals[0].aborted, true, 'nobody waits any more');
  answer('late-token-abcdef'); // what it resolves with all the same is cached
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await c.tickets.get(3), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/3' });
  assert.equal(s.calls.at(-1).headers.authorization, 'Bearer late-token-abcdef');
  assert.equal(s.calls.length, 1);
});

test("getAccessToken's signal fires when the provider did not answer within the timeout: the calls gave up on it", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const signals = [];
  const c = new GlassixClient({ baseUrl: s.base, timeout: 100, getAccessToken: (rejected, signal) => (signals.push(signal), new Promise(() => {})) });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.kind, 'timeout');
  assert.equal(signals.length, 1);
  assert.equal(signals[0].aborted, true, 'the provider is told that nobody waits for its token');
  assert.equal(s.calls.length, 0);
});

test('a next URL with a password in it is refused without quoting it', async () => {
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'abcdefgh' });
  const err = await c.tickets.list({ next: 'http://u:secretpw1234@127.0.0.1:9/api/v1.2/tickets/list?p=2' }).catch((e) => e);
  assert.ok(err instanceof GlassixError);
  assert.equal(err.kind, 'invalid_argument');
  assert.equal(err.message, "tickets.list: `next` must be a page's URL under the client's API root (an iterator's position)");
  assert.ok(!everything(err).includes('secretpw1234'));
});

test('a baseUrl with credentials in it is refused without echoing them', () => {
  let err;
  try {
    new GlassixClient({ baseUrl: 'https://user:hunter2-password@acme.glassix.com', accessToken: 't' });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof GlassixError);
  assert.equal(err.kind, 'invalid_argument');
  assert.ok(!everything(err).includes('hunter2-password'), err.message);
});

test('long or control-character values the caller passes are shortened and escaped in messages', async () => {
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 't' });
  const long = 'x'.repeat(500) + 'END';
  const err = await c.tickets.get(long).catch((e) => e);
  assert.equal(err.kind, 'invalid_argument');
  assert.ok(err.message.length < 200, err.message);
  assert.ok(!err.message.includes('END'));
  const err2 = await c.tickets.get('1\r\n2').catch((e) => e);
  assert.ok(!/[\r\n]/.test(err2.message), JSON.stringify(err2.message));
});

test("a 2xx body that is not JSON and echoes a credential: the parser's error, kept as the cause, does not quote it", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const token = 'tok-7f3e9a1c5b2d8e4f';
  s.route('GET', '/tickets/get/1', (req, res) => notJson(res, token)); // the whole body: quoted whole by V8
  s.route('GET', '/tickets/get/2', (req, res) => notJson(res, `{"ok":true,"list":[1,2,3],"t":${token.slice(0, 12)}}`)); // a part, beside the error
  s.route('GET', '/tickets/get/3', (req, res) => notJson(res, '{"ok":true,}')); // no credential: V8's message kept as it is
  const c = new GlassixClient({ baseUrl: s.base, accessToken: token });
  for (const id of [1, 2]) {
    const err = await c.tickets.get(id).catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'parse', String(err));
    assert.equal(err.message, `tickets.get: GET /tickets/get/${id}: the response is not valid JSON`);
    assert.ok(err.cause instanceof SyntaxError, String(err.cause));
    const shown = everything(err) + err.cause.stack;
    assert.ok(!shown.includes(token.slice(0, 6)) && !shown.includes(token.slice(6, 12)), shown);
  }
  const plain = await c.tickets.get(3).catch((e) => e);
  assert.equal(plain.cause.message, (() => { try { JSON.parse('{"ok":true,}'); } catch (e) { return e.message; } })());

  // the token request's own response: the API secret echoed as the body
  s.route('POST', '/token/get', (req, res, rec) => notJson(res, rec.body.apiSecret));
  const byCreds = await s.client().tickets.get(1).catch((e) => e);
  assert.equal(byCreds.kind, 'parse');
  const shown = everything(byCreds) + byCreds.cause?.stack;
  assert.ok(!shown.includes(CREDS.apiSecret), shown);
});

// A credential in capitals (an API key GUID written in upper case, a token of capitals) is found
// in the parser's message whatever case the server echoes it in: each side is lower-cased.
test("a 2xx body that is not JSON and echoes a credential written in capitals, as it is or lower-cased: the cause does not quote it", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const token = 'TOKQWERTYUIOPASDFGH';
  s.route('GET', '/tickets/get/1', (req, res) => notJson(res, token));
  s.route('GET', '/tickets/get/2', (req, res) => notJson(res, token.toLowerCase()));
  const c = new GlassixClient({ baseUrl: s.base, accessToken: token, maxRetries: 0 });
  for (const id of [1, 2]) {
    const err = await c.tickets.get(id).catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'parse', String(err));
    assert.ok(err.cause instanceof SyntaxError, String(err.cause));
    const shown = (everything(err) + err.cause.stack).toLowerCase();
    assert.ok(!shown.includes(token.slice(0, 6).toLowerCase()) && !shown.includes(token.slice(6, 12).toLowerCase()), shown);
  }
});

// V8 quotes the body between double quotes, which are cut out; an engine whose parser quotes it
// another way (here: between single quotes, as the runtime's JSON.parse is made to) must not leak
// it either: the cause then keeps no text of the body at all.
test("a parser's message that quotes a credential in a form not known becomes 'not valid JSON'", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const token = 'tok-7f3e9a1c5b2d8e4f';
  s.route('GET', '/tickets/get/1', (req, res) => notJson(res, `<html>${token}</html>`));
  const parse = JSON.parse;
  JSON.parse = function (text, ...rest) {
    try {
      return parse.call(this, text, ...rest);
    } catch {
      throw new SyntaxError(`unexpected token in '${text}'`);
    }
  };
  let err;
  try {
    err = await new GlassixClient({ baseUrl: s.base, accessToken: token, maxRetries: 0 }).tickets.get(1).catch((e) => e);
  } finally {
    JSON.parse = parse;
  }
  assert.ok(err instanceof GlassixError && err.kind === 'parse', String(err));
  assert.ok(err.cause instanceof SyntaxError, String(err.cause));
  assert.equal(err.cause.message, 'not valid JSON');
  assert.ok(!everything(err).includes(token.slice(4, 10)));
});

// Any 6 characters in a row of a credential count, its last 6 too: an echo of only a token's
// tail, and a credential of exactly 6 characters (a short password), are not quoted either.
test("a 2xx body that is not JSON and echoes a credential's last 6 characters, or a 6-character credential: the cause does not quote it", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const token = 'tok-7f3e9a1c5b2d8e4f';
  s.route('GET', '/tickets/get/1', (req, res) => notJson(res, `<${token.slice(-6)}>`));
  s.route('GET', '/tickets/get/2', (req, res) => notJson(res, '<6chars>'));
  for (const [id, accessToken, echoed] of [[1, token, token.slice(-6)], [2, '6chars', '6chars']]) {
    const err = await new GlassixClient({ baseUrl: s.base, accessToken, maxRetries: 0 }).tickets.get(id).catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'parse', String(err));
    assert.ok(err.cause instanceof SyntaxError, String(err.cause));
    assert.ok(!(everything(err) + err.cause.stack).includes(echoed), everything(err));
  }
});

test('a paging.next with a user name or password in it is refused at once, not sent and retried as a network error', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [{ id: 1 }], paging: { next: `http://user:pw@127.0.0.1:${s.server.address().port}/api/v1.2/tickets/list?p=2` } }));
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'tok-abcdefgh', maxRetries: 3 });
  const err = await c.tickets.list({ since: '01/01/2024 00:00:00:00', until: '01/01/2024 01:00:00:00' }).catch((e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.kind, 'parse');
  assert.match(err.message, /paging\.next: it carries a user name or password/);
  assert.ok(!err.message.includes('pw'));
  assert.equal(s.calls.length, 1);
});

test('a parse failure with credentials shorter than 6 characters but longer in bytes (ключ, éàü) is still a GlassixError that carries none of them', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/1', (req, res) => notJson(res, 'not json'));
  for (const options of [{ apiKey: 'ключ', apiSecret: 'SECsec9876543210', userName: 'u@x' }, { accessToken: 'éàü' }, { apiKey: '😀😀', apiSecret: 'ab😀', userName: 'u@x' }]) {
    s.route('POST', '/token/get', (req, res) => json(res, 200, { access_token: 'TOKtok5555aaaa7777', expires_in: 3600 }));
    const err = await new GlassixClient({ baseUrl: s.base, maxRetries: 0, ...options }).tickets.get(1).catch((e) => e);
    assert.ok(err instanceof GlassixError, `${inspect(options)}: ${inspect(err)}`);
    assert.equal(err.message, 'tickets.get: GET /tickets/get/1: the response is not valid JSON');
    const shown = everything(err);
    for (const v of [...Object.values(options), 'TOKtok5555aaaa7777']) assert.ok(!shown.includes(v) || v === 'u@x', `${v} in ${shown}`);
  }
});

test("a token response that is not JSON does not quote the new token in the cause (nobody knows it yet, so nothing else would hide it)", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', (req, res) => notJson(res, 'TOKtok5555aaaa7777'));
  for (const go of [(c) => c.tickets.get(1), (c) => c.getToken(), (c) => c.getToken('other@example.com')]) {
    const err = await go(s.client({ maxRetries: 0 })).catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'parse', String(err));
    // a call's error has the token request's as its cause; getToken's is that one itself
    const own = err.message.startsWith('tickets.get: no access token: ') ? err.cause : err;
    assert.ok(own instanceof GlassixError && own.cause instanceof SyntaxError, String(err));
    assert.ok(!(everything(err) + everything(own) + own.cause.stack).includes('TOKtok'), everything(err));
  }
});

test("a fetch or limiter of the caller's that aborts the call as it is called, then rejects, leaves no unhandled rejection", async (t) => {
  const unhandled = [];
  const seen = (e) => unhandled.push(e);
  process.on('unhandledRejection', seen);
  t.after(() => process.off('unhandledRejection', seen));
  const base = { baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'TOKEN-qwerty-555555' };
  const cases = {
    fetch: (ac) => ({ fetch: () => (ac.abort(), Promise.reject(new TypeError('fetch rejected after the abort'))) }),
    'fetch, later': (ac) => ({ fetch: () => (ac.abort(), new Promise((_, reject) => setTimeout(() => reject(new TypeError('later')), 20))) }),
    rateLimit: (ac) => ({ rateLimit: () => (ac.abort(), Promise.reject(new Error('limiter rejected after the abort'))) }),
  };
  for (const [name, make] of Object.entries(cases)) {
    const ac = new AbortController();
    const c = new GlassixClient({ ...base, ...make(ac) });
    const err = await c.tickets.get(1, { signal: ac.signal }).catch((e) => e);
    assert.ok(err instanceof GlassixError, `${name}: ${err}`);
    assert.equal(err.kind, 'aborted', name);
  }
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(unhandled.map(String), []);
});

test('a next URL that climbs out of the API root once resolved (`..`, `%2e%2e`, `\\`) is refused: the token goes nowhere else on the origin', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/other', (req, res) => json(res, 200, { tickets: [{ id: 9 }] }));
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'abcdefgh' });
  for (const tail of ['/tickets/list/../../../other', '/tickets/list/%2e%2e/%2E%2E/%2e./other', '/tickets\\..\\..\\..\\other', '/./../../other']) {
    for (const method of ['list', 'iterate']) {
      const run = method === 'list' ? () => c.tickets.list({ next: s.base + tail }) : async () => c.tickets.iterate({ next: s.base + tail }).next();
      const err = await Promise.resolve().then(run).catch((e) => e);
      assert.ok(err instanceof GlassixError, `${method} ${tail}: ${err}`);
      assert.equal(err.kind, 'invalid_argument');
      assert.equal(err.message, `tickets.${method}: \`next\` must be a page's URL under the client's API root (an iterator's position)`);
    }
  }
  assert.equal(s.calls.length, 0, 'nothing was sent');
  // a page under the root still reads on, with its query as given
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [{ id: 1 }], paging: {} }));
  assert.deepEqual(await c.tickets.list({ next: s.base + '/tickets/list?page=a%2Bb' }), [{ id: 1 }]);
  assert.equal(s.calls.at(-1).url.split('?')[1], 'page=a%2Bb');
});

test("a server answering with garbage that echoes the request (an HTTP parser error) puts none of the credentials into the error: undici's parser error keeps no bytes", async (t) => {
  const net = await import('node:net');
  const server = net.createServer((sock) => sock.once('data', (d) => sock.end('garbage ' + d.toString('latin1'))));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const baseUrl = `http://127.0.0.1:${server.address().port}/api/v1.2`;
  const secrets = ['KEY_abcdef123', 'SECRET_abcdef123'];
  const given = [
    [{ apiKey: secrets[0], apiSecret: secrets[1], userName: 'u@x.com' }, (c) => c.getToken()],
    [{ accessToken: 'TOKEN_abcdef123' }, (c) => c.tickets.get(1)],
  ];
  for (const [options, call] of given) {
    const err = await call(new GlassixClient({ baseUrl, ...options, maxRetries: 0 })).catch((e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'network');
    const all = inspect(err, { depth: 20, showHidden: true }) + JSON.stringify(err) + String(err.stack);
    for (const x of [...secrets, 'TOKEN_abcdef123']) assert.ok(!all.includes(x), `${x} in ${all}`);
  }
});

test("the runtime's fetch rejecting with an error that quotes what it was sent (workerd quotes a bad Content-Length's value, which a server can make the request echoed back): no credential in the error; the cause chain is made anew with names and codes, the quoting message withheld; a caller's own fetch's error is passed on as it is", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const real = globalThis.fetch;
  t.after(() => (globalThis.fetch = real));
  // what workerd's fetch does (tests/ecosystem cannot make a server send that to miniflare's
  // fetch portably): it rejects, quoting the header's value, here the request echoed back
  const workerdLike = async (url, init) => {
    const sent = `${init?.body ?? ''} ${new Headers(init?.headers).get('authorization') ?? ''}`;
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(`invalid Content-Length header value; cl = 12${sent}`), { code: 'ERR_CONTENT_LENGTH' }) });
  };
  const secrets = ['KEY_a1s2d3f4g5', 'SECRET_q7w8e9r0', 'TOKEN_z5x6c7v8'];
  const clean = (err) => {
    assert.ok(err instanceof GlassixError && err.kind === 'network', String(err));
    const all = everything(err) + inspect(err.cause, { depth: 10, showHidden: true });
    for (const x of secrets) for (let i = 0; i + 6 <= x.length; i++) assert.ok(!all.includes(x.slice(i, i + 6)), `${x.slice(i, i + 6)} in ${all}`);
    assert.equal(err.cause.name, 'TypeError');
    assert.equal(err.cause.message, 'fetch failed');
    assert.equal(err.cause.cause.message, 'its message quoted the request: withheld');
    assert.equal(err.cause.cause.code, 'ERR_CONTENT_LENGTH', 'the code stays for code that checks it');
  };
  globalThis.fetch = workerdLike;
  const creds = new GlassixClient({ baseUrl: s.base, apiKey: secrets[0], apiSecret: secrets[1], userName: 'u@x.com', maxRetries: 0 });
  clean(await creds.getToken().catch((e) => e));
  // a call's failure for want of a token has the token request's failure as its cause
  const call = await creds.tickets.get(1).catch((e) => e);
  assert.equal(call.kind, 'network');
  assert.ok(!secrets.some((x) => everything(call).includes(x.slice(0, 6))), everything(call));
  clean(call.cause);
  const bearer = new GlassixClient({ baseUrl: s.base, accessToken: secrets[2], maxRetries: 0 });
  clean(await bearer.tickets.get(1).catch((e) => e));
  // an error that quotes nothing of the call's is passed on as the runtime made it
  const plain = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
  globalThis.fetch = async () => {
    throw plain;
  };
  assert.equal((await bearer.tickets.get(1).catch((e) => e)).cause, plain);
  // a caller's own fetch: what it rejects with is its own, passed on as it is (README, Security)
  globalThis.fetch = real;
  const own = new GlassixClient({ baseUrl: s.base, accessToken: secrets[2], maxRetries: 0, fetch: (request) => workerdLike(request.url, { headers: request.headers }) });
  const passed = await own.tickets.get(1).catch((e) => e);
  assert.match(passed.cause.cause.message, /Bearer TOKEN_z5x6c7v8$/);
});

test('a credential echoed as a key of the error body (a server that read the request as a form) is redacted there too, in any JSON spelling', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const apiSecret = 'TOPSECRET+abcdef';
  const dotnet = (v) => JSON.stringify(v).replace(/\+/g, '\\u002B');
  s.route('POST', '/token/get', (req, res, rec) => {
    if (rec.body.userName === 'ok') return json(res, 200, { access_token: 'tok-ABCDEF-123', expires_in: 3600 });
    res.writeHead(400, { 'content-type': 'application/json' }).end(`{"received":{${dotnet(JSON.stringify(rec.body))}:""},"list":[{${dotnet(apiSecret)}:1}]}`);
  });
  s.route('GET', '/tickets/get/1', (req, res) => {
    res.writeHead(403, { 'content-type': 'application/json' }).end(`{"headers":{${dotnet(req.headers.authorization)}:1},"__proto__":{"x":1}}`);
  });
  const bad = await new GlassixClient({ baseUrl: s.base, apiKey: 'key-123456', apiSecret, userName: 'u', maxRetries: 0 }).tickets.get(1).catch((e) => e);
  assert.equal(bad.status, 400);
  assert.ok(!(everything(bad) + JSON.stringify(bad.cause.body)).includes('TOPSECRET'), inspect(bad, { depth: 9 }));
  assert.deepEqual(Object.keys(bad.cause.body.list[0]), ['[redacted]']);

  const err = await new GlassixClient({ baseUrl: s.base, apiKey: 'key-123456', apiSecret, userName: 'ok', maxRetries: 0 }).tickets.get(1).catch((e) => e);
  assert.equal(err.status, 403);
  assert.deepEqual(Object.keys(err.body.headers), ['Bearer [redacted]']);
  assert.ok(!(everything(err) + JSON.stringify(err.body)).includes('tok-ABCDEF-123'));
  // an own `__proto__` key stays an own key: the body's prototype is untouched
  assert.equal(Object.getPrototypeOf(err.body), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(err.body, '__proto__').value, { x: 1 });
});

test('an error body nested too deep to redact value by value is dropped, not kept as text whose escapes could spell the token', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/1', (req, res) => {
    const token = JSON.stringify(req.headers.authorization).slice(1, -1).replace(/-/g, '\\u002D');
    res.writeHead(400, { 'content-type': 'application/json' }).end(`{"echo":"${token}","deep":${'['.repeat(20000)}${']'.repeat(20000)}}`);
  });
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'tok-ABCDEF-123', maxRetries: 0 });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.status, 400);
  assert.equal(err.body, undefined);
  assert.equal(err.message, `tickets.get: Glassix API responded 400 to GET /tickets/get/1`);
  assert.ok(!(everything(err) + String(err.body)).includes('ABCDEF'));
});
