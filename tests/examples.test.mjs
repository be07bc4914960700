// Every example runs, so none can rot: the Node CommonJS and ESM scripts and the quickstart
// (`npm run demo`); the browser page has its own test (browser-e2e.test.mjs). Each runs with
// deprecations thrown (pending ones too): an app run with `--throw-deprecation` must not crash in
// the package or the sandbox (under Node 20, and 22 and 24 in the node-versions step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (file) => spawnSync(process.execPath, ['--throw-deprecation', '--pending-deprecation', file], { cwd: root, encoding: 'utf8', timeout: 30000, env: { ...process.env, GLASSIX_API_KEY: '' } });

test('examples/node-cjs.cjs', () => {
  const r = run('examples/node-cjs.cjs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^users: api@sandbox\.test, /m);
  assert.match(r.stdout, /tickets\.get\(999999999\): 404 http "/);
});

test('examples/node-esm.mjs', () => {
  const r = run('examples/node-esm.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ticket #\d+ opened \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d:\d\d: Where is my invoice\?$/m);
  assert.match(r.stdout, /^iterated ticket #\d+ \(Open\)$/m);
});

test('examples/quickstart.mjs walks a whole conversation and exits 0', () => {
  const r = run('examples/quickstart.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  for (const step of ['created ticket', 'sent message', 'tagged', 'added note', 'listed tickets', 'closed ticket', 'fetched PDF', 'webhook events', 'done']) {
    assert.match(r.stdout, new RegExp(`^${step} `, 'm'), step);
  }
  assert.match(r.stdout, /state is now Closed/);
  assert.match(r.stdout, /starts with %PDF-/);
  assert.match(r.stdout, /TICKET_STATE_CHANGE/);
});
