// Shared by the runner and the cases: paths, statistics, formatting, the local server, the
// realistic test data, and how a case hands its result back to the runner.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH, '..');
export const QUICK = process.argv.includes('--quick');
export const require = createRequire(import.meta.url);

/** Credentials the local server accepts (it accepts anything; these only look real). */
export const CREDS = { apiKey: '00000000-0000-4000-8000-000000000001', apiSecret: 'bench-secret', userName: 'api@bench.test' };
export const ACCEPT = 'application/json, text/plain, */*'; // what glassix-wasm and axios send

// ---------------------------------------------------------------- statistics and formatting

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' ms';
export const us = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' µs';
export const ratio = (x) => x.toFixed(2) + '×';
export const kb = (bytes) => (bytes / 1024).toFixed(1) + ' KB';
// (MB as the budgets count them: 1,000,000 B)
export const mb = (bytes) => (bytes / 1e6).toFixed(2) + ' MB';
export const signedMb = (bytes) => (bytes >= 0 ? '+' : '−') + mb(Math.abs(bytes));

/** One budget line: `value` (in `unit`) against `limit`; `met` when value ≤ limit. */
export const budget = (name, value, limit, show) => ({ name, value, limit, met: value <= limit, text: `${show(value)} (budget ≤ ${show(limit)})` });

/** Runs `fn` on `n` items with at most `width` in flight; resolves when all are done. */
export async function pool(n, width, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
}

// The wasm's linear memory is not reachable from the package (users never see a wasm handle), so
// the benchmarks catch it as the Node build instantiates its module: this module is imported
// before any case loads pkg/index.cjs.
let WASM_MEMORY = null;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  if (!WASM_MEMORY && instance.exports.memory instanceof WebAssembly.Memory) WASM_MEMORY = instance.exports.memory;
  return instance;
};

/** The Node build's wasm linear memory, in bytes. */
export const wasmMemory = () => {
  require('../pkg/index.cjs');
  if (!WASM_MEMORY) throw new Error('bench: pkg/index.cjs was loaded before bench/lib.mjs, so its wasm memory cannot be measured');
  return WASM_MEMORY.buffer.byteLength;
};

export const gc = async () => {
  if (!global.gc) return;
  for (let i = 0; i < 3; i++) {
    global.gc();
    await sleep(10);
  }
};

// ---------------------------------------------------------------- clients under comparison

/** glassix-wasm, configured for the local server. */
export function glassixClient(origin, extra = {}) {
  const GlassixClient = require('../pkg/index.cjs');
  return new GlassixClient({ ...CREDS, baseUrl: `${origin}/api/v1.2`, ...extra });
}

/** The floor: `fetch` with the same headers, the token fetched once. */
export async function fetchClient(origin) {
  const res = await fetch(`${origin}/api/v1.2/token/get`, {
    method: 'POST',
    headers: { accept: ACCEPT, 'content-type': 'application/json' },
    body: JSON.stringify(CREDS),
  });
  const { access_token: token } = await res.json();
  const headers = { accept: ACCEPT, authorization: `Bearer ${token}` };
  const get = async (path) => {
    const r = await fetch(`${origin}/api/v1.2${path}`, { headers });
    if (!r.ok) throw new Error(`fetch ${path}: HTTP ${r.status}`);
    return r.json();
  };
  return { ticket: (id) => get(`/tickets/get/${id}`), list: () => get('/tickets/list').then((b) => b.tickets) };
}

/** What glassix-js does: axios, a token fetched once and checked for expiry before each call. */
export function axiosClient(origin) {
  const axios = require('axios');
  const http = axios.create();
  const url = `${origin}/api/v1.2`;
  let token = null;
  let expires = 0;
  const headers = async () => {
    if (!token || expires <= Date.now()) {
      const { data } = await http.post(`${url}/token/get`, CREDS);
      token = data.access_token;
      expires = Date.now() + data.expires_in * 1000;
    }
    return { Authorization: `Bearer ${token}` };
  };
  return { ticket: async (id) => (await http.get(`${url}/tickets/get/${id}`, { headers: await headers() })).data };
}

// ---------------------------------------------------------------- realistic data

const WORDS = 'order shipped refund delivery tomorrow thanks please invoice payment account address change hello help'.split(' ');
const text = (seed, n) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
const iso = (i) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('Z', '+00:00');

