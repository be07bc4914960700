// Webhook deliveries: signature verification (both schemes), parsing, and the polling
// endpoints' wire format; consume() is in consume.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { GlassixClient, GlassixError, CREDS, startServer, json } from './helpers/server.mjs';

const { verifyWebhook, parseWebhook } = GlassixClient;
const SECRET = 'webhook-secret';
const hmac = (key, msg) => 'sha1=' + crypto.createHmac('sha1', key).update(msg).digest('hex');
const BODY = JSON.stringify({ key: '5a1b2c3d-0000-4000-8000-000000000001', dateTime: '2026-11-25T09:00:00Z', changes: [{ _event: 'TICKET_STATE_CHANGE', ticketId: 160000001, ticketState: 'Closed' }] });

function signed({ body = BODY, secret = SECRET, date = new Date().toUTCString() } = {}) {
  return { 'X-Hub-Signature': hmac(secret, body), 'X-Glassix-Auth-Date': date, 'X-Glassix-Auth-Signature': hmac(secret, date) };
}

test('known-answer HMAC-SHA1 vectors (RFC 2202) verify, and a changed byte does not', () => {
  assert.equal(verifyWebhook('what do ya want for nothing?', { 'x-hub-signature': 'sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79' }, 'Jefe'), true);
  assert.equal(verifyWebhook('what do ya want for nothing!', { 'x-hub-signature': 'sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79' }, 'Jefe'), false);
  assert.equal(verifyWebhook('Hi There', { 'x-hub-signature': 'sha1=b617318655057264e28bc0b6fb378c8ef146be00' }, '\x0b'.repeat(20)), true);
});

test('the shipped HMAC-SHA1 (js/exchange.js) agrees with node:crypto at every block boundary, for short and long keys and bodies', () => {
  // SHA-1 pads to 64-byte blocks with an 8-byte length: lengths around 55/56/64 and their
  // multiples, keys longer than a block (hashed first), multi-byte UTF-8 secrets, a 1 MB body
  const keys = ['k', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), crypto.randomBytes(200).toString('hex'), 'ключ-🔑'];
  const lengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 1 << 20];
  for (const key of keys) {
    for (const n of lengths) {
      const body = crypto.randomBytes(n);
      const mac = hmac(key, body);
      assert.equal(verifyWebhook(body, { 'x-hub-signature': mac }, key), true, `key ${key.length}, body ${n}`);
      const other = Buffer.from(body.length ? body : [0]);
      other[other.length - 1] ^= 1;
      assert.equal(verifyWebhook(other, { 'x-hub-signature': mac }, key), false, `flipped: key ${key.length}, body ${n}`);
    }
  }
  // upper-case hex and a trailing space are accepted, a truncated or non-hex digest is not
  const mac = hmac(SECRET, BODY);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': 'SHA1=' + mac.slice(5).toUpperCase() + ' ' }, SECRET), true);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': mac.slice(0, -1) }, SECRET), false);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': mac.slice(0, -1) + 'g' }, SECRET), false);
});

test('a correctly signed delivery verifies (both headers, string or Buffer or Uint8Array body)', () => {
  const h = signed();
  assert.equal(verifyWebhook(BODY, h, SECRET), true);
  assert.equal(verifyWebhook(Buffer.from(BODY), h, SECRET), true);
  assert.equal(verifyWebhook(new TextEncoder().encode(BODY), h, SECRET), true);
  assert.equal(verifyWebhook(new TextEncoder().encode(BODY).buffer, h, SECRET), true);
});

test("a body of another realm verifies and parses (a Node Buffer under Jest's jsdom environment, a vm context's bytes): its bytes are read, not its class checked", async () => {
  const vm = await import('node:vm');
  const context = vm.createContext({ text: BODY });
  const bytes = vm.runInContext('Uint8Array.from(text, (c) => c.charCodeAt(0))', context);
  const buffer = vm.runInContext('Uint8Array.from(text, (c) => c.charCodeAt(0)).buffer', context);
  assert.ok(!(bytes instanceof Uint8Array) && !(buffer instanceof ArrayBuffer), 'another realm');
  const h = signed();
  assert.equal(verifyWebhook(bytes, h, SECRET), true);
  assert.equal(verifyWebhook(buffer, h, SECRET), true);
  assert.equal(verifyWebhook(vm.runInContext('Uint8Array.from(text, (c) => c.charCodeAt(0)).subarray(1)', context), h, SECRET), false, 'its own bytes, not its buffer\'s');
  assert.equal(new GlassixClient({ workspace: 'acme', ...CREDS, apiSecret: SECRET }).webhooks.verify(bytes, h), true);
  assert.deepEqual(parseWebhook(bytes), [JSON.parse(BODY)]);
  // still refused, from any realm: another typed array, a DataView
  for (const [code, what] of [['new Int8Array(4)', 'an Int8Array'], ['new DataView(new ArrayBuffer(4))', 'a DataView']]) {
    assert.throws(() => verifyWebhook(vm.runInContext(code, context), h, SECRET), (e) => e instanceof GlassixError && e.message.endsWith(`not ${what}`), code);
  }
});

