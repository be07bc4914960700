#!/usr/bin/env node
'use strict';
// glassix-wasm CLI: `glassix-wasm sandbox [options]` and `glassix-wasm export tickets [options]`
// (export/cli.cjs).

const path = require('node:path');
const { startSandbox } = require(path.join(__dirname, '..', 'sandbox', 'index.cjs'));
const { parseRuleAssignment } = require(path.join(__dirname, '..', 'sandbox', 'rules.cjs'));

// A closed stdout (say, piped into head) must not crash the sandbox, nor a stderr that is gone
// (a closed pipe, a full disk: its write errors are events) an export at its next progress line
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const USAGE = `Usage: glassix-wasm sandbox [options]

Start a local, stateful Glassix REST API sandbox on 127.0.0.1 (Ctrl+C to stop).
(Also: glassix-wasm export tickets --since DATE … — see glassix-wasm export --help.)

Options:
  --port N               port to listen on (default 0 = a random free port)
  --seed FILE            JSON seed file (users, tickets, contacts, tags, canned replies …)
  --latency MS           extra latency added to every API response (default 0)
  --fail-rate R          0..1 chance of a 502/503/504 on any non-token call (default 0)
  --rate-limit N/MS      allow N non-token calls per MS milliseconds, then 429 + Retry-After
  --hang-rate R          0..1 chance a non-token call is never answered (default 0)
  --burst-429 N          the next N non-token calls get 429 + Retry-After (default 0)
  --burst-5xx N          the next N non-token calls get 502/503/504 (default 0)
  --hang-next N          the next N non-token calls are never answered (default 0)
  --retry-after S|none   Retry-After seconds for --burst-429 and --token-fail-429 (default 1);
                         none: no 429 carries Retry-After (the API's docs do not say one does)
  --jitter MS            plus a random 0..MS of latency (default 0)
  --token-throttle N/MS  allow N token requests per MS milliseconds, then 429 + Retry-After
  --token-fail-429 N     the next N token requests get 429 + Retry-After (default 0)
  --token-lifetime S     access-token lifetime in seconds (default 10800)
  --webhook-url URL      also POST every webhook event there, signed with the API secret
  --allowed-host NAME    also answer requests made to NAME (repeatable); by default only
                         127.0.0.1 and localhost, a guard against DNS rebinding
  --api-key K            accepted apiKey = department id, a GUID
                         (default 00000000-0000-4000-8000-000000000001)
  --api-secret S         accepted apiSecret (default sandbox-secret)
  --user-name U          API user e-mail (default api@sandbox.test)
  --workspace W          workspace name (default sandbox)
  --page-size N          tickets per tickets/list page (default 100)
  --random-seed N        seed for the fault-injection random generator
  --generate-tickets N   also create N generated tickets (every state, dates spread over the span)
  --generate-span A..B   their span, e.g. 2024-01-01..2025-03-01 (default: the last 365 days)
  -h, --help             show this help
  -v, --version          print the package's version

How the sandbox writes dates, and its guesses where no source says what the API does:
  --date-format F        dotnet (default: the API's mixed .NET date forms) or iso (toISOString())
  --rule NAME=VALUE      set one unverified rule (repeatable), e.g. --rule sortAsc=oldest-first
                         --rule protocolStatuses=Sent,Delivered,Read; also the options
                         voidResponses, maxBodyBytes and webhook.retries, .retryDelayMs,
                         .timeoutMs, .batch; see sandbox/README.md

Control API (no auth): GET|POST /__sandbox/faults, GET|DELETE /__sandbox/requests,
POST /__sandbox/reset, GET /__sandbox/state, POST /__sandbox/token, POST /__sandbox/events,
POST /__sandbox/tickets/{id}/messages, GET /__sandbox/webhooks.
`;

class UsageError extends Error {}

const FLAGS = {
  '--port': 'port', '--seed': 'seed', '--latency': 'latency', '--fail-rate': 'failRate', '--rate-limit': 'rateLimit',
  '--hang-rate': 'hangRate', '--token-throttle': 'tokenThrottle', '--token-lifetime': 'tokenLifetime',
  '--webhook-url': 'webhookUrl', '--api-key': 'apiKey', '--api-secret': 'apiSecret', '--user-name': 'userName',
  '--workspace': 'workspace', '--page-size': 'pageSize', '--random-seed': 'randomSeed',
  '--burst-429': 'burst429', '--burst-5xx': 'burst5xx', '--hang-next': 'hangNext', '--retry-after': 'retryAfter',
  '--jitter': 'jitter', '--token-fail-429': 'tokenFail429',
  '--generate-tickets': 'generateTickets', '--generate-span': 'generateSpan',
};
// How dates are written and the unverified rules (issue 17); --rule may be given more than once.
Object.assign(FLAGS, { '--date-format': 'dateFormat', '--rule': 'rule', '--allowed-host': 'allowedHost' });
const REPEATABLE = new Set(['rule', 'allowedHost']);

