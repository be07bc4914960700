import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, client, createTicket, formatGlassixDate } from './_helpers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runNode(code, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('HTTP behaviour', () => {
  let sb; let call;
  before(async () => { sb = await startSandbox(); call = client(sb); });
  after(() => sb.close());

  test('CORS preflight → 204 with the CORS headers', async () => {
    const res = await fetch(`${sb.baseUrl}/tickets/create`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-custom' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods'), /GET.*POST.*PUT.*DELETE.*OPTIONS/);
    const allow = res.headers.get('access-control-allow-headers').toLowerCase();
    for (const h of ['authorization', 'content-type', 'accept', 'x-custom', '*']) assert.ok(allow.includes(h), h);
    assert.match(res.headers.get('access-control-expose-headers'), /retry-after/i);
    // a 204 has no Content-Length (RFC 9110 §8.6: a server must not send one with 204)
    assert.equal(res.headers.get('content-length'), null);
  });

  test('CORS headers are on errors too', async () => {
    for (const r of [await call('GET', '/users/getstatus', { token: null }), await call('GET', '/nope'), await fetch(`${sb.origin}/elsewhere`)]) {
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.match(r.headers.get('access-control-expose-headers'), /retry-after/i);
    }
  });

  test('JSON responses carry content-type application/json; charset=utf-8', async () => {
    const r = await call('GET', '/users/allusers');
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('404s: outside the API → { message }; unknown API route → { Message }', async () => {
    let r = await fetch(`${sb.origin}/api/v9.9/tickets/get/1`);
    assert.equal(r.status, 404);
    assert.equal(typeof (await r.json()).message, 'string');
    r = await fetch(`${sb.origin}/`);
    assert.equal(r.status, 404);
    const u = await call('GET', '/tickets/frobnicate/1');
    assert.equal(u.status, 404);
    assert.match(u.json.Message, /No HTTP resource/);
    const noId = await call('GET', '/tickets/get');
    assert.equal(noId.status, 404);
  });

  test('405 for a known path with the wrong method (with Allow)', async () => {
    const r = await call('GET', '/tickets/create');
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'POST');
    assert.match(r.json.Message, /does not support http method 'GET'/);
  });

  test('paths and query parameter names are case-insensitive; trailing slash tolerated', async () => {
    const t = await createTicket(call);
    const r = await call('GET', `${sb.origin}/API/V1.2/Tickets/Get/${t.id}/`);
    assert.equal(r.status, 200);
    assert.equal(r.json.id, t.id);
    const s = await call('PUT', `/tickets/setstate/${t.id}`, { query: { NEXTSTATE: 'Pending', GetTicket: 'TRUE' } });
    assert.equal(s.json.state, 'Pending');
  });

  test('malformed JSON → 400 { Message }; non-JSON content-type → 415 { Message }', async () => {
    const token = sb.issueToken();
    let res = await fetch(`${sb.baseUrl}/tickets/create`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"participants": [',
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).Message, /not valid JSON/);
    res = await fetch(`${sb.baseUrl}/tickets/create`, {
      method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ participants: [] }),
    });
    assert.equal(res.status, 415, 'fetch defaults string bodies to text/plain');
    assert.match((await res.json()).Message, /text\/plain/);
    res = await fetch(`${sb.baseUrl}/tickets/create`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body: '',
    });
    assert.equal(res.status, 400, 'empty body → validation error');
  });

  test('the request log records method, path, query, lower-case headers, parsed body, time, status', async () => {
    sb.requests.length = 0;
    const t0 = Date.now();
    await call('PUT', '/tickets/setowner/123', { query: { nextOwnerUserName: 'bob@sandbox.test' }, body: {}, headers: { 'X-Custom': 'yes' } });
    const [e] = sb.requests;
    assert.equal(e.method, 'PUT');
    assert.equal(e.path, '/api/v1.2/tickets/setowner/123');
    assert.deepEqual(e.query, { nextOwnerUserName: 'bob@sandbox.test' });
    assert.equal(e.headers['x-custom'], 'yes');
    assert.match(e.headers.authorization, /^Bearer /);
    assert.deepEqual(e.body, {});
    assert.ok(e.time >= t0 && e.time <= Date.now());
    assert.equal(e.status, 404);
    const res = await fetch(`${sb.origin}/__sandbox/requests`);
    const log = await res.json();
    assert.equal(log[0].path, '/api/v1.2/tickets/setowner/123');
    await fetch(`${sb.origin}/__sandbox/requests`, { method: 'DELETE' });
    assert.equal(sb.requests.length, 0);
  });

  test("the request log's body: JSON parsed (with or without a JSON content type), text and malformed JSON as a string, other bytes without a content type as a Buffer", async () => {
    sb.requests.length = 0;
    const post = (body, headers = {}) => fetch(`${sb.origin}/no/such/path`, { method: 'POST', headers, body });
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x80]);
    await post(Buffer.from('{"a":1}'));
    await post(binary);
    await post('plain words', { 'content-type': 'text/plain' });
    await post('{"a":', { 'content-type': 'application/json' });
    assert.deepEqual(sb.requests.map((e) => e.headers['content-type']), [undefined, undefined, 'text/plain', 'application/json']);
    const [json, bytes, text, malformed] = sb.requests.map((e) => e.body);
    assert.deepEqual(json, { a: 1 });
    // (not a string: these bytes are not UTF-8, and a string would not give them back)
    assert.ok(Buffer.isBuffer(bytes) && bytes.equals(binary), 'bytes without a content type stay bytes');
    assert.equal(text, 'plain words');
    assert.equal(malformed, '{"a":');
  });

  test('control API: state, token, events, simulated customer messages, reset', async () => {
    const t = await createTicket(call);
    let res = await fetch(`${sb.origin}/__sandbox/state`);
    const snap = await res.json();
    assert.ok(snap.tickets.some((x) => x.id === t.id));
    res = await fetch(`${sb.origin}/__sandbox/token`, { method: 'POST', body: JSON.stringify({ userName: 'alice@sandbox.test' }) });
    const tok = await res.json();
    assert.equal((await client(sb, tok.access_token)('GET', '/users/getstatus')).json.status, 'Online');
    await call('GET', '/webhooks/getevents');
    res = await fetch(`${sb.origin}/__sandbox/tickets/${t.id}/messages`, { method: 'POST', body: JSON.stringify({ text: 'customer says hi' }) });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).fromParticipant.type, 'Client');
    res = await fetch(`${sb.origin}/__sandbox/events`, { method: 'POST', body: JSON.stringify({ _event: 'SURVEY_UPDATE', participant: { id: 1 }, surveys: [] }) });
    assert.equal(res.status, 200);
    // a department that does not exist is refused, not queued where nobody reads it
    res = await fetch(`${sb.origin}/__sandbox/events`, { method: 'POST', body: JSON.stringify({ _event: 'SURVEY_UPDATE', departmentId: 'no-such-department' }) });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /no-such-department/);
    assert.equal(sb.state.events.length, 2, 'the refused event was not queued');
    const events = (await call('GET', '/webhooks/getevents')).json;
    assert.deepEqual(events.map((e) => e.changes[0]._event), ['NEW_MESSAGE', 'SURVEY_UPDATE']);
    assert.equal(events[0].changes[0].transaction.text, 'customer says hi');
    assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.customerMessagesCount, 1);
    // a simulated customer message is refused where the API would have no conversation to add it
    // to: an unknown ticket (404), a participant that is not on it, a Closed ticket (400); nothing is
    // recorded or queued for any of them
    const post = (id, body) => fetch(`${sb.origin}/__sandbox/tickets/${id}/messages`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post(999, { text: 'x' })).status, 404);
    assert.equal((await post(t.id, { text: 'x', participantId: 99 })).status, 400);
    await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
    await call('GET', '/webhooks/getevents');
    res = await post(t.id, { text: 'too late' });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /closed/);
    assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.customerMessagesCount, 1);
    assert.deepEqual((await call('GET', '/webhooks/getevents')).json, []);
    res = await fetch(`${sb.origin}/__sandbox/reset`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(sb.state.tickets.size, 0);
    assert.equal((await fetch(`${sb.origin}/__sandbox/nope`)).status, 404);
  });
});

