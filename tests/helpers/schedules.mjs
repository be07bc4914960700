// The engine of the invariants tests (tests/invariants.test.mjs, and with shared Redis stores
// tests/redis/invariants.test.mjs): a server whose faults come from a seed, a model of the
// README's retry rules, and the checks of every call and of the server's log.
import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { CREDS, GlassixClient, GlassixError } from './server.mjs';

const TIMEOUT = 1000;
const noop = () => {};

/** A 32-bit mix (lowbias32): every input bit moves every output bit. */
function mix(x) {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A number in [0, 1) from the seed and a key, the same for the same ones. */
function draw(seed, ...key) {
  let h = mix(seed ^ 0x9e3779b9);
  for (const k of key) h = mix(h ^ (mix(k) + 0x9e3779b9 + (h << 6) + (h >>> 2)));
  return h / 2 ** 32;
}

// What an attempt meets, with its weight.
const FAULTS = [
  ['ok', 46],
  ['slow', 10], // ok after 10-60 ms
  ['s500', 3],
  ['s404', 2],
  ['badJson', 3],
  ['s429now', 4], // Retry-After: 0
  ['s429wait', 3], // Retry-After: 1 (the client, or the fleet, pauses a second)
  ['s429', 3], // no Retry-After
  ['s503', 6],
  ['s502now', 2], // Retry-After: 0
  ['hang', 4],
  ['reset', 4], // the socket destroyed before any answer
  ['cut', 3], // headers and half the body, then the socket destroyed
  ['s401', 5],
  ['s302', 2], // a redirect to this server's /elsewhere, never followed
];
const TOTAL = FAULTS.reduce((n, [, w]) => n + w, 0);

// The faults answered with a status: [status, message, Retry-After].
const STATUS = {
  s500: [500, 'boom'],
  s404: [404, 'no such thing'],
  s429now: [429, 'slow down', '0'],
  s429wait: [429, 'slow down', '1'],
  s429: [429, 'slow down'],
  s503: [503, 'unavailable'],
  s502now: [502, 'bad gateway', '0'],
  s401: [401, 'Authorization has been denied for this request.'],
  s302: [302],
};

/** Answers `req` as fault `f` says, for every server here: `ok(send)` answers an attempt that
 * goes well (`slow`: after 10-60 ms), `ended()` is called once the server is done with it (a
 * hung one: when the client closes its socket). A redirect points at `/elsewhere`. */
function answer(f, req, res, ok, ended, slowMs) {
  const send = (status, body, headers = {}) => {
    ended();
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  switch (f) {
    case 'ok':
      return ok(send);
    case 'slow':
      return setTimeout(() => ok(send), slowMs);
    case 'badJson':
      return send(200, '{"call":');
    case 'hang':
      return req.socket.on('close', ended);
    case 'reset':
      ended();
      return req.socket.destroy();
    case 'cut':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"call":1,');
      return setTimeout(() => {
        ended();
        req.socket.destroy();
      }, 5);
    default: {
      const [status, message, retryAfter] = STATUS[f];
      if (status === 302) return send(302, {}, { location: '/elsewhere' });
      return send(status, { message }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
    }
  }
}

/** A server on 127.0.0.1 for `handler`, and its origin; `close()` drops its connections. */
async function listen(handler) {
  const server = http.createServer(handler);
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

function fault(seed, call, attempt) {
  let x = draw(seed, call, attempt, 1) * TOTAL;
  for (const [name, w] of FAULTS) if ((x -= w) < 0) return name;
  return 'ok';
}

/** What the README's rules make of a call whose attempts meet `faultOf(0)`, `faultOf(1)`, ...:
 * its attempts and how it ends. */
function model(method, maxRetries, faultOf) {
  let retries = 0;
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    const f = faultOf(attempt);
    const again = (cls) => {
      if (cls === 'any' || method !== 'POST') {
        if (retries < maxRetries) {
          retries++;
          return true;
        }
      }
      return false;
    };
    const end = (outcome) => ({ attempts: attempt + 1, ...outcome });
    switch (f) {
      case 'ok':
      case 'slow':
        return end({ ok: true });
      case 'badJson':
        return end({ kind: 'parse', status: 200 });
      case 's429now':
      case 's429wait':
      case 's429':
        if (again('any')) continue;
        break;
      case 's503':
      case 's502now':
        if (again('idempotent')) continue;
        break;
      case 'hang':
        if (again('idempotent')) continue;
        return end({ kind: 'timeout' });
      case 'reset':
      case 'cut':
        if (again('idempotent')) continue;
        return end({ kind: 'network' });
      case 's401':
        if (!refreshed) {
          refreshed = true;
          continue;
        }
    }
    // (s500, s404 and s302 are never retried)
    return end({ kind: 'http', status: STATUS[f][0] });
  }
}

/** What the token endpoint's `n`th request meets, when it has faults. */
function tokenFault(seed, n) {
  const x = draw(seed, n, 0, 10);
  return x < 0.2 ? 's503' : x < 0.25 ? 'hang' : x < 0.33 ? 's429now' : x < 0.4 ? 'reset' : 'ok';
}

/** How many pages list `call` has (1 to 5), and its page `p`: three tickets. */
const pagesOf = (seed, call) => 1 + Math.floor(draw(seed, call, 0, 11) * 5);
const pageOf = (call, p) => [0, 1, 2].map((j) => ({ id: call * 100 + p * 10 + j, field1: `list ${call} page ${p}` }));

/** The model for call `c`: one request, or a list's pages one after another until one fails
 * (an iteration that stops after `c.take` tickets reads only the pages those need). `attempts`:
 * per page. */
function expected(seed, c) {
  const all = c.method === 'LIST' || c.method === 'ITER' ? pagesOf(seed, c.i) : 1;
  const pages = c.method === 'ITER' ? Math.min(all, Math.ceil(c.take / 3)) : all;
  const attempts = [];
  for (let p = 0; p < pages; p++) {
    const want = model(c.method === 'POST' ? 'POST' : 'GET', c.maxRetries, (a) => fault(seed, c.i * 16 + p, a));
    attempts.push(want.attempts);
    if (!want.ok) return { ...want, attempts };
  }
  const tickets = Array.from({ length: pages }, (_, p) => pageOf(c.i, p)).flat();
  const value = c.method === 'LIST' ? tickets : c.method === 'ITER' ? tickets.slice(0, c.take) : { call: c.i, attempt: attempts[0] - 1, echo: c.method === 'POST' ? `call ${c.i}` : null };
  return { ok: true, attempts, value };
}

async function startFaultServer(seed, tokenFaults) {
  const faulty = { token: tokenFaults };
  const log = []; // every request: { call, page, attempt, client, fault, token, at, end }
  const attempts = new Map(); // call * 16 + page -> attempts seen
  let tokens = 0;
  const server = await listen((req, res) => {
    const at = performance.now();
    const rec = { method: req.method, path: req.url, at, end: Infinity, token: req.headers.authorization };
    log.push(rec);
    const ended = () => (rec.end = Math.min(rec.end, performance.now()));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url.endsWith('/token/get')) {
        rec.token = null;
        tokens += 1;
        const t = `token-${tokens}`;
        rec.fault = faulty.token ? tokenFault(seed, tokens) : 'ok';
        // (a token request nobody waits for any more is cancelled: its socket closes first)
        res.on('close', () => (rec.cancelled = rec.fault === 'ok' && !res.writableFinished));
        if (rec.fault === 'hang') rec.end = at + TIMEOUT / 2;
        // (one that goes well comes after 0-30 ms)
        return answer(rec.fault === 'ok' ? 'slow' : rec.fault, req, res, (send) => send(200, { access_token: t, token_type: 'bearer', expires_in: 10800 }), ended, draw(seed, tokens, 0, 2) * 30);
      }
      if (req.headers['x-call'] === undefined) return answer('ok', req, res, (send) => send(200, []), ended);
      const call = Number(req.headers['x-call']);
      // a list's pages are requests of their own: page p of call `call` is keyed `call * 16 + p`
      const list = req.url.includes('/tickets/list');
      const page = list ? Number(/[?&]page=(\d+)/.exec(req.url)?.[1] ?? 0) : 0;
      const key = call * 16 + page;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      Object.assign(rec, { call, page, attempt, client: Number(req.headers['x-client']), fault: fault(seed, key, attempt) });
      const body = list
        ? { tickets: pageOf(call, page), paging: page + 1 < pagesOf(seed, call) ? { next: `${server.origin}/api/v1.2/tickets/list?page=${page + 1}` } : {} }
        : { call, attempt, echo: chunks.length ? JSON.parse(Buffer.concat(chunks).toString()).text : null };
      // (a hung attempt: the client gives up TIMEOUT ms after it began, which was before this arrival)
      if (rec.fault === 'hang') rec.end = at + TIMEOUT / 2;
      answer(rec.fault, req, res, (send) => send(200, body), ended, 10 + draw(seed, call, attempt, 3) * 50);
    });
  });
  return { base: `${server.origin}/api/v1.2`, faulty, log, attempts, close: server.close };
}

