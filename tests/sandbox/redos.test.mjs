// Inputs that made a sandbox regex quadratic, blocking its event loop (every other request waits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './_helpers.mjs';

test('tickets/pdf and tickets/html of an html message of 100,000 "<" answer at once', async () => {
  const sb = await startSandbox();
  try {
    const token = sb.issueToken();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let r = await fetch(`${sb.baseUrl}/tickets/create`, { method: 'POST', headers, body: JSON.stringify({ field1: 'x', participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000009' }] }) });
    const { id } = await r.json();
    r = await fetch(`${sb.origin}/__sandbox/tickets/${id}/messages`, { method: 'POST', body: JSON.stringify({ html: `<b>hi</b> ${'<'.repeat(100000)}` }) });
    assert.equal(r.status, 200);
    for (const kind of ['pdf', 'html']) {
      const t0 = Date.now();
      r = await fetch(`${sb.baseUrl}/tickets/${kind}/${id}`, { method: 'POST', headers, body: '{}' });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      assert.ok(Date.now() - t0 < 3000, `${kind} took ${Date.now() - t0} ms`);
    }
  } finally { await sb.close(); }
});

test('a control path of 16,000 "/" is answered at once', async () => {
  const sb = await startSandbox();
  try {
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${sb.origin}/__sandbox${'/'.repeat(16000)}x`);
      assert.equal(r.status, 404);
    }
    assert.ok(Date.now() - t0 < 1500, `10 requests took ${Date.now() - t0} ms`);
    assert.equal((await fetch(`${sb.origin}/__sandbox/faults///`)).status, 200);
  } finally { await sb.close(); }
});
