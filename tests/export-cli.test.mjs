// `glassix-wasm export tickets`: the CLI as real child processes against the sandbox (real HTTP),
// killed, interrupted and resumed. The sandbox's own state is the oracle.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, statSync, openSync, readdirSync, symlinkSync, linkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { BIN, NOW, startSandbox, exportSandbox, idsInRange, listRequests, envOf, runCli, tempDir, clientOf } from './helpers/export.mjs';
import { exportTickets } from '../export/index.mjs';

const RANGE = ['--since', '2024-01-01', '--until', '2025-02-28']; // all of 28 February: up to 23:59:59.99
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2025, 2, 1) - 10; // the last hundredth of 28 February

let sb;
let env;
before(async () => {
  sb = await exportSandbox();
  env = envOf(sb);
});
after(() => sb.close());

const ndjsonIds = (text) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l).id);
const sorted = (ids) => [...ids].sort((a, b) => a - b);
const checkpointOf = (file) => JSON.parse(readFileSync(`${file}.checkpoint.json`, 'utf8'));
const noSecret = (r) => {
  for (const text of [r.stdout, r.stderr]) {
    assert.ok(!text.includes(sb.credentials.apiSecret), 'the API secret is never printed');
  }
};

/** A `whileRunning` for runCli: `act(child)` once the sandbox has seen `n` more list requests
 * than when the child started (polled every millisecond until it exits). */
const afterListRequests = (n, act) => (child) => {
  const base = listRequests(sb).length;
  const timer = setInterval(() => {
    if (listRequests(sb).length - base < n) return;
    clearInterval(timer);
    act(child);
  }, 1);
  child.on('exit', () => clearInterval(timer));
};

/** An uninterrupted export of RANGE to `file`: the reference the interrupted ones must equal. */
async function reference(dir, extra = []) {
  const file = join(dir, `reference${extra.includes('csv') ? '.csv' : '.ndjson'}`);
  const r = await runCli(['tickets', ...RANGE, '--out', file, '--quiet', ...extra], { env });
  assert.equal(r.code, 0, r.stderr);
  return file;
}

