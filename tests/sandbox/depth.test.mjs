// The sandbox stays usable under bodies it cannot keep. One nested deeper than JSON.stringify can go
// (JSON.parse can): a custom event that deep was answered 500 and queued anyway, breaking webhooks/getevents and
// /__sandbox/state until a reset; one sent to any path broke /__sandbox/requests. Large ones:
// the request log kept every body whole (10,000 × 50 MiB) and ran a long-lived sandbox out of memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { startSandbox } = createRequire(import.meta.url)('../../sandbox/index.cjs');

test('a change nested too deep is refused (400) and not queued; a body that deep leaves the request log readable', async () => {
  const sb = await startSandbox({ port: 0 });
  try {
    const deep = `{"_event":"X","a":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    const posted = await fetch(`${sb.origin}/__sandbox/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    assert.equal(posted.status, 400);
    await fetch(`${sb.baseUrl}/no/such/path`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    for (const p of ['/__sandbox/state', '/__sandbox/requests']) assert.equal((await fetch(sb.origin + p)).status, 200, p);
    const events = await fetch(`${sb.baseUrl}/webhooks/getevents?deleteEvents=false`, { headers: { authorization: `Bearer ${sb.issueToken()}` } });
    assert.equal(events.status, 200);
    assert.deepEqual(await events.json(), []);
  } finally {
    await sb.close();
  }
});

test('the request log keeps at most maxRequestLogBytes of bodies: the oldest give theirs up, the entries stay', async () => {
  const sb = await startSandbox({ port: 0, maxRequestLogBytes: 2500 });
  try {
    const body = (c) => c.repeat(1000);
    for (const c of 'abc') await fetch(`${sb.baseUrl}/no/such/path`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: body(c) });
    const logged = sb.requests.filter((r) => r.path.endsWith('/no/such/path'));
    assert.equal(logged.length, 3, 'every entry stays');
    assert.deepEqual(logged[0].body, { dropped: true, size: 1000 });
    assert.deepEqual([logged[1].body, logged[2].body], [body('b'), body('c')]);
    const served = await (await fetch(`${sb.origin}/__sandbox/requests`)).json();
    assert.deepEqual(served.filter((r) => r.path.endsWith('/no/such/path')).map((r) => r.body), [{ dropped: true, size: 1000 }, body('b'), body('c')]);
    await assert.rejects(startSandbox({ maxRequestLogBytes: -1 }), /maxRequestLogBytes must be a whole number >= 0/);
    // "at most": bodies that add up to exactly the bound are all kept
    const exact = await startSandbox({ port: 0, maxRequestLogBytes: 2000 });
    try {
      for (const c of 'de') await fetch(`${exact.baseUrl}/no/such/path`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: body(c) });
      assert.deepEqual(exact.requests.map((r) => r.body), [body('d'), body('e')]);
    } finally {
      await exact.close();
    }
  } finally {
    await sb.close();
  }
});

test('setWebhookUrl is checked like the webhookUrl option', async () => {
  const sb = await startSandbox({ port: 0 });
  try {
    assert.throws(() => sb.setWebhookUrl('not a url'), TypeError);
    assert.throws(() => sb.setWebhookUrl('ftp://127.0.0.1/x'), TypeError);
    sb.setWebhookUrl('http://127.0.0.1:9/hook');
    assert.equal(sb.webhookUrl, 'http://127.0.0.1:9/hook');
    sb.setWebhookUrl(null);
    assert.equal(sb.webhookUrl, null);
  } finally {
    await sb.close();
  }
});
