// A body nested deeper than JSON.stringify can go (JSON.parse can) must not break the sandbox:
// a custom event that deep was answered 500 and queued anyway, breaking webhooks/getevents and
// /__sandbox/state until a reset; one sent to any path broke /__sandbox/requests.
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
