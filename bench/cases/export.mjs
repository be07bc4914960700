// Ticket export: exportTickets from a sandbox seeded with many tickets over 14 months, to NDJSON
// and CSV files (fsync'd and checkpointed after every page), at a rate limit and without one.
// Figure: tickets per second against what the rate limit allows.
//
// The sandbox runs in its own process (forked from this file with --sandbox), so its work does
// not share the exporting process's core.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { budget, median, ms, ratio, require, runCase } from '../lib.mjs';

const SELF = fileURLToPath(import.meta.url);
const PAGE = 100; // tickets per tickets/list page (the API's maximum)

if (process.argv.includes('--sandbox')) {
  // the sandbox process: seed, report where it listens, answer stats requests, exit when told
  const { startSandbox } = require('../sandbox/index.cjs');
  const count = Number(process.argv[process.argv.indexOf('--sandbox') + 1]);
  const sb = await startSandbox({
    generateTickets: { count, since: '2024-01-01T00:00:00Z', until: '2025-03-01T00:00:00Z' },
    maxRequestLog: 1_000_000,
  });
  process.send({ baseUrl: sb.baseUrl, credentials: sb.credentials });
  process.on('message', async (m) => {
    if (m === 'stats') {
      const times = sb.requests.filter((r) => /\/tickets\/list$/i.test(r.path)).map((r) => r.time);
      sb.requests.length = 0;
      process.send({ times });
    } else if (m === 'close') {
      await sb.close();
      process.exit(0);
    }
  });
} else {
  runCase(main);
}

function startSandboxProcess(count) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--sandbox', String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
    child.once('message', ({ baseUrl, credentials }) => {
      resolve({
        baseUrl,
        credentials,
        stats: () => new Promise((r) => { child.once('message', r); child.send('stats'); }),
        close: () => { child.removeAllListeners('exit'); child.send('close'); },
      });
    });
  });
}

/** The most arrivals in any `perMs` window. */
function maxInWindow(times, perMs) {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= perMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function main({ quick }) {
  const GlassixClient = require('../pkg/index.cjs');
  const { exportTickets } = require('../export/index.cjs');
  const count = quick ? 2000 : 10000;
  const [requests, perMs] = quick ? [20, 1000] : [50, 1000];
  const reps = quick ? 1 : 3;
  const sandbox = await startSandboxProcess(count);
  const dir = mkdtempSync(join(tmpdir(), 'glassix-bench-export-'));
  const runs = [];
  try {
    const contenders = [
      { label: `NDJSON at rateLimit ${requests}/${perMs} ms`, format: 'ndjson', limited: true },
      { label: `CSV at rateLimit ${requests}/${perMs} ms`, format: 'csv', limited: true },
      { label: 'NDJSON, no rate limit', format: 'ndjson', limited: false },
      { label: 'CSV, no rate limit', format: 'csv', limited: false },
    ];
    for (let rep = 0; rep < reps; rep++) {
      for (const c of contenders) {
        const client = new GlassixClient({
          ...sandbox.credentials, baseUrl: sandbox.baseUrl, ...(c.limited ? { rateLimit: { requests, perMs } } : {}),
        });
        await client.getToken(); // outside the timing (and outside the limit's first window)
        await sandbox.stats(); // forget earlier requests
        const out = join(dir, `run-${rep}-${c.format}-${c.limited}.${c.format}`);
        const t0 = performance.now();
        const result = await exportTickets({ client, since: '2024-01-01', until: '2025-02-28', format: c.format, out, force: true });
        const elapsed = performance.now() - t0;
        const { times } = await sandbox.stats();
        const listRequests = times.length;
        // the first window is free: batch k of `requests` may start at k × perMs
        const ideal = (Math.ceil(listRequests / requests) - 1) * perMs;
        runs.push({
          ...c, rep, ms: elapsed, tickets: result.ticketsWritten, repeats: result.duplicatesSkipped, listRequests,
          bytes: statSync(out).size, ideal, maxInWindow: maxInWindow(times, perMs),
        });
        rmSync(out, { force: true });
      }
    }
  } finally {
    sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const of = (label) => runs.filter((r) => r.label === label);
  const tps = (r) => (r.tickets * 1000) / r.ms;
  const limitTps = (requests / perMs) * 1000 * PAGE;
  const rows = [...new Set(runs.map((r) => r.label))].map((label) => {
    const rs = of(label);
    const t = median(rs.map((r) => r.ms));
    const r0 = rs[0];
    const limited = r0.limited;
    return [
      label,
      r0.tickets.toLocaleString('en'),
      String(r0.listRequests),
      ms(t),
      Math.round(median(rs.map(tps))).toLocaleString('en'),
      limited ? Math.round((r0.tickets * 1000) / Math.max(1, r0.ideal)).toLocaleString('en') : '',
      limited ? ratio(t / Math.max(1, r0.ideal)) : '',
    ];
  });
  const limitedRuns = runs.filter((r) => r.limited);
  const slowest = Math.max(...limitedRuns.map((r) => r.ms / Math.max(1, r.ideal)));
  const most = Math.max(...limitedRuns.map((r) => r.maxInWindow));
  return {
    id: 'export',
    title: `Export: ${count.toLocaleString('en')} tickets over 14 months to a file (median of ${reps})`,
    table: {
      head: ['', 'tickets', 'list requests', 'time', 'tickets/s', 'ideal tickets/s', 'time ÷ ideal'],
      rows,
    },
    budgets: [
      budget(`most list requests the sandbox saw in any ${perMs} ms window (the limit)`, most, requests, String),
      budget('time ÷ ideal at the rate limit (slowest run)', slowest, 1.5, ratio),
    ],
    notes: [
      `the limit allows ${requests} requests per ${perMs} ms, at most ${PAGE} tickets each: ${limitTps.toLocaleString('en')} tickets/s if every page were full; ` +
        'the ideal is (⌈list requests / requests⌉ − 1) × perMs, the first window being free',
      'a ticket active in two months is listed twice and written once, and each month ends on a partial page, so there are more requests than tickets / 100',
      'each written page is fsync\'d and followed by an atomic checkpoint (write, fsync, rename)',
    ],
    data: { count, requests, perMs, runs },
  };
}