function parseArgs(argv) {
  const out = { command: null, help: false, values: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') { out.help = true; continue; }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      const key = FLAGS[name];
      if (!key) throw new UsageError(`unknown option ${name}`);
      let value;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith('--'))) throw new UsageError(`option ${name} needs a value`);
        i += 1;
      }
      if (REPEATABLE.has(key)) (out.values[key] ||= []).push(value);
      // (as the export CLI: which of two values was meant is not for the CLI to guess)
      else if (key in out.values) throw new UsageError(`option ${name} is given twice`);
      else out.values[key] = value;
      continue;
    }
    if (out.command === null) { out.command = arg; continue; }
    throw new UsageError(`unexpected argument ${arg}`);
  }
  return out;
}

const int = (name, v, min, max) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${name} must be an integer ${min}..${max}`);
  return Number(v);
};
// A plain decimal (`0.25`, `.5`, `1e-3`): Number() also reads '' and ' ' as 0, and '0x1A', ' 1 '
const DECIMAL_RE = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const num = (name, v, min, max = Infinity) => {
  const n = Number(v);
  if (!DECIMAL_RE.test(v) || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number ${max === Infinity ? `>= ${min}` : `${min}..${max}`}`);
  return n;
};
const window = (name, v) => {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[2]) <= 0) throw new UsageError(`${name} must look like N/MS, e.g. 10/1000`);
  return { requests: Number(m[1]), perMs: Number(m[2]) };
};

/** The unverified behaviours that are startSandbox options of their own rather than `rules`:
 * `--rule` sets them too, so that every row of the README's table can be switched from here. */
const OPTION_RULES = new Set(['voidResponses', 'maxBodyBytes', 'webhook.retries', 'webhook.retryDelayMs', 'webhook.timeoutMs', 'webhook.batch']);

/** `--date-format` and the `--rule NAME=VALUE` list (the values are validated by startSandbox). */
function fidelityOptions(v, options) {
  if (v.dateFormat !== undefined) options.dateFormat = v.dateFormat;
  if (v.rule === undefined) return;
  options.rules = {};
  const given = new Set();
  for (const text of v.rule) {
    let name; let value;
    try { [name, value] = parseRuleAssignment(text); } catch (err) { throw new UsageError(`--rule: ${err.message}`); }
    if (given.has(name)) throw new UsageError(`--rule ${name} is given twice`);
    given.add(name);
    if (!OPTION_RULES.has(name)) options.rules[name] = value;
    else if (name.startsWith('webhook.')) (options.webhook ||= {})[name.slice(8)] = value;
    else options[name] = value;
  }
}