/** A ticket shaped like the API's (and the sandbox's): fields, participants, transactions. */
export function ticket(id, messages = 6) {
  const client = { id: 1, name: `Customer ${id}`, displayName: `Customer ${id}`, type: 'Client', protocolType: 'WhatsApp', subProtocolType: 'Undefined', identifier: `9725${String(id).padStart(8, '0')}`, departmentIdentifier: '15550000001', isActive: true, isDeleted: false, contactId: `0000${id}-aaaa-4bbb-8ccc-${String(id).padStart(12, '0')}`, userName: '' };
  const agent = { ...client, id: 2, name: 'Alice', displayName: 'Alice Agent', type: 'User', identifier: 'alice@bench.test', contactId: null, userName: 'alice@bench.test' };
  return {
    id, departmentId: CREDS.apiKey, field1: `Order #${id} — ${text(id, 4)}`, field2: null, field3: null, field4: null, field5: null, field6: null, field7: null, field8: null, field9: null, field10: null,
    culture: 'en-US', ticketType: 'Regular', tags: ['Support', id % 3 ? 'VIP' : 'Billing'], owner: null, state: id % 2 ? 'Open' : 'Closed',
    open: iso(id), close: id % 2 ? null : iso(id + 90), lastActivity: iso(id + 45), uniqueArgument: `crm-${id}`,
    details: { source: { title: 'WhatsApp', uri: null }, pageTitle: null, pageUrl: null, ip: null, userAgent: null },
    primaryProtocolType: 'WhatsApp', movedToTicketId: 0, movedFromTicketId: 0, agentMessagesCount: messages >> 1, customerMessagesCount: messages - (messages >> 1),
    durationNet: '00:45:00', durationGross: '00:45:00', isIncoming: true, isScrambled: false, wasClosedAutomatically: false,
    participants: [client, agent],
    transactions: Array.from({ length: messages }, (_, i) => ({
      guidTransactionId: `1b4e28ba-2fa1-41d2-883f-${String(id * 100 + i).padStart(12, '0')}`, id: id * 100 + i, dateTime: iso(id + i), fromProtocolType: 'WhatsApp',
      type: 'Message', text: text(id + i, 12), html: '', status: 'Delivered', fromParticipant: i % 2 ? agent : client, attachments: [], payload: null,
    })),
    dynamicParameters: [], botConversationSteps: [], ticketSummary: null, nestedTicketsIds: [], parentNestedTicketId: 0,
  };
}

/** The body of a `tickets/list` page of about `bytes` bytes, with no next page. */
export function listBody(bytes) {
  const tickets = [];
  let size = 40;
  for (let id = 160000001; size < bytes; id++) {
    const t = ticket(id);
    size += JSON.stringify(t).length + 1;
    tickets.push(t);
  }
  return JSON.stringify({ tickets, paging: {} });
}

/** The most of `times` (ms, in any order) in any window of `perMs` (two pointers over them
 * sorted): what a server that limits arrivals to so many per window counts. */
export function maxInWindow(times, perMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= perMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

// ---------------------------------------------------------------- the local server

/**
 * Starts bench/server.mjs in its own process (so its work does not share the client's core) and
 * resolves with its origin, `stats()` and `close()`.
 */
export function startServer({ listBytes = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(BENCH, 'server.mjs'), [String(listBytes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', ({ port }) => {
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        origin,
        /** Arrivals at POST /protocols/send since the last call: count, span, the shortest time
         * holding `requests` + 1 of them, the most in any `perMs` window, and a histogram per
         * 100 ms. Forgets them. */
        stats: async (perMs = 1000, requests = 1) => (await fetch(`${origin}/__stats?perMs=${perMs}&requests=${requests}`)).json(),
        close: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

// ---------------------------------------------------------------- results

/**
 * Runs a case's `main({ quick })`. Under the runner (forked, with IPC) the result goes back over
 * IPC; run directly (`node bench/cases/x.mjs [--quick]`) it is printed. A failure exits 1.
 */
export async function runCase(main) {
  try {
    const result = await main({ quick: QUICK });
    if (process.send) process.send(result);
    else console.log(JSON.stringify(result, null, 2));
    process.exitCode = 0;
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
  if (process.connected) process.disconnect();
}
