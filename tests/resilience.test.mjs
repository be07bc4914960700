// Fault injection against real sockets: retries (429 with Retry-After, 502/503/504 and network
// failures for GET/PUT/DELETE only), backoff and maxRetries, per-attempt timeouts, aborts, the
// shared token request under 429, the client-wide 429 pause, and a Node process that exits by
// itself once its calls are done. Every test checks what reached the server (attempt counts,
// arrival times as lower bounds), not only the final value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startServer, json, CREDS, GlassixClient, GlassixError, runChild } from './helpers/server.mjs';
import { sequence, status, ok, reset, hang, truncated, drip, httpDate, rejects, timed, sleep } from './helpers/faults.mjs';

const PKG = fileURLToPath(new URL('../pkg/index.cjs', import.meta.url));
const T = 160000001;

/** A fresh server (closed after the test) and its request log for one test. */
async function setup(t) {
  const s = await startServer();
  t.after(() => s.close());
  return s;
}

const callsTo = (s, path) => s.calls.filter((r) => r.path === `/api/v1.2${path}`);

/** Resolves when the server has sent the response of `handler`'s first answer. */
function onFinish(handler) {
  let fire;
  const sent = new Promise((r) => (fire = r));
  const h = (req, res, rec) => {
    res.on('finish', () => fire(Date.now()));
    return handler(req, res, rec);
  };
  return [h, sent];
}

// ---------------------------------------------------------------- 429 and Retry-After

test('429 with Retry-After: 1 (seconds) is retried after at least one second, then resolves', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(status(429, { 'retry-after': '1' }), ok({ id: T })));
  const client = s.client();
  assert.deepEqual(await client.tickets.get(T), { id: T });
  const [a, b] = callsTo(s, `/tickets/get/${T}`);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2, 'two attempts');
  assert.ok(b.time - a.time >= 990, `second attempt ${b.time - a.time} ms after the first (Retry-After: 1)`);
  assert.equal(b.headers.authorization, a.headers.authorization);
});

test('429 with Retry-After as an HTTP-date 1-2 s ahead waits until that date', async (t) => {
  const s = await setup(t);
  let until;
  s.route(
    'GET',
    `/tickets/get/${T}`,
    sequence((req, res) => {
      until = Math.ceil((Date.now() + 1000) / 1000) * 1000; // a whole second, 1-2 s ahead
      json(res, 429, { message: 'slow down' }, { 'retry-after': httpDate(until) });
    }, ok({ id: T })),
  );
  assert.deepEqual(await s.client().tickets.get(T), { id: T });
  const sent = callsTo(s, `/tickets/get/${T}`);
  assert.equal(sent.length, 2);
  assert.ok(sent[1].time >= until - 20, `retried ${until - sent[1].time} ms before the Retry-After date`);
});

