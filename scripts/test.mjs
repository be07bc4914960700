// `npm test`: every test suite, in order, stopping at the first failure.
//   npm test                 everything
//   npm test -- cargo node   only the named steps (see STEPS below)
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every step's temporary files go to one folder of this run (TMPDIR), removed when every step
// has passed. Without it each run left ~35 MB in /tmp: two Chromium profiles (wasm-pack's runner
// stops chromedriver without ending its session, so neither is deleted), now and then a
// browser driver's, and whatever a test that failed half-way had made. A failed run keeps the
// folder, named at the end, for a look at what it holds.
const scratch = mkdtempSync(join(tmpdir(), 'glassix-wasm-test-'));
const env = {
  ...process.env,
  TMPDIR: scratch,
  PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  // Debian's driver for Debian's Chromium; wasm-pack must never download one
  CHROMEDRIVER: process.env.CHROMEDRIVER || '/usr/bin/chromedriver',
};

const nodeTests = (dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.mjs') || f.endsWith('.test.cjs'))
    .map((f) => join(dir, f));

const STEPS = {
  setup: ['bash', ['scripts/setup.sh', '--browser']],
  cargo: ['cargo', ['test']],
  // the facade, the resource types (types/index.d.ts and the names in index.d.mts), the
  // README's method table and js/table.json are made from the table: stale output fails here
  generated: ['node', ['scripts/gen.mjs', '--check']],
  build: ['node', ['scripts/build.mjs']],
  // the same build again from a copy in another directory, with its own cargo target: every file
  // of pkg/ must come out byte for byte the same (README, License: a published .wasm can be
  // checked against these sources)
  reproducible: ['node', ['scripts/reproducible.mjs']],
  wasm: ['wasm-pack', ['test', '--node', '--', '--test', 'wasm']],
  chrome: ['wasm-pack', ['test', '--headless', '--chrome', '--', '--test', 'browser']],
  node: ['node', ['--test', ...nodeTests('tests')]],
  // the same suite under Node 22, 24 and 26 (each ships its own undici), from the ecosystem
  // step's cache of runtimes (scripts/node-versions.mjs)
  'node-versions': ['node', ['scripts/node-versions.mjs']],
  sandbox: ['node', ['--test', ...nodeTests('tests/sandbox')]],
  // glassix-wasm/redis against a real redis-server (scripts/setup.sh installs Debian's), started
  // by the tests themselves: in one process, and as a fleet of child processes. One file at a
  // time: the fleet test times token expiry to a few hundred ms, and the other file's Redis
  // clients running beside it on 2 cores made it miss that in clean-clone CI runs
  redis: ['node', ['--test', '--test-concurrency=1', ...nodeTests('tests/redis')]],
  types: ['node', ['scripts/typecheck.mjs']],
  // the packed tarball installed into temp folders and used from Node 18–24, Deno, Bun, workerd,
  // Vite, webpack, esbuild, bun build and tsc (tests/ecosystem/run.mjs); it installs its runtimes
  // and tools from the npm registry into a cache outside the clone
  ecosystem: ['node', ['tests/ecosystem/run.mjs']],
};

// Ctrl+C reaches the step too (one process group): the run stops after it, exit code 130, with
// the folder named, instead of dying at once without a word (a step that catches the signal
// itself, as `node --test` does, exits 1: the flag tells the two apart)
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));
const failed = (line, code) => {
  console.error(`\n== ${line}; this run's temporary files are in ${scratch} (rm -rf it when done)`);
  process.exit(code);
};

const wanted = process.argv.slice(2);
const times = [];
for (const [name, [cmd, args]] of Object.entries(STEPS)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== test step: ${name}: ${cmd} ${args.join(' ')}`);
  // a stuck step (say, a browser that never answers) fails the run instead of hanging CI
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', timeout: 30 * 60 * 1000, killSignal: 'SIGKILL' });
  const took = `${Math.round((Date.now() - started) / 1000)} s`;
  times.push(`${name} ${took}`);
  // (a step that a Ctrl+C ended exits non-zero; the signal reaches the handler once the event
  // loop polls: not by the next setImmediate, by a short timer)
  if (r.status !== 0) await new Promise((r) => setTimeout(r, 100));
  if (interrupted || r.signal === 'SIGINT') failed(`interrupted in test step ${name} after ${took}`, 130);
  if (r.status !== 0) failed(`test step ${name} failed (exit ${r.status ?? r.signal}) after ${took}`, 1);
  console.log(`\n== test step ${name} passed in ${took}`);
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\n== all test steps passed (${times.join(', ')})`);
