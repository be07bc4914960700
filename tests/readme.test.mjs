// Every JavaScript code block in README.md runs, so what the README shows is what works. Each
// block runs in its own Node process against a fresh bundled sandbox: its requests to
// https://acme.glassix.com are redirected there (tests/readme/redirect.mjs) and the credentials
// it reads from GLASSIX_* environment variables are the sandbox's, and REDIS_URL a real
// redis-server's. A block that uses `client` without defining it gets the quick start's client,
// as the README says.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import net from 'node:net';
import { freePort, startRedis } from './helpers/redis.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const { startSandbox, DEFAULT_SEED } = require('../sandbox/index.cjs');
const work = join(root, 'test-results', 'readme');
mkdirSync(work, { recursive: true });

/** The fenced JavaScript blocks of a Markdown text, with the line each starts on. */
export function jsBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|javascript|mjs|cjs)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    while (i + 1 < lines.length && !/^```\s*$/.test(lines[++i]));
    blocks.push({ line: start, code: lines.slice(start, i).join('\n') });
  }
  return blocks;
}

const CLIENT = `new GlassixClient({ workspace: 'acme', apiKey: process.env.GLASSIX_API_KEY, apiSecret: process.env.GLASSIX_API_SECRET, userName: process.env.GLASSIX_USER_NAME })`;

/** The block as a runnable file: ESM unless it uses require(); the quick start's client if it
 * uses one without defining it, as the README says. */
function program({ code }) {
  const cjs = /\brequire\(/.test(code) && !/^\s*import\s/m.test(code);
  const defines = (name) => new RegExp(`(const|let|var)\\s+(\\{[^}]*\\b${name}\\b[^}]*\\}|${name})\\s*=|import\\s+${name}\\b`).test(code);
  const pre = [];
  const needsClient = /\bclient\b/.test(code) && !defines('client');
  if ((needsClient || /\bGlassixClient\b/.test(code)) && !defines('GlassixClient')) {
    pre.push(cjs ? "const GlassixClient = require('glassix-wasm');" : "import GlassixClient from 'glassix-wasm';");
  }
  if (needsClient) pre.push(`const client = ${CLIENT};`);
  // CommonJS blocks run as they are (no wrapper): what the README shows must run as copied
  return { ext: cjs ? 'cjs' : 'mjs', text: `${pre.join('\n')}\n${code}\n` };
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((r) => net.connect(port, '127.0.0.1').on('connect', function () { this.end(); r(true); }).on('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on ${port}`);
}

const markdown = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = jsBlocks(markdown);

/** A block that reads process.env.REDIS_URL (the "Many workers" example) gets a real
 * redis-server, started on a free port for the first such block and stopped at the end
 * (scripts/setup.sh installs it). */
let redis;
const redisUrl = async () => (await (redis ??= startRedis())).url;
after(async () => (await redis)?.stop());

/** Writes `block` as a program and runs it in Node, talking to `sandbox` (acme.glassix.com is
 * redirected to it) with its credentials in the environment, and `env` on top. Its output
 * collects in `stdout` / `stderr`; `exited` resolves with `{ code, signal }`. */
