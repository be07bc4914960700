// Response and request bodies, byte for byte: the value a call resolves with follows the
// response content type (JSON → parsed, text/* → string, anything else → Uint8Array, empty →
// null); large bodies in both directions; multipart uploads; and the failures a body can cause
// (invalid UTF-8, malformed JSON → parse; truncated → network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startServer, json } from './helpers/server.mjs';
import { bytes, truncated, rejects } from './helpers/faults.mjs';

const T = 160000001;
let s;
let client;
before(async () => {
  s = await startServer();
  client = s.client();
});
after(() => s.close());

/** The requests to `path` (under the API root) made while `fn` ran. */
async function sentDuring(path, fn) {
  const n = s.requests.length;
  let value;
  let error;
  try {
    value = await fn();
  } catch (e) {
    error = e;
  }
  const reqs = s.requests.slice(n).filter((r) => r.path === `/api/v1.2${path}`);
  return { value, error, reqs };
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

test('tickets.pdf resolves with the PDF bytes as a Uint8Array: all 256 byte values intact', async () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), ALL_BYTES, Buffer.from(ALL_BYTES).reverse(), Buffer.from('\n%%EOF\n')]);
  s.route('POST', `/tickets/pdf/${T}`, bytes(pdf, 'application/pdf'));
  const { value, reqs } = await sentDuring(`/tickets/pdf/${T}`, () => client.tickets.pdf(T, { includeNotes: true }));
  assert.ok(value instanceof Uint8Array, `resolved with ${Object.prototype.toString.call(value)}`);
  assert.equal(value.length, pdf.length);
  assert.ok(Buffer.from(value.buffer, value.byteOffset, value.byteLength).equals(pdf), 'bytes differ');
  assert.equal(reqs.length, 1);
  assert.deepEqual(reqs[0].body, { includeNotes: true });
  // the bytes are the caller's to keep: later calls do not change them
  const copy = Buffer.from(value);
  s.route('GET', '/tickets/get/76', bytes(randomBytes(pdf.length), 'application/pdf'));
  await client.tickets.get(76);
  await client.tickets.get(1);
  assert.ok(Buffer.from(value).equals(copy));
});

test('any non-JSON, non-text content type resolves as bytes (application/octet-stream)', async () => {
  const data = randomBytes(4096);
  s.route('GET', '/tickets/get/77', bytes(data, 'application/octet-stream'));
  const value = await client.tickets.get(77);
  assert.ok(value instanceof Uint8Array);
  assert.ok(Buffer.from(value).equals(data));
});

test('tickets.html resolves with the HTML as a string (non-ASCII intact)', async () => {
  const html = '<!doctype html><html><body><h1>שלום — café 🎉</h1><p>&lt;x&gt;</p></body></html>';
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from(html), 'text/html; charset=utf-8'));
  const { value, reqs } = await sentDuring(`/tickets/html/${T}`, () => client.tickets.html(T, { includeDetails: true }));
  assert.equal(typeof value, 'string');
  assert.equal(value, html);
  assert.equal(reqs.length, 1);
});

test('text/plain resolves as a string, JSON with a charset as the parsed value', async () => {
  s.route('GET', '/tickets/get/78', bytes(Buffer.from('plain ✓ text'), 'text/plain'));
  s.route('GET', '/tickets/get/79', bytes(Buffer.from('{"a":[1,"✓",null]}'), 'application/json; charset=utf-8'));
  assert.equal(await client.tickets.get(78), 'plain ✓ text');
  assert.deepEqual(await client.tickets.get(79), { a: [1, '✓', null] });
});

test('a body with no Content-Type is read as JSON; application/xml and application/javascript as text (as the README lists)', async () => {
  s.route('GET', '/tickets/get/91', (req, res) => {
    res.writeHead(200, { 'content-length': '8' }); // no Content-Type at all
    res.end('{"id":9}');
  });
  s.route('GET', '/tickets/get/92', (req, res) => {
    res.writeHead(200, { 'content-length': '5' });
    res.end('hello');
  });
  s.route('GET', '/tickets/get/93', bytes(Buffer.from('<a>✓</a>'), 'application/xml'));
  s.route('GET', '/tickets/get/94', bytes(Buffer.from('x = 1'), 'application/javascript'));
  assert.deepEqual(await client.tickets.get(91), { id: 9 });
  await assert.rejects(client.tickets.get(92), (e) => e.kind === 'parse');
  assert.equal(await client.tickets.get(93), '<a>✓</a>');
  assert.equal(await client.tickets.get(94), 'x = 1');
});

