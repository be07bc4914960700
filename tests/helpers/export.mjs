// Shared by the export tests (not a test file itself): a sandbox seeded with a few thousand
// tickets over 14 months on a fixed clock (so a ticket's JSON is the same in every run), the
// ids it holds for a range (the oracle), and a runner for the CLI as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const { startSandbox } = require('../../sandbox/index.cjs');
export const GlassixClient = require('../../pkg/index.cjs');
export const { GlassixError } = GlassixClient;
export const BIN = fileURLToPath(new URL('../../bin/glassix-wasm.cjs', import.meta.url));

/** The sandbox's clock: after every generated date, and fixed. */
export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
export const SPAN = { since: '2024-01-01T00:00:00Z', until: '2025-03-01T00:00:00Z' };

/** A sandbox with `count` generated tickets over 2024-01-01 … 2025-03-01 (14 months). */
export function exportSandbox({ count = 2500, ...rest } = {}) {
  return startSandbox({ generateTickets: { count, ...SPAN }, now: () => NOW, maxRequestLog: 1_000_000, ...rest });
}

/** A client of the sandbox (retries generous enough for the fault tests). */
export function clientOf(sb, extra = {}) {
  return new GlassixClient({ ...sb.credentials, baseUrl: sb.baseUrl, ...extra });
}

/** The ids of the sandbox's tickets with open, close or last activity in [since, until] (ms), sorted. */
export function idsInRange(sb, since, until, states = null) {
  const inRange = (ms) => ms != null && ms >= since && ms <= until;
  return [...sb.state.tickets.values()]
    .filter((t) => (!states || states.includes(t.state)) && (inRange(t.open) || inRange(t.close) || inRange(t.lastActivity)))
    .map((t) => t.id)
    .sort((a, b) => a - b);
}

/** GET /tickets/list requests the sandbox has seen. */
export const listRequests = (sb) => sb.requests.filter((r) => r.method === 'GET' && /\/tickets\/list$/i.test(r.path));

/** The environment the CLI reads its credentials from. */
export function envOf(sb, extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GLASSIX_')) delete env[k];
  return {
    ...env,
    GLASSIX_BASE_URL: sb.baseUrl,
    GLASSIX_API_KEY: sb.credentials.apiKey,
    GLASSIX_API_SECRET: sb.credentials.apiSecret,
    GLASSIX_USER_NAME: sb.credentials.userName,
    ...extra,
  };
}

/**
 * Runs `glassix-wasm export …` (or the given argv through `script` for a pseudo-TTY), with
 * deprecations thrown, pending ones too (the CLI and its progress bar and CSV libraries must not
 * crash a Node run with `--throw-deprecation`). `whileRunning(child)` may kill it. Resolves
 * { code, signal, stdout, stderr }.
 */
export function runCli(args, { env, cwd, timeoutMs = 60_000, whileRunning } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--throw-deprecation', '--pending-deprecation', BIN, 'export', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut: signal === 'SIGKILL' && !child.killedOnPurpose });
    });
    if (whileRunning) whileRunning(child);
  });
}

/** A fresh temporary directory, removed when `t` ends. */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'glassix-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