/** Runs `fn` with the process's local time zone set to `tz` (restored afterwards). */
async function inTimeZone(tz, fn) {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    assert.notEqual(new Date(2024, 0, 1).getTimezoneOffset(), 0, `${tz} is in effect`);
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const hms = (d) => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
/** The two obsolete HTTP-date formats every recipient must accept (RFC 9110 §5.6.7); both are GMT. */
const rfc850Date = (ms) => {
  const d = new Date(ms);
  return `${LONG_DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${p2(d.getUTCFullYear() % 100)} ${hms(d)} GMT`;
};
const asctimeDate = (ms) => {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} ${d.getUTCFullYear()}`;
};

/** A 429 whose Retry-After is `format(a whole second 1-2 s ahead)`, then 200; checks the wait. */
async function retryAfterDate(t, format, id) {
  const s = await setup(t);
  let until;
  s.route(
    'GET',
    `/tickets/get/${id}`,
    sequence((req, res) => {
      until = Math.ceil((Date.now() + 1000) / 1000) * 1000;
      json(res, 429, { message: 'slow down' }, { 'retry-after': format(until) });
    }, ok({ id })),
  );
  const client = s.client();
  await client.getToken();
  assert.deepEqual(await client.tickets.get(id), { id }, 'resolves after waiting (the date is less than 60 s ahead)');
  const sent = callsTo(s, `/tickets/get/${id}`);
  assert.equal(sent.length, 2);
  assert.ok(sent[1].time >= until - 20, `retried ${until - sent[1].time} ms before the Retry-After date`);
}

test('Retry-After HTTP-dates are GMT whatever the local time zone (IMF-fixdate and RFC 850 format)', async (t) => {
  await inTimeZone('America/New_York', () => retryAfterDate(t, httpDate, 1));
  await inTimeZone('Asia/Jerusalem', () => retryAfterDate(t, rfc850Date, 2));
});

test('Retry-After in the asctime HTTP-date format is GMT too, whatever the local time zone', async (t) => {
  await inTimeZone('America/New_York', () => retryAfterDate(t, asctimeDate, 3));
  await inTimeZone('Asia/Jerusalem', () => retryAfterDate(t, asctimeDate, 4));
});

test('429 is retried for a POST too (the server did not act on it)', async (t) => {
  const s = await setup(t);
  s.route('POST', `/tickets/send/${T}`, sequence(status(429, { 'retry-after': '1' }), ok({ sent: true })));
  assert.deepEqual(await s.client().tickets.send(T, { text: 'Hi' }), { sent: true });
  const sent = callsTo(s, `/tickets/send/${T}`);
  assert.equal(sent.length, 2);
  assert.ok(sent[1].time - sent[0].time >= 990);
  assert.deepEqual(sent[1].body, { text: 'Hi' }, 'the same body is sent again');
});

test('a 429 retried until maxRetries is exhausted rejects with the last 429 (default: three attempts)', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(429, { 'retry-after': '0' }));
  await rejects(s.client().tickets.get(T), { kind: 'http', status: 429, retryAfter: 0 });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 3);
});

test('Retry-After: 3600 rejects at once with kind http, status 429 and retryAfter 3600', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(429, { 'retry-after': '3600' }, { message: 'Too many requests' }));
  const [err, ms] = await timed(() => rejects(s.client().tickets.get(T), { kind: 'http', status: 429, code: 429, retryAfter: 3600 }));
  assert.ok(err instanceof GlassixError, String(err));
  assert.ok(ms < 1000, `rejected after ${ms} ms (must not wait)`);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1, 'one attempt');
  assert.deepEqual(err.body, { message: 'Too many requests' });
});

test('Retry-After longer than 60 s (61 s, or an HTTP-date two minutes ahead) rejects at once with retryAfter in seconds', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/1', status(429, { 'retry-after': '61' }));
  s.route('GET', '/tickets/get/2', (req, res) => json(res, 429, {}, { 'retry-after': httpDate(Date.now() + 120000) }));
  const client = s.client();
  const [, ms1] = await timed(() => rejects(client.tickets.get(1), { kind: 'http', status: 429, retryAfter: 61 }));
  const [err, ms2] = await timed(() => rejects(client.tickets.get(2), { kind: 'http', status: 429 }));
  assert.ok(ms1 < 1000 && ms2 < 1000, `no wait (${ms1} ms, ${ms2} ms)`);
  assert.ok(err.retryAfter > 115 && err.retryAfter <= 120, `retryAfter ${err.retryAfter} s`);
  assert.equal(callsTo(s, '/tickets/get/1').length, 1);
  assert.equal(callsTo(s, '/tickets/get/2').length, 1);
});

test('a Retry-After of 16 digits or more (or a long fraction) is a long wait: rejects at once, retryAfter set', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/1', status(429, { 'retry-after': '1000000000000000' }));
  s.route('GET', '/tickets/get/2', status(429, { 'retry-after': '99999999999999999999999' }));
  s.route('GET', '/tickets/get/3', status(429, { 'retry-after': '90.0000000001' }));
  const client = s.client();
  await rejects(client.tickets.get(1), { kind: 'http', status: 429, retryAfter: 1e15 });
  const err = await rejects(client.tickets.get(2), { kind: 'http', status: 429 });
  assert.ok(err.retryAfter > 9.9e22, `retryAfter ${err.retryAfter}`);
  await rejects(client.tickets.get(3), { kind: 'http', status: 429, retryAfter: 90 });
  for (const id of [1, 2, 3]) assert.equal(callsTo(s, `/tickets/get/${id}`).length, 1, `one attempt for ${id}`);
});

test('a 429 that is not retried (maxRetries: 0) carries retryAfter in seconds', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(429, { 'retry-after': '1' }));
  await rejects(s.client().tickets.get(T, { maxRetries: 0 }), { kind: 'http', status: 429, retryAfter: 1 });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

// ---------------------------------------------------------------- 5xx and network failures

test('503 then 200 on a GET: two attempts, resolves', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(status(503), ok({ id: T })));
  assert.deepEqual(await s.client().tickets.get(T), { id: T });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2);
});

test('502 on a PUT and 504 on a DELETE are retried, with the same body', async (t) => {
  const s = await setup(t);
  s.route('PUT', `/tickets/setfields/${T}`, sequence(status(502), ok({ put: true })));
  s.route('DELETE', `/tickets/scramble/${T}`, sequence(status(504), ok({ deleted: true })));
  const client = s.client();
  assert.deepEqual(await client.tickets.setFields(T, { field1: 'x' }), { put: true });
  assert.deepEqual(await client.tickets.scramble(T), { deleted: true });
  const puts = callsTo(s, `/tickets/setfields/${T}`);
  assert.equal(puts.length, 2);
  assert.deepEqual(puts.map((r) => r.body), [{ field1: 'x' }, { field1: 'x' }]);
  assert.equal(callsTo(s, `/tickets/scramble/${T}`).length, 2);
});

test('a GET that keeps failing with 503 makes maxRetries + 1 attempts (default 2) and rejects with the last status', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(503, {}, { message: 'down' }));
  const err = await rejects(s.client().tickets.get(T), { kind: 'http', status: 503 });
  assert.equal(err.message, 'down');
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 3);
});

test('other statuses (400, 404, 500) are not retried, even for a GET', async (t) => {
  const s = await setup(t);
  for (const [i, code] of [400, 404, 500].entries()) {
    s.route('GET', `/tickets/get/${i + 1}`, status(code));
    await rejects(s.client().tickets.get(i + 1), { kind: 'http', status: code });
    assert.equal(callsTo(s, `/tickets/get/${i + 1}`).length, 1, `${code}: one attempt`);
  }
});

for (const [label, handler, fields] of [
  ['500', status(500), { kind: 'http', status: 500 }],
  ['503', status(503), { kind: 'http', status: 503 }],
  ['502', status(502), { kind: 'http', status: 502 }],
  ['a connection reset', reset(), { kind: 'network' }],
  ['a truncated body', truncated(), { kind: 'network' }],
]) {
  test(`a POST (tickets.send) that gets ${label} is sent exactly once and rejects`, async (t) => {
    const s = await setup(t);
    s.route('POST', `/tickets/send/${T}`, handler);
    const err = await rejects(s.client().tickets.send(T, { text: 'once' }), fields);
    await sleep(100);
    assert.equal(callsTo(s, `/tickets/send/${T}`).length, 1, 'never re-sent');
    if (fields.kind === 'network') assert.equal(err.status, undefined);
    // (a failure on the way says the POST may have been received: its caller must check before
    // sending it again; a broken body came after the server answered)
    if (label === 'a connection reset') assert.equal(err.message, `tickets.send: POST /tickets/send/${T}: network error (not sent again: it may have reached Glassix)`);
  });
}

test('a connection reset before any response on a GET is retried', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(reset(), ok({ id: T })));
  assert.deepEqual(await s.client().tickets.get(T), { id: T });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2);
});

test('a connection reset mid-body on a GET is retried and the second body is used', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(truncated('{"id":1,"partial":"', 5000), ok({ id: T, whole: true })));
  assert.deepEqual(await s.client().tickets.get(T), { id: T, whole: true });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2);
});

test('tickets.setDepartment, a PUT that copies the ticket, is not sent again after a 502, a reset or a timeout: a second call would copy it twice', async (t) => {
  const s = await setup(t);
  const DEPT = '6f1b6b3e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
  const path = `/tickets/setdepartment/${T}`;
  s.route('PUT', path, sequence(status(502), reset(), hang(), ok({ ticketId: 2 })));
  const client = s.client({ maxRetries: 3 });
  await rejects(client.tickets.setDepartment(T, { departmentId: DEPT }), { kind: 'http', status: 502 });
  const reset_ = await rejects(client.tickets.setDepartment(T, { departmentId: DEPT }), { kind: 'network' });
  assert.equal(reset_.message, `tickets.setDepartment: PUT ${path}: network error (not sent again: it may have reached Glassix)`);
  const late = await rejects(client.tickets.setDepartment(T, { departmentId: DEPT }, { timeout: 200 }), { kind: 'timeout' });
  assert.equal(late.message, `tickets.setDepartment: PUT ${path} timed out after 200 ms (not sent again: it may have reached Glassix)`);
  await sleep(100);
  assert.equal(callsTo(s, path).length, 3, 'one attempt each');
  // a 429 (the server did not act) is still waited out and sent again
  s.route('PUT', path, sequence(status(429, { 'retry-after': '0' }), ok({ ticketId: 3 })));
  assert.deepEqual(await client.tickets.setDepartment(T, { departmentId: DEPT }), { ticketId: 3 });
  assert.equal(callsTo(s, path).length, 5);
});

test("tickets.setDepartment goes on a connection of its own (`keepalive: false`): Bun's fetch sends a PUT again by itself when the connection it reused is reset", async (t) => {
  // (the Fetch standard's default, which Node, Deno, browsers and Workers keep as it is; Bun reads
  // it as "no pooled connection", so nothing can make it send the PUT twice: the ecosystem's bun
  // row counts the arrivals. Other requests keep the runtime's pooling.)
  const s = await setup(t);
  const DEPT = '6f1b6b3e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
  const real = globalThis.fetch;
  const runtime = [];
  globalThis.fetch = (url, init) => (runtime.push(`${init.method} ${init.keepalive}`), real(url, init));
  t.after(() => (globalThis.fetch = real));
  const calls = (client) => [
    client.tickets.setDepartment(T, { departmentId: DEPT }),
    client.tickets.setState(T, { nextState: 'Closed' }),
    client.tickets.removeTag(T, { tag: 'a' }),
    client.tickets.send(T, { text: 'x' }),
    client.tickets.get(T),
    client.request('PUT', `/tickets/setdepartment/${T}`, { body: { departmentId: DEPT } }),
  ];
  const sent = ['PUT false', 'PUT undefined', 'DELETE undefined', 'POST undefined', 'GET undefined', 'PUT undefined'];
  for (const p of calls(new GlassixClient({ baseUrl: s.base, accessToken: 'tok' }))) await p;
  assert.deepEqual(runtime, sent, "the runtime's fetch: init.keepalive");
  // a caller-supplied fetch gets a Request that says the same
  const own = [];
  const client = new GlassixClient({ baseUrl: s.base, accessToken: 'tok', fetch: (request) => (own.push(`${request.method} ${request.keepalive}`), real(request)) });
  for (const p of calls(client)) await p;
  assert.deepEqual(own, sent.map((x) => x.replace('undefined', 'false')), "a caller's fetch: request.keepalive (a Request's is false unless asked)");
  assert.equal(callsTo(s, `/tickets/setdepartment/${T}`).length, 4);
});

test('a connection reset on a PUT is retried', async (t) => {
  const s = await setup(t);
  s.route('PUT', `/users/setstatus`, sequence(reset(), ok({ status: 'Break' })));
  assert.deepEqual(await s.client().users.setStatus({ nextStatus: 'Break' }), { status: 'Break' });
  const sent = callsTo(s, '/users/setstatus');
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1].body, { nextStatus: 'Break' });
});

test('a connection refused (nothing listening) rejects with kind network', async (t) => {
  const s = await setup(t);
  const base = s.base;
  await s.close();
  const client = new GlassixClient({ baseUrl: base, accessToken: 'tok', maxRetries: 1 });
  const err = await rejects(client.tickets.get(T), { kind: 'network' });
  assert.equal(err.status, undefined);
});

// ---------------------------------------------------------------- maxRetries

test('maxRetries set on the client: maxRetries: 1 makes two attempts', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(503));
  await rejects(s.client({ maxRetries: 1 }).tickets.get(T), { kind: 'http', status: 503 });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2);
});

test("a 503's Retry-After is waited out by the call's retry (the backoff is shorter), and err.retryAfter is set on the last one", async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(status(503, { 'retry-after': '1' }), ok({ id: T })));
  s.route('GET', `/tickets/get/${T + 1}`, status(503, { 'retry-after': '1' }));
  assert.deepEqual(await s.client().tickets.get(T), { id: T });
  const [first, second] = callsTo(s, `/tickets/get/${T}`).map((r) => r.time);
  assert.ok(second - first >= 1000, `retried ${second - first} ms after the 503`);
  await rejects(s.client({ maxRetries: 1 }).tickets.get(T + 1), { kind: 'http', status: 503, retryAfter: 1 });
  const [a, b] = callsTo(s, `/tickets/get/${T + 1}`).map((r) => r.time);
  assert.ok(b - a >= 1000, `retried ${b - a} ms after the 503`);
});

test("a 503 whose Retry-After is past 60 s (a maintenance window) rejects at once with retryAfter, not retried", async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(503, { 'retry-after': '3600' }));
  await rejects(s.client().tickets.get(T), { kind: 'http', status: 503, retryAfter: 3600 });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

test('maxRetries: 0 disables retries (503, reset, 429 each one attempt)', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/1', status(503));
  s.route('GET', '/tickets/get/2', reset());
  s.route('GET', '/tickets/get/3', status(429, { 'retry-after': '1' }));
  const client = s.client({ maxRetries: 0 });
  await rejects(client.tickets.get(1), { kind: 'http', status: 503 });
  await rejects(client.tickets.get(2), { kind: 'network' });
  const [, ms] = await timed(() => rejects(client.tickets.get(3), { kind: 'http', status: 429, retryAfter: 1 }));
  assert.ok(ms < 900, `the 429 was not waited for (${ms} ms)`);
  for (const id of [1, 2, 3]) assert.equal(callsTo(s, `/tickets/get/${id}`).length, 1, `ticket ${id}: one attempt`);
});

test('per-call maxRetries overrides the client (more and fewer)', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/1', sequence(status(503), status(503), ok({ id: 1 })));
  s.route('GET', '/tickets/get/2', status(503));
  const none = s.client({ maxRetries: 0 });
  assert.deepEqual(await none.tickets.get(1, { maxRetries: 2 }), { id: 1 });
  assert.equal(callsTo(s, '/tickets/get/1').length, 3, 'per-call 2 beats client 0');
  const many = s.client({ maxRetries: 5 });
  await rejects(many.tickets.get(2, { maxRetries: 0 }), { kind: 'http', status: 503 });
  assert.equal(callsTo(s, '/tickets/get/2').length, 1, 'per-call 0 beats client 5');
});

test('per-call maxRetries also disables the 429 retry of a POST', async (t) => {
  const s = await setup(t);
  s.route('POST', `/tickets/addnote/${T}`, status(429, { 'retry-after': '1' }));
  await rejects(s.client().tickets.addNote(T, { text: 'n' }, { maxRetries: 0 }), { kind: 'http', status: 429, retryAfter: 1 });
  assert.equal(callsTo(s, `/tickets/addnote/${T}`).length, 1);
});

// ---------------------------------------------------------------- timeouts

test('a server that never answers: { timeout: 200, maxRetries: 0 } rejects kind timeout after one attempt', async (t) => {
  const s = await setup(t);
  let closed;
  s.route('GET', `/tickets/get/${T}`, (req, res) => res.on('close', () => (closed = Date.now())));
  const client = s.client();
  await client.getToken(); // the token request is not part of what is timed
  const [err, ms] = await timed(() => rejects(client.tickets.get(T, { timeout: 200, maxRetries: 0 }), { kind: 'timeout' }));
  assert.ok(err instanceof GlassixError);
  assert.ok(ms >= 190, `timed out after ${ms} ms`);
  assert.equal(err.status, undefined);
  await sleep(300);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
  assert.ok(closed, 'the timed-out attempt\'s connection was closed (not left dangling)');
});

test('a timed-out GET attempt is retried: maxRetries + 1 attempts, then kind timeout', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, hang());
  const [, ms] = await timed(() => rejects(s.client().tickets.get(T, { timeout: 200, maxRetries: 2 }), { kind: 'timeout' }));
  assert.ok(ms >= 590, `three attempts of 200 ms took ${ms} ms`);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 3);
});

test('a timed-out GET, PUT or DELETE attempt followed by a good one resolves (two attempts)', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, sequence(hang(), ok({ id: T })));
  s.route('PUT', `/tickets/setowner/${T}`, sequence(hang(), ok({ owner: 'a' })));
  s.route('DELETE', `/tickets/removetag/${T}`, sequence(hang(), ok({ removed: 'vip' })));
  const client = s.client();
  assert.deepEqual(await client.tickets.get(T, { timeout: 200 }), { id: T });
  assert.deepEqual(await client.tickets.setOwner(T, { nextOwnerUserName: 'a@example.com' }, { timeout: 200 }), { owner: 'a' });
  assert.deepEqual(await client.tickets.removeTag(T, { tag: 'vip' }, { timeout: 200 }), { removed: 'vip' });
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 2);
  assert.equal(callsTo(s, `/tickets/setowner/${T}`).length, 2);
  assert.equal(callsTo(s, `/tickets/removetag/${T}`).length, 2);
});

test('a timed-out POST is not re-sent', async (t) => {
  const s = await setup(t);
  s.route('POST', `/tickets/send/${T}`, hang());
  const err = await rejects(s.client().tickets.send(T, { text: 'x' }, { timeout: 200, maxRetries: 2 }), { kind: 'timeout' });
  assert.equal(err.message, `tickets.send: POST /tickets/send/${T} timed out after 200 ms (not sent again: it may have reached Glassix)`);
  await sleep(100);
  assert.equal(callsTo(s, `/tickets/send/${T}`).length, 1);
  // a GET that timed out says only that: it was retried, and may be again
  s.route('GET', `/tickets/get/${T}`, hang());
  const get = await rejects(s.client().tickets.get(T, { timeout: 100, maxRetries: 0 }), { kind: 'timeout' });
  assert.equal(get.message, `tickets.get: GET /tickets/get/${T} timed out after 100 ms`);
});

test('a POST from a timer in a process that was frozen (a serverless function between invocations): with one turn of the event loop first (README, Retries), it goes out on a fresh connection, not on the one the server closed meanwhile', async (t) => {
  const s = await setup(t);
  // the first send's connection is closed by the server 100 ms after its answer (a keep-alive
  // timeout), while the client's process is busy: it wakes up in a timer, which Node runs before
  // it reads that the connection closed
  s.route('POST', `/tickets/send/${T}`, sequence((req, res) => {
    res.on('finish', () => setTimeout(() => req.socket.end(), 100));
    json(res, 200, { n: 1 });
  }, ok({ n: 2 })));
  const { status: code, stdout, stderr } = await runChild(`
    const c = new GlassixClient({ baseUrl: base, accessToken: 'tok', maxRetries: 0 });
    await c.tickets.send(${T}, { text: 'one' });
    setTimeout(async () => {
      for (const until = Date.now() + 1300; Date.now() < until;); // frozen
      await new Promise((r) => setImmediate(r)); // the README's advice
      const r = await c.tickets.send(${T}, { text: 'two' }).catch((e) => e.message);
      process.stdout.write(JSON.stringify(r));
    }, 10);
  `, s.base);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), { n: 2 });
  assert.deepEqual(callsTo(s, `/tickets/send/${T}`).map((r) => r.body.text), ['one', 'two'], 'each sent once');
});

test('the client timeout applies to every attempt and a per-call timeout overrides it', async (t) => {
  const s = await setup(t);
  const late = (ms, body) => (req, res) => setTimeout(() => json(res, 200, body), ms);
  s.route('GET', '/tickets/get/1', late(600, { id: 1 }));
  s.route('GET', '/tickets/get/2', late(600, { id: 2 }));
  const client = s.client({ timeout: 200, maxRetries: 0 });
  await client.getToken();
  await rejects(client.tickets.get(1), { kind: 'timeout' });
  assert.deepEqual(await client.tickets.get(2, { timeout: 3000 }), { id: 2 });
});

test('a slow-drip body that finishes inside the timeout succeeds', async (t) => {
  const s = await setup(t);
  const body = JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => ({ i, s: 'x'.repeat(20) })) });
  s.route('GET', `/tickets/get/${T}`, drip(body, 10, 60));
  const client = s.client();
  await client.getToken();
  const [value, ms] = await timed(() => client.tickets.get(T, { timeout: 2000, maxRetries: 0 }));
  assert.deepEqual(value, JSON.parse(body));
  assert.ok(ms >= 500, `the body took ${ms} ms to arrive`);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

test('a slow-drip body that outlasts the timeout rejects kind timeout (the timeout covers the body)', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, drip(JSON.stringify({ a: 'y'.repeat(1000) }), 20, 100));
  const client = s.client();
  await client.getToken();
  const [, ms] = await timed(() => rejects(client.tickets.get(T, { timeout: 300, maxRetries: 0 }), { kind: 'timeout' }));
  assert.ok(ms >= 290, `${ms} ms`);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

test('a body the runtime never finishes reading (not the gzip its Content-Encoding says, connection closed) still ends with the timeout', async (t) => {
  // Node 20's fetch leaves such a body's read pending for ever, abort or not, when other requests
  // share the pool: the timeout must end the call whatever the fetch does with the signal.
  const srv = net.createServer((sock) => {
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      if (!buf.includes('\r\n\r\n')) return;
      const gz = buf.includes('/gz/');
      buf = '';
      if (!gz) return void sock.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{"ok":true}');
      const body = '{"message":"not gzip at all"}';
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      sock.write(body); // (headers and body in two writes)
      setTimeout(() => sock.destroy(), 2);
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  const base = `http://127.0.0.1:${srv.address().port}`;
  for (const fetch of [undefined, (r) => globalThis.fetch(r)]) {
    const opts = { accessToken: 'tok-resilience-1', timeout: 400, maxRetries: 0, ...(fetch && { fetch }) };
    const good = new GlassixClient({ ...opts, baseUrl: base + '/ok' });
    const bad = new GlassixClient({ ...opts, baseUrl: base + '/gz' });
    const seen = {};
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = 0; i < 12; i++) {
          const call = i % 2 ? bad.tickets.get(1) : good.tickets.get(1);
          // (a generous bound: a call still pending after it has not ended)
          const bound = new Promise((r) => setTimeout(r, 5000, 'still pending').unref());
          const r = await Promise.race([call.then(() => 'resolved', (e) => (e instanceof GlassixError ? e.kind : String(e))), bound]);
          if (i % 2) seen[r] = (seen[r] || 0) + 1;
          else assert.equal(r, 'resolved');
        }
      }),
    );
    assert.deepEqual(Object.keys(seen).filter((k) => !['timeout', 'network'].includes(k)), [], `${fetch ? 'caller-supplied' : 'runtime'} fetch: ${JSON.stringify(seen)}`);
  }
});

