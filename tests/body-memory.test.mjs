// A call's JSON body stays a JS string from JSON.stringify to fetch: it never copies into wasm
// memory, which never shrinks (README, Performance: a 5 MB response once grew it to 21 MB for
// good). An HTML note with an inline image is several MB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadWithMemory } from './helpers/wasm-memory.mjs';

const { GlassixClient, wasmBytes } = loadWithMemory();

test('a 4 MB JSON body goes out intact and does not grow the wasm memory', async () => {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push(Buffer.concat(chunks).toString());
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const client = new GlassixClient({ baseUrl: `http://127.0.0.1:${server.address().port}/api/v1.2`, accessToken: 't' });
    await client.tickets.addNote(1, { text: 'warm-up' });
    const before = wasmBytes();
    const html = `<p>שלום</p><img src="data:image/png;base64,${Buffer.alloc(3 << 20, 7).toString('base64')}">`;
    await client.tickets.addNote(1, { html });
    await client.tickets.create({ participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'a@b.c' }], transactions: [{ html }] });
    assert.deepEqual(JSON.parse(got[1]), { html });
    assert.equal(JSON.parse(got[2]).transactions[0].html, html);
    const grew = wasmBytes() - before;
    assert.ok(grew < 1 << 20, `wasm memory grew by ${(grew / 1048576).toFixed(1)} MB`);
  } finally {
    server.close();
  }
});

test('a 4 MB webhook body verifies and parses without growing the wasm memory, as text or as bytes', async () => {
  const { createHmac } = await import('node:crypto');
  const secret = 'webhook-secret';
  const sign = (body) => ({ 'X-Hub-Signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` });
  // (warm: the first verification and parse grow what every one uses)
  GlassixClient.verifyWebhook('{}', sign('{}'), secret);
  GlassixClient.parseWebhook('{}');
  const before = wasmBytes();
  // an event with a long note, in Hebrew: three bytes a character in UTF-8, as it was copied
  const text = JSON.stringify({ key: 'k1', changes: [{ _event: 'NEW_MESSAGE', text: 'שלום '.repeat(500_000) }] });
  const bytes = Buffer.from(text);
  assert.ok(bytes.length > 4_000_000);
  for (const body of [text, bytes, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]) {
    assert.equal(GlassixClient.verifyWebhook(body, sign(bytes), secret), true);
    assert.equal(GlassixClient.verifyWebhook(body, sign(Buffer.concat([bytes, Buffer.from(' ')])), secret), false);
    assert.equal(GlassixClient.parseWebhook(body)[0].changes[0].text.length, 2_500_000);
  }
  const grew = wasmBytes() - before;
  assert.ok(grew < 1 << 20, `wasm memory grew by ${(grew / 1048576).toFixed(1)} MB`);
});