test('a text body in another declared charset is decoded by that charset', async () => {
  s.route('GET', '/tickets/get/88', bytes(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=iso-8859-1'));
  assert.equal(await client.tickets.get(88), 'café');
});

test('an empty 2xx body resolves null (200 JSON, 204)', async () => {
  s.route('PUT', `/tickets/setfields/${T}`, (req, res) => json(res, 200, undefined));
  s.route('DELETE', `/tickets/scramble/${T}`, (req, res) => {
    res.writeHead(204);
    res.end();
  });
  assert.equal(await client.tickets.setFields(T, { field1: 'a' }), null);
  assert.equal(await client.tickets.scramble(T), null);
});

test("getEvents' params take only deleteEvents: glassix-js's README misspelling (deleteEvent), or per-call options one argument too early, is refused by name before any request", async () => {
  s.route('GET', '/webhooks/getevents', (req, res) => json(res, 200, []));
  const ac = new AbortController();
  ac.abort();
  for (const method of ['getevents', 'getEvents']) {
    for (const [given, key] of [[{ signal: ac.signal }, 'signal'], [{ timeout: 5 }, 'timeout'], [{ deleteEvent: false }, 'deleteEvent'], [{ deleteEvents: false, extra: 1 }, 'extra']]) {
      const { error, reqs } = await sentDuring('/webhooks/getevents', () => client.webhooks[method](given));
      assert.equal(error?.kind, 'invalid_argument', `${method} ${key}: ${error}`);
      assert.equal(error.message, `webhooks.${method}: unknown option \`params.${key}\``);
      assert.equal(reqs.length, 0, 'nothing sent');
    }
    const { error, reqs } = await sentDuring('/webhooks/getevents', () => client.webhooks[method]({ deleteEvents: false }, { timeout: 5000 }));
    assert.equal(error, undefined);
    assert.equal(reqs.length, 1);
  }
});

test('render options are the six documented keys: a misspelt one, or per-call options one argument too early, is refused by name before any request', async () => {
  s.route('POST', `/tickets/pdf/${T}`, bytes(Buffer.from('%PDF-1.4'), 'application/pdf'));
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from('<p>hi</p>'), 'text/html'));
  const ac = new AbortController();
  ac.abort();
  for (const method of ['pdf', 'html']) {
    for (const [given, key] of [[{ signal: ac.signal }, 'signal'], [{ timeout: 5000 }, 'timeout'], [{ includeNotes: true, includeNotez: false }, 'includeNotez']]) {
      const { error, reqs } = await sentDuring(`/tickets/${method}/${T}`, () => client.tickets[method](T, given));
      assert.equal(error?.kind, 'invalid_argument', `${method} ${key}: ${error}`);
      assert.equal(error.message, `tickets.${method}: unknown option \`renderOptions.${key}\``);
      assert.equal(reqs.length, 0, 'nothing sent');
    }
    // every key the types declare is accepted (the wasm's list and types/index.d.ts agree)
    const declared = readFileSync(new URL('../types/index.d.ts', import.meta.url), 'utf8').match(/export interface TicketRenderOptions \{([^}]*)\}/)[1];
    const keys = [...declared.matchAll(/^\s*(\w+)\?:/gm)].map((m) => m[1]);
    assert.deepEqual(keys, ['includeDetails', 'includeConversationLink', 'includeNotes', 'fontSizeInPixels', 'replaceContentId', 'showParticipantType']);
    const all = Object.fromEntries(keys.map((k) => [k, k === 'fontSizeInPixels' ? 12 : false]));
    const { error, reqs } = await sentDuring(`/tickets/${method}/${T}`, () => client.tickets[method](T, all, { timeout: 5000 }));
    assert.equal(error, undefined);
    assert.deepEqual(reqs.map((r) => r.body), [all]);
  }
});

