'use strict';
// `glassix-wasm export tickets …`: a thin command over exportTickets (./index.cjs). Credentials
// come from the environment only; no secret is ever taken from the command line or printed.

const fs = require('node:fs');
const { createHash } = require('node:crypto');
const cliProgress = require('cli-progress');
const GlassixClient = require('../pkg/index.cjs');
const { exportTickets, KNOWN_COLUMNS, checkpointPath } = require('./index.cjs');

const { GlassixError } = GlassixClient;
/** The export's retries of a failed request (`--max-retries`' default). */
const DEFAULT_MAX_RETRIES = 6;

const USAGE = `Usage: glassix-wasm export tickets --since DATE [options]

Write every ticket active in a date range (opened, closed or active in it) to NDJSON or CSV.
With --out, the export is resumable: after a crash, Ctrl+C or kill, run the same command again.

Options:
  --since DATE             start of the range (required)
  --until DATE             end of the range (default: now); a date alone means the whole day
                           DATE: 2025-01-01, 2025-01-01T08:00:00Z, 2025-01-01T10:00:00+02:00
                           or 01/01/2025 08:00:00:00; UTC unless an offset is given
  --format ndjson|csv      one JSON ticket per line (default), or CSV (RFC 4180)
  --columns a,b,…          CSV columns, in this order (default: every column)
  --bom                    CSV: start with a UTF-8 byte order mark, so that Excel reads
                           Hebrew and other non-ASCII text as UTF-8
  --escape-formulas        CSV: write text starting with = + - @, a tab or a CR (a formula to a
                           spreadsheet) with a leading ' (Excel shows it as text; the cell's
                           text changes)
  --out FILE               write to FILE, with FILE.checkpoint.json beside it and, while it
                           runs, FILE.checkpoint.lock (default, or -: stdout)
  --state S1,S2            only these states: Open, Closed, Pending, Snoozed (default: all)
  --rate-limit N/MS        at most N requests per MS milliseconds, e.g. 500/60000
  --max-concurrency N      at most N requests in flight, N months read at once (default 2)
  --max-retries N          retries of a failed page: 5xx, network errors, timeouts and 429s
                           (default 6, 0 to 100); a long outage still stops the run: run again.
                           A page still refused with 429 and a Retry-After of 60 s or less is
                           asked for again after that wait, with N retries afresh (the API
                           pacing the export), until 10 minutes after the first give-up; with
                           0, the first 429 stops the run.
  --timeout MS             milliseconds per request (default 60000)
  --force                  start over: overwrite FILE and drop its checkpoint
  --quiet                  no progress and no summary on stderr (errors still go there)
  -h, --help               show this help

Environment:
  GLASSIX_WORKSPACE        the workspace (https://WORKSPACE.glassix.com), or
  GLASSIX_BASE_URL         the API root or origin (e.g. a sandbox: http://127.0.0.1:8080/api/v1.2)
  GLASSIX_API_KEY, GLASSIX_API_SECRET, GLASSIX_USER_NAME
                           the API credentials, or
  GLASSIX_ACCESS_TOKEN     a token issued elsewhere

Exit codes: 0 done, 1 failed (run again to continue), 2 bad input, an output it may not write, or a refusal
that running it again unchanged cannot fix,
130 interrupted (run again to continue), 141 stdout closed by its reader (| head): the output is incomplete.

CSV columns: ${KNOWN_COLUMNS.join(', ')}
`;

class UsageError extends Error {}

/** The whole number a flag was given, from `min` to `max` (`what` says so when it is not);
 * undefined when the flag was not given. */
