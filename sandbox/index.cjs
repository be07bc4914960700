'use strict';
// glassix-wasm/sandbox — a local, stateful Glassix REST API sandbox on node:http.
// The library never writes to the console.

const { Sandbox } = require('./server.cjs');
const { loadSeed, DEFAULT_SEED, DEFAULT_CREDENTIALS } = require('./seed.cjs');
const { DEFAULT_FAULTS, mergeFaults } = require('./faults.cjs');
const { signWebhook } = require('./webhooks.cjs');
const { DEFAULT_RULES, normaliseRules } = require('./rules.cjs');
const { DATE_FORMATS } = require('./dates.cjs');
const { generateTickets } = require('./generate.cjs');
const {
  formatGlassixDate, formatGlassixDay, parseGlassixDate, isGuid, seededRandom, isPlainObject, MAX_TIMER_MS,
} = require('./util.cjs');

const OPTION_KEYS = new Set([
  'port', 'host', 'credentials', 'tokenLifetime', 'seed', 'faults', 'webhookUrl', 'webhook', 'apiVersion',
  'pageSize', 'firstTicketId', 'now', 'random', 'randomSeed', 'voidResponses', 'maxBodyBytes', 'maxRequestLog', 'maxRequestLogBytes',
  'generateTickets', 'allowedHosts',
]);
// Fidelity to the real API (issue 17): how dates are written, and every unverified rule.
for (const k of ['dateFormat', 'rules']) OPTION_KEYS.add(k);

