import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startSandbox, client, createTicket } from './_helpers.mjs';

describe('files/upload (multipart/form-data)', () => {
  let sb; let call; let token;
  before(async () => { sb = await startSandbox(); token = sb.issueToken(); call = client(sb, token); });
  after(() => sb.close());

  const allBytes = () => {
    const b = Buffer.alloc(256 * 4 + 1000);
    for (let i = 0; i < 1024; i += 1) b[i] = i % 256;
    crypto.randomFillSync(b, 1024);
    // include CRLF and a fake boundary-ish sequence to prove the parser is binary-safe
    Buffer.from('\r\n--not-the-boundary\r\n').copy(b, 2000 - 24);
    return b;
  };

  test('round-trips files byte for byte and serves them back', async () => {
    const a = allBytes();
    const b = Buffer.from('plain text file\n', 'utf8');
    const form = new FormData();
    form.append('0', new Blob([a], { type: 'application/octet-stream' }), 'data.bin');
    form.append('note', 'a non-file field is ignored');
    form.append('1', new Blob([b], { type: 'text/plain' }), 'résumé "final".txt');
    const res = await fetch(`${sb.baseUrl}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(res.status, 200);
    const json = await res.json();
    assert.equal(json.urls.length, 2);
    assert.deepEqual(json.files.map((f) => f.fileName), ['data.bin', 'résumé "final".txt']);
    assert.deepEqual(json.files.map((f) => f.name), ['0', '1']);
    assert.deepEqual(json.files.map((f) => f.size), [a.length, b.length]);
    assert.deepEqual(json.files.map((f) => f.url), json.urls);
    for (const url of json.urls) assert.ok(url.startsWith(`${sb.origin}/files/`));

    const got = await fetch(json.urls[0]);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(a), 'bytes round-trip');
    const got2 = await fetch(json.urls[1]);
    assert.equal(got2.headers.get('content-type'), 'text/plain');
    assert.equal(await got2.text(), 'plain text file\n');

    // The log keeps the raw multipart body as a Buffer.
    const entry = sb.requests.findLast((r) => r.path.endsWith('/files/upload'));
    assert.ok(Buffer.isBuffer(entry.body));

    // Uploaded URLs can be used in tickets/send files[].
    const t = await createTicket(call);
    const sent = await call('POST', `/tickets/send/${t.id}`, { body: { files: [json.urls[0]] } });
    assert.equal(sent.status, 200);
    assert.equal(sent.json.attachments[0].uri, json.urls[0]);
  });

  test('a hand-built multipart body with a quoted boundary and preamble', async () => {
    const boundary = 'xYz-123 abc';
    const payload = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x80, 0x7f]);
    const body = Buffer.concat([
      Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.raw"\r\nContent-Type: image/x-raw\r\n\r\n`),
      payload,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${sb.baseUrl}/files/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary="${boundary}"` }, body,
    });
    assert.equal(res.status, 200);
    const { urls } = await res.json();
    const got = await fetch(urls[0]);
    assert.equal(got.headers.get('content-type'), 'image/x-raw');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(payload));
  });

  test("names as runtimes send them: a backslash kept, `\"` and `\\` unescaped, quotes and newlines percent-decoded (field names too)", async () => {
    // Node's FormData (undici): `"`, CR and LF percent-encoded, a backslash as it is
    const form = new FormData();
    for (const n of ['back\\slash.txt', 'trail\\', 'a"b\r\nc.txt', 'C:\\dir\\x.pdf']) form.append('0', new Blob(['x']), n);
    form.append('f"ield\\1', new Blob(['x']), 'f.txt');
    let res = await fetch(`${sb.baseUrl}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(res.status, 200);
    let { files } = await res.json();
    assert.deepEqual(files.map((f) => f.fileName), ['back\\slash.txt', 'trail\\', 'a"b\r\nc.txt', 'C:\\dir\\x.pdf', 'f.txt']);
    assert.equal(files[4].name, 'f"ield\\1');
    // curl and workerd escape `"` and `\` with a backslash
    const boundary = 'b0und';
    const part = (disposition) => `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\nx\r\n`;
    const body = part('name="0"; filename="w\\\\d.txt"') + part('name="0"; filename="q\\"uote.txt"') + part('name="0"; filename="end\\\\"') + `--${boundary}--\r\n`;
    res = await fetch(`${sb.baseUrl}/files/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body,
    });
    assert.equal(res.status, 200);
    ({ files } = await res.json());
    assert.deepEqual(files.map((f) => f.fileName), ['w\\d.txt', 'q"uote.txt', 'end\\']);
  });

  test("RFC 7578/5987 details: filename* wins over filename (in either order), is percent-decoded; a file part without Content-Type is application/octet-stream; padding after a boundary", async () => {
    // Clients that write non-ASCII names (Python's requests/urllib3, some Java and .NET stacks) send
    // `filename*=UTF-8''…`, sometimes before a plain `filename` fallback: the decoded filename* is
    // the name (RFC 6266 §4.3), whatever the order. A part with no Content-Type of its own is a
    // file of unknown type (what the served download says), and linear whitespace after a
    // boundary line is transport padding (RFC 2046 §5.1.1), not a malformed body.
    const boundary = 'pad-b0und';
    const body = `--${boundary}  \t\r\nContent-Disposition: form-data; name="0"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt; filename="naive resume.txt"\r\n\r\nx\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="1"; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\ny\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="2"; filename="no-type.bin"\r\n\r\nz\r\n`
      + `--${boundary}--\r\n`;
    const res = await fetch(`${sb.baseUrl}/files/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body,
    });
    assert.equal(res.status, 200);
    const { files } = await res.json();
    assert.deepEqual(files.map((f) => f.fileName), ['naïve résumé.txt', '€.txt', 'no-type.bin']);
    const got = await fetch(files[2].url);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.equal(await got.text(), 'z');
  });

  test('errors: not multipart → 415, no file part → 400, malformed → 400, no token → 401', async () => {
    let r = await call('POST', '/files/upload', { body: { file: 'x' } });
    assert.equal(r.status, 415);
    assert.equal(typeof r.json.Message, 'string');
    const form = new FormData();
    form.append('field', 'only text');
    let res = await fetch(`${sb.baseUrl}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(res.status, 400);
    res = await fetch(`${sb.baseUrl}/files/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=abc' }, body: '--abc\r\nbroken',
    });
    assert.equal(res.status, 400);
    // a body that ends in `--abc-` instead of the closing `--abc--` is malformed too, not a complete upload
    res = await fetch(`${sb.baseUrl}/files/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\n\r\nx\r\n--abc-\r\n',
    });
    assert.equal(res.status, 400);
    res = await fetch(`${sb.baseUrl}/files/upload`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=abc' }, body: '--abc--' });
    assert.equal(res.status, 401);
    res = await fetch(`${sb.origin}/files/000000000000000000000000/x`);
    assert.equal(res.status, 404);
  });
});
