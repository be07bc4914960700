// `npm run bench` / `node bench/run.mjs [--quick] [case ...]`: runs each case of bench/cases/ in
// its own process, prints one table per case with its budgets, and writes
// bench/results/latest.json (latest-quick.json with --quick) plus a copy named
// <git short commit>-<date>.json (a run of selected cases writes only that copy). Budgets are reported, never enforced: the exit code is non-zero
// only when a case broke (a call failed, a child crashed or timed out).
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH, QUICK, ROOT } from './lib.mjs';

const CASES = [
  { id: 'size', file: 'size.mjs' },
  { id: 'cold-start', file: 'cold-start.mjs' },
  { id: 'overhead', file: 'overhead.mjs' },
  { id: 'memory', file: 'memory.mjs', execArgv: ['--expose-gc'] },
  { id: 'large', file: 'large.mjs', execArgv: ['--expose-gc'] },
  { id: 'bulk', file: 'bulk.mjs' },
  { id: 'workers', file: 'workers.mjs' },
  { id: 'export', file: 'export.mjs' },
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const TIMEOUT_MS = QUICK ? 100_000 : 15 * 60_000;

/** Forks one case; resolves with its result, or with { error } if it broke. */
function runOne({ id, file, execArgv = [] }) {
  return new Promise((resolve) => {
    const child = fork(join(BENCH, 'cases', file), QUICK ? ['--quick'] : [], { execArgv });
    let result;
    const timer = setTimeout(() => {
      result = { id, error: `timed out after ${TIMEOUT_MS / 1000} s` };
      child.kill();
    }, TIMEOUT_MS);
    child.on('message', (m) => (result ??= m));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && !result.error && code !== 0) result = { id, error: `exited with ${code ?? signal}` };
      resolve(result ?? { id, error: `exited with ${code ?? signal} and no result` });
    });
  });
}

const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};
const version = (file) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, file), 'utf8')).version;
  } catch {
    return null;
  }
};

function printTable({ head, rows }) {
  const all = [head, ...rows];
  const width = head.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : String(c ?? '').padStart(width[i]))).join('  ');
  console.log('  ' + line(head));
  console.log('  ' + width.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log('  ' + line(r));
}

// ------------------------------------------------------------------------------------- main

if (!existsSync(join(ROOT, 'pkg', 'index.cjs')) || !existsSync(join(ROOT, 'pkg', 'glassix_wasm_bg.wasm'))) {
  console.error('pkg/ is not built: run `npm run build` first');
  process.exit(1);
}

const commit = git('rev-parse', 'HEAD');
const meta = {
  date: new Date().toISOString(),
  quick: QUICK,
  git: { commit, short: git('rev-parse', '--short', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), dirty: commit ? git('status', '--porcelain') !== '' : null },
  machine: {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GB`,
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)), // other work on the machine skews timings
  },
  versions: { 'glassix-wasm': version('package.json'), axios: version('node_modules/axios/package.json') },
};

console.log(`glassix-wasm benchmarks${QUICK ? ' (quick: small N, figures are rough)' : ''}`);
console.log(`${meta.git.short ?? 'no git'}${meta.git.dirty ? ' (uncommitted changes)' : ''}, ${meta.date}`);
console.log(`node ${meta.machine.node}, ${meta.machine.cpu}, ${meta.machine.cores} cores, ${meta.machine.platform}, load ${meta.machine.loadAverageAtStart.join(' ')}\n`);

const t0 = Date.now();
const cases = {};
for (const c of CASES.filter((c) => only.length === 0 || only.includes(c.id))) {
  const started = Date.now();
  const r = await runOne(c);
  r.seconds = (Date.now() - started) / 1000;
  cases[c.id] = r;
  console.log(`■ ${r.title ?? c.id}  [${r.seconds.toFixed(1)} s]`);
  if (r.error) {
    console.log(`  BROKEN: ${r.error}\n`);
    continue;
  }
  printTable(r.table);
  for (const b of r.budgets) console.log(`  ${b.met ? 'met    ' : 'NOT MET'}  ${b.name}: ${b.text}`);
  for (const n of r.notes ?? []) console.log(`  · ${n}`);
  console.log('');
}

const budgets = Object.values(cases).flatMap((r) => (r.budgets ?? []).map((b) => ({ case: r.id, ...b })));
const broken = Object.values(cases).filter((r) => r.error);
console.log(`Budgets: ${budgets.filter((b) => b.met).length} met, ${budgets.filter((b) => !b.met).length} not met${broken.length ? `; ${broken.length} case(s) BROKEN: ${broken.map((r) => r.id).join(', ')}` : ''}`);

const out = { ...meta, only: only.length ? only : undefined, seconds: (Date.now() - t0) / 1000, budgets, cases };
const dir = join(BENCH, 'results');
mkdirSync(dir, { recursive: true });
const stamp = meta.date.replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
// latest.json is always a complete run; a run of some cases only gets just the stamped copy.
const suffix = (QUICK ? '-quick' : '') + (only.length ? `-${only.join('+')}` : '');
const files = [...(only.length ? [] : [`latest${QUICK ? '-quick' : ''}.json`]), `${meta.git.short ?? 'nogit'}-${stamp}${suffix}.json`];
for (const f of files) writeFileSync(join(dir, f), JSON.stringify(out, null, 2) + '\n');
console.log(`Results: ${files.map((f) => `bench/results/${f}`).join(', ')} (${out.seconds.toFixed(0)} s)`);
process.exitCode = broken.length ? 1 : 0;