test("tickets.pdf and tickets.html without render options send the body {} as JSON, as glassix-js did (the API binds a TicketRenderOptions body)", async () => {
  s.route('POST', `/tickets/pdf/${T}`, bytes(Buffer.from('%PDF-1.4'), 'application/pdf'));
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from('<p>hi</p>'), 'text/html'));
  for (const method of ['pdf', 'html']) {
    for (const renderOptions of [undefined, null]) {
      const { error, reqs } = await sentDuring(`/tickets/${method}/${T}`, () => client.tickets[method](T, renderOptions));
      assert.equal(error, undefined);
      assert.equal(reqs.length, 1);
      assert.equal(reqs[0].text, '{}', `${method}(${renderOptions})`);
      assert.match(reqs[0].headers['content-type'], /^application\/json/);
    }
  }
});

test('tickets.html answered with a JSON string (labelled application/json) resolves with the page, as glassix-js read it; other JSON stays text', async () => {
  const page = '<p class="x">a \\ "b" — שלום</p>';
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from(JSON.stringify(page)), 'application/json; charset=utf-8'));
  assert.equal(await client.tickets.html(T), page);
  // not a JSON string: the text as it came
  for (const body of ['{"html":"<p>x</p>"}', '<p>not json</p>', '"unterminated']) {
    s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from(body), 'application/json'));
    assert.equal(await client.tickets.html(T), body);
  }
  // a quoted page labelled text/html is text: the quotes are the page's
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from('"quoted"'), 'text/html'));
  assert.equal(await client.tickets.html(T), '"quoted"');
});

test('tickets.pdf always resolves a Uint8Array and tickets.html a string, empty when the body is', async () => {
  s.route('POST', `/tickets/pdf/${T}`, bytes(Buffer.alloc(0), 'application/pdf'));
  s.route('POST', `/tickets/html/${T}`, (req, res) => {
    res.writeHead(204);
    res.end();
  });
  const pdf = await client.tickets.pdf(T);
  assert.ok(pdf instanceof Uint8Array);
  assert.equal(pdf.length, 0);
  assert.equal(await client.tickets.html(T), '');
  // whatever the content type says, pdf is bytes and html is text
  s.route('POST', `/tickets/pdf/${T}`, bytes(Buffer.from('%PDF-1.4'), 'application/json'));
  s.route('POST', `/tickets/html/${T}`, bytes(Buffer.from('<p>hi</p>'), 'application/octet-stream'));
  assert.deepEqual([...(await client.tickets.pdf(T))], [...Buffer.from('%PDF-1.4')]);
  assert.equal(await client.tickets.html(T), '<p>hi</p>');
});

test('a 10 MB JSON body resolves intact', async () => {
  const items = Array.from({ length: 40000 }, (_, i) => ({ id: i, text: `ticket ${i} — שלום ✓ ${'x'.repeat(200)}`, n: i * 1.5, ok: i % 2 === 0 }));
  const body = JSON.stringify({ tickets: items });
  assert.ok(Buffer.byteLength(body) > 10 * 1024 * 1024, `${Buffer.byteLength(body)} bytes`);
  s.route('GET', '/tickets/get/80', bytes(Buffer.from(body), 'application/json; charset=utf-8'));
  const { value, reqs } = await sentDuring('/tickets/get/80', () => client.tickets.get(80));
  assert.equal(reqs.length, 1);
  assert.equal(value.tickets.length, items.length);
  assert.equal(JSON.stringify(value), body);
});

test('a 10 MB request body reaches the server intact', async () => {
  const text = `${'שלום ✓ '.repeat(900000)}end`;
  assert.ok(Buffer.byteLength(text) > 10 * 1024 * 1024);
  s.route('POST', `/tickets/send/${T}`, (req, res, rec) => json(res, 200, { got: rec.raw.length }));
  const { value, reqs } = await sentDuring(`/tickets/send/${T}`, () => client.tickets.send(T, { text }));
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0].body.text, text);
  assert.equal(value.got, Buffer.byteLength(JSON.stringify({ text })));
});

