// Shared helpers for the sandbox tests (not a test file itself).
import { startSandbox, formatGlassixDate, signWebhook } from '../../sandbox/index.mjs';

export { startSandbox, formatGlassixDate, signWebhook };

/** A controllable clock for deterministic time-based tests. */
export function fakeClock(start = Date.UTC(2024, 5, 15, 12, 0, 0)) {
  let t = start;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  now.set = (ms) => { t = ms; };
  return now;
}

/** Request a token through the real endpoint. */
export async function getToken(sb, overrides = {}) {
  const res = await fetch(`${sb.baseUrl}/token/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiKey: sb.credentials.apiKey, apiSecret: sb.credentials.apiSecret, userName: sb.credentials.userName, ...overrides,
    }),
  });
  return { status: res.status, json: await res.json() };
}

/**
 * A tiny fetch wrapper. `call(method, path, { query, body, token, headers, rawBody })`.
 * `token: null` sends no Authorization header; default is a pre-issued token of the API user.
 */
export function client(sb, defaultToken = sb.issueToken()) {
  return async function call(method, path, opts = {}) {
    const url = path.startsWith('http') ? new URL(path) : new URL(sb.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query || {})) url.searchParams.set(k, String(v));
    const headers = { ...(opts.headers || {}) };
    const token = opts.token === undefined ? defaultToken : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body = opts.rawBody;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(url, { method, headers, body, signal: opts.signal });
    const buf = Buffer.from(await res.arrayBuffer());
    let json;
    try { json = JSON.parse(buf.toString('utf8')); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, json, text: buf.toString('utf8'), buf };
  };
}

export const WA = (identifier = '17818469236', name = 'Luke Long') => ({ name, protocolType: 'WhatsApp', identifier, type: 'Client' });

/** Create a ticket and return its JSON (asserting 200). */
export async function createTicket(call, payload = {}) {
  const res = await call('POST', '/tickets/create', { body: { field1: 'Subject', participants: [WA()], ...payload } });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.json;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Run `fn(call, sb)` against a fresh sandbox started with `options`, and close it after. */
export async function withSandbox(options, fn) {
  const sb = await startSandbox(options);
  try {
    return await fn(client(sb), sb);
  } finally {
    await sb.close();
  }
}

/**
 * Epoch ms of a date the API wrote, read the way a careful client must: a date without a zone
 * (`2018-11-26T19:42:53.15`) is UTC, not local time.
 */
export function apiDate(s) {
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${s}`);
  return ms;
}

/** The four forms of .NET dates the docs show (see sandbox/dates.cjs). */
export const FORM = {
  // .FFFFFFF: up to 7 digits, trailing zeros dropped
  ticks: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,6}[1-9])?Z$/,
  millis: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,2}[1-9])?Z$/,
  seconds: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
  unzoned: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d?[1-9])?$/,
  iso: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
};