// ---------------------------------------------------------------- cancellation

test('abort during a 429 Retry-After wait rejects aborted at once; nothing more is sent', async (t) => {
  const s = await setup(t);
  const [h, sent] = onFinish(status(429, { 'retry-after': '5' }));
  s.route('GET', `/tickets/get/${T}`, h);
  const ctl = new AbortController();
  const call = s.client().tickets.get(T, { signal: ctl.signal });
  const t429 = await sent;
  await sleep(150);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(call, { kind: 'aborted' });
  const took = Date.now() - tAbort;
  assert.ok(took < 300, `rejected ${took} ms after abort`);
  assert.ok(Date.now() - t429 < 2000, 'well before the 5 s wait would end');
  await sleep(200);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

test('abort during exponential backoff (503s) rejects aborted at once; nothing is sent after the abort', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, status(503));
  const client = s.client();
  await client.getToken();
  const ctl = new AbortController();
  const call = client.tickets.get(T, { signal: ctl.signal, maxRetries: 20 });
  await sleep(1500); // by now the backoff waits are (almost surely) seconds long
  const tAbort = Date.now();
  ctl.abort();
  await rejects(call, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300, `rejected ${Date.now() - tAbort} ms after abort`);
  const n = callsTo(s, `/tickets/get/${T}`).length;
  assert.ok(n >= 1 && n < 21);
  await sleep(600);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, n, 'no attempt after the abort');
});

