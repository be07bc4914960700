// The sandbox on a developer's machine: a web page they browse must not reach it through DNS
// rebinding (a foreign Host) nor drive or read its control API cross-origin (a text/plain POST
// needs no preflight, so CORS alone does not stop it). Pages on loopback origins keep working.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSandbox } from './_helpers.mjs';

/** A raw request to the sandbox (fetch does not let every header through unchanged). */
function request(sb, { method = 'GET', path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: sb.port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox as an attack surface', () => {
  let sb;
  before(async () => { sb = await startSandbox(); });
  after(() => sb.close());

  test('a foreign Host (DNS rebinding) is refused on every route; loopback names are not', async () => {
    for (const path of ['/__sandbox/requests', '/__sandbox/state', '/api/v1.2/tenants/isonline?departmentId=x', '/files/000000000000000000000000']) {
      for (const host of [`evil.example:${sb.port}`, 'evil.example', `127.0.0.1.nip.io:${sb.port}`, `localhost.evil.example:${sb.port}`]) {
        const r = await request(sb, { path, headers: { host } });
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.doesNotMatch(r.text, /sandbox-secret|departments/);
      }
    }
    const before = sb.faults.hangRate;
    const r = await request(sb, { method: 'POST', path: '/__sandbox/faults', headers: { host: `evil.example:${sb.port}`, 'content-type': 'application/json' }, body: '{"hangRate":1}' });
    assert.equal(r.status, 403);
    assert.equal(sb.faults.hangRate, before);
    for (const host of [`127.0.0.1:${sb.port}`, `localhost:${sb.port}`, `LocalHost:${sb.port}`, `app.localhost:${sb.port}`, 'localhost.']) {
      assert.equal((await request(sb, { path: '/__sandbox/faults', headers: { host } })).status, 200, host);
    }
  });

  test('allowedHosts adds names; it is checked', async () => {
    const other = await startSandbox({ allowedHosts: ['Glassix.test'] });
    try {
      assert.equal((await request(other, { path: '/__sandbox/faults', headers: { host: `glassix.test:${other.port}` } })).status, 200);
      assert.equal((await request(other, { path: '/__sandbox/faults', headers: { host: 'glassix.test', origin: 'http://glassix.test:5173' } })).status, 200);
      assert.equal((await request(other, { path: '/__sandbox/faults', headers: { host: 'evil.example' } })).status, 403);
    } finally { await other.close(); }
    for (const bad of ['x', ['a:80'], ['http://a'], [1], ['']]) await assert.rejects(startSandbox({ allowedHosts: bad }), TypeError);
  });

  test('the control API refuses pages of other origins (reads, preflights and simple POSTs) and changes nothing', async () => {
    const tok = sb.issueToken();
    await fetch(`${sb.baseUrl}/users/allusers`, { headers: { authorization: `Bearer ${tok}` } });
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example:8080', 'file://']) {
      const read = await request(sb, { path: '/__sandbox/requests', headers: { origin } });
      assert.equal(read.status, 403, origin);
      assert.ok(!read.text.includes(tok), 'the request log is not sent');
      const pre = await request(sb, { method: 'OPTIONS', path: '/__sandbox/reset', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(pre.status, 403, origin);
      const post = await request(sb, { method: 'POST', path: '/__sandbox/faults', headers: { origin, 'content-type': 'text/plain' }, body: '{"hangRate":1}' });
      assert.equal(post.status, 403, origin);
      assert.equal(sb.faults.hangRate, 0);
      const mint = await request(sb, { method: 'POST', path: '/__sandbox/token', headers: { origin, 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(mint.status, 403, origin);
      assert.doesNotMatch(mint.text, /access_token/);
      const ev = await request(sb, { method: 'POST', path: '/__sandbox/events', headers: { origin, 'content-type': 'text/plain' }, body: '{"_event":"SURVEY_UPDATE"}' });
      assert.equal(ev.status, 403, origin);
    }
    assert.equal(sb.events().length, 0);
  });

  test('pages on loopback origins keep the control API and the API, with CORS', async () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', 'https://localhost', 'http://[::1]:8080', 'http://app.localhost:5173']) {
      const r = await request(sb, { path: '/__sandbox/faults', headers: { origin } });
      assert.equal(r.status, 200, origin);
      assert.equal(r.headers['access-control-allow-origin'], '*');
      const pre = await request(sb, { method: 'OPTIONS', path: '/__sandbox/faults', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(pre.status, 204, origin);
    }
    // the API itself still answers any origin (as documented: Access-Control-Allow-Origin: *)
    const api = await request(sb, { path: '/api/v1.2/tenants/isonline?departmentId=00000000-0000-4000-8000-000000000001', headers: { origin: 'https://example.com' } });
    assert.equal(api.status, 200);
    assert.equal(api.headers['access-control-allow-origin'], '*');
  });
});