test("a Content-Type in the client's or the call's headers never replaces the body's own (an upload keeps its multipart boundary)", async () => {
  const { GlassixClient } = await import('./helpers/server.mjs');
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'tok', headers: { 'Content-Type': 'application/json', 'x-kept': 'yes' } });
  s.route('POST', '/files/upload', (req, res) => json(res, 200, { urls: ['https://files/1'] }));
  const form = new FormData();
  form.append('0', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
  const up = await sentDuring('/files/upload', () => c.files.upload(form, { headers: { 'content-type': 'text/plain' } }));
  assert.deepEqual(up.value, { urls: ['https://files/1'] });
  const [r] = up.reqs;
  assert.match(r.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.equal(r.headers['x-kept'], 'yes');
  assert.equal(await (await new Response(r.raw, { headers: { 'content-type': r.headers['content-type'] } }).formData()).get('0').text(), 'hello');
  const sent = await sentDuring(`/tickets/send/${T}`, () => c.tickets.send(T, { text: 'hi' }, { headers: { 'Content-Type': 'text/plain' } }));
  assert.equal(sent.reqs[0].headers['content-type'], 'application/json');
  assert.deepEqual(sent.reqs[0].body, { text: 'hi' });
});

// Headers copied from another request (an incoming webhook's, a proxy's) carry its framing:
// Node's fetch refused them (a wrong Content-Length broke every POST as a network error, or hung
// an upload till its timeout; Transfer-Encoding, Keep-Alive, Upgrade and Expect threw before
// sending). The runtime frames the request; browsers drop these headers too.
test('framing headers in the client\'s or the call\'s headers are not sent: the runtime frames the request', async () => {
  const { GlassixClient } = await import('./helpers/server.mjs');
  const framing = { 'Content-Length': '120', 'transfer-encoding': 'chunked', 'Keep-Alive': 'timeout=5', upgrade: 'h2c', Expect: '100-continue', Host: 'app.example' };
  const c = new GlassixClient({ baseUrl: s.base, accessToken: 'tok', headers: { ...framing, 'x-kept': 'yes' }, maxRetries: 0, timeout: 5000 });
  const sent = await sentDuring(`/tickets/send/${T}`, () => c.tickets.send(T, { text: 'hi' }, { headers: { 'content-length': '5' } }));
  assert.equal(sent.reqs.length, 1);
  assert.deepEqual(sent.reqs[0].body, { text: 'hi' });
  assert.equal(sent.reqs[0].headers['x-kept'], 'yes');
  assert.equal(sent.reqs[0].headers['content-length'], String(Buffer.byteLength(JSON.stringify({ text: 'hi' }))));
  for (const k of ['transfer-encoding', 'keep-alive', 'upgrade', 'expect']) assert.equal(sent.reqs[0].headers[k], undefined, k);
  // the API's host (a guard here: Node's fetch puts the URL's own whatever it is given; Bun sent
  // a copied one, which the ecosystem's Bun target checks)
  assert.equal(sent.reqs[0].headers.host, new URL(s.base).host);
  s.route('POST', '/files/upload', (req, res) => json(res, 200, { urls: ['https://files/2'] }));
  const form = new FormData();
  form.append('0', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
  const up = await sentDuring('/files/upload', () => c.files.upload(form, { headers: { 'Content-Length': '5' } }));
  assert.deepEqual(up.value, { urls: ['https://files/2'] });
});

test('files.upload sends multipart/form-data with every Blob part byte for byte', async () => {
  const big = randomBytes(2 * 1024 * 1024);
  const form = new FormData();
  form.append('0', new Blob([ALL_BYTES], { type: 'image/png' }), 'all-bytes.png');
  form.append('1', new Blob([big], { type: 'application/octet-stream' }), 'random.bin');
  form.append('2', new Blob(['שלום\r\n--not-a-boundary\r\n'], { type: 'text/plain' }), 'טקסט.txt');
  form.append('note', 'a plain field');
  s.route('POST', '/files/upload', (req, res) => json(res, 200, { urls: ['https://files/1'] }));
  const { value, reqs } = await sentDuring('/files/upload', () => client.files.upload(form));
  assert.deepEqual(value, { urls: ['https://files/1'] });
  assert.equal(reqs.length, 1);
  const [r] = reqs;
  assert.match(r.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.match(r.headers.authorization, /^Bearer /);
  // parse what was on the wire with an independent multipart parser (undici's)
  const parsed = await new Response(r.raw, { headers: { 'content-type': r.headers['content-type'] } }).formData();
  const f0 = parsed.get('0');
  const f1 = parsed.get('1');
  const f2 = parsed.get('2');
  assert.equal(f0.name, 'all-bytes.png');
  assert.equal(f0.type, 'image/png');
  assert.ok(Buffer.from(await f0.arrayBuffer()).equals(ALL_BYTES));
  assert.equal(f1.name, 'random.bin');
  assert.ok(Buffer.from(await f1.arrayBuffer()).equals(big));
  assert.equal(await f2.text(), 'שלום\r\n--not-a-boundary\r\n');
  assert.equal(parsed.get('note'), 'a plain field');
  // and directly: the 256 bytes appear verbatim in the raw body
  assert.ok(r.raw.includes(ALL_BYTES), 'the raw bytes of the first part are on the wire');
});

test('invalid UTF-8 in a JSON body rejects kind parse', async () => {
  const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]); // {"a":"\xff\xfe\xc3("}
  s.route('GET', '/tickets/get/81', bytes(bad, 'application/json; charset=utf-8'));
  const { error, reqs } = await sentDuring('/tickets/get/81', () => rejects(client.tickets.get(81), { kind: 'parse' }));
  assert.equal(error, undefined, error && error.message);
  assert.equal(reqs.length, 1, 'not retried');
});