test('abort while an attempt is in flight rejects aborted (not timeout) at once and is not retried', async (t) => {
  const s = await setup(t);
  s.route('GET', `/tickets/get/${T}`, hang());
  const client = s.client();
  await client.getToken();
  const ctl = new AbortController();
  const call = client.tickets.get(T, { signal: ctl.signal, timeout: 5000 });
  await sleep(150);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(call, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300);
  await sleep(700);
  assert.equal(callsTo(s, `/tickets/get/${T}`).length, 1);
});

test('an already-aborted signal rejects without sending anything', async (t) => {
  const s = await setup(t);
  const client = s.client();
  await rejects(client.tickets.get(T, { signal: AbortSignal.abort() }), { kind: 'aborted' });
  await sleep(50);
  assert.equal(s.calls.length, 0);
});

test('abort while queued behind a 429 pause: rejects aborted at once and is never sent', async (t) => {
  const s = await setup(t);
  const [h, sent] = onFinish(status(429, { 'retry-after': '1' }));
  s.route('GET', '/tickets/get/1', sequence(h, ok({ id: 1 })));
  const client = s.client();
  const first = client.tickets.get(1);
  await sent;
  await sleep(100); // the client has read the 429 by now
  const ctl = new AbortController();
  const queued = client.tickets.get(2, { signal: ctl.signal });
  await sleep(100);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(queued, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300);
  assert.deepEqual(await first, { id: 1 }, 'the call that got the 429 still completes');
  assert.equal(callsTo(s, '/tickets/get/2').length, 0);
});