function runBlock(block, name, sandbox, env) {
  const { ext, text } = program(block);
  const file = join(work, `${name}.${ext}`);
  writeFileSync(file, text);
  const child = spawn(process.execPath, ['--import', join(root, 'tests', 'readme', 'redirect.mjs'), file], {
    cwd: work,
    env: {
      ...process.env,
      GLASSIX_SANDBOX_ORIGIN: sandbox.origin,
      GLASSIX_API_KEY: sandbox.credentials.apiKey,
      GLASSIX_API_SECRET: sandbox.credentials.apiSecret,
      GLASSIX_USER_NAME: sandbox.credentials.userName,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { child, text, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (run.stdout += d));
  child.stderr.on('data', (d) => (run.stderr += d));
  run.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return run;
}

test('the README has JavaScript blocks to run', () => {
  assert.ok(blocks.length >= 10, `${blocks.length} blocks`);
});

for (const block of blocks) {
  test(`README.md line ${block.line} runs`, async (t) => {
    const sandbox = await startSandbox({
      credentials: { workspace: 'acme', apiSecret: 'readme-secret', userName: 'api-user@acme.com' },
      firstTicketId: 160000100,
      seed: {
        ...DEFAULT_SEED,
        tickets: [
          { id: 160000001, field1: 'Seeded ticket', participants: [{ type: 'Client', protocolType: 'Mail', name: 'Dana', identifier: 'dana@example.com' }], transactions: [{ fromParticipant: 1, text: 'Hello?' }] },
        ],
      },
    });
    t.after(() => sandbox.close());
    // something to poll for the webhook examples
    await fetch(`${sandbox.baseUrl}/tickets/setstate/160000001?nextState=Pending`, { method: 'PUT', headers: { authorization: `Bearer ${sandbox.issueToken()}` } });

    const server = /\.listen\(/.test(block.code);
    const port = await freePort();
    const run = runBlock(block, `line-${block.line}`, sandbox, { PORT: String(port), ...(/\bREDIS_URL\b/.test(block.code) ? { REDIS_URL: await redisUrl() } : {}) });
    const { child, exited, text } = run;
    const killer = setTimeout(() => child.kill('SIGKILL'), 30000);

    if (server) {
      // a receiving server: it must accept a signed delivery and refuse a forged one
      await waitForPort(port, 10000);
      const body = JSON.stringify({ key: 'k-1', dateTime: new Date().toISOString(), changes: [{ _event: 'NEW_TICKET', ticketId: 160000001 }] });
      const date = new Date().toUTCString();
      const sig = (m, key = sandbox.credentials.apiSecret) => 'sha1=' + crypto.createHmac('sha1', key).update(m).digest('hex');
      const url = `http://127.0.0.1:${port}/`;
      const good = await fetch(url, { method: 'POST', body, headers: { 'x-hub-signature': sig(body), 'x-glassix-auth-date': date, 'x-glassix-auth-signature': sig(date) } });
      const forged = await fetch(url, { method: 'POST', body, headers: { 'x-hub-signature': sig(body, 'guess') } });
      assert.ok(good.status >= 200 && good.status < 300, `signed delivery answered ${good.status}`);
      assert.equal(forged.status, 401);
      child.kill('SIGTERM');
      await exited;
      assert.match(run.stdout, /NEW_TICKET/);
    } else {
      const { code, signal } = await exited;
      assert.equal(signal, null, `killed by ${signal}\n${run.stdout}\n${run.stderr}`);
      assert.equal(code, 0, `exit ${code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- program\n${text}`);
    }
    clearTimeout(killer);
    assert.equal(run.stderr, '', run.stderr);
  });
}

test('the "Many workers" example with Redis down: its calls reject with the store\'s network error, and the program ends on its own', async (t) => {
  const block = blocks.find((b) => /createRedisStore/.test(b.code) && /REDIS_URL/.test(b.code));
  assert.ok(block, 'the README has the Many workers example');
  const sandbox = await startSandbox({ credentials: { workspace: 'acme', apiSecret: 'readme-secret', userName: 'api-user@acme.com' } });
  t.after(() => sandbox.close());
  // nothing listens on REDIS_URL
  const run = runBlock(block, `redis-down-${block.line}`, sandbox, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  const { child, exited } = run;
  // (quit() instead of disconnect() kept it running for over a minute, then it crashed)
  const killer = setTimeout(() => child.kill('SIGKILL'), 45000);
  const { code, signal } = await exited;
  clearTimeout(killer);
  assert.equal(signal, null, `killed by ${signal}\n${run.stdout}\n${run.stderr}`);
  assert.equal(code, 0, `exit ${code}\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^0 of 3 sent$/m);
  // (ioredis itself logs each refused connection, with its stack, when nothing listens for its
  // 'error' events: the example's own lines are the three rejections)
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('protocols.send: '));
  assert.equal(lines.length, 3, run.stderr);
  for (const line of lines) assert.match(line, /^protocols\.send: no access token: the Redis store \(prefix "glassix:acme"\) failed: /);
  assert.equal(sandbox.requests.length, 0, 'nothing was sent');
});