test('malformed JSON in a 2xx rejects kind parse', async () => {
  for (const [id, text] of [[82, '{"tickets": [1, 2,'], [83, 'not json at all'], [84, '{"a":1}{"b":2}']]) {
    s.route('GET', `/tickets/get/${id}`, bytes(Buffer.from(text), 'application/json'));
    const { error, reqs } = await sentDuring(`/tickets/get/${id}`, () => rejects(client.tickets.get(id), { kind: 'parse' }));
    assert.equal(error, undefined, error && error.message);
    assert.equal(reqs.length, 1, `${text}: not retried`);
  }
});

test('a truncated body (Content-Length larger than what is sent) on a GET rejects kind network after the retries', async () => {
  s.route('GET', '/tickets/get/85', truncated('{"tickets":[{"id":1},', 100000));
  const { error, reqs } = await sentDuring('/tickets/get/85', () => rejects(client.tickets.get(85), { kind: 'network' }));
  assert.equal(error, undefined, error && error.message);
  assert.equal(reqs.length, 3, 'maxRetries (2) + 1 attempts');
});

test('a truncated PDF is never resolved with the partial bytes', async () => {
  s.route('POST', `/tickets/pdf/${T}`, truncated('%PDF-1.7 partial', 5000, 'application/pdf'));
  const { error, reqs } = await sentDuring(`/tickets/pdf/${T}`, () => rejects(client.tickets.pdf(T), { kind: 'network' }));
  assert.equal(error, undefined, error && error.message);
  assert.equal(reqs.length, 1, 'a POST is not re-sent');
});

test('an error body is kept on the GlassixError (JSON parsed, text as a string)', async () => {
  s.route('GET', '/tickets/get/86', (req, res) => json(res, 404, { Message: 'Ticket not found', id: 86 }));
  s.route('GET', '/tickets/get/87', bytes(Buffer.from('Bad gateway page'), 'text/html', 400));
  const e1 = await rejects(client.tickets.get(86), { kind: 'http', status: 404, code: 404 });
  assert.deepEqual(e1.body, { Message: 'Ticket not found', id: 86 });
  assert.equal(e1.message, 'Ticket not found');
  const e2 = await rejects(client.tickets.get(87), { kind: 'http', status: 400 });
  assert.equal(e2.body, 'Bad gateway page');
});