/** A `maxConcurrency: 1` client whose one place `busy` (tickets.get(1), answered after 800 ms)
 * has taken for `ms`. */
async function fullClient(t, ms) {
  const s = await setup(t);
  s.route('GET', '/tickets/get/1', (req, res) => setTimeout(() => json(res, 200, { id: 1 }), 800));
  const client = s.client({ maxConcurrency: 1 });
  await client.getToken();
  const busy = client.tickets.get(1);
  await sleep(ms);
  return { s, client, busy };
}

test('abort while queued behind maxConcurrency: rejects aborted at once and is never sent', async (t) => {
  const { s, client, busy } = await fullClient(t, 100);
  const ctl = new AbortController();
  const queued = client.tickets.get(2, { signal: ctl.signal });
  await sleep(100);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(queued, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300);
  assert.deepEqual(await busy, { id: 1 });
  await sleep(50);
  assert.equal(callsTo(s, '/tickets/get/2').length, 0);
});

test('AbortSignal.timeout bounds the whole call, its wait in the queue included: kind aborted, cause its TimeoutError (README)', async (t) => {
  const { s, client, busy } = await fullClient(t, 50);
  const started = Date.now();
  const err = await client.tickets.get(2, { signal: AbortSignal.timeout(200) }).catch((e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.kind, 'aborted');
  assert.equal(err.cause?.name, 'TimeoutError');
  assert.ok(Date.now() - started < 600, 'it did not wait for the place');
  assert.deepEqual(await busy, { id: 1 });
  assert.equal(callsTo(s, '/tickets/get/2').length, 0);
});

test('abort while waiting for the shared token request rejects aborted at once', async (t) => {
  const s = await setup(t);
  s.route('POST', '/token/get', (req, res) => setTimeout(() => json(res, 200, { access_token: 'slow', expires_in: 10800 }), 1000));
  const client = s.client();
  const ctl = new AbortController();
  const waiting = client.tickets.get(1, { signal: ctl.signal });
  const other = client.tickets.get(2);
  await sleep(100);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(waiting, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300);
  assert.deepEqual(await other, { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/2' });
  assert.equal(s.tokenRequests.length, 1);
  assert.equal(callsTo(s, '/tickets/get/1').length, 0);
});

// ---------------------------------------------------------------- token request and client-wide pause

test('1000 concurrent calls while the token endpoint answers 429 (Retry-After: 1) once: two token requests, one at a time, all calls succeed', async (t) => {
  const s = await setup(t);
  let inFlight = 0;
  let maxInFlight = 0;
  let n = 0;
  s.route('POST', '/token/get', (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    n += 1;
    if (n === 1) return json(res, 429, { message: 'slow down' }, { 'retry-after': '1' });
    setTimeout(() => json(res, 200, { access_token: `fresh-${n}`, token_type: 'bearer', expires_in: 10800 }), 50);
  });
  s.route('GET', /^\/api\/v1\.2\/tickets\/get\/\d+$/, (req, res, rec) => json(res, 200, { path: rec.path }));
  const client = s.client();
  const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.tickets.get(i + 1)));
  assert.equal(results.length, 1000);
  results.forEach((r, i) => assert.equal(r.path, `/api/v1.2/tickets/get/${i + 1}`));
  const tokens = s.tokenRequests;
  assert.equal(tokens.length, 2, 'exactly two token requests');
  assert.equal(maxInFlight, 1, 'never more than one token request in flight');
  assert.ok(tokens[1].time - tokens[0].time >= 990, `token retried after ${tokens[1].time - tokens[0].time} ms`);
  assert.deepEqual(tokens[1].body, { apiKey: CREDS.apiKey, apiSecret: CREDS.apiSecret, userName: CREDS.userName });
  assert.equal(s.calls.length, 1000, 'each call sent once');
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer fresh-2'));
  assert.ok(s.calls.every((r) => r.time >= tokens[1].time));
});

test('a 429 pauses the whole client: a call started during the pause is not sent before it ends', async (t) => {
  const s = await setup(t);
  const [h, sent] = onFinish(status(429, { 'retry-after': '1' }));
  s.route('GET', '/tickets/get/1', sequence(h, ok({ id: 1 })));
  s.route('GET', '/tickets/get/2', ok({ id: 2 }));
  const client = s.client();
  const first = client.tickets.get(1);
  const t429 = await sent;
  await sleep(200);
  const second = client.tickets.get(2);
  assert.deepEqual(await Promise.all([first, second]), [{ id: 1 }, { id: 2 }]);
  const [b] = callsTo(s, '/tickets/get/2');
  assert.equal(callsTo(s, '/tickets/get/2').length, 1, 'the second call got no 429 of its own');
  assert.ok(b.time - t429 >= 980, `second call sent ${b.time - t429} ms after the 429 (pause: 1 s)`);
  assert.ok(callsTo(s, '/tickets/get/1')[1].time - t429 >= 980);
});

test('a 429 pauses the whole client even when the call that got it does not retry (maxRetries: 0)', async (t) => {
  const s = await setup(t);
  const [h, sent] = onFinish(status(429, { 'retry-after': '1' }));
  s.route('GET', '/tickets/get/1', h);
  s.route('GET', '/tickets/get/2', ok({ id: 2 }));
  const client = s.client();
  await client.getToken();
  await rejects(client.tickets.get(1, { maxRetries: 0 }), { kind: 'http', status: 429, retryAfter: 1 });
  const t429 = await sent;
  assert.deepEqual(await client.tickets.get(2), { id: 2 });
  const [b] = callsTo(s, '/tickets/get/2');
  assert.ok(b.time - t429 >= 980, `the next call was sent ${b.time - t429} ms after the 429 (Retry-After: 1)`);
});

test('the pause is per client: another client is not held back', async (t) => {
  const s = await setup(t);
  const [h, sent] = onFinish(status(429, { 'retry-after': '1' }));
  s.route('GET', '/tickets/get/1', sequence(h, ok({ id: 1 })));
  const a = s.client();
  const b = s.client();
  await b.getToken();
  const first = a.tickets.get(1);
  const t429 = await sent;
  await b.tickets.get(2);
  assert.ok(callsTo(s, '/tickets/get/2')[0].time - t429 < 900, 'the other client went ahead');
  await first;
});

// ---------------------------------------------------------------- no dangling timers or sockets

test('a long-lived signal shared by many calls (incl. retried and aborted ones) keeps at most one abort listener', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/2', sequence(status(503), ok({ id: 2 })));
  s.route('GET', '/tickets/get/3', hang());
  const { getEventListeners } = await import('node:events');
  const client = s.client();
  const shared = new AbortController();
  for (let i = 0; i < 30; i++) await client.tickets.get(1, { signal: shared.signal });
  await client.tickets.get(2, { signal: shared.signal });
  await rejects(client.tickets.get(3, { signal: shared.signal, timeout: 100, maxRetries: 0 }), { kind: 'timeout' });
  for await (const tk of client.tickets.iterate({ since: '01/01/2024', until: '02/01/2024' }, { signal: shared.signal })) assert.ok(tk);
  // one listener per signal, shared by every call that uses it, however many there were
  assert.ok(getEventListeners(shared.signal, 'abort').length <= 1);
});