/** Runs `n` random calls on one client (or one per store) and checks every invariant. */
export async function run(seed, { n, maxConcurrency, rateLimit, tokenFaults, lists = 0, stores = [undefined], ownFetch = false }) {
  const s = await startFaultServer(seed, tokenFaults);
  try {
    // With `ownFetch` the clients send through a caller's fetch that notes when each attempt
    // starts: the moment the client (or the fleet) admitted it, to hold against the 429 pauses.
    const admitted = [];
    const fetch = (req, init) => {
      admitted.push(performance.now());
      return globalThis.fetch(req, init);
    };
    // one client per store (one client and no store by default): with stores on one prefix,
    // the rate window, the token and the 429 pause are the fleet's, maxConcurrency each client's
    const clients = stores.map((store) => new GlassixClient({ baseUrl: s.base, ...CREDS, timeout: TIMEOUT, ...(maxConcurrency && { maxConcurrency }), ...(rateLimit && { rateLimit }), ...(store && { store }), ...(ownFetch && { fetch }) }));
    const calls = [];
    for (let i = 0; i < n; i++) {
      const m = draw(seed, i, 0, 4);
      const method = m < lists / 2 ? 'LIST' : m < lists ? 'ITER' : m < 0.7 ? 'GET' : 'POST';
      const r = draw(seed, i, 0, 5);
      const maxRetries = r < 0.25 ? 0 : r < 0.5 ? 1 : 2;
      const abortAt = draw(seed, i, 0, 6) < 0.12 ? draw(seed, i, 0, 7) * 400 : null;
      const ac = abortAt === null ? null : new AbortController();
      const k = Math.floor(draw(seed, i, 0, 15) * clients.length);
      const client = clients[k];
      const opts = { headers: { 'x-call': String(i), 'x-client': String(k) }, maxRetries, ...(ac && { signal: ac.signal }) };
      const started = performance.now();
      // an iteration stops after 1 to 16 tickets (a list has 3 to 15)
      const c = { i, method, maxRetries, aborts: ac !== null, started, take: 1 + Math.floor(draw(seed, i, 0, 16) * 16) };
      const range = { since: '01/01/2024 00:00:00:00', until: '20/01/2024 00:00:00:00' };
      const iterate = async () => {
        const got = [];
        for await (const t of client.tickets.iterate(range, opts)) {
          got.push(t);
          if (got.length >= c.take) break;
        }
        return got;
      };
      const p =
        method === 'LIST'
          ? client.tickets.list(range, opts)
          : method === 'ITER'
            ? iterate()
            : method === 'GET'
            ? client.tickets.get(1000 + i, opts)
            : client.protocols.send({ protocolType: 'SMS', from: '1', to: '2', text: `call ${i}` }, opts);
      if (ac)
        setTimeout(() => {
          c.abortedAt = performance.now();
          ac.abort(new Error('caller gave up'));
        }, abortAt);
      let settled = 0;
      c.done = p.then(
        (value) => Object.assign(c, { value, settled: ++settled, at: performance.now() }),
        (error) => Object.assign(c, { error, settled: ++settled, at: performance.now() }),
      );
      calls.push(c);
      // calls start over the first ~300 ms, not all at once
      if (draw(seed, i, 0, 8) < 0.2) await new Promise((r) => setTimeout(r, draw(seed, i, 0, 9) * 20));
    }
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error(`seed ${seed}: calls still unsettled after 60 s: ${calls.filter((c) => !c.settled).map((c) => c.i).join(', ')}`)), 60000).unref());
    await Promise.race([Promise.all(calls.map((c) => c.done)), deadline]);
    // every call settles once (a second settlement would show as settled 2)
    for (const c of calls) assert.equal(c.settled, 1, `seed ${seed}: call ${c.i} settled ${c.settled} times`);
    // each ends as the rules say, after the attempts they allow
    for (const c of calls) {
      const want = expected(seed, c);
      const seenPages = want.attempts.map((_, p) => s.attempts.get(c.i * 16 + p) ?? 0);
      const seen = seenPages.reduce((a, b) => a + b, 0);
      const allowed = want.attempts.reduce((a, b) => a + b, 0);
      const what = `seed ${seed}: call ${c.i} (${c.method}, maxRetries ${c.maxRetries}${c.aborts ? ', aborted by its caller' : ''}) met ${s.log.filter((r) => r.call === c.i).map((r) => `${r.page ? `page ${r.page} ` : ''}${r.fault} (${(r.at - c.started).toFixed(0)}-${(r.end - c.started).toFixed(0)} ms)`).join(', ') || 'nothing'}, settled at ${(c.at - c.started).toFixed(0)} ms; `;
      if (c.error) {
        assert.ok(c.error instanceof GlassixError, `${what}rejected with ${c.error}`);
        assert.ok(!JSON.stringify(c.error).includes(CREDS.apiSecret) && !String(c.error.message).includes('token-'), `${what}its error shows a secret`);
      }
      // a call that could not get a token (its first, or a fresh one after a 401) ends with the
      // token request's failure, named after the call
      if (tokenFaults && c.error?.message.startsWith(`${{ GET: 'tickets.get', POST: 'protocols.send', LIST: 'tickets.list', ITER: 'tickets.iterate' }[c.method]}: no access token: `)) {
        assert.ok(c.error.cause instanceof GlassixError, `${what}no token, and no cause`);
        assert.ok(seen <= allowed, `${what}${seen} attempts, the rules allow ${allowed}`);
        continue;
      }
      if (c.aborts && c.error?.kind === 'aborted') {
        assert.ok(seen <= allowed, `${what}${seen} attempts, the rules allow ${allowed}`);
        continue;
      }
      assert.deepEqual(seenPages, want.attempts, `${what}the server saw ${seenPages} attempts, the rules make ${want.attempts}`);
      if (want.ok) {
        assert.ok(!c.error, `${what}rejected (${c.error?.kind} ${c.error?.status}: ${c.error?.message})`);
        assert.deepEqual(c.value, want.value, `${what}resolved with another answer`);
      } else {
        assert.ok(c.error, `${what}resolved, the rules say ${want.kind} ${want.status ?? ''}`);
        assert.equal(c.error.kind, want.kind, `${what}${c.error.kind}: ${c.error.message}`);
        assert.equal(c.error.status, want.status, `${what}status ${c.error.status}: ${c.error.message}`);
      }
    }
    // a redirect is never followed
    assert.equal(s.log.filter((r) => r.path === '/elsewhere').length, 0, `seed ${seed}: a redirect was followed`);
    // no attempt of a call comes after it settled, unless its caller aborted it (the request may
    // have left just before: this server, in the test's busy process, reads it late)
    const settledAt = new Map(calls.filter((c) => !c.aborts).map((c) => [c.i, c.at]));
    for (const r of s.log) if (settledAt.has(r.call)) assert.ok(r.at <= settledAt.get(r.call) + 1, `seed ${seed}: call ${r.call}'s attempt ${r.attempt} arrived ${(r.at - settledAt.get(r.call)).toFixed(1)} ms after the call settled`);
    // one token request at a time; each refresh follows a 401; a 401's retry carries another token
    const tokenReqs = s.log.filter((r) => r.token === null);
    for (let k = 1; k < tokenReqs.length; k++) assert.ok(tokenReqs[k].at >= tokenReqs[k - 1].end, `seed ${seed}: token request ${k + 1} began before request ${k} was answered`);
    // (calls refused with one token share one refresh)
    const refused = new Set(s.log.filter((r) => r.fault === 's401').map((r) => r.token)).size;
    const failed = tokenReqs.filter((r) => r.fault !== 'ok' || r.cancelled).length;
    assert.ok(tokenReqs.length <= 1 + refused + failed, `seed ${seed}: ${tokenReqs.length} token requests for ${refused} tokens refused and ${failed} failed or cancelled token requests: ${s.log.filter((x) => x.token === null || x.fault === 's401').map((r) => `${r.call ?? 'token'}/${r.page}/${r.attempt} ${r.fault}${r.cancelled ? ' cancelled' : ''} ${r.token ?? ''} ${r.at.toFixed(1)}-${r.end.toFixed(1)}`).join('; ')}`);
    for (const r of s.log.filter((x) => x.fault === 's401')) {
      const next = s.log.find((x) => x.call === r.call && x.page === r.page && x.attempt === r.attempt + 1);
      if (next) assert.notEqual(next.token, r.token, `seed ${seed}: call ${r.call} retried its 401 with the token refused`);
    }
    // never more than maxConcurrency in flight, the token request included (a request its caller
    // aborted is over when the abort fires: the server may notice its closed socket later)
    // (with several clients, each keeps its own, and which of them asked for a token is unknown)
    if (maxConcurrency) {
      for (const r of s.log) if (calls[r.call]?.abortedAt !== undefined) r.end = Math.min(r.end, calls[r.call].abortedAt);
      for (const r of s.log) {
        const open = s.log.filter((x) => x.at <= r.at && x.end > r.at && (clients.length === 1 || (r.client !== undefined && x.client === r.client)));
        assert.ok(open.length <= maxConcurrency, `seed ${seed}: ${open.length} requests in flight at ${r.at.toFixed(1)} ms (maxConcurrency ${maxConcurrency}): ${open.map((x) => `${x.call ?? 'token'}/${x.page}/${x.attempt} ${x.fault} ${x.at.toFixed(1)}-${x.end.toFixed(1)}${calls[x.call]?.aborts ? ` (aborted at ${calls[x.call].abortedAt?.toFixed(1)})` : ''}`).join('; ')}`);
      }
    }
    // never more than `requests` arrivals in any `perMs`, the token requests included (a request
    // whose caller aborted it left before the abort: this busy process may read it later)
    if (rateLimit) {
      const at = s.log.map((r) => Math.min(r.at, calls[r.call]?.abortedAt ?? Infinity)).sort((a, b) => a - b);
      for (let k = rateLimit.requests; k < at.length; k++) {
        const span = at[k] - at[k - rateLimit.requests];
        assert.ok(span >= rateLimit.perMs - 1, `seed ${seed}: ${rateLimit.requests + 1} arrivals within ${span.toFixed(1)} ms (limit ${rateLimit.requests} per ${rateLimit.perMs} ms)`);
      }
    }
    // a 429 with Retry-After: 1 pauses the client (the fleet): nothing starts until a second
    // after the client read it (which is after the server sent it, and, whatever the load, well
    // within 200 ms of that here); attempts admitted before it may still arrive
    if (ownFetch) {
      assert.ok(admitted.length >= s.log.length, `seed ${seed}: ${s.log.length} requests arrived, ${admitted.length} went through the caller's fetch`);
      for (const r of s.log.filter((x) => x.fault === 's429wait')) {
        const early = admitted.filter((t) => t >= r.end + 200 && t < r.end + 995);
        assert.equal(early.length, 0, `seed ${seed}: ${early.length} attempts started ${early.map((t) => (t - r.end).toFixed(0)).join(', ')} ms after a 429 with Retry-After: 1 was answered`);
      }
    }
    // and the client still works, once the token endpoint does
    s.faulty.token = false;
    for (const client of clients) {
      const after = await client.users.getAll({ maxRetries: 9 }).catch((e) => e);
      assert.ok(!(after instanceof Error), `seed ${seed}: a call after the run failed: ${after?.message}`);
    }
    const ends = {};
    for (const c of calls) {
      const k = c.error ? (c.error.message.includes(': no access token: ') ? 'no token' : c.error.kind) : 'resolved';
      ends[k] = (ends[k] ?? 0) + 1;
    }
    if (process.env.GLASSIX_DEBUG) console.log(s.log.filter((x) => x.token === null || x.fault === 's401').map((r) => `${r.call ?? 'token'}/${r.page}/${r.attempt} ${r.fault}${r.cancelled ? ' cancelled' : ''} ${r.token ?? ''} -> ${s.log.find((x) => x.call === r.call && x.page === r.page && x.attempt === r.attempt + 1)?.token} ${r.at.toFixed(1)}-${r.end.toFixed(1)}`).join('\n'));
    return { ends, attempts: s.log.length, tokenRequests: tokenReqs.length, pauses: s.log.filter((x) => x.fault === 's429wait').length };
  } finally {
    await s.close();
  }
}