describe('options', () => {
  test('apiVersion accepts "v1.2"; other versions change the root', async () => {
    const sb = await startSandbox({ apiVersion: 'v1.2' });
    assert.ok(sb.baseUrl.endsWith('/api/v1.2'));
    await sb.close();
    const sb2 = await startSandbox({ apiVersion: '1.3' });
    try {
      assert.ok(sb2.baseUrl.endsWith('/api/v1.3'));
      assert.equal((await client(sb2)('GET', '/users/getstatus')).status, 200);
      assert.equal((await fetch(`${sb2.origin}/api/v1.2/users/getstatus`)).status, 404);
    } finally {
      await sb2.close();
    }
  });

  test('invalid options are rejected', async () => {
    await assert.rejects(startSandbox({ host: '0.0.0.0' }), TypeError);
    await assert.rejects(startSandbox({ prot: 1 }), TypeError);
    await assert.rejects(startSandbox({ credentials: { apiKey: 'not-a-guid' } }), TypeError);
    await assert.rejects(startSandbox({ tokenLifetime: 0 }), TypeError);
    await assert.rejects(startSandbox({ seed: '/nonexistent/seed.json' }), { name: 'TypeError', message: /cannot read seed file/ });
  });

  test('every option is checked: an invalid value is a TypeError naming the option, never accepted in silence', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassix-badseed-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const notJson = path.join(dir, 'seed.json');
    fs.writeFileSync(notJson, '{ nope');
    const bad = [
      [{ maxRequestLog: -1 }, 'maxRequestLog'], [{ maxRequestLog: 'abc' }, 'maxRequestLog'], [{ maxRequestLog: 1.5 }, 'maxRequestLog'],
      [{ randomSeed: 'abc' }, 'randomSeed'], [{ randomSeed: -1 }, 'randomSeed'], [{ randomSeed: 1.5 }, 'randomSeed'],
      [{ randomSeed: 1, random: Math.random }, 'randomSeed'],
      [{ webhook: 5 }, 'webhook'], [{ webhook: 'x' }, 'webhook'], [{ webhook: [] }, 'webhook'],
      [{ webhook: { timeoutMs: 2 ** 31 } }, 'webhook.timeoutMs'], [{ webhook: { retries: 1.5 } }, 'webhook.retries'],
      [{ webhookUrl: 5 }, 'webhookUrl'], [{ webhookUrl: 'ftp://x/' }, 'webhookUrl'],
      [{ tokenLifetime: Infinity }, 'tokenLifetime'], [{ tokenLifetime: '60' }, 'tokenLifetime'],
      [{ apiVersion: ['1.2'] }, 'apiVersion'], [{ apiVersion: true }, 'apiVersion'],
      [{ pageSize: 0 }, 'pageSize'], [{ firstTicketId: 2 ** 60 }, 'firstTicketId'], [{ port: -1 }, 'port'],
      [{ now: 5 }, 'now'], [{ random: 5 }, 'random'], [{ voidResponses: 'none' }, 'voidResponses'],
      [{ maxBodyBytes: 0 }, 'maxBodyBytes'], [{ maxBodyBytes: '1024' }, 'maxBodyBytes'], [{ dateFormat: 'unix' }, 'dateFormat'],
      [{ faults: { latencyMs: Infinity } }, 'faults.latencyMs'], [{ faults: { retryAfter: Infinity } }, 'faults.retryAfter'],
      [{ faults: { htmlErrors: 'no' } }, 'faults.htmlErrors'], [{ faults: { rateLimit: { requests: 1, perMs: 10, retryafter: 1 } } }, 'faults.rateLimit'],
      [{ faults: { rateLimit: { requests: 1, perMs: Infinity } } }, 'faults.rateLimit'], [{ faults: 5 }, 'faults'],
      [{ seed: notJson }, 'seed'], [{ seed: 5 }, 'seed'], [{ credentials: { workspace: '' } }, 'credentials.workspace'],
      [{ rules: { protocolStatusDelayMs: 2 ** 31 } }, 'rules.protocolStatusDelayMs'],
      [{ generateTickets: { count: -1, since: '2024-01-01', until: '2024-02-01' } }, 'generateTickets.count'],
    ];
    const accepted = [];
    for (const [options, name] of bad) {
      let err = null;
      try {
        await (await startSandbox(options)).close(); // (started: closed, so the failure below is not a hang)
      } catch (e) { err = e; }
      if (!(err instanceof TypeError && err.message.includes(name))) accepted.push(`${JSON.stringify(options)}: ${err ? err.message : 'started'}`);
    }
    assert.deepEqual(accepted, [], `invalid values that no TypeError naming the option refused:\n${accepted.join('\n')}`);
    // the edges that are valid still start (null keeps an option's default, maxBodyBytes's too)
    for (const options of [{ maxRequestLog: 0, randomSeed: 0, webhook: { retries: 0, timeoutMs: 2 ** 31 - 1 }, webhookUrl: null, maxBodyBytes: null }, { apiVersion: 1.2 }]) {
      const sb = await startSandbox(options);
      await sb.close();
    }
  });

  test('a long run stays bounded: the last 10,000 tokens are remembered, the newest maxRequestLog webhook attempts are kept', async () => {
    const http = await import('node:http');
    const rx = http.createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    await new Promise((r) => rx.listen(0, '127.0.0.1', r));
    const sb = await startSandbox({ maxRequestLog: 5, webhookUrl: `http://127.0.0.1:${rx.address().port}/` });
    try {
      const first = sb.issueToken();
      const second = sb.issueToken();
      for (let i = 0; i < 9999; i++) sb.issueToken(); // 10,001 issued
      assert.equal((await client(sb, first)('GET', '/users/getstatus')).status, 401, 'the oldest token is forgotten');
      assert.equal((await client(sb, second)('GET', '/users/getstatus')).status, 200, 'the 10,000 newest are not');
      for (let i = 0; i < 12; i++) {
        await fetch(`${sb.origin}/__sandbox/events`, { method: 'POST', body: JSON.stringify({ _event: 'SURVEY_UPDATE', n: i }) });
      }
      await sb.webhooksIdle();
      assert.equal(sb.webhookDeliveries.length, 5, 'the newest 5 attempts');
      assert.ok(sb.webhookDeliveries.every((d) => d.ok));
    } finally {
      await sb.close();
      rx.close();
    }
  });

  test('a port already in use rejects', async () => {
    const sb = await startSandbox();
    try {
      await assert.rejects(startSandbox({ port: sb.port }), { code: 'EADDRINUSE' });
    } finally {
      await sb.close();
    }
  });

  test('maxBodyBytes: larger bodies → 413 { message }', async () => {
    const sb = await startSandbox({ maxBodyBytes: 1024 });
    try {
      const r = await client(sb)('POST', '/tickets/create', { body: { field1: 'x'.repeat(5000), participants: [] } });
      assert.equal(r.status, 413);
      assert.equal(typeof r.json.message, 'string');
      // the bound itself is allowed: a body of exactly maxBodyBytes is read (and refused for its
      // content, no participants), one byte more is 413
      const sized = (n) => { const b = { field1: '', participants: [] }; b.field1 = 'x'.repeat(n - JSON.stringify(b).length); return b; };
      const exact = await client(sb)('POST', '/tickets/create', { body: sized(1024) });
      assert.equal(exact.status, 400, exact.text);
      assert.equal((await client(sb)('POST', '/tickets/create', { body: sized(1025) })).status, 413);
    } finally {
      await sb.close();
    }
  });

  test('firstTicketId; a seed department id overridden by credentials.apiKey stays referable', async () => {
    const sb = await startSandbox({
      firstTicketId: 500,
      credentials: { apiKey: '33333333-3333-4333-8333-333333333333' },
      seed: { departments: [{ id: '44444444-4444-4444-8444-444444444444', name: 'Main' }], tickets: [{ departmentId: '44444444-4444-4444-8444-444444444444', participants: [{ protocolType: 'SMS', identifier: '1' }] }] },
    });
    try {
      const t = await client(sb)('GET', '/tickets/get/500');
      assert.equal(t.status, 200);
      assert.equal(t.json.departmentId, '33333333-3333-4333-8333-333333333333');
    } finally {
      await sb.close();
    }
  });

  test('voidResponses: message (default), empty, no-content', async () => {
    for (const [mode, status, text] of [['empty', 200, ''], ['no-content', 204, '']]) {
      const sb = await startSandbox({ voidResponses: mode });
      try {
        const call = client(sb);
        const t = await createTicket(call);
        const r = await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'x' } });
        assert.equal(r.status, status, mode);
        assert.equal(r.text, text);
      } finally {
        await sb.close();
      }
    }
  });

  test('voidResponses covers cannedreplies/delete, whose real reply is unknown too (whatever inventedReplies says)', async () => {
    for (const rules of [{}, { inventedReplies: 'void' }]) {
      for (const [mode, status, keys] of [['message', 200, ['message']], ['empty', 200, null], ['no-content', 204, null]]) {
        const sb = await startSandbox({ voidResponses: mode, rules });
        try {
          const r = await client(sb)('DELETE', '/cannedreplies/delete', { query: { cannedReplyId: 1 } });
          assert.equal(r.status, status, mode);
          if (keys) assert.deepEqual(Object.keys(r.json), keys, mode);
          else assert.equal(r.text, '', mode);
          assert.equal(sb.state.cannedReplies.has(1), false, 'deleted');
        } finally {
          await sb.close();
        }
      }
    }
  });

  test('seed from a JSON file, with credentials and a custom department', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassix-seed-'));
    const file = path.join(dir, 'seed.json');
    fs.writeFileSync(file, JSON.stringify({
      credentials: { apiSecret: 'from-file', userName: 'svc@corp.test' },
      departments: [{ id: '22222222-2222-4222-8222-222222222222', name: 'Corp', tags: ['Gold', { Name: 'Silver', Color: '#ccc' }] }],
      users: [{ UserName: 'svc@corp.test', type: 'API', roles: ['DepartmentAdmin'] }, { UserName: 'agent@corp.test', status: 'Online' }],
      tickets: [{ id: 5, participants: [{ protocolType: 'SMS', identifier: '15551234567', name: 'Zed' }], tags: ['Gold'], owner: 'agent@corp.test' }],
    }));
    const sb = await startSandbox({ seed: file });
    try {
      assert.equal(sb.credentials.apiKey, '22222222-2222-4222-8222-222222222222');
      assert.equal(sb.credentials.apiSecret, 'from-file');
      const call = client(sb);
      const t = await call('GET', '/tickets/get/5');
      assert.equal(t.json.owner.UserName, 'agent@corp.test');
      assert.deepEqual(t.json.tags, ['Gold']);
      assert.deepEqual((await call('GET', '/tenants/gettags')).json.map((x) => x.Name), ['Gold', 'Silver']);
      const next = await createTicket(call, { participants: [{ protocolType: 'SMS', identifier: '1' }] });
      assert.equal(next.id, 160000001);
    } finally {
      await sb.close();
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('process behaviour', () => {
  test('close() lets the process exit promptly, even with keep-alive and hung requests', async () => {
    const r = await runNode(`
      import { startSandbox } from './sandbox/index.mjs';
      const sb = await startSandbox({ faults: { latencyMs: 0 } });
      const token = sb.issueToken();
      await fetch(sb.baseUrl + '/users/getstatus', { headers: { authorization: 'Bearer ' + token } });
      sb.setFaults({ hangNext: 1 });
      fetch(sb.baseUrl + '/users/getstatus', { headers: { authorization: 'Bearer ' + token } }).catch(() => {});
      sb.setWebhookUrl('http://127.0.0.1:9/');
      await new Promise((r) => setTimeout(r, 100));
      await sb.close();
    `);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.ms < 3000, `exited after ${r.ms} ms`);
  });

  test('the handle is AsyncDisposable: sb[Symbol.asyncDispose]() is close() (await using), safe after close() too', async () => {
    const sb = await startSandbox();
    try {
      assert.equal(typeof sb[Symbol.asyncDispose], 'function');
      const origin = sb.origin;
      assert.equal((await fetch(`${origin}/__sandbox/faults`)).status, 200);
      await sb[Symbol.asyncDispose]();
      await assert.rejects(fetch(`${origin}/__sandbox/faults`), 'the port is closed');
      await sb[Symbol.asyncDispose]();
    } finally {
      await sb.close();
    }
  });

  test('the library never writes to stdout/stderr', async () => {
    const r = await runNode(`
      import { startSandbox } from './sandbox/index.mjs';
      const sb = await startSandbox({ webhookUrl: 'http://127.0.0.1:9/', webhook: { retries: 1, retryDelayMs: 1 }, faults: { burst5xx: 1 } });
      const token = sb.issueToken();
      const h = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
      await fetch(sb.baseUrl + '/users/getstatus', { headers: h });
      await fetch(sb.baseUrl + '/tickets/create', { method: 'POST', headers: h, body: '{bad json' });
      await fetch(sb.baseUrl + '/tickets/create', { method: 'POST', headers: h, body: JSON.stringify({ participants: [{ protocolType: 'SMS', identifier: '1' }] }) });
      await fetch(sb.baseUrl + '/nope');
      await fetch(sb.origin + '/__sandbox/faults', { method: 'POST', body: '{' });
      await sb.webhooksIdle();
      await sb.close();
    `);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
  });

  test('CommonJS entry works with require()', async () => {
    const r = await runNode(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const { startSandbox, formatGlassixDate, parseGlassixDate } = require('./sandbox/index.cjs');
      const sb = await startSandbox();
      if (formatGlassixDate(new Date(Date.UTC(2020, 11, 24, 11, 20, 0, 220))) !== '24/12/2020 11:20:00:22') process.exit(3);
      if (parseGlassixDate('24/12/2020 11:20:00:22').getTime() !== Date.UTC(2020, 11, 24, 11, 20, 0, 220)) process.exit(4);
      if (parseGlassixDate('31/02/2020 00:00:00:00') !== null) process.exit(5);
      await sb.close();
    `);
    assert.equal(r.code, 0, r.stderr);
  });

  test('formatGlassixDate truncates to the hundredth, never rounds: always two ff digits, never a later instant', () => {
    // (rounding 23:59:59.995 up would write ':100', or an `until` after the instant it was made from)
    assert.equal(formatGlassixDate(Date.UTC(2024, 11, 31, 23, 59, 59, 999)), '31/12/2024 23:59:59:99');
    assert.equal(formatGlassixDate(new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 5))), '01/01/2024 00:00:00:00');
    assert.equal(formatGlassixDate(Date.UTC(2024, 0, 1, 0, 0, 0, 129)), '01/01/2024 00:00:00:12');
  });
});
