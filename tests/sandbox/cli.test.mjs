import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = fileURLToPath(new URL('../../bin/glassix-wasm.cjs', import.meta.url));

function run(args, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** Start the CLI, wait for the banner, return { child, banner, baseUrl, stop() }. */
function start(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, stdout, stderr })));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no banner: ${stdout} ${stderr}`)); }, 5000);
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /API root \(baseUrl\): (\S+)/.exec(stdout);
      if (m && stdout.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve({
          child, banner: stdout, baseUrl: m[1], exited,
          async stop(signal = 'SIGTERM') {
            const t0 = Date.now();
            child.kill(signal);
            const r = await exited;
            return { ...r, ms: Date.now() - t0 };
          },
        });
      }
    });
  });
}

/** JSON headers with a token for the started sandbox's default API user (apiKey from its banner). */
async function authHeaders(cli) {
  const apiKey = /apiKey: +(\S+)/.exec(cli.banner)[1];
  const tok = await fetch(`${cli.baseUrl}/token/get`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey, apiSecret: 'sandbox-secret', userName: 'api@sandbox.test' }),
  });
  return { authorization: `Bearer ${(await tok.json()).access_token}`, 'content-type': 'application/json' };
}

describe('glassix-wasm CLI', () => {
  test('--help prints usage and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: glassix-wasm sandbox/);
    for (const flag of ['--port', '--seed', '--latency', '--fail-rate', '--rate-limit', '--hang-rate', '--token-throttle',
      '--token-lifetime', '--webhook-url', '--api-key', '--api-secret', '--user-name', '--workspace', '--burst-429',
      '--burst-5xx', '--hang-next', '--retry-after', '--jitter', '--token-fail-429', '--date-format', '--rule']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
    assert.equal((await run(['sandbox', '-h'])).code, 0);
  });

  test('--version prints the package version; help export and export help print the export usage', async () => {
    const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v']) assert.deepEqual(await run([flag]).then((r) => [r.code, r.stdout]), [0, `${version}\n`], flag);
    for (const args of [['help', 'export'], ['export', 'help']]) {
      const r = await run(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: glassix-wasm export tickets/, args.join(' '));
    }
  });

  test('unknown flags, bad values, unknown commands → one line + exit code 2', async () => {
    for (const args of [['sandbox', '--nope'], ['sandbox', '--port', 'abc'], ['sandbox', '--fail-rate', '1.5'],
      ['sandbox', '--rate-limit', '10'], ['sandbox', '--port'], ['serve'], [], ['sandbox', '--api-key', 'not-a-guid'],
      ['sandbox', '--date-format', 'unix'], ['sandbox', '--rule', 'sortAsc'], ['sandbox', '--rule', 'noSuchRule=1'],
      ['sandbox', '--rule', 'ruleStatus=200'],
      // values only startSandbox checks (a TypeError there is a bad value here too)
      ['sandbox', '--seed', '/nonexistent/seed.json'], ['sandbox', '--latency', '1e12'], ['sandbox', '--webhook-url', 'ftp://x/'],
      ['sandbox', '--rule', 'webhook.timeoutMs=3000000000'], ['sandbox', '--rule', 'webhook.retries=abc'],
      ['sandbox', '--rule', 'protocolStatusDelayMs=1e12']]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^glassix-wasm: [^\n]+\n$/, "one line");
      assert.equal(r.stdout, '');
    }
  });

  test('a number flag takes only a plain decimal; a flag given twice (a rule given twice) → one line + exit code 2, as the export CLI', async () => {
    for (const [args, said] of [
      [['--fail-rate', ' '], /--fail-rate must be a number 0\.\.1/], [['--fail-rate='], /--fail-rate must be a number/],
      [['--hang-rate', ' 0.5 '], /--hang-rate must be a number/], [['--latency', '0x10'], /--latency must be a number >= 0/],
      [['--jitter', '\t'], /--jitter must be a number/], [['--token-lifetime', '+5'], /--token-lifetime must be a number/],
      [['--port', '1', '--port', '2'], /option --port is given twice/], [['--fail-rate=0.1', '--fail-rate', '0.2'], /option --fail-rate is given twice/],
      [['--api-secret', 'a', '--api-secret=b'], /option --api-secret is given twice/], [['--date-format', 'iso', '--date-format', 'iso'], /given twice/],
      [['--rule', 'sortAsc=oldest-first', '--rule', 'sortAsc=newest-first'], /--rule sortAsc is given twice/],
    ]) {
      const r = await run(['sandbox', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^glassix-wasm: [^\n]+\n$/, 'one line');
      assert.match(r.stderr, said, args.join(' '));
      assert.equal(r.stdout, '');
    }
    // (the secret given twice is not echoed)
    assert.doesNotMatch((await run(['sandbox', '--api-secret', 's3cret-one', '--api-secret', 's3cret-two'])).stderr, /s3cret/);
    // plain decimals, and the repeatable flags given more than once, still start it
    const cli = await start(['--fail-rate', '.5', '--hang-rate', '1e-1', '--latency', '2.5', '--allowed-host', 'a.test', '--allowed-host', 'b.test',
      '--rule', 'sortAsc=oldest-first', '--rule', 'cors=false']);
    try {
      const faults = await (await fetch(`${cli.baseUrl.replace(/\/api\/v1\.2$/, '')}/__sandbox/faults`)).json();
      assert.deepEqual([faults.failureRate, faults.hangRate, faults.latencyMs], [0.5, 0.1, 2.5]);
    } finally {
      assert.equal((await cli.stop()).code, 0);
    }
  });

  test('a --seed that startSandbox refuses (an unknown key, a ticket the API would refuse) → one line + exit code 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassix-cli-seed-'));
    try {
      const seeds = {
        'unknown-key.json': [{ departmens: [{ name: 'Support' }] }, /seed\.departmens is not a seed key/],
        'bad-ticket.json': [{ departments: [{ name: 'Support', tags: ['A'] }], tickets: [{ participants: [{ protocolType: 'SMS', identifier: '1' }], tags: ['B'] }] },
          /seed\.tickets\[0\]: Tag 'B' does not exist/],
      };
      for (const [name, [seed, message]] of Object.entries(seeds)) {
        const file = path.join(dir, name);
        fs.writeFileSync(file, JSON.stringify(seed));
        const r = await run(['sandbox', '--seed', file]);
        assert.equal(r.code, 2, `${name}: ${r.stderr}`);
        assert.match(r.stderr, /^glassix-wasm: [^\n]+\n$/, 'one line');
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('starts, prints base URL and credentials, honours flags, stops cleanly on SIGTERM', async () => {
    const cli = await start(['--port', '0', '--api-secret', 'cli-secret', '--user-name', 'cli@sandbox.test',
      '--workspace', 'acme', '--rate-limit', '3/60000', '--token-lifetime', '120']);
    try {
      assert.match(cli.banner, /apiSecret: +cli-secret/);
      assert.match(cli.banner, /userName: +cli@sandbox\.test/);
      assert.match(cli.banner, /workspace: +acme/);
      assert.match(cli.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\.2$/);
      const apiKey = /apiKey: +(\S+)/.exec(cli.banner)[1];
      const tok = await fetch(`${cli.baseUrl}/token/get`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey, apiSecret: 'cli-secret', userName: 'cli@sandbox.test' }),
      });
      const { access_token: token, expires_in: expiresIn } = await tok.json();
      assert.equal(expiresIn, 120);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await fetch(`${cli.baseUrl}/users/getstatus`, { headers: { authorization: `Bearer ${token}` } })).status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      const r = await cli.stop('SIGTERM');
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.ms < 2000, `${r.ms} ms`);
      assert.match(r.stdout, /stopped/);
    }
  });

  test('SIGINT also stops it; --seed and fault flags are accepted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassix-cli-'));
    const seed = path.join(dir, 'seed.json');
    fs.writeFileSync(seed, JSON.stringify({ departments: [{ name: 'Only', tags: ['A'] }] }));
    const cli = await start([`--seed=${seed}`, '--latency', '1', '--fail-rate', '0', '--hang-rate', '0', '--token-throttle', '100/1000',
      '--webhook-url', 'http://127.0.0.1:9/hook', '--random-seed', '7', '--page-size', '10']);
    try {
      assert.match(cli.banner, /webhooks POSTed to: http:\/\/127\.0\.0\.1:9\/hook/);
      const res = await fetch(`${cli.baseUrl.replace(/\/api\/v1\.2$/, '')}/__sandbox/state`);
      const state = await res.json();
      assert.deepEqual(state.departments[0].tags.map((t) => t.Name), ['A']);
    } finally {
      const r = await cli.stop('SIGINT');
      assert.equal(r.code, 0, r.stderr);
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('the burst and one-shot fault flags: --burst-429, --retry-after, --burst-5xx, --hang-next, --token-fail-429', async () => {
    const cli = await start(['--token-fail-429', '1', '--retry-after', '2', '--burst-429', '1', '--burst-5xx', '1', '--hang-next', '1', '--jitter', '1']);
    try {
      const apiKey = /apiKey: +(\S+)/.exec(cli.banner)[1];
      const token = () => fetch(`${cli.baseUrl}/token/get`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey, apiSecret: 'sandbox-secret', userName: 'api@sandbox.test' }),
      });
      const first = await token();
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '2');
      const { access_token: t } = await (await token()).json();
      const get = () => fetch(`${cli.baseUrl}/users/getstatus`, { headers: { authorization: `Bearer ${t}` }, signal: AbortSignal.timeout(1000) });
      // faults apply in the order hang, 429, 5xx
      await assert.rejects(get(), /abort|timeout/i, 'the hung request is never answered');
      const r429 = await get();
      assert.equal(r429.status, 429);
      assert.equal(r429.headers.get('retry-after'), '2');
      assert.ok([502, 503, 504].includes((await get()).status));
      assert.equal((await get()).status, 200);
    } finally {
      const r = await cli.stop('SIGTERM');
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('--retry-after none: a 429 without Retry-After', async () => {
    const cli = await start(['--retry-after', 'none', '--burst-429', '1']);
    try {
      const headers = await authHeaders(cli);
      const r = await fetch(`${cli.baseUrl}/users/getstatus`, { headers });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), null);
      assert.equal((await fetch(`${cli.baseUrl}/users/getstatus`, { headers })).status, 200);
    } finally {
      const r = await cli.stop('SIGTERM');
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('--date-format and repeated --rule NAME=VALUE set dateFormat and rules', async () => {
    const cli = await start(['--date-format', 'iso', '--rule', 'ruleStatus=409', '--rule=sortAsc=oldest-first', '--rule', 'protocolStatuses=Sent,Read']);
    try {
      const headers = await authHeaders(cli);
      const create = (open) => fetch(`${cli.baseUrl}/tickets/create`, { method: 'POST', headers, body: JSON.stringify({ open, participants: [{ protocolType: 'SMS', identifier: '1' }] }) }).then((r) => r.json());
      const a = await create('2024-01-02T00:00:00Z');
      const b = await create('2024-01-03T00:00:00Z');
      assert.equal(a.open, '2024-01-02T00:00:00.000Z', 'iso dates');
      const snooze = await fetch(`${cli.baseUrl}/tickets/setstate/${a.id}?nextState=Snoozed`, { method: 'PUT', headers });
      assert.equal(snooze.status, 409, 'rules.ruleStatus');
      const list = await (await fetch(`${cli.baseUrl}/tickets/list?since=01/01/2024%2000:00:00:00&until=31/01/2024%2000:00:00:00`, { headers })).json();
      assert.deepEqual(list.tickets.map((t) => t.id), [a.id, b.id], 'rules.sortAsc=oldest-first');
      await fetch(`${cli.baseUrl}/protocols/send`, { method: 'POST', headers, body: JSON.stringify({ protocolType: 'SMS', from: '15550000002', to: '1', text: 'x' }) });
      await new Promise((r) => setTimeout(r, 50));
      const events = await (await fetch(`${cli.baseUrl}/webhooks/getevents`, { headers })).json();
      assert.deepEqual(events.filter((e) => e.changes[0].message).map((e) => e.changes[0].message.status), ['Sent', 'Read']);
    } finally {
      const r = await cli.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('--rule LIST= (empty) is the empty list: protocolStatuses= sends no later statuses', async () => {
    // (the way to switch the statuses off from a shell, beside protocolStatuses=[]; not a list of
    // one empty status name, which the rule would refuse)
    const cli = await start(['--rule', 'protocolStatuses=']);
    try {
      const headers = await authHeaders(cli);
      const sent = await fetch(`${cli.baseUrl}/protocols/send`, { method: 'POST', headers, body: JSON.stringify({ protocolType: 'SMS', from: '15550000002', to: '1', text: 'x' }) });
      assert.equal(sent.status, 200);
      assert.equal((await sent.json()).status, 'Pending');
      await new Promise((r) => setTimeout(r, 50));
      const events = await (await fetch(`${cli.baseUrl}/webhooks/getevents`, { headers })).json();
      assert.deepEqual(events.filter((e) => e.changes[0]._event === 'NON_TICKET_MESSAGE_STATUS'), []);
    } finally {
      const r = await cli.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('--rule also sets the unverified behaviours that are options of their own: voidResponses, maxBodyBytes, webhook.*', async () => {
    const cli = await start(['--rule', 'voidResponses=no-content', '--rule', 'maxBodyBytes=200', '--rule', 'webhook.batch=true']);
    try {
      const headers = await authHeaders(cli);
      const t = await (await fetch(`${cli.baseUrl}/tickets/create`, { method: 'POST', headers, body: JSON.stringify({ participants: [{ protocolType: 'SMS', identifier: '1' }] }) })).json();
      const note = await fetch(`${cli.baseUrl}/tickets/addnote/${t.id}`, { method: 'POST', headers, body: JSON.stringify({ text: 'n' }) });
      assert.equal(note.status, 204, 'voidResponses=no-content');
      const big = await fetch(`${cli.baseUrl}/tickets/addnote/${t.id}`, { method: 'POST', headers, body: JSON.stringify({ text: 'x'.repeat(300) }) });
      assert.equal(big.status, 413, 'maxBodyBytes=200');
    } finally {
      const r = await cli.stop();
      assert.equal(r.code, 0, r.stderr);
    }
    for (const bad of ['voidResponses=nothing', 'maxBodyBytes=-1', 'webhook.batch=maybe', 'webhook.color=red']) {
      const r = await run(['sandbox', '--rule', bad]);
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
    }
  });

  test('a port in use → exit code 1', async () => {
    const cli = await start([]);
    try {
      const port = new URL(cli.baseUrl).port;
      const r = await run(['sandbox', '--port', port]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /EADDRINUSE/);
    } finally {
      await cli.stop();
    }
  });
});