test('50 concurrent calls sharing one signal make Node print no MaxListenersExceededWarning', async (t) => {
  const s = await setup(t);
  const r = await runChild(`
    const c = new GlassixClient({ baseUrl: base, apiKey: 'k', apiSecret: 's', userName: 'u' });
    const shared = new AbortController();
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.tickets.get(i + 1, { signal: shared.signal })));
    const late = c.tickets.get(99, { signal: shared.signal });
    shared.abort();
    await late.catch((e) => { if (e.kind !== 'aborted') throw e; });
  `, s.base);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('a getAccessToken (or a store token()) that never settles keeps no process alive once the only call waiting gave up', async () => {
  // (the client's own bound on the provider is a timer: it is cleared when no call waits for the
  // token any more, not only when the provider answers or the bound runs out, 60 s later)
  for (const options of ['{ getAccessToken: () => new Promise(() => {}) }', '{ store: { token: () => new Promise(() => {}), acquire: async () => () => {} } }']) {
    const script = `
      const GlassixClient = require(${JSON.stringify(PKG)});
      const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', apiKey: 'k', apiSecret: 's', userName: 'u', ...${options} });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      c.tickets.get(1, { signal: ac.signal }).catch((e) => process.stdout.write(JSON.stringify({ kind: e.kind, done: Date.now() }) + '\\n'));
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const [code, signal] = await new Promise((r) => child.on('exit', (c, sig) => r([c, sig])));
    const exited = Date.now();
    clearTimeout(killer);
    assert.equal(signal, null, `${options}: the child had to be killed (${stdout})`);
    assert.equal(code, 0);
    const { kind, done } = JSON.parse(stdout.trim());
    assert.equal(kind, 'aborted');
    assert.ok(exited - done < 5000, `${options}: the child exited ${exited - done} ms after its only call gave up`);
  }
});

test('a Node process that made calls (incl. a retried and a timed-out one) exits by itself promptly', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/get/2', sequence(status(503), ok({ id: 2 })));
  s.route('GET', '/tickets/get/3', hang());
  s.route('GET', '/tickets/get/4', sequence(status(429, { 'retry-after': '1' }), ok({ id: 4 })));
  s.route('POST', `/tickets/send/5`, status(500));
  const script = `
    const GlassixClient = require(${JSON.stringify(PKG)});
    const c = new GlassixClient(${JSON.stringify({ baseUrl: s.base, ...CREDS })});
    (async () => {
      const out = [];
      out.push(await c.tickets.get(1));
      out.push(await c.tickets.get(2));
      try { await c.tickets.get(3, { timeout: 200, maxRetries: 0 }); out.push('resolved?'); } catch (e) { out.push(e.kind); }
      out.push(await c.tickets.get(4));
      try { await c.tickets.send(5, { text: 'x' }); } catch (e) { out.push(e.status); }
      const ac = new AbortController();
      const p = c.tickets.get(6, { signal: ac.signal });
      ac.abort();
      try { await p; } catch (e) { out.push(e.kind); }
      process.stdout.write(JSON.stringify({ done: Date.now(), out }) + '\\n');
    })().catch((e) => { console.error(e); process.exit(3); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
  const [code, signal] = await new Promise((r) => child.on('exit', (c, sig) => r([c, sig])));
  const exited = Date.now();
  clearTimeout(killer);
  assert.equal(signal, null, `the child had to be killed (stdout: ${stdout}, stderr: ${stderr})`);
  assert.equal(code, 0, stderr);
  const { done, out } = JSON.parse(stdout.trim().split('\n').pop());
  assert.deepEqual(out, [
    { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' },
    { id: 2 },
    'timeout',
    { id: 4 },
    500,
    'aborted',
  ]);
  assert.ok(exited - done < 2000, `the child exited ${exited - done} ms after its last call`);
  assert.equal(callsTo(s, '/tickets/get/2').length, 2);
  assert.equal(callsTo(s, '/tickets/get/4').length, 2);
});