test('a body that is not a string, Buffer, Uint8Array or ArrayBuffer is refused, and the message says what it was', () => {
  const h = signed();
  const raw = Buffer.from(BODY);
  const big = new Uint8Array(raw.length + 10);
  big.set(raw, 3);
  // a Uint8Array view at an offset is exactly the bytes it views
  assert.equal(verifyWebhook(big.subarray(3, 3 + raw.length), h, SECRET), true);
  assert.equal(verifyWebhook(big.subarray(2, 2 + raw.length), h, SECRET), false, 'one byte off');
  for (const [v, what] of [[42, '42'], [{ key: 'x' }, 'an object'], [null, 'null'], [new DataView(big.buffer), 'a DataView'], [new Int8Array(4), 'an Int8Array']]) {
    assert.throws(() => verifyWebhook(v, h, SECRET), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === `verifyWebhook: rawBody must be the raw request body (a string, Buffer, Uint8Array or ArrayBuffer), not ${what}`, String(v));
  }
});

test('a body that only claims to be bytes, or that throws when looked at, is refused by name, and the client lives on', () => {
  const h = signed();
  const refused = (v, label) => {
    for (const f of [() => verifyWebhook(v, h, SECRET), () => parseWebhook(v)]) {
      assert.throws(f, (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message.includes('rawBody must be the raw request body'), label);
    }
  };
  // a tag is not a type: a plain object, a DataView and another typed array that name themselves
  // Uint8Array or ArrayBuffer (a forged ArrayBuffer verified as an empty body)
  const tagged = (o, tag) => Object.defineProperty(o, Symbol.toStringTag, { value: tag });
  refused(tagged({}, 'ArrayBuffer'), 'a plain object tagged ArrayBuffer');
  refused(tagged({ length: 2, 0: 1, 1: 2 }, 'Uint8Array'), 'an array-like tagged Uint8Array');
  refused(tagged(new DataView(new ArrayBuffer(4)), 'Uint8Array'), 'a DataView tagged Uint8Array');
  refused(tagged(new Int8Array(4), 'Uint8Array'), 'an Int8Array tagged Uint8Array');
  refused(new SharedArrayBuffer(4), 'a SharedArrayBuffer');
  // what throws when its type is read, or when it is viewed, is refused as what it is; each throw
  // used to unwind through the wasm, and a few thousand of them left it unable to run at all
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  const throwing = Object.defineProperty({}, Symbol.toStringTag, { get() { throw new Error('no'); } });
  for (let i = 0; i < 3000; i++) {
    refused(proxy, 'a revoked Proxy');
    refused(throwing, 'a throwing tag');
    refused(detached, 'a detached ArrayBuffer');
  }
  assert.equal(verifyWebhook(BODY, h, SECRET), true);
});

test("the body's signature is required; the date's is checked when present, under either name (the older X-Glassix-Auth too)", () => {
  const date = new Date().toUTCString();
  const hub = hmac(SECRET, BODY);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': hub }, SECRET), true);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': hub, 'x-glassix-auth-date': date, 'x-glassix-auth-signature': hmac(SECRET, date) }, SECRET), true);
  assert.equal(verifyWebhook(BODY, { 'x-hub-signature': hub, 'x-glassix-auth-date': date, 'x-glassix-auth': hmac(SECRET, date) }, SECRET), true);
  // the date's signature covers the date alone: with a captured pair of date headers, any body
  // would pass
  const forged = '{"_event":"forged"}';
  assert.equal(verifyWebhook(forged, { 'x-glassix-auth-date': date, 'x-glassix-auth-signature': hmac(SECRET, date) }, SECRET), false);
  assert.equal(verifyWebhook(BODY, { 'x-glassix-auth-date': date, 'x-glassix-auth': hmac(SECRET, date) }, SECRET), false);
});

test("a captured date signature is the body signature of a body that is the date's text (one key for both): parseWebhook refuses that body as no events (README)", () => {
  const date = new Date().toUTCString();
  const dateSig = hmac(SECRET, date);
  assert.equal(verifyWebhook(date, { 'x-hub-signature': dateSig }, SECRET), true);
  assert.throws(() => parseWebhook(date), (e) => e instanceof GlassixError && e.kind === 'parse');
  const unix = String(Math.floor(Date.now() / 1000));
  assert.equal(verifyWebhook(unix, { 'x-hub-signature': hmac(SECRET, unix) }, SECRET), true);
  assert.throws(() => parseWebhook(unix), (e) => e instanceof GlassixError && e.kind === 'parse', 'a bare number is no event');
});