describe('glassix-wasm export tickets', () => {
  test('NDJSON to a file and CSV to stdout hold exactly the sandbox tickets in range, each once', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'tickets.ndjson');
    const expected = idsInRange(sb, FROM, TO);
    assert.ok(expected.length > 2000);
    const r = await runCli(['tickets', ...RANGE, '--out', file], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'with --out nothing goes to stdout');
    assert.match(r.stderr, new RegExp(`glassix-wasm export: ${expected.length.toLocaleString('en-US')} tickets from 14 months written to ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const ids = ndjsonIds(readFileSync(file, 'utf8'));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(sorted(ids), expected);
    assert.equal(existsSync(`${file}.checkpoint.json`), false);
    noSecret(r);

    const csv = await runCli(['tickets', ...RANGE, '--format', 'csv', '--columns', 'id,state,field1,tags', '--state', 'Closed,Pending', '--quiet'], { env });
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stderr, '', '--quiet: nothing on stderr');
    const rows = parse(csv.stdout, { columns: true });
    assert.deepEqual(Object.keys(rows[0]), ['id', 'state', 'field1', 'tags']);
    assert.deepEqual(sorted(rows.map((row) => Number(row.id))), idsInRange(sb, FROM, TO, ['Closed', 'Pending']));
    // `--out -` is stdout too, and writes no file named '-'
    const dash = await runCli(['tickets', ...RANGE, '--format', 'csv', '--columns', 'id,state,field1,tags', '--state', 'Closed,Pending', '--quiet', '--out', '-'], { env, cwd: dirname(file) });
    assert.equal(dash.code, 0, dash.stderr);
    assert.equal(dash.stdout, csv.stdout);
    assert.ok(!existsSync(join(dirname(file), '-')) && !existsSync(join(dirname(file), '-.checkpoint.json')));

    // for Excel: a BOM, then the same rows; text cells a spreadsheet would run start with '
    const excel = await runCli(['tickets', ...RANGE, '--format', 'csv', '--columns', 'id,state,field1,tags', '--state', 'Closed,Pending', '--quiet', '--bom', '--escape-formulas'], { env });
    assert.equal(excel.code, 0, excel.stderr);
    assert.ok(excel.stdout.startsWith('\ufeffid,state,field1,tags\r\n'), JSON.stringify(excel.stdout.slice(0, 30)));
    const quoted = (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    assert.ok(rows.filter((row) => quoted(row.field1) !== row.field1).length >= 3, 'the sandbox generated subjects that start like a formula');
    assert.deepEqual(parse(excel.stdout, { columns: true, bom: true }), rows.map((row) => ({ ...row, field1: quoted(row.field1) })));
  });

  test('killed with SIGKILL at random pages, several times, then run again: the same file, each ticket once', async (t) => {
    const dir = tempDir(t);
    const ref = await reference(dir, ['--format', 'csv']);
    const before = listRequests(sb).length;
    await reference(dir, ['--format', 'csv', '--force']);
    const pages = listRequests(sb).length - before; // list requests of one whole export
    sb.setFaults({ latencyMs: 10 }); // slow enough that a kill lands mid-run
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const file = join(dir, 'killed.csv');
    const args = ['tickets', ...RANGE, '--format', 'csv', '--out', file, '--quiet'];
    const kills = [];
    for (let run = 0; run < 8 && kills.length < 4; run++) {
      // somewhere in the first 60% of what is left to read
      const left = existsSync(`${file}.checkpoint.json`) ? 1 - checkpointOf(file).windows.done / 14 : 1;
      const target = 1 + Math.floor(Math.random() * Math.max(1, pages * left * 0.6));
      const r = await runCli(args, { env, whileRunning: afterListRequests(target, (child) => child.kill('SIGKILL')) });
      if (r.code === 0) break; // it finished before the kill
      assert.equal(r.signal, 'SIGKILL', `${r.code} ${r.stderr}`);
      kills.push(target);
      assert.ok(existsSync(`${file}.checkpoint.json`), 'a killed run leaves its checkpoint');
      assert.ok(existsSync(`${file}.checkpoint.lock`), 'and its lock, which the next run takes over');
      assert.ok(statSync(file).size >= checkpointOf(file).output.bytes, 'the file holds at least what the checkpoint counts');
    }
    assert.ok(kills.length >= 3, `killed ${kills.length} times (after ${kills.join(', ')} list requests)`);
    const last = await runCli(args, { env });
    assert.equal(last.code, 0, last.stderr);
    assert.equal(existsSync(`${file}.checkpoint.json`), false);
    assert.equal(existsSync(`${file}.checkpoint.lock`), false);
    assert.ok(readFileSync(file).equals(readFileSync(ref)), `killed after ${kills.join(', ')} list requests: the resumed file differs from an uninterrupted one`);
    const ids = parse(readFileSync(file), { columns: true }).map((row) => Number(row.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(sorted(ids), idsInRange(sb, FROM, TO));
  });

  test('a month of thousands of tickets listed in no id order, killed with SIGKILL mid-month: the checkpoint holds exactly the ids written (sorted, as differences), and the resumed file is an uninterrupted one', async (t) => {
    const month = await startSandbox({ generateTickets: { count: 3000, since: '2024-03-01T00:00:00Z', until: '2024-03-31T23:00:00Z', seed: 5 }, now: () => NOW, maxRequestLog: 1_000_000 });
    t.after(() => month.close());
    const menv = envOf(month);
    const dir = tempDir(t);
    const args = (out) => ['tickets', '--since', '2024-03-01', '--until', '2024-03-31', '--out', out, '--quiet'];
    const ref = join(dir, 'reference.ndjson');
    assert.equal((await runCli(args(ref), { env: menv })).code, 0);
    month.setFaults({ latencyMs: 10 }); // slow enough that a kill lands mid-month
    const file = join(dir, 'killed.ndjson');
    const kills = [];
    let finished = false;
    for (let run = 0; run < 8 && kills.length < 3; run++) {
      // (of about 30 pages: each run is killed within 8 pages of where it resumed, so no resumed
      // run can finish before its kill until two kills are in; a target up to 17 let the second
      // run, with 15 pages left, finish first, and the test end with one kill)
      const target = 3 + Math.floor(Math.random() * 6);
      const r = await runCli(args(file), {
        env: menv,
        whileRunning: (child) => {
          const base = listRequests(month).length;
          const timer = setInterval(() => {
            if (listRequests(month).length - base < target) return;
            clearInterval(timer);
            child.kill('SIGKILL');
          }, 1);
          child.on('exit', () => clearInterval(timer));
        },
      });
      if ((finished = r.code === 0)) break; // it finished before the kill
      assert.equal(r.signal, 'SIGKILL', `${r.code} ${r.stderr}`);
      const cp = checkpointOf(file);
      if (cp.current?.window !== 0 || cp.output.tickets === 0) continue;
      kills.push(cp.output.tickets);
      const written = ndjsonIds(readFileSync(file).subarray(0, cp.output.bytes).toString());
      assert.equal(written.length, cp.output.tickets);
      assert.ok(written.some((id, i) => i > 0 && id < written[i - 1]) && written.some((id, i) => i > 0 && id > written[i - 1]), 'listed in no id order');
      assert.deepEqual(Object.keys(cp.seen), ['0'], 'one month: every id can come back only in it');
      const deltas = cp.seen[0];
      assert.ok(deltas.every((d) => d > 0), 'sorted ascending: the first id, then positive differences');
      let prev = 0;
      assert.deepEqual(deltas.map((d) => (prev += d)), sorted(written), 'exactly the ids written, none more');
    }
    assert.ok(kills.length >= 2, `killed mid-month ${kills.length} times (after ${kills.join(', ')} tickets)`);
    if (!finished) {
      const last = await runCli(args(file), { env: menv });
      assert.equal(last.code, 0, last.stderr);
    }
    assert.ok(readFileSync(file).equals(readFileSync(ref)), `killed after ${kills.join(', ')} tickets: the resumed file differs from an uninterrupted one`);
    const ids = ndjsonIds(readFileSync(file, 'utf8'));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(sorted(ids), idsInRange(month, Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1) - 1));
  });

  test('a second run on the same --out while the first runs: exit 2, one line naming the first, not a request; the first finishes as if alone', async (t) => {
    const dir = tempDir(t);
    const ref = await reference(dir);
    const file = join(dir, 'busy.ndjson');
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    let second;
    let firstPid;
    const first = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], {
      env,
      whileRunning: afterListRequests(3, (child) => {
        firstPid = child.pid;
        const before = sb.requests.length;
        // --force too: it must not overwrite a file another export is writing
        second = runCli(['tickets', ...RANGE, '--out', file, '--force'], { env }).then((r) => ({ ...r, before, after: sb.requests.length }));
      }),
    });
    const r = await second;
    assert.equal(first.code, 0, first.stderr);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `glassix-wasm export: ${file} is being written by another export (process ${firstPid}); wait for it to end, or delete ${file}.checkpoint.lock if none is running\n`);
    // no token request from the second (the first has its token): the sandbox saw no POST
    assert.equal(sb.requests.slice(r.before, r.after).filter((q) => q.method !== 'GET').length, 0);
    assert.ok(readFileSync(file).equals(readFileSync(ref)), 'the first export wrote what it writes alone');
    assert.equal(existsSync(`${file}.checkpoint.lock`), false);
  });

  test('SIGINT stops cleanly: exit 130, one line saying how to continue, a checkpoint matching the file', async (t) => {
    const dir = tempDir(t);
    const ref = await reference(dir);
    const file = join(dir, 'interrupted.ndjson');
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const r = await runCli(['tickets', ...RANGE, '--out', file], { env, whileRunning: afterListRequests(12, (child) => child.kill('SIGINT')) });
    assert.equal(r.code, 130, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('glassix-wasm export:'));
    assert.equal(lines.length, 1, r.stderr);
    // (the checkpoint named as --out was given, its folder included)
    assert.match(lines[0], /interrupted after [\d,]+ tickets \(\d+ of 14 months\)\. The checkpoint is in (.+): run the same command again to continue\./);
    assert.equal(/The checkpoint is in (.+): run/.exec(lines[0])[1], `${file}.checkpoint.json`);
    const cp = checkpointOf(file);
    assert.equal(statSync(file).size, cp.output.bytes, 'nothing beyond the checkpoint: the page in flight was finished or dropped');
    assert.equal(ndjsonIds(readFileSync(file, 'utf8')).length, cp.output.tickets);
    sb.setFaults({ latencyMs: 0 });
    const again = await runCli(['tickets', ...RANGE, '--out', file], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /\(resumed: [\d,]+ this run\)/);
    assert.ok(readFileSync(file).equals(readFileSync(ref)));
  });

  test('SIGTERM and SIGHUP (a closed terminal) stop as cleanly as SIGINT: exit 130, the lock removed, a checkpoint to continue from', async (t) => {
    const dir = tempDir(t);
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    for (const signal of ['SIGTERM', 'SIGHUP']) {
      const file = join(dir, `${signal}.ndjson`);
      const r = await runCli(['tickets', ...RANGE, '--out', file], { env, whileRunning: afterListRequests(3, (child) => child.kill(signal)) });
      assert.equal(r.code, 130, `${signal}: ${r.stderr}`);
      assert.match(r.stderr, /interrupted after .*The checkpoint is in .*: run the same command again to continue\./, signal);
      assert.ok(!existsSync(`${file}.checkpoint.lock`), `${signal}: the lock is removed`);
      assert.equal(statSync(file).size, checkpointOf(file).output.bytes, signal);
    }
  });

  test('without --until: refused when the checkpoint has a given --until, continued when its until was now', async (t) => {
    const dir = tempDir(t);
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    /** Runs `args`, interrupted (SIGINT) after its third list request: a clean checkpoint. */
    const interrupted = async (args) => {
      const r = await runCli(args, { env, whileRunning: afterListRequests(3, (child) => child.kill('SIGINT')) });
      assert.equal(r.code, 130, r.stderr);
    };
    const file = join(dir, 'h1.ndjson');
    await interrupted(['tickets', '--since', '2024-01-01', '--until', '2024-06-30', '--out', file, '--quiet']);
    const cp = readFileSync(`${file}.checkpoint.json`);
    const bytes = readFileSync(file);
    const before = sb.requests.length;
    const refused = await runCli(['tickets', '--since', '2024-01-01', '--out', file], { env });
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stderr.split('\n').filter(Boolean).length, 1, refused.stderr);
    assert.match(refused.stderr, /^glassix-wasm export: .*h1\.ndjson\.checkpoint\.json is from a different export \(--until 2024-06-30T23:59:59\.999Z, where this one has none and so ends now\); pass --until 2024-06-30T23:59:59\.999Z to continue it, or pass --force to start over\n$/);
    assert.equal(sb.requests.length, before, 'no request reached the sandbox');
    assert.ok(readFileSync(`${file}.checkpoint.json`).equals(cp) && readFileSync(file).equals(bytes), 'the checkpoint and output are left alone');
    // the --until it names continues it
    const again = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-06-30T23:59:59.999Z', '--out', file], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /\(resumed: [\d,]+ this run\)/);
    assert.deepEqual(sorted(ndjsonIds(readFileSync(file, 'utf8'))), idsInRange(sb, FROM, Date.UTC(2024, 6, 1) - 1));

    // no --until, twice: the second run continues up to the first one's now, and says so
    const open = join(dir, 'open.ndjson');
    await interrupted(['tickets', '--since', '2024-12-01', '--out', open, '--quiet']);
    const openCp = checkpointOf(open);
    assert.equal(openCp.untilGiven, false);
    const resumed = await runCli(['tickets', '--since', '2024-12-01', '--out', open], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`\\(resumed: [\\d,]+ this run; up to ${openCp.until.replace(/[.]/g, '\\.')}, when the first run started, as no --until was given\\)`));
    assert.deepEqual(sorted(ndjsonIds(readFileSync(open, 'utf8'))), idsInRange(sb, Date.UTC(2024, 11, 1), Date.parse(openCp.end)));
  });

  test('a request that keeps failing: exit 1, one line with the reason and the hint; the next run completes', async (t) => {
    const dir = tempDir(t);
    const ref = await reference(dir);
    const file = join(dir, 'failed.ndjson');
    t.after(() => sb.setFaults({ failureRate: 0 }));
    // every call answers 502/503/504 after the eighth list request
    const r = await runCli(['tickets', ...RANGE, '--out', file], { env, whileRunning: afterListRequests(8, () => sb.setFaults({ failureRate: 1 })) });
    sb.setFaults({ failureRate: 0 });
    assert.equal(r.code, 1, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.includes('failed after'));
    assert.match(line, /glassix-wasm export: failed after [\d,]+ tickets \(\d+ of 14 months\): .+\. The checkpoint is in (.+): run the same command again to continue\./);
    assert.equal(/The checkpoint is in (.+): run/.exec(line)[1], `${file}.checkpoint.json`);
    const again = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.ok(readFileSync(file).equals(readFileSync(ref)));
  });

  test('a failed run in a pipe prints its progress line once: not again when the line is ended', async (t) => {
    t.after(() => sb.setFaults({ failureRate: 0 }));
    sb.setFaults({ failureRate: 1 });
    const r = await runCli(['tickets', ...RANGE, '--max-retries', '0'], { env });
    sb.setFaults({ failureRate: 0 });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0], /^months 0\/14 \| 0 tickets \| 0 tickets\/s \| ETA --$/);
    assert.match(lines[1], /^glassix-wasm export: failed after 0 tickets \(0 of 14 months\)/);
  });

  test('a failure of the output itself: its reason once, and no checkpoint hint when none was written', async (t) => {
    // stdout on /dev/full: every write fails with ENOSPC
    // (spawned, not spawnSync: the sandbox answers from this process)
    const full = await new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'export', 'tickets', ...RANGE, '--quiet'], { env, stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('exit', (status) => resolve({ status, stderr }));
    });
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, /: ENOSPC: no space left on device, write\. The output went to stdout/);
    assert.doesNotMatch(full.stderr, /ENOSPC: ENOSPC/);
    // sysfs refuses new files, even to root (EACCES): nothing was written, and running it again
    // cannot help, so it is bad input (exit 2), which ends the README's retry loop
    if (!existsSync('/sys/kernel')) return t.diagnostic('no /sys: the second half is skipped');
    const blocked = await runCli(['tickets', ...RANGE, '--out', '/sys/kernel/glassix-export-test.ndjson', '--quiet'], { env });
    assert.equal(blocked.code, 2, blocked.stderr);
    assert.match(blocked.stderr, /EACCES: permission denied.*\. Nothing was written\.\n$/);
    assert.equal(blocked.stderr.split('\n').length, 2, 'one line');
    assert.doesNotMatch(blocked.stderr, /The checkpoint is in|run the same command again/);
  });

  test('stdout closed by its reader (| head -1): exit 141, as a tool SIGPIPE stops, never 0 nor the 1 of "run again"; one line saying the output is incomplete, none with --quiet', async () => {
    for (const quiet of [false, true]) {
      const r = await new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, 'export', 'tickets', ...RANGE, ...(quiet ? ['--quiet'] : [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (d) => { stderr += d; });
        // what head -1 does: read up to the first line, then close the pipe
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.includes('\n')) child.stdout.destroy();
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(r.code, 141, r.stderr);
      assert.equal(typeof JSON.parse(r.stdout.split('\n')[0]).id, 'number');
      if (quiet) {
        assert.equal(r.stderr, '');
        continue;
      }
      const said = r.stderr.split('\n').filter((l) => l.startsWith('glassix-wasm export:'));
      assert.equal(said.length, 1, r.stderr);
      assert.match(said[0], /^glassix-wasm export: stopped after .+: stdout was closed by its reader, so the output is incomplete and cannot be continued: use --out FILE for a resumable export\.$/);
    }
  });

  test('a stderr that fails (a full disk, a closed pipe) costs the progress lines, never the export', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'tickets.ndjson');
    const status = await new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'export', 'tickets', ...RANGE, '--out', file], { env, stdio: ['ignore', 'ignore', openSync('/dev/full', 'w')] });
      child.on('exit', (code) => resolve(code));
    });
    assert.equal(status, 0);
    assert.ok(!existsSync(`${file}.checkpoint.json`) && !existsSync(`${file}.checkpoint.lock`));
    assert.deepEqual(sorted(ndjsonIds(readFileSync(file, 'utf8'))), sorted(idsInRange(sb, FROM, TO)));
  });

  test('--max-retries and --timeout reach the client: a page that keeps failing is tried 1 + N times; the failure line gives the HTTP status', async (t) => {
    t.after(() => sb.setFaults({ failureRate: 0 }));
    sb.setFaults({ failureRate: 1 });
    for (const [flags, attempts] of [[['--max-retries', '0'], 1], [['--max-retries', '3'], 4]]) {
      const before = listRequests(sb).length;
      const r = await runCli(['tickets', ...RANGE, '--quiet', '--max-concurrency', '1', ...flags], { env });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(listRequests(sb).length - before, attempts, flags.join(' '));
      assert.match(r.stderr, /failed after 0 tickets \(0 of 14 months\): .+ \(HTTP 50[234]\)\. The output went to stdout/);
    }
    sb.setFaults({ failureRate: 0, latencyMs: 300 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const slow = await runCli(['tickets', ...RANGE, '--quiet', '--max-retries', '0', '--timeout', '100'], { env });
    assert.equal(slow.code, 1, slow.stderr);
    assert.match(slow.stderr, /timed out after 100 ms\. The output went to stdout/);
  });

  test('by default a page is tried 7 times (--max-retries 6): a burst of five 429s and a burst of five 5xx are waited out, and the file is complete', async (t) => {
    const dir = tempDir(t);
    t.after(() => sb.setFaults({ burst429: 0, burst5xx: 0, retryAfter: 1 }));
    const before = listRequests(sb).length;
    sb.setFaults({ burst429: 5, retryAfter: 0 });
    const file = join(dir, 'waited.ndjson');
    const r = await runCli(['tickets', ...RANGE, '--out', file, '--quiet', '--max-concurrency', '1'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sorted(ndjsonIds(readFileSync(file, 'utf8'))), sorted(idsInRange(sb, FROM, TO)));
    assert.ok(listRequests(sb).length - before >= 5 + 14, 'the 429s were answered to list requests');
    sb.setFaults({ burst5xx: 5 });
    const r5 = await runCli(['tickets', ...RANGE, '--quiet', '--max-concurrency', '1'], { env });
    assert.equal(r5.code, 0, r5.stderr);
    assert.deepEqual(sorted(ndjsonIds(r5.stdout)), sorted(idsInRange(sb, FROM, TO)));
  });

  test('more 429s in a row than the retries, each with a Retry-After (the API pacing the export): waited out, the file complete; --max-retries 0 still stops at the first, saying it is the rate limit', async (t) => {
    const dir = tempDir(t);
    t.after(() => sb.setFaults({ burst429: 0, retryAfter: 1 }));
    sb.setFaults({ burst429: 10, retryAfter: 0 });
    const file = join(dir, 'paced.ndjson');
    const r = await runCli(['tickets', ...RANGE, '--out', file, '--quiet', '--max-concurrency', '1', '--max-retries', '2'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sorted(ndjsonIds(readFileSync(file, 'utf8'))), sorted(idsInRange(sb, FROM, TO)));
    sb.setFaults({ burst429: 1, retryAfter: 0 });
    const zero = await runCli(['tickets', ...RANGE, '--quiet', '--max-retries', '0'], { env });
    assert.equal(zero.code, 1, zero.stderr);
    assert.match(zero.stderr, /: Too many requests \(HTTP 429; the API's rate limit: run again later, or with a lower --rate-limit\)\. The output went to stdout/);
    // a wait of a minute exactly is the API pacing it too (one longer than a minute is named)
    for (const [retryAfter, says] of [[60, /\(HTTP 429; the API's rate limit: run again later, or with a lower --rate-limit\)/], [61, /\(HTTP 429; the API asked to wait 61 s: run again after that, or with a lower --rate-limit\)/]]) {
      sb.setFaults({ burst429: 1, retryAfter });
      const minute = await runCli(['tickets', ...RANGE, '--quiet', '--max-retries', '0'], { env });
      assert.equal(minute.code, 1, minute.stderr);
      assert.match(minute.stderr, says, `Retry-After: ${retryAfter}`);
    }
  });

  test('credentials the API refuses (a 4xx before anything was written): exit 2, one line, nothing written, so the README\'s retry loop stops; the failure line counts in the singular too', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'refused.ndjson');
    const r = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], { env: { ...env, GLASSIX_API_SECRET: 'not-the-secret' } });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /\(HTTP 4\d\d\)\. Nothing was written: run the same command again once the cause is fixed\.$/);
    assert.ok(!r.stderr.includes('not-the-secret'));
    assert.deepEqual(readdirSync(dir), [], 'no output, no checkpoint, no lock');
    // a failure in a one-month range: "0 of 1 month"
    t.after(() => sb.setFaults({ failureRate: 0 }));
    sb.setFaults({ failureRate: 1 });
    const one = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-01-02', '--quiet', '--max-retries', '0'], { env });
    assert.equal(one.code, 1, one.stderr);
    assert.match(one.stderr, /failed after 0 tickets \(0 of 1 month\): /);
  });

  test('a failure that running it again cannot fix ends the README\'s loop (exit 2), a resumed run too: credentials refused (a rotated secret, an expired GLASSIX_ACCESS_TOKEN) before this run wrote a ticket, or a ticket the export will not write', async (t) => {
    const dir = tempDir(t);
    const ref = await reference(dir);
    const file = join(dir, 'resumed.ndjson');
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const first = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], { env, whileRunning: afterListRequests(12, (child) => child.kill('SIGINT')) });
    assert.equal(first.code, 130, first.stderr);
    sb.setFaults({ latencyMs: 0 });
    const cp = readFileSync(`${file}.checkpoint.json`, 'utf8');
    for (const bad of [{ GLASSIX_API_SECRET: 'rotated-secret-value' }, { GLASSIX_API_KEY: '', GLASSIX_ACCESS_TOKEN: 'an-expired-token-value' }]) {
      const r = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], { env: { ...env, ...bad } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^glassix-wasm export: failed after [\d,]+ tickets \(\d+ of 14 months\): .*\(HTTP 401\)\. The checkpoint is in .+: run the same command again once the cause is fixed, to continue\.\n$/);
      assert.equal(readFileSync(`${file}.checkpoint.json`, 'utf8'), cp, 'the checkpoint is as it was');
    }
    const again = await runCli(['tickets', ...RANGE, '--out', file, '--quiet'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.ok(readFileSync(file).equals(readFileSync(ref)));

    // a ticket with an integer beyond 2^53: every run stops at it
    const { startServer } = await import('./helpers/server.mjs');
    const s = await startServer();
    t.after(() => s.close());
    // (a first page of 100 tickets, written and checkpointed; the next page holds the ticket)
    const ticket = (id, extra = '') => `{"id":${id},"open":"2024-01-05T10:${String(id % 60).padStart(2, '0')}:00Z"${extra}}`;
    const page1 = Array.from({ length: 100 }, (_, i) => ticket(i + 1)).join(',');
    s.route('GET', '/tickets/list', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(new URL(req.url, 'http://x').searchParams.get('page') === '2'
        ? `{"tickets":[${ticket(101, ',"count":12345678901234567891')}],"paging":{}}`
        : `{"tickets":[${page1}],"paging":{"next":"${s.base}/tickets/list?page=2"}}`);
    });
    const big = join(dir, 'big.ndjson');
    for (let run = 0; run < 2; run += 1) {
      const r = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-01-31', '--out', big, '--quiet'], { env: { ...env, GLASSIX_BASE_URL: s.base } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^glassix-wasm export: failed after 100 tickets \(0 of 1 month\): ticket 101 holds an integer beyond 2\^53 .*\. The checkpoint is in .+: running it again stops at the same ticket\.\n$/);
    }
  });

  test('a refusal after this run wrote tickets (a 4xx on a later page) and a 408 (the server timed the request out) are failures to run again, exit 1, not the exit 2 of a request that cannot succeed', async (t) => {
    const { startServer, json } = await import('./helpers/server.mjs');
    const s = await startServer();
    t.after(() => s.close());
    // a first page of 100 tickets (written and checkpointed), then the next page answered `status`
    let status = 403;
    let firstStatus = 200;
    const page1 = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, open: '2024-01-05T10:00:00Z' }));
    s.route('GET', '/tickets/list', (req, res, rec) => {
      if (rec.query.page === '2') return json(res, status, { message: 'Refused here' });
      if (firstStatus !== 200) return json(res, firstStatus, { message: 'Request Timeout' });
      json(res, 200, { tickets: page1, paging: { next: `${s.base}/tickets/list?page=2` } });
    });
    const dir = tempDir(t);
    const args = (file) => ['tickets', '--since', '2024-01-01', '--until', '2024-01-31', '--out', file, '--quiet', '--max-retries', '0'];
    const later = await runCli(args(join(dir, 'later.ndjson')), { env: { ...env, GLASSIX_BASE_URL: s.base } });
    assert.equal(later.code, 1, later.stderr);
    assert.match(later.stderr, /^glassix-wasm export: failed after 100 tickets \(0 of 1 month\): Refused here \(HTTP 403\)\. The checkpoint is in .+: run the same command again to continue\.\n$/);
    // a 408 on the first page, before anything was written
    firstStatus = 408;
    const timedOut = await runCli(args(join(dir, 'timed-out.ndjson')), { env: { ...env, GLASSIX_BASE_URL: s.base } });
    assert.equal(timedOut.code, 1, timedOut.stderr);
    assert.match(timedOut.stderr, /^glassix-wasm export: failed after 0 tickets \(0 of 1 month\): Request Timeout \(HTTP 408\)\. Nothing was written: run the same command again once the cause is fixed\.\n$/);
  });

  test('an output with a second name (a hard link, which would get a lock of its own beside it) is refused with exit 2 by either name, before any request, and nothing is written', async (t) => {
    const dir = tempDir(t);
    const real = join(dir, 'real.ndjson');
    const hard = join(dir, 'hard.ndjson');
    writeFileSync(real, 'kept\n');
    linkSync(real, hard);
    const before = listRequests(sb).length;
    for (const out of [real, hard]) {
      const r = await runCli(['tickets', ...RANGE, '--out', out, '--force', '--quiet'], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /has 2 names \(hard links\)/);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
    assert.equal(listRequests(sb).length, before, 'no request');
    assert.equal(readFileSync(real, 'utf8'), 'kept\n');
    assert.deepEqual(readdirSync(dir).sort(), ['hard.ndjson', 'real.ndjson']);
  });

  test('an output name too long for its checkpoint and lock beside it (a name of 240 bytes, where 255 is the limit) is refused with exit 2: running it again cannot help', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, `${'a'.repeat(233)}.ndjson`);
    const r = await runCli(['tickets', ...RANGE, '--out', out, '--quiet'], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^glassix-wasm export: ENAMETOOLONG: .+\. Nothing was written\.\n$/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a fresh export whose output cannot be opened (here a link into a folder that is not there: as a read-only file or a full disk would) leaves no checkpoint behind and says nothing was written', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'out.ndjson');
    symlinkSync(join(dir, 'gone', 'out.ndjson'), out);
    const r = await runCli(['tickets', ...RANGE, '--out', out, '--quiet'], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /failed after the start: ENOENT: .+\. Nothing was written: run the same command again once the cause is fixed\./);
    assert.deepEqual(readdirSync(dir), ['out.ndjson'], 'the link only');
  });

  test('wrong credentials: exit 2 (running it again cannot help: the README\'s retry loop stops) with the API\'s reason, and the secret is never printed', async () => {
    const r = await runCli(['tickets', ...RANGE, '--quiet'], { env: { ...env, GLASSIX_API_SECRET: 'wrong-secret-value' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /failed after 0 tickets \(0 of 14 months\): tickets\.iterate: no access token: Invalid apiKey or apiSecret \(HTTP 401\)\. The output went to stdout/);
    assert.ok(!r.stderr.includes('wrong-secret-value') && !r.stdout.includes('wrong-secret-value'));
  });

  test('a Node without its Fetch API (started with --no-experimental-fetch): exit 2, one line saying so in the command\'s words, nothing written, not a request', async (t) => {
    const dir = tempDir(t);
    // (the flag itself is gone from Node 24: the same globals removed before the CLI starts)
    const preload = join(dir, 'no-fetch.cjs');
    writeFileSync(preload, 'for (const name of ["fetch", "Headers", "Request", "Response"]) delete globalThis[name];\n');
    const out = join(dir, 't.ndjson');
    const before = sb.requests.length;
    const r = await runCli(['tickets', ...RANGE, '--out', out, '--quiet'], { env: { ...env, NODE_OPTIONS: `--require ${preload}` } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, 'glassix-wasm export: failed after 0 tickets (0 of 14 months): tickets.iterate: no access token: getToken: no Fetch API (fetch, Headers, Request, Response): this Node has none (was it started with --no-experimental-fetch?). Nothing was written: run the same command again once the cause is fixed.\n');
    assert.equal(sb.requests.length, before, 'not a request');
    assert.deepEqual(readdirSync(dir), ['no-fetch.cjs']);
  });

  test('a fresh export that fails before its first ticket leaves no output and no checkpoint behind', async (t) => {
    const dir = tempDir(t);
    for (const format of ['ndjson', 'csv']) {
      const out = join(dir, `t.${format}`);
      const r = await runCli(['tickets', ...RANGE, '--format', format, '--out', out, '--quiet'], { env: { ...env, GLASSIX_API_SECRET: 'wrong-secret-value' } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /failed after 0 tickets \(0 of 14 months\): tickets\.iterate: no access token: Invalid apiKey or apiSecret \(HTTP 401\)\. Nothing was written: run the same command again once the cause is fixed\./);
      assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith(`t.${format}`)), []);
      // so another range is not refused as "a checkpoint from a different export"
      const again = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-01-31', '--format', format, '--out', out, '--quiet'], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.ok(existsSync(out) && !existsSync(`${out}.checkpoint.json`));
    }
  });

  test('bad input: one line, exit 2, and not a single request', async (t) => {
    const dir = tempDir(t);
    const existing = join(dir, 'existing.ndjson');
    writeFileSync(existing, 'keep\n');
    // a checkpoint of another range, and of another format
    const other = join(dir, 'other.ndjson');
    const stopped = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-03-31', '--out', other, '--quiet'], {
      env, whileRunning: (child) => { const b = listRequests(sb).length; const i = setInterval(() => { if (listRequests(sb).length > b) { clearInterval(i); child.kill('SIGKILL'); } }, 1); child.on('exit', () => clearInterval(i)); },
    });
    assert.ok(stopped.signal === 'SIGKILL' || stopped.code === 0);
    if (stopped.code === 0) writeFileSync(`${other}.checkpoint.json`, JSON.stringify({ version: 1 })); // finished too fast: any checkpoint of another export will do
    const cases = [
      [['tickets', '--since', '2024-13-01', '--out', join(dir, 'a')], /since '2024-13-01' is not a date/],
      [['tickets', '--since', '2024-06-01', '--until', '01/05/2024 00:00:00:00', '--out', join(dir, 'a')], /--since .* is after --until/],
      [['tickets', '--since', '2024-06-01', '--format', 'xml', '--out', join(dir, 'a')], /format must be 'ndjson' or 'csv'/],
      [['tickets', '--since', '2024-06-01', '--format', 'csv', '--columns', 'id,bogus', '--out', join(dir, 'a')], /unknown column 'bogus'/],
      [['tickets', '--since', '2024-06-01', '--format', 'csv', '--columns', 'id,,state', '--out', join(dir, 'a')], /columns 'id,,state' has an empty name in it/],
      [['tickets', '--since', '2024-06-01', '--state', 'Open,', '--out', join(dir, 'a')], /state 'Open,' has an empty name in it/],
      // tickets/list returns no transactions: a column that could only ever be empty is refused
      [['tickets', '--since', '2024-06-01', '--format', 'csv', '--columns', 'transactions,id', '--out', join(dir, 'a')], /unknown column 'transactions'/],
      [['tickets', '--since', '2024-06-01', '--state', 'Lost'], /unknown state 'Lost'/],
      [['tickets', '--since', '2024-06-01', '--out', existing], /already exists and has no checkpoint \(a finished export's is deleted, so it is one, or another file\); pass --force to overwrite it/],
      [['tickets', '--since', '2024-02-01', '--until', '2024-03-31', '--out', other], /is (from a different export \(--since 2024-01-01T00:00:00\.000Z\); |not a checkpoint)/],
      [['tickets', '--since', '2024-01-01', '--until', '2024-03-31', '--format', 'csv', '--out', other], /is (from a different export \(--format ndjson\); |not a checkpoint)/],
      [['tickets', '--until', '2024-03-31'], /--since is required/],
      [['tickets', '--since', '2024-01-01', '--max-retries', 'many'], /--max-retries must be an integer 0\.\.100/],
      [['tickets', '--since', '2024-01-01', '--max-retries', '101'], /--max-retries must be an integer 0\.\.100/],
      [['tickets', '--since', '2024-01-01', '--timeout', '0'], /--timeout must be a number of milliseconds, 1 to 2147483647/],
      [['tickets', '--since', '2024-01-01', '--timeout', '1.5'], /--timeout must be a number of milliseconds/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', 'fast'], /--rate-limit must look like N\/MS/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', '500'], /--rate-limit must look like N\/MS/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', '0/1000'], /--rate-limit must look like N\/MS/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', '5/99999999999999999999999'], /--rate-limit must look like N\/MS, e\.g\. 500\/60000: N requests \(1 or more\) per MS milliseconds \(1 to 2147483647, about 24\.8 days\) \(see glassix-wasm export --help\)/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', '99999999999999999999/1000'], /--rate-limit must look like N\/MS/],
      [['tickets', '--since', '2024-01-01', '--rate-limit', '2/2147483648'], /--rate-limit must look like N\/MS/],
      [['tickets', '--since', '2024-01-01', '--max-concurrency', '0'], /--max-concurrency must be an integer/],
      [['tickets', '--since', '2024-01-01', '--max-concurrency', 'two'], /--max-concurrency must be an integer/],
      [['tickets', '--since'], /option --since needs a value/],
      [['tickets', '--since', '2024-01-01', '--quiet=yes'], /option --quiet takes no value/],
      [['tickets', '--since', '2024-01-01', '--bom'], /--bom applies to --format csv only/],
      [['tickets', '--since', '2024-01-01', '--format', 'ndjson', '--escape-formulas'], /--escape-formulas applies to --format csv only/],
      [['tickets', '--since', '2024-01-01', '--format', 'csv', '--bom=1'], /option --bom takes no value/],
      [['tickets', '--since', '2024-01-01', 'extra'], /unexpected argument/],
      [['tickets', '--since', '2024-01-01', '--since', '2024-02-01'], /option --since is given twice/],
      [['tickets', '--since', '2024-01-01', '--api-secret=sandbox-secret'], /unknown option --api-secret \(see glassix-wasm export --help\)$/m],
      [['users', '--since', '2024-01-01'], /only tickets/],
      [[], /export what\?/],
      // the library's refusals name the command's flags, not its options
      [['tickets', '--since', '2024-06-01', '--columns', 'id', '--out', join(dir, 'a')], /: --columns apply to --format csv only$/m],
      [['tickets', '--since=', '--out', join(dir, 'a')], /: --since '' is not a date/],
      [['tickets', '--since', '2024-06-01', '--until', '2024-01-01', '--out', join(dir, 'a')], /: --since \S+ is after --until /],
      [['tickets', '--since', '2024-06-01', '--out='], /: --out needs a file name, or - for stdout/],
    ];
    const before = sb.requests.length;
    for (const [args, message] of cases) {
      const r = await runCli(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message, args.join(' '));
      assert.match(r.stderr, /^glassix-wasm export: [^\n]+\n$/, `exactly one line: ${args.join(' ')}`);
      noSecret(r);
    }
    for (const [unset, message] of [
      [{ GLASSIX_API_SECRET: '' }, /missing: GLASSIX_API_SECRET\), or GLASSIX_ACCESS_TOKEN/],
      [{ GLASSIX_BASE_URL: '' }, /set GLASSIX_WORKSPACE \(or GLASSIX_BASE_URL\)/],
      [{ GLASSIX_BASE_URL: `${env.GLASSIX_BASE_URL}?sig=1` }, /: GLASSIX_BASE_URL must not carry a query, a fragment or credentials/],
      [{ GLASSIX_API_KEY: '', GLASSIX_ACCESS_TOKEN: 'a b' }, /: GLASSIX_ACCESS_TOKEN has whitespace/],
    ]) {
      const noCreds = await runCli(['tickets', '--since', '2024-01-01'], { env: { ...env, ...unset } });
      assert.equal(noCreds.code, 2);
      assert.match(noCreds.stderr, message);
      assert.match(noCreds.stderr, /^glassix-wasm export: [^\n]+\n$/, 'exactly one line');
    }
    assert.equal(sb.requests.length, before, 'no request reached the sandbox');
    assert.equal(readFileSync(existing, 'utf8'), 'keep\n');
    assert.equal(existsSync(join(dir, 'a')), false);
  });

  test('a second Ctrl+C stops at once and still ends the live line first: the terminal gets its line wrapping back', async (t) => {
    const { createRequire } = await import('node:module');
    const { EventEmitter } = await import('node:events');
    const { main } = createRequire(import.meta.url)('../export/cli.cjs');
    // the command itself, in this process, with a terminal for stderr and a process stand-in
    let written = '';
    const stderr = { isTTY: true, columns: 120, write: (text) => ((written += text), true), on() {}, once() {}, removeListener() {} };
    const proc = new EventEmitter();
    let exited;
    const stopped = new Promise((resolve) => (proc.exit = (code) => resolve((exited = code))));
    sb.setFaults({ latencyMs: 200 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const running = main(['tickets', ...RANGE, '--out', join(tempDir(t), 'twice.ndjson')], { env, stderr, proc });
    while (!/months /.test(written)) await new Promise((r) => setTimeout(r, 20));
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    assert.equal(await stopped, 130);
    assert.equal(exited, 130);
    const wrapOff = written.lastIndexOf('\x1b[?7l');
    assert.ok(wrapOff >= 0, 'the live line turned line wrapping off');
    assert.ok(written.lastIndexOf('\x1b[?7h') > wrapOff, 'and it was turned back on before the exit');
    // (the live line ended, then the one line; the stand-in's exit returns, so the run goes on)
    assert.ok(written.includes('\x1b[?7h\x1b8\nglassix-wasm export: SIGINT again: stopping now. Run the same command again to continue.\n'), JSON.stringify(written.slice(-300)));
    await running.catch(() => {});
  });

  test('a checkpoint of another format, columns, CSV options or states: the refusal lists only what differs, as the flags that would continue it', async (t) => {
    const dir = tempDir(t);
    const client = clientOf(sb);
    // a checkpoint after the first of three months
    const made = async (name, options) => {
      const out = join(dir, name);
      const controller = new AbortController();
      const err = await exportTickets({ client, since: '2024-01-01', until: '2024-03-31', out, signal: controller.signal, onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); }, ...options }).catch((e) => e);
      assert.equal(err?.kind, 'aborted', String(err));
      return out;
    };
    const ndjson = await made('a.ndjson', {});
    const csvAll = await made('b.csv', { format: 'csv' });
    const csvSome = await made('c.csv', { format: 'csv', columns: 'id,state', bom: true });
    const before = sb.requests.length;
    for (const [file, flags, said] of [
      [ndjson, ['--format', 'csv'], '--format ndjson'], // not "columns (none)" too
      [ndjson, ['--format', 'csv', '--columns', 'id', '--bom'], '--format ndjson'],
      [ndjson, ['--state', 'Open'], 'no --state (every state)'],
      [csvAll, [], '--format csv'], // not its 63 column names
      [csvAll, ['--format', 'csv', '--columns', 'id'], 'no --columns (every column)'],
      [csvSome, [], '--format csv; --columns id,state; --bom'],
      [csvSome, ['--format', 'csv', '--columns', 'id,state', '--escape-formulas'], '--bom; no --escape-formulas'],
    ]) {
      const r = await runCli(['tickets', '--since', '2024-01-01', '--until', '2024-03-31', '--out', file, ...flags], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `glassix-wasm export: ${file}.checkpoint.json is from a different export (${said}); run that export again to continue it, or pass --force to start over\n`, flags.join(' '));
    }
    assert.equal(sb.requests.length, before, 'no request reached the sandbox');
  });

  test("a checkpoint is continued only by the account that wrote it: another API key or user name is refused before any request, and the checkpoint holds a hash, never the values", async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'account.ndjson');
    const args = ['tickets', ...RANGE, '--out', file, '--quiet'];
    sb.setFaults({ latencyMs: 10 }); // slow enough that the kill lands mid-run
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const stopped = await runCli(args, {
      env,
      whileRunning: (child) => {
        const i = setInterval(() => {
          if (existsSync(`${file}.checkpoint.json`) && existsSync(file) && statSync(file).size > 0) {
            clearInterval(i);
            child.kill('SIGKILL');
          }
        }, 1);
        child.on('exit', () => clearInterval(i));
      },
    });
    assert.equal(stopped.signal, 'SIGKILL', stopped.stderr);
    const cpText = readFileSync(`${file}.checkpoint.json`, 'utf8');
    assert.match(JSON.parse(cpText).account, /^[0-9a-f]{32}$/);
    for (const value of [sb.credentials.apiKey, sb.credentials.apiSecret, sb.credentials.userName]) {
      assert.ok(!cpText.toLowerCase().includes(value.toLowerCase()), 'no credential in the checkpoint');
    }
    const [outBefore, cpBefore, requestsBefore] = [readFileSync(file), cpText, sb.requests.length];
    for (const other of [{ GLASSIX_API_KEY: '00000000-0000-4000-8000-000000000002' }, { GLASSIX_USER_NAME: 'someone.else@example.com' }]) {
      const r = await runCli(args, { env: envOf(sb, other) });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^glassix-wasm export: .*account\.ndjson\.checkpoint\.json is from a different export \(another account\); run that export again to continue it, or pass --force to start over\n$/);
      noSecret(r);
    }
    assert.equal(sb.requests.length, requestsBefore, 'not a single request');
    assert.ok(readFileSync(file).equals(outBefore) && readFileSync(`${file}.checkpoint.json`, 'utf8') === cpBefore, 'output and checkpoint untouched');
    // the same account, its user name written in capitals: continued to the end
    const resumed = await runCli(args, { env: envOf(sb, { GLASSIX_USER_NAME: sb.credentials.userName.toUpperCase() }) });
    assert.equal(resumed.code, 0, resumed.stderr);
    const ids = ndjsonIds(readFileSync(file, 'utf8'));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(sorted(ids), idsInRange(sb, FROM, TO));
  });

  test('GLASSIX_ACCESS_TOKEN alone is enough', async () => {
    const tokenEnv = { ...env, GLASSIX_API_KEY: '', GLASSIX_API_SECRET: '', GLASSIX_USER_NAME: '', GLASSIX_ACCESS_TOKEN: sb.issueToken() };
    const r = await runCli(['tickets', '--since', '2024-04-01', '--until', '2024-04-30', '--quiet'], { env: tokenEnv });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sorted(ndjsonIds(r.stdout)), idsInRange(sb, Date.UTC(2024, 3, 1), Date.UTC(2024, 4, 1)));
  });

  test('progress: a live line on a terminal, plain lines in a pipe, nothing with --quiet', async (t) => {
    const dir = tempDir(t);
    // a pipe: plain lines, the last one the totals
    const piped = await runCli(['tickets', ...RANGE, '--out', join(dir, 'piped.ndjson')], { env });
    assert.equal(piped.code, 0);
    assert.doesNotMatch(piped.stderr, /\r|\x1b\[/, 'no terminal control codes in a pipe');
    const lines = piped.stderr.trim().split('\n');
    assert.match(lines.at(-2), /^months 14\/14 \| [\d,]+ tickets \| [\d,]+ tickets\/s \| done in \d+/);

    const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (script.status !== 0) {
      t.diagnostic('util-linux script is not installed: the pseudo-terminal half is skipped');
      return;
    }
    const onTty = (extra, target = ['--out', join(dir, `tty${extra.length}${extra.TERM || ''}.ndjson`)]) => new Promise((resolve) => {
      const cmd = [process.execPath, BIN, 'export', 'tickets', ...RANGE, ...target, ...extra]
        .map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, COLUMNS: '120', ...(extra.TERM ? { TERM: extra.TERM } : {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.on('exit', (code) => resolve({ code, out }));
    });
    sb.setFaults({ latencyMs: 10 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    const tty = await onTty([]);
    assert.equal(tty.code, 0, tty.out);
    assert.match(tty.out, /\x1b\[\d*G|\r/, 'the line is redrawn in place');
    assert.match(tty.out, /months \d+\/14 \| [\d,]+ tickets \| [\d,]+ tickets\/s \| ETA /);
    assert.match(tty.out, /months 14\/14 \| [\d,]+ tickets \| [\d,]+ tickets\/s \| done in/);
    // a terminal that cannot move its cursor (TERM=dumb) gets the plain lines
    const dumb = await onTty(Object.assign([], { TERM: 'dumb' }));
    assert.equal(dumb.code, 0, dumb.out);
    assert.doesNotMatch(dumb.out, /\x1b/, 'no cursor or line-wrap control codes for TERM=dumb');
    assert.match(dumb.out, /months 14\/14 \| [\d,]+ tickets \| [\d,]+ tickets\/s \| done in/);
    const quiet = await onTty(['--quiet']);
    assert.equal(quiet.code, 0, quiet.out);
    assert.equal(quiet.out, '', '--quiet prints nothing, even on a terminal');
    // the tickets on stdout in the same terminal: plain progress lines, none redrawn over them
    const shared = await onTty([], []);
    assert.equal(shared.code, 0, shared.out);
    assert.doesNotMatch(shared.out, /\x1b/, 'no cursor or line-wrap control codes among the tickets');
    const text = shared.out.replace(/\r\n/g, '\n').split('\n').filter((l) => l && !l.startsWith('months ') && !l.startsWith('glassix-wasm export:'));
    assert.deepEqual(sorted(text.map((l) => JSON.parse(l).id)), idsInRange(sb, FROM, TO), 'every line is a whole ticket');
  });
});