test('an upload retried after a 429 sends the same multipart bytes again', async () => {
  const data = randomBytes(64 * 1024);
  const form = new FormData();
  form.append('0', new Blob([data], { type: 'image/jpeg' }), 'photo.jpg');
  let n = 0;
  s.route('POST', '/files/upload', (req, res) => (++n === 1 ? json(res, 429, { message: 'slow' }, { 'retry-after': '1' }) : json(res, 200, { ok: n })));
  const { value, reqs } = await sentDuring('/files/upload', () => client.files.upload(form));
  assert.deepEqual(value, { ok: 2 });
  assert.equal(reqs.length, 2);
  for (const r of reqs) {
    const parsed = await new Response(r.raw, { headers: { 'content-type': r.headers['content-type'] } }).formData();
    assert.ok(Buffer.from(await parsed.get('0').arrayBuffer()).equals(data), 'part bytes intact on every attempt');
  }
});

test("a stream, or another library's FormData (the npm form-data package's, which axios took), is refused by name, never sent as JSON", async () => {
  const { createRequire } = await import('node:module');
  const { createReadStream } = await import('node:fs');
  // (the npm form-data package: axios's dependency, axios a devDependency)
  const NpmFormData = createRequire(import.meta.url)('form-data');
  const npm = new NpmFormData();
  npm.append('0', Buffer.from('file bytes'), 'a.txt');
  const stream = createReadStream(new URL(import.meta.url));
  const n = s.requests.length;
  for (const [call, message] of [
    [() => client.files.upload(npm), "files.upload: expected a FormData, not another library's FormData"],
    [() => client.request('POST', '/files/upload', { body: npm }), "request: options.body must be an object, an array or a FormData, not another library's FormData"],
    [() => client.tickets.create(npm), "tickets.create: payload must be an object, not another library's FormData"],
    [() => client.tickets.create(stream), 'tickets.create: payload must be an object, not a stream'],
    [() => client.request('POST', '/x', { body: stream }), 'request: options.body must be an object, an array or a FormData, not a stream'],
  ]) {
    await rejects(call(), { kind: 'invalid_argument', message });
  }
  stream.destroy();
  assert.equal(s.requests.length, n, 'nothing sent');
});

// A stream is known by a `pipe` *method*: a payload whose data has a field named `pipe` (a
// pipeline's name, a flag) is a plain object like any other, and sent whole.
test('a payload with a data field named `pipe` is sent, not refused as a stream', async () => {
  const n = s.requests.length;
  await client.tickets.create({ pipe: 'sales-pipeline', field1: 'x' });
  await client.request('POST', '/x', { body: { pipe: null } });
  const sent = s.requests.slice(n).filter((r) => !r.path.endsWith('/token/get'));
  assert.deepEqual(sent.map((r) => r.body), [{ pipe: 'sales-pipeline', field1: 'x' }, { pipe: null }]);
});

// A connection that breaks while the body is read is said to have done so (the status and
// headers had come: the request reached Glassix), not reported as a plain network error that
// could mean it never arrived; the reader's error is the cause.
test('a body cut off mid-read says so: "the connection broke while its body was read", its error the cause', async () => {
  s.route('GET', '/tickets/get/88', truncated('{"id":', 5000));
  const e = await rejects(client.tickets.get(88, { maxRetries: 0 }), { kind: 'network' });
  assert.equal(e.message, 'tickets.get: GET /tickets/get/88: the connection broke while its body was read');
  assert.ok(e.cause instanceof Error, String(e.cause));
});

// A FormData is read when the call is made, as every other argument: a form reused in a loop
// (`form.set('file', next)` before the last upload was sent) sends each upload what it held then.
test('files.upload sends the FormData as it was when called: changing it afterwards changes nothing sent', async () => {
  const form = new FormData();
  form.set('0', new Blob(['first file']), 'a.txt');
  const n = s.requests.length;
  const pending = client.files.upload(form);
  form.set('0', new Blob(['second file']), 'b.txt');
  await pending;
  const sent = s.requests.slice(n).filter((r) => r.path.endsWith('/files/upload'));
  assert.equal(sent.length, 1);
  assert.ok(sent[0].text.includes('first file') && !sent[0].text.includes('second file'), sent[0].text);
});