/** Whether `url` is an absolute http(s) URL string: a webhook target (the option, setWebhookUrl). */
function isHttpUrl(url) {
  try {
    return typeof url === 'string' && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function normaliseOptions(options = {}) {
  if (!isPlainObject(options)) throw new TypeError('startSandbox(options): options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) throw new TypeError(`startSandbox: unknown option '${k}'`);
  }
  if (options.host !== undefined && options.host !== '127.0.0.1') {
    throw new TypeError("startSandbox: the sandbox only listens on 127.0.0.1 ('host' must be omitted or '127.0.0.1')");
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('startSandbox: port must be an integer 0..65535');

  const seed = loadSeed(options.seed);
  if (options.generateTickets !== undefined) seed.tickets = [...(seed.tickets || []), ...generateTickets(options.generateTickets, seed)];
  // a misspelt key (apiSecrt) would silently leave the default secret signing every webhook
  const credentialsOf = (v, where) => {
    if (v === undefined || v === null) return {};
    if (!isPlainObject(v)) throw new TypeError(`startSandbox: ${where} must be an object { workspace, apiKey, apiSecret, userName }`);
    for (const k of Object.keys(v)) {
      if (!['workspace', 'apiKey', 'apiSecret', 'userName'].includes(k)) throw new TypeError(`startSandbox: unknown ${where} key '${k}' (known: workspace, apiKey, apiSecret, userName)`);
    }
    return v;
  };
  const given = credentialsOf(options.credentials, 'credentials');
  const fromSeed = credentialsOf(seed.credentials, 'seed.credentials');
  const pick = (k) => given[k] ?? fromSeed[k];
  const credentials = {
    workspace: pick('workspace') ?? DEFAULT_CREDENTIALS.workspace,
    apiKey: String(pick('apiKey') ?? seed.departments[0].id ?? DEFAULT_CREDENTIALS.apiKey).toLowerCase(),
    apiSecret: pick('apiSecret') ?? DEFAULT_CREDENTIALS.apiSecret,
    userName: pick('userName') ?? DEFAULT_CREDENTIALS.userName,
  };
  if (!isGuid(credentials.apiKey)) throw new TypeError('startSandbox: credentials.apiKey must be a GUID (it is also the department id)');
  for (const k of ['workspace', 'apiSecret', 'userName']) {
    if (typeof credentials[k] !== 'string' || credentials[k] === '') throw new TypeError(`startSandbox: credentials.${k} must be a non-empty string`);
  }

  // Every option's value is checked here (unknown keys above): a TypeError naming the option.
  const tokenLifetime = options.tokenLifetime ?? 10800;
  if (typeof tokenLifetime !== 'number' || !(tokenLifetime > 0) || !Number.isFinite(tokenLifetime)) {
    throw new TypeError('startSandbox: tokenLifetime must be a finite number of seconds > 0');
  }
  const rawVersion = options.apiVersion ?? '1.2';
  if (typeof rawVersion !== 'string' && typeof rawVersion !== 'number') throw new TypeError('startSandbox: apiVersion must be a string like "1.2"');
  const apiVersion = String(rawVersion).replace(/^v/i, '');
  if (!/^\d+(\.\d+)*$/.test(apiVersion)) throw new TypeError('startSandbox: apiVersion must look like "1.2"');
  const pageSize = options.pageSize ?? 100;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError('startSandbox: pageSize must be a positive integer');
  const firstTicketId = options.firstTicketId ?? 160000001;
  if (!Number.isSafeInteger(firstTicketId) || firstTicketId < 1) throw new TypeError('startSandbox: firstTicketId must be a positive (safe) integer');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('startSandbox: now must be a function returning epoch milliseconds');
  // (randomSeed is the seed of the RNG that `random` would be: both at once is a contradiction)
  if (options.random !== undefined && options.randomSeed !== undefined) throw new TypeError('startSandbox: give random or randomSeed, not both');
  const { randomSeed } = options;
  if (randomSeed !== undefined && !(Number.isInteger(randomSeed) && randomSeed >= 0 && randomSeed <= 2 ** 32 - 1)) {
    throw new TypeError('startSandbox: randomSeed must be an integer 0..2^32-1');
  }
  const random = options.random ?? Math.random;
  if (typeof random !== 'function') throw new TypeError('startSandbox: random must be a function returning [0, 1)');
  // The fault engine's generator, made afresh by every reset(): a randomSeed one starts over, so
  // a test's faults do not depend on the tests before it (a `random` of yours is yours to reset).
  const makeRandom = randomSeed !== undefined ? () => seededRandom(randomSeed) : () => random;
  const webhookUrl = options.webhookUrl ?? null;
  if (webhookUrl !== null && !isHttpUrl(webhookUrl)) throw new TypeError('startSandbox: webhookUrl must be an absolute http(s) URL string, or null');
  if (options.webhook != null && !isPlainObject(options.webhook)) {
    throw new TypeError('startSandbox: webhook must be an object { retries, retryDelayMs, timeoutMs, batch }');
  }
  const webhook = { ...(options.webhook || {}) };
  for (const k of Object.keys(webhook)) {
    if (!['retries', 'retryDelayMs', 'timeoutMs', 'batch'].includes(k)) throw new TypeError(`startSandbox: unknown webhook option '${k}'`);
    const v = webhook[k];
    if (v === undefined) { delete webhook[k]; continue; } // (undefined keeps the default, as in rules)
    const ok = k === 'batch' ? typeof v === 'boolean'
      : k === 'retries' ? Number.isSafeInteger(v) && v >= 0
        : typeof v === 'number' && v >= 0 && v <= MAX_TIMER_MS;
    if (!ok) throw new TypeError(`startSandbox: webhook.${k} must be ${k === 'batch' ? 'true or false' : k === 'retries' ? 'a whole number >= 0' : `a number of ms 0..${MAX_TIMER_MS}`}`);
  }
  // (null keeps the default, as for every other option)
  const maxBodyBytes = options.maxBodyBytes ?? 50 * 1024 * 1024;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) throw new TypeError('startSandbox: maxBodyBytes must be a whole number > 0');
  const maxRequestLog = options.maxRequestLog ?? 10000;
  if (!Number.isSafeInteger(maxRequestLog) || maxRequestLog < 0) throw new TypeError('startSandbox: maxRequestLog must be a whole number >= 0');
  // the bodies the request log keeps, in all: 10,000 entries of 50 MiB each would not fit in memory
  const maxRequestLogBytes = options.maxRequestLogBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(maxRequestLogBytes) || maxRequestLogBytes < 0) throw new TypeError('startSandbox: maxRequestLogBytes must be a whole number >= 0');
  // More host names than the loopback ones that requests may name (`Host`, and a page's `Origin`
  // at the control API): a name in /etc/hosts, a proxy's. Not a way to listen elsewhere.
  const allowedHosts = options.allowedHosts ?? [];
  if (!Array.isArray(allowedHosts) || !allowedHosts.every((h) => typeof h === 'string' && /^(?:\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)$/i.test(h))) {
    throw new TypeError("startSandbox: allowedHosts must be an array of host names without a port, e.g. ['glassix.test']");
  }
  const voidResponses = options.voidResponses ?? 'message';
  if (!['message', 'empty', 'no-content'].includes(voidResponses)) {
    throw new TypeError("startSandbox: voidResponses must be 'message', 'empty' or 'no-content'");
  }
  let faults;
  try {
    faults = mergeFaults(DEFAULT_FAULTS, options.faults); // validates
  } catch (err) {
    throw new TypeError(`startSandbox: ${err.message}`);
  }
  return {
    port, seed, credentials, tokenLifetime, apiVersion, pageSize, firstTicketId, now, makeRandom, webhookUrl, webhook,
    voidResponses, faults, maxBodyBytes, maxRequestLog, maxRequestLogBytes, allowedHosts: allowedHosts.map((h) => h.toLowerCase()),
  };
}

/** `dateFormat` and `rules` (validated; see dates.cjs and rules.cjs). */
function normaliseFidelity(options = {}) {
  const dateFormat = options.dateFormat ?? 'dotnet';
  if (!DATE_FORMATS.includes(dateFormat)) throw new TypeError("startSandbox: dateFormat must be 'dotnet' or 'iso'");
  return { dateFormat, rules: normaliseRules(options.rules) };
}

/**
 * Start a sandbox on 127.0.0.1.
 * @param {object} [options] see sandbox/README.md
 * @returns {Promise<object>} the handle
 */
async function startSandbox(options) {
  const o = normaliseOptions(options);
  Object.assign(o, normaliseFidelity(options));
  const sb = new Sandbox(o);
  await sb.listen();
  const handle = {
    // `await using sb = await startSandbox()` (TypeScript 5.2+): close() at the end of the scope.
    // (Symbol.for: the key the usual polyfills give a runtime without Symbol.asyncDispose)
    [Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')]() { return sb.close(); },
    baseUrl: sb.baseUrl,
    origin: sb.origin,
    port: sb.port,
    apiVersion: o.apiVersion,
    dateFormat: o.dateFormat,
    rules: { ...o.rules },
    credentials: { ...o.credentials },
    requests: sb.requests,
    state: sb.state,
    webhookDeliveries: sb.webhooks.deliveries,
    get faults() { return sb.faults.get(); },
    get webhookUrl() { return sb.webhookUrl; },
    setFaults(partial) { return sb.faults.set(partial); },
    setWebhookUrl(url) {
      // (checked as the webhookUrl option is: a bad one only showed up later as a delivery error)
      if (url && !isHttpUrl(url)) throw new TypeError('setWebhookUrl: the URL must be an absolute http(s) URL string, or null');
      sb.webhookUrl = url || null;
    },
    issueToken(userName, departmentId) { return sb.issueTokenResponse(userName, departmentId).access_token; },
    events(departmentId) {
      return sb.state.events.filter((e) => !departmentId || e.departmentId === String(departmentId).toLowerCase()).map((e) => e.event);
    },
    webhooksIdle() { return sb.webhooksIdle(); },
    // (passed as a hook, `beforeEach(sb.reset)`: vitest calls it with its test context, a function,
    // which is no options; no declared parameter, so mocha and jest pass it no `done`)
    reset(opts = undefined) { sb.reset(typeof opts === 'function' ? undefined : opts); },
    close() { return sb.close(); },
  };
  return handle;
}

module.exports = {
  startSandbox,
  formatGlassixDate,
  formatGlassixDay,
  parseGlassixDate,
  signWebhook,
  DEFAULT_SEED,
  DEFAULT_CREDENTIALS,
  DEFAULT_FAULTS,
  DEFAULT_RULES,
};