/** `webhooks.consume` against a queue whose polls and deletes meet the same faults, events
 * arriving while it runs, and a handler that throws now and then: every event is handled, none
 * is handed over again once its handler resolved, a delete names only events already handled,
 * one handler runs at a time, and abort ends it with a resolved promise. */
export async function consumeRun(seed) {
  const ev = (n) => ({ key: `k${n}`, queueReceiptHandle: `h${n}`, queueMessageId: `m${n}`, dateTime: '2026-11-25T10:00:00Z', changes: [{ _event: 'NEW_MESSAGE', ticketId: n }] });
  const EVENTS = 40;
  let queue = Array.from({ length: 25 }, (_, n) => ev(n));
  let arrived = 25;
  const handled = new Map(); // id -> { tries, ok: time of the resolved try }
  const deletes = []; // { at, ids }
  const polls = [];
  const errors = [];
  let running = 0;
  let overlap = false;
  let pollNo = 0;
  let deleteNo = 0;
  let followed = 0;
  const ac = new AbortController();
  const allDone = () => arrived === EVENTS && queue.length === 0 && handled.size === EVENTS && [...handled.values()].every((h) => h.ok !== undefined);
  const server = await listen((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url.endsWith('/token/get')) return answer('ok', req, res, (send) => send(200, { access_token: 'token-1', token_type: 'bearer', expires_in: 10800 }), noop);
      if (req.url === '/elsewhere') followed++;
      const poll = req.url.includes('/webhooks/getevents');
      const f = fault(seed, poll ? 50000 + pollNo++ : 90000 + deleteNo++, 0);
      if (poll) polls.push(req.url);
      const ok = (send) => {
        if (poll) return send(200, queue.slice(0, 10));
        const ids = JSON.parse(Buffer.concat(chunks).toString()).map((e) => e.queueMessageId);
        deletes.push({ at: performance.now(), ids });
        queue = queue.filter((e) => !ids.includes(e.queueMessageId));
        send(200, { message: 'deleted' });
        if (allDone()) ac.abort();
      };
      answer(f, req, res, ok, noop, 10 + draw(seed, pollNo, deleteNo, 12) * 50);
    });
  });
  const arrivals = setInterval(() => {
    if (arrived < EVENTS) queue.push(ev(arrived++));
  }, 60);
  const giveUp = setTimeout(() => ac.abort(), 40000);
  try {
    const client = new GlassixClient({ baseUrl: `${server.origin}/api/v1.2`, ...CREDS });
    let settled = 0;
    const result = await client.webhooks
      .consume(
        async (e) => {
          const id = e.queueMessageId;
          const h = handled.get(id) ?? { tries: 0 };
          handled.set(id, h);
          assert.equal(h.ok, undefined, `seed ${seed}: ${id} handed over again after its handler resolved`);
          overlap ||= running > 0;
          running++;
          try {
            const tryNo = h.tries++;
            if (draw(seed, Number(id.slice(1)), tryNo, 13) < 0.3) await new Promise((r) => setTimeout(r, 5));
            if (draw(seed, Number(id.slice(1)), tryNo, 14) < 0.2) throw new Error(`handler failed on ${id}`);
            h.ok = performance.now();
          } finally {
            running--;
          }
        },
        { signal: ac.signal, intervalMs: 10, timeout: 300, maxRetries: 1, onError: (err, event) => errors.push({ err, event }) },
      )
      .then(
        (v) => ({ v, settled: ++settled }),
        (e) => ({ e, settled: ++settled }),
      );
    assert.equal(result.e, undefined, `seed ${seed}: consume rejected: ${result.e?.message}`);
    assert.ok(allDone(), `seed ${seed}: stopped after 40 s with ${queue.length} events queued and ${[...handled.values()].filter((h) => h.ok !== undefined).length} of ${EVENTS} handled`);
    assert.equal(overlap, false, `seed ${seed}: two handlers ran at once`);
    for (const d of deletes) for (const id of d.ids) assert.ok(handled.get(id)?.ok <= d.at, `seed ${seed}: ${id} deleted before its handler resolved`);
    assert.ok(polls.every((u) => u.includes('deleteEvents=false')), `seed ${seed}: a poll that deletes`);
    assert.equal(followed, 0, `seed ${seed}: a redirect was followed`);
    const thrown = [...handled.values()].reduce((n, h) => n + h.tries - 1, 0);
    const handlerErrors = errors.filter((x) => x.event !== undefined);
    assert.equal(handlerErrors.length, thrown, `seed ${seed}: ${thrown} handler failures, onError heard of ${handlerErrors.length}`);
    assert.ok(handlerErrors.every((x) => x.err.message === `handler failed on ${x.event.queueMessageId}`));
    for (const { err } of errors.filter((x) => x.event === undefined)) assert.ok(err instanceof GlassixError && err.message.length > 0, `seed ${seed}: onError heard ${err}`);
    return { polls: pollNo, deletes: deleteNo, handlerFailures: thrown, requestFailures: errors.length - thrown };
  } finally {
    clearInterval(arrivals);
    clearTimeout(giveUp);
    await server.close();
  }
}