test("an empty header value is no header (Koa's ctx.get answers '' for a missing one): a genuine delivery read through such a getter verifies", () => {
  const h = signed();
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  const koaLike = { get: (name) => lower[name.toLowerCase()] ?? '' };
  assert.equal(verifyWebhook(BODY, koaLike, SECRET), true);
  assert.equal(verifyWebhook(BODY, { ...h, 'X-Glassix-Auth': '' }, SECRET), true);
  assert.equal(verifyWebhook(BODY, { ...h, 'X-Hub-Signature': '' }, SECRET), false, 'an empty body signature is none: refused');
  // as the one item of a list (Node's IncomingHttpHeaders shape) too: no second spelling in the way
  assert.equal(verifyWebhook(BODY, { ...h, 'x-glassix-auth': [''] }, SECRET), true, 'an empty listed value is no header');
});

test('tampered body, wrong secret, missing or malformed signature → false', () => {
  const h = signed();
  assert.equal(verifyWebhook(BODY.replace('Closed', 'Open'), h, SECRET), false);
  assert.equal(verifyWebhook(BODY, h, 'other-secret'), false);
  assert.equal(verifyWebhook(BODY, {}, SECRET), false);
  assert.equal(verifyWebhook(BODY, { 'x-glassix-auth-date': h['X-Glassix-Auth-Date'] }, SECRET), false);
  assert.equal(verifyWebhook(BODY, { ...h, 'X-Hub-Signature': h['X-Hub-Signature'].slice(5) }, SECRET), false, 'no sha1= prefix');
  assert.equal(verifyWebhook(BODY, { ...h, 'X-Hub-Signature': 'sha1=zz' }, SECRET), false);
  // every present signature must verify: a good hub signature does not excuse a bad auth one
  assert.equal(verifyWebhook(BODY, { ...h, 'X-Glassix-Auth-Signature': hmac('wrong', h['X-Glassix-Auth-Date']) }, SECRET), false);
  // the auth signature is worthless without its date header
  const { 'X-Glassix-Auth-Date': _, ...noDate } = h;
  assert.equal(verifyWebhook(BODY, noDate, SECRET), false);
});

test('stale and future dates are refused; the tolerance is settable', () => {
  const old = new Date(Date.now() - 6 * 60_000).toUTCString();
  const future = new Date(Date.now() + 6 * 60_000).toUTCString();
  assert.equal(verifyWebhook(BODY, signed({ date: old }), SECRET), false);
  assert.equal(verifyWebhook(BODY, signed({ date: future }), SECRET), false);
  assert.equal(verifyWebhook(BODY, signed({ date: old }), SECRET, { toleranceMs: 10 * 60_000 }), true);
  const fresh = new Date(Date.now() - 2000).toUTCString();
  assert.equal(verifyWebhook(BODY, signed({ date: fresh }), SECRET, { toleranceMs: 1000 }), false);
  const at = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
  assert.equal(verifyWebhook(BODY, signed({ date: 'Tue, 24 Nov 2026 10:00:00 GMT' }), SECRET, { now: at + 60_000 }), true);
  assert.equal(verifyWebhook(BODY, signed({ date: 'Tue, 24 Nov 2026 10:00:00 GMT' }), SECRET, { now: new Date(at + 301_000) }), false);
  assert.equal(verifyWebhook(BODY, signed({ date: 'not a date' }), SECRET), false);
  // options that are not an object are refused, not ignored (null and undefined mean none)
  assert.equal(verifyWebhook(BODY, signed(), SECRET, null), true);
  for (const bad of ['x', 5, true, []]) {
    assert.throws(() => verifyWebhook(BODY, signed(), SECRET, bad), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /^verifyWebhook: options must be an object, not /.test(e.message));
  }
  const client = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', apiKey: 'key-123456', apiSecret: SECRET, userName: 'u', dangerouslyAllowBrowser: true });
  assert.throws(() => client.webhooks.verify(BODY, signed(), 'x'), /^GlassixError: webhooks\.verify: options must be an object, not "x"$/);
});

test('header names are case-insensitive; Headers objects work; duplicated values are refused', () => {
  const h = signed();
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyWebhook(BODY, lower, SECRET), true);
  assert.equal(verifyWebhook(BODY, upper, SECRET), true);
  assert.equal(verifyWebhook(BODY, new Headers(h), SECRET), true);
  assert.equal(verifyWebhook(BODY, { ...lower, 'x-hub-signature': [lower['x-hub-signature']] }, SECRET), true);
  assert.equal(verifyWebhook(BODY, { ...lower, 'x-hub-signature': [lower['x-hub-signature'], 'sha1=00'] }, SECRET), false);
});