function buildOptions(v) {
  const options = { credentials: {}, faults: {} };
  fidelityOptions(v, options);
  if (v.port !== undefined) options.port = int('--port', v.port, 0, 65535);
  if (v.seed !== undefined) options.seed = path.resolve(v.seed);
  if (v.latency !== undefined) options.faults.latencyMs = num('--latency', v.latency, 0);
  if (v.failRate !== undefined) options.faults.failureRate = num('--fail-rate', v.failRate, 0, 1);
  if (v.hangRate !== undefined) options.faults.hangRate = num('--hang-rate', v.hangRate, 0, 1);
  if (v.burst429 !== undefined) options.faults.burst429 = int('--burst-429', v.burst429, 0, 1e9);
  if (v.burst5xx !== undefined) options.faults.burst5xx = int('--burst-5xx', v.burst5xx, 0, 1e9);
  if (v.hangNext !== undefined) options.faults.hangNext = int('--hang-next', v.hangNext, 0, 1e9);
  if (v.retryAfter !== undefined) options.faults.retryAfter = v.retryAfter === 'none' ? null : int('--retry-after', v.retryAfter, 0, 86400);
  if (v.jitter !== undefined) options.faults.jitterMs = num('--jitter', v.jitter, 0);
  if (v.tokenFail429 !== undefined) options.faults.tokenFail429 = int('--token-fail-429', v.tokenFail429, 0, 1e9);
  if (v.rateLimit !== undefined) options.faults.rateLimit = window('--rate-limit', v.rateLimit);
  if (v.tokenThrottle !== undefined) options.faults.tokenThrottle = window('--token-throttle', v.tokenThrottle);
  if (v.tokenLifetime !== undefined) {
    options.tokenLifetime = num('--token-lifetime', v.tokenLifetime, 0);
    if (options.tokenLifetime === 0) throw new UsageError('--token-lifetime must be > 0');
  }
  if (v.webhookUrl !== undefined) options.webhookUrl = v.webhookUrl;
  if (v.allowedHost !== undefined) options.allowedHosts = v.allowedHost; // (checked by startSandbox: exit 2)
  if (v.pageSize !== undefined) options.pageSize = int('--page-size', v.pageSize, 1, 100000);
  if (v.randomSeed !== undefined) options.randomSeed = int('--random-seed', v.randomSeed, 0, 2 ** 32 - 1);
  for (const k of ['apiKey', 'apiSecret', 'userName', 'workspace']) if (v[k] !== undefined) options.credentials[k] = v[k];
  if (v.generateSpan !== undefined && v.generateTickets === undefined) throw new UsageError('--generate-span needs --generate-tickets');
  if (v.generateTickets !== undefined) {
    const count = int('--generate-tickets', v.generateTickets, 0, 1000000);
    let span = [new Date(Date.now() - 365 * 86400000), new Date()];
    if (v.generateSpan !== undefined) {
      const m = /^(.+)\.\.(.+)$/.exec(v.generateSpan);
      if (!m) throw new UsageError('--generate-span must look like FROM..TO, e.g. 2024-01-01..2025-03-01');
      span = [m[1], m[2]]; // startSandbox checks the dates (TypeError → exit 2)
    }
    options.generateTickets = { count, since: span[0], until: span[1] };
  }
  return options;
}

async function main(argv) {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${require(path.join(__dirname, '..', 'package.json')).version}\n`);
    return 0;
  }
  // `help export` and `export help` are `export --help`
  if (argv[0] === 'help' && argv[1] === 'export') argv = ['export', '--help'];
  if (argv[0] === 'export' && argv[1] === 'help') argv = ['export', '--help'];
  if (argv[0] === 'export') return require(path.join(__dirname, '..', 'export', 'cli.cjs')).main(argv.slice(1));
  let args;
  try {
    args = parseArgs(argv);
    if (args.help || args.command === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.command !== 'sandbox') {
      throw new UsageError(args.command ? `unknown command ${args.command}` : 'missing command (try: glassix-wasm sandbox)');
    }
    args.options = buildOptions(args.values);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // one line, like every bad-input message of the CLI
    process.stderr.write(`glassix-wasm: ${err.message} (see glassix-wasm --help)\n`);
    return 2;
  }

  let sandbox;
  try {
    sandbox = await startSandbox(args.options);
  } catch (err) {
    process.stderr.write(`glassix-wasm: cannot start the sandbox: ${err.message}\n`);
    return err instanceof TypeError ? 2 : 1;
  }
  const c = sandbox.credentials;
  process.stdout.write([
    `Glassix sandbox listening on ${sandbox.origin}`,
    `  API root (baseUrl): ${sandbox.baseUrl}`,
    `  workspace:          ${c.workspace}`,
    `  apiKey:             ${c.apiKey}`,
    `  apiSecret:          ${c.apiSecret}`,
    `  userName:           ${c.userName}`,
    `  control API:        ${sandbox.origin}/__sandbox/faults`,
    sandbox.webhookUrl ? `  webhooks POSTed to: ${sandbox.webhookUrl}` : null,
    'Press Ctrl+C to stop.',
    '',
  ].filter((l) => l !== null).join('\n'));

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal) => {
      if (stopping) {
        process.stderr.write(`glassix-wasm: ${signal} again, exiting immediately\n`);
        process.exit(1);
      }
      stopping = true;
      sandbox.close().then(() => {
        process.stdout.write('Glassix sandbox stopped.\n');
        resolve(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (code !== 0) process.exit(code);
}, (err) => {
  process.stderr.write(`glassix-wasm: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