function whole(flag, value, min, max, what) {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${flag} must be ${what}`);
  return Number(value);
}

const VALUE_FLAGS = {
  '--since': 'since', '--until': 'until', '--format': 'format', '--columns': 'columns', '--out': 'out',
  '--state': 'state', '--rate-limit': 'rateLimit', '--max-concurrency': 'maxConcurrency',
  '--max-retries': 'maxRetries', '--timeout': 'timeout',
};
const BOOLEAN_FLAGS = { '--bom': 'bom', '--escape-formulas': 'escapeFormulas', '--force': 'force', '--quiet': 'quiet' };

function parseArgs(argv) {
  const out = { help: false, what: null, values: {}, flags: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') { out.help = true; continue; }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg; // never echo a value: it could be a secret
      if (BOOLEAN_FLAGS[name]) {
        if (eq > 0) throw new UsageError(`option ${name} takes no value`);
        out.flags[BOOLEAN_FLAGS[name]] = true;
        continue;
      }
      const key = VALUE_FLAGS[name];
      if (!key) throw new UsageError(`unknown option ${name.slice(0, 40)}`);
      let value;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`option ${name} needs a value`);
        i += 1;
      }
      if (key in out.values) throw new UsageError(`option ${name} is given twice`);
      out.values[key] = value;
      continue;
    }
    if (out.what === null) { out.what = arg; continue; }
    throw new UsageError('unexpected argument (options start with --)');
  }
  return out;
}

/** The client, from the environment. Throws UsageError naming what is missing, never a value. */
function clientFromEnv(env, { rateLimit, maxConcurrency, maxRetries, timeout }) {
  const get = (k) => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const baseUrl = get('GLASSIX_BASE_URL');
  const workspace = get('GLASSIX_WORKSPACE');
  if (!baseUrl && !workspace) throw new UsageError('set GLASSIX_WORKSPACE (or GLASSIX_BASE_URL) in the environment');
  const keys = ['GLASSIX_API_KEY', 'GLASSIX_API_SECRET', 'GLASSIX_USER_NAME'];
  const options = { ...(baseUrl ? { baseUrl } : { workspace }) };
  let account = null;
  if (keys.every(get)) {
    Object.assign(options, { apiKey: get(keys[0]), apiSecret: get(keys[1]), userName: get(keys[2]) });
    account = accountOf(options.apiKey, options.userName);
  } else if (get('GLASSIX_ACCESS_TOKEN')) {
    options.accessToken = get('GLASSIX_ACCESS_TOKEN');
  } else {
    throw new UsageError(`set ${keys.join(', ')} (missing: ${keys.filter((k) => !get(k)).join(', ')}), or GLASSIX_ACCESS_TOKEN, in the environment`);
  }
  if (rateLimit) options.rateLimit = rateLimit;
  options.maxConcurrency = maxConcurrency;
  // (more than the client's 2: a long export meets 429s and brief 5xx bursts, and each retry
  // waits out the API's Retry-After or a backoff of at most 8 s)
  options.maxRetries = maxRetries ?? DEFAULT_MAX_RETRIES;
  if (timeout !== undefined) options.timeout = timeout;
  return { client: new GlassixClient(options), account };
}

/** Whose tickets an export holds, for its checkpoint: a hash of the API key (a department's) and
 * the user name, never the values (nor the secret, which only proves them). A token issued
 * elsewhere names no account. */
function accountOf(apiKey, userName) {
  return createHash('sha256').update(`glassix-wasm export\n${apiKey.toLowerCase()}\n${userName.toLowerCase()}`).digest('hex').slice(0, 32);
}

/** What an HTTP failure's line adds to the API's own message (which may be a bare "Gateway
 * Timeout"): the status, and a wait the API asked for that was too long to wait out. */
function httpStatus(err) {
  if (err.kind !== 'http' || err.status === undefined) return '';
  const wait = err.retryAfter > 60 ? `; the API asked to wait ${Math.ceil(err.retryAfter)} s: run again after that, or with a lower --rate-limit`
    : err.status === 429 ? '; the API\'s rate limit: run again later, or with a lower --rate-limit' : '';
  return ` (HTTP ${err.status}${wait})`;
}

const count = (n) => n.toLocaleString('en-US');
const plural = (n, word) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

function duration(ms) {
  if (ms === null || ms === undefined) return '--';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line: `months 3/14 | 12,345 tickets | 812 tickets/s | ETA 1m 05s`. */
function progressLine(p) {
  if (!p) return 'months 0/? | 0 tickets | starting';
  const rate = `${count(Math.round(p.ticketsPerSecond))} tickets/s`;
  return `months ${p.monthsDone}/${p.monthsTotal} | ${count(p.ticketsWritten)} tickets | ${rate} | ${p.done ? `done in ${duration(p.elapsedMs)}` : `ETA ${duration(p.etaMs)}`}`;
}

/** A live line on a TTY, a plain line every few seconds otherwise (cli-progress does both).
 * `plain`: plain lines on a TTY too (the tickets go to the same terminal on stdout: a line
 * redrawn in place would be written over them, and they over it). */
function progressBar(stream, plain) {
  const tty = stream;
  // Plain lines go through `line`, which knows the last one written: cli-progress prints its
  // line again when stopped, so a run that failed or was interrupted (nothing new since the
  // last line) printed that line twice. The final line is written only if it says something new.
  let last = null;
  let pending = '';
  let stopping = false;
  const line = (text) => {
    pending += text;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const l = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (!(stopping && l === last)) tty.write(`${l}\n`);
      last = l;
    }
  };
  if (plain || !tty.isTTY) stream = { write: line, isTTY: false };
  const bar = new cliProgress.SingleBar({
    stream,
    format: (_options, _params, payload) => progressLine(payload.p),
    fps: 5,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: false,
    // a TTY keeps the last live line; plain output already ended each line
    clearOnComplete: !stream.isTTY,
  });
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.monthsTotal, p.monthsDone, { p });
        started = true;
      } else bar.update(p.monthsDone, { p });
    },
    stop() {
      stopping = true;
      if (started) bar.stop();
      started = false;
      stopping = false;
    },
  };
}

const oneLine = (s) => String(s).replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** One of a checkpoint's differences in the command's words (an `API …` or `another account`
 * unchanged). */
const FLAG_OF = { escapeFormulas: 'escape-formulas' };
const asFlag = (d) => d
  .replace(/^until (\S+), the time it started, as it had no until$/, 'no --until (it ends at $1, when it first started)')
  .replace(/^(bom|escapeFormulas) (true|false)$/, (_, o, v) => `${v === 'true' ? '' : 'no '}--${FLAG_OF[o] ?? o}`)
  .replace(/^no (columns|state) /, 'no --$1 ')
  .replace(/^(since|until|format|columns|state) /, '--$1 ');

/** A refusal of exportTickets or GlassixClient in the command's words: their options are its
 * flags and its environment variables. */
const inCommandWords = (message) => message
  // a checkpoint's differences (`format ndjson; bom true; no state (every state)`): the flags
  .replace(/ is from a different export \((.*)\); /, (_, list) => ` is from a different export (${list.split('; ').map(asFlag).join('; ')}); `)
  .replace(/^GlassixClient: option `baseUrl`/, 'GLASSIX_BASE_URL')
  .replace(/^GlassixClient: option `accessToken`/, 'GLASSIX_ACCESS_TOKEN')
  .replace(/^GlassixClient: /, 'credentials: ')
  .replace(/^exportTickets: /, '')
  .replace(/^(since|until|format|columns|state)\b/, '--$1')
  .replace(/ is after until /, ' is after --until ')
  .replace(/\bformat 'csv'/g, '--format csv')
  .replace(/\bpass (force|until)\b/g, 'pass --$1')
  // (the client's message for a Node without its Fetch API: the command has no `fetch` option)
  .replace('pass the `fetch` option or load a polyfill', 'this Node has none (was it started with --no-experimental-fetch?)');

async function main(argv, { env = process.env, stdout = process.stdout, stderr = process.stderr, proc = process } = {}) {
  const say = (line) => stderr.write(`glassix-wasm export: ${oneLine(line)}\n`);
  let args;
  let client;
  let account;
  let rateLimit;
  let maxConcurrency = 2;
  let maxRetries;
  try {
    args = parseArgs(argv);
    if (args.help) {
      stdout.write(USAGE);
      return 0;
    }
    if (args.what !== 'tickets') {
      throw new UsageError(args.what ? `cannot export ${args.what.slice(0, 40)}: only tickets, as in glassix-wasm export tickets …` : 'export what? Only tickets: glassix-wasm export tickets --since DATE …');
    }
    const v = args.values;
    if (v.rateLimit !== undefined) {
      const m = /^(\d+)\/(\d+)$/.exec(v.rateLimit);
      // (N a safe integer, MS what a timer can wait: 99999999999999999999999 would be read as
      // another number, and hang with a progress line that never moves)
      if (!m || !(Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1]))) || !(Number(m[2]) >= 1 && Number(m[2]) <= 2 ** 31 - 1)) {
        throw new UsageError('--rate-limit must look like N/MS, e.g. 500/60000: N requests (1 or more) per MS milliseconds (1 to 2147483647, about 24.8 days)');
      }
      rateLimit = { requests: Number(m[1]), perMs: Number(m[2]) };
    }
    maxConcurrency = whole('--max-concurrency', v.maxConcurrency, 1, 64, 'an integer 1..64') ?? maxConcurrency;
    // (a long outage is a reason to run again later, not to retry for hours: at most 100)
    maxRetries = whole('--max-retries', v.maxRetries, 0, 100, 'an integer 0..100');
    const timeout = whole('--timeout', v.timeout, 1, 2 ** 31 - 1, 'a number of milliseconds, 1 to 2147483647');
    if (v.since === undefined) throw new UsageError('--since is required');
    if (v.out === '') throw new UsageError('--out needs a file name, or - for stdout');
    for (const flag of ['--bom', '--escape-formulas']) {
      if (args.flags[BOOLEAN_FLAGS[flag]] && v.format !== 'csv') throw new UsageError(`${flag} applies to --format csv only`);
    }
    ({ client, account } = clientFromEnv(env, { rateLimit, maxConcurrency, maxRetries, timeout }));
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof GlassixError && err.kind === 'invalid_argument')) throw err;
    // one line, the usage hint folded in
    say(`${inCommandWords(err.message)} (see glassix-wasm export --help)`);
    return 2;
  }

  const v = args.values;
  const quiet = Boolean(args.flags.quiet);
  // `--out -` is stdout, as in most command-line tools
  if (v.out === '-') delete v.out;
  const out = v.out === undefined ? stdout : v.out;
  const controller = new AbortController();
  // (tickets on stdout in the same terminal, or a terminal that cannot move its cursor
  // (TERM=dumb: Emacs shells, some CI consoles): plain progress lines, not one redrawn in place)
  const bar = quiet ? null : progressBar(stderr, (v.out === undefined && Boolean(stdout.isTTY)) || env.TERM === 'dumb');
  let interrupts = 0;
  const onSignal = (name) => {
    interrupts += 1;
    if (interrupts > 1) {
      // the checkpoint is consistent at every instant; stopping at once loses nothing (the live
      // line is ended first: the terminal gets its line wrapping back)
      if (bar) bar.stop();
      say(`${name} again: stopping now. Run the same command again to continue.`);
      proc.exit(130);
    }
    controller.abort(new Error(`${name}`));
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  // (the terminal closed under it, or a supervisor's SIGHUP: the same clean stop, lock removed)
  const sighup = () => onSignal('SIGHUP');
  proc.on('SIGINT', sigint);
  proc.on('SIGTERM', sigterm);
  proc.on('SIGHUP', sighup);
  let last = null;
  const where = v.out === undefined ? 'stdout' : v.out;
  try {
    const result = await exportTickets({
      client,
      since: v.since,
      until: v.until,
      format: v.format,
      out,
      columns: v.columns,
      state: v.state,
      bom: Boolean(args.flags.bom),
      escapeFormulas: Boolean(args.flags.escapeFormulas),
      force: Boolean(args.flags.force),
      concurrency: maxConcurrency,
      account: account ?? undefined,
      // (--max-retries 0: no request is asked for again, a 429 included)
      ...(maxRetries === 0 ? { max429Ms: 0 } : {}),
      signal: controller.signal,
      onProgress: (p) => {
        last = p;
        if (bar) bar.update(p);
      },
    });
    if (bar) bar.stop();
    if (!quiet) {
      const repeats = result.duplicatesSkipped ? `, ${count(result.duplicatesSkipped)} repeats skipped` : '';
      // without --until, a resumed export ends where the first run's "now" was: say so
      const upTo = result.untilGiven ? '' : `; up to ${result.until.toISOString()}, when the first run started, as no --until was given`;
      const resumed = result.resumed ? ` (resumed: ${count(result.ticketsThisRun)} this run${upTo})` : '';
      say(`${count(result.ticketsWritten)} tickets from ${result.months} month${result.months === 1 ? '' : 's'} written to ${where}${resumed} in ${duration(result.elapsedMs)}${repeats}`);
    }
    return 0;
  } catch (err) {
    if (bar) bar.stop();
    if (err instanceof GlassixError && err.kind === 'invalid_argument' && last === null) {
      // the library's options (`since`, `force` …) are the command's flags (--since, --force …)
      say(inCommandWords(err.message));
      return 2;
    }
    const progress = last ? `${plural(last.ticketsWritten, 'ticket')} (${last.monthsDone} of ${plural(last.monthsTotal, 'month')})` : 'the start';
    const again = v.out === undefined
      ? 'The output went to stdout, so it cannot be continued: use --out FILE for a resumable export.'
      : fs.existsSync(checkpointPath(v.out))
        ? `The checkpoint is in ${checkpointPath(v.out)}: run the same command again to continue.`
        : 'Nothing was written: run the same command again once the cause is fixed.';
    if (err instanceof GlassixError && err.kind === 'aborted' && controller.signal.aborted) {
      say(`interrupted after ${progress}. ${again.replace(' once the cause is fixed', ' to start it')}`);
      return 130;
    }
    // stdout closed by its reader (`| head -1`): what SIGPIPE is to a conventional tool. Not a
    // failure to retry (1), nor 0: the output is incomplete. 141 is 128 + SIGPIPE, what a shell
    // reports for such a tool (as 130 is 128 + SIGINT); one line, none with --quiet
    if (err && err.code === 'EPIPE' && v.out === undefined) {
      if (!quiet) say(`stopped after ${progress}: stdout was closed by its reader, so the output is incomplete and cannot be continued: use --out FILE for a resumable export.`);
      return 141;
    }
    const reason = err instanceof GlassixError ? inCommandWords(err.message).replace(/[.\s]+$/, '') + httpStatus(err)
      // Node's own messages already start with their code (`ENOSPC: no space left on device, write`)
      : err && err.message ? (err.code && !String(err.message).startsWith(err.code) ? `${err.code}: ${err.message}` : err.message) : String(err);
    // a permission the output lacks, found before anything was written, is bad input: running the
    // same command again (the README's loop through an outage repeats exit 1) cannot fix it
    // and so is an answer that says the request itself is wrong (credentials refused, a base URL
    // without the API: a 4xx other than 408 and 429) before anything was written
    const refused = err instanceof GlassixError && err.kind === 'http' && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
    // (a name too long for the checkpoint and lock put beside it counts too)
    if (last === null && ['EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG'].includes(err && err.code) && !again.startsWith('The checkpoint')) {
      say(`${String(reason).replace(/[.\s]+$/, '')}. Nothing was written.`);
      return 2;
    }
    // Running it again unchanged cannot help (exit 2 ends the README's loop, which repeats exit 1):
    // a refusal before this run wrote a ticket (a resumed run too: a rotated secret, an expired
    // GLASSIX_ACCESS_TOKEN), or a ticket the export will not write (beyond 2^53, a lone surrogate
    // in a CSV cell), where every run stops again.
    const unwritable = err instanceof GlassixError && err.kind === 'parse' && /^exportTickets: /.test(err.message);
    // (a set-up the client refuses on its first request, a Node without fetch, once the export's
    // own input was checked)
    const setup = err instanceof GlassixError && err.kind === 'invalid_argument';
    const permanent = unwritable || setup || (refused && !(last && last.ticketsThisRun));
    const hint = permanent && again.startsWith('The checkpoint')
      ? again.replace('run the same command again to continue', unwritable ? 'running it again stops at the same ticket' : 'run the same command again once the cause is fixed, to continue')
      : again;
    say(`failed after ${progress}: ${String(reason).replace(/[.\s]+$/, '')}. ${hint}`);
    return permanent ? 2 : 1;
  } finally {
    proc.removeListener('SIGINT', sigint);
    proc.removeListener('SIGTERM', sigterm);
    proc.removeListener('SIGHUP', sighup);
  }
}

module.exports = { main, progressLine, USAGE };