test("Node's IncomingHttpHeaders from a real request verify (receiving-server shape)", async (t) => {
  const results = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      results.push(verifyWebhook(Buffer.concat(chunks), req.headers, SECRET));
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${server.address().port}/glassix`;
  await fetch(url, { method: 'POST', headers: signed(), body: BODY });
  await fetch(url, { method: 'POST', headers: signed(), body: BODY + ' ' });
  assert.deepEqual(results, [true, false]);
});

test('webhooks.verify uses the client\'s apiSecret', () => {
  const c = new GlassixClient({ workspace: 'acme', ...CREDS, apiSecret: SECRET });
  assert.equal(c.webhooks.verify(BODY, signed()), true);
  assert.equal(c.webhooks.verify(BODY, signed({ secret: 'x' })), false);
  const tokenOnly = new GlassixClient({ workspace: 'acme', accessToken: 't' });
  assert.throws(() => tokenOnly.webhooks.verify(BODY, signed()), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
});

test('verifyWebhook refuses a parsed object as the body, and a missing secret', () => {
  assert.throws(() => verifyWebhook(JSON.parse(BODY), signed(), SECRET), (e) => e.kind === 'invalid_argument' && /raw request body/.test(e.message));
  assert.throws(() => verifyWebhook(BODY, signed(), ''), (e) => e.kind === 'invalid_argument');
  // a lone surrogate (no UTF-8 form) is named, as in the constructor's apiSecret: it was sent as
  // U+FFFD and verified nothing, in silence
  assert.throws(() => verifyWebhook(BODY, signed(), 'webhook-secret\ud800'), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === 'verifyWebhook: apiSecret has a lone surrogate (text with no UTF-8 form)');
  // a secret given as bytes is given, just not a string: said so (it was "the API secret is required")
  for (const secret of [Buffer.from(SECRET), new TextEncoder().encode(SECRET)]) {
    assert.throws(() => verifyWebhook(BODY, signed(), secret), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === 'verifyWebhook: apiSecret must be a non-empty string');
  }
});

test('parseWebhook returns an array for one event or many, and rejects malformed JSON', () => {
  const one = parseWebhook(BODY);
  assert.ok(Array.isArray(one));
  assert.equal(one.length, 1);
  assert.equal(one[0].changes[0]._event, 'TICKET_STATE_CHANGE');
  assert.equal(parseWebhook(Buffer.from(`[${BODY},${BODY}]`)).length, 2);
  assert.throws(() => parseWebhook('{"key":'), (e) => e instanceof GlassixError && e.kind === 'parse');
  assert.throws(() => parseWebhook('42'), (e) => e instanceof GlassixError && e.kind === 'parse');
  assert.throws(() => parseWebhook(Buffer.from([0xff, 0xfe])), (e) => e instanceof GlassixError && e.kind === 'parse');
  // a UTF-8 byte order mark before the JSON is no part of it (res.json() drops it too); the
  // signature is over the bytes as sent, BOM included
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BODY)]);
  assert.deepEqual(parseWebhook(bom), one);
  assert.deepEqual(parseWebhook(`\ufeff${BODY}`), one);
  assert.equal(verifyWebhook(bom, { 'X-Hub-Signature': hmac(SECRET, bom) }, SECRET), true);
  assert.throws(() => parseWebhook('\ufeff\ufeff{}'), (e) => e instanceof GlassixError && e.kind === 'parse', 'one mark, not any number');
});

test('deleteEvents sends the polled events back as a JSON array; refuses events without queue fields', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/webhooks/getevents', (req, res) => json(res, 200, [{ key: 'k1', queueReceiptHandle: 'h1', queueMessageId: 'm1', changes: [] }]));
  const c = s.client();
  const events = await c.webhooks.getEvents({ deleteEvents: false });
  await c.webhooks.deleteEvents(events);
  const del = s.calls.at(-1);
  assert.equal(del.method, 'POST');
  assert.equal(del.path, '/api/v1.2/webhooks/deleteevents');
  assert.deepEqual(del.body, events);
  const n = s.requests.length;
  await assert.rejects(c.webhooks.deleteEvents([{ key: 'k2', queueMessageId: 'm2' }]), (e) => e.kind === 'invalid_argument' && /queueReceiptHandle/.test(e.message));
  await assert.rejects(c.webhooks.deleteEvents({ queueReceiptHandle: 'h', queueMessageId: 'm' }), (e) => e.kind === 'invalid_argument');
  assert.equal(s.requests.length, n);
});
