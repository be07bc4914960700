// The store hooks (README: "Many workers"): clients built with one store share one token, one
// rate window and the 429 pause. Here the store is examples/memory-store.mjs and the
// clients stand in for processes; glassix-wasm/redis is tested against a real redis-server in
// tests/redis/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, json, GlassixClient, GlassixError, CREDS } from './helpers/server.mjs';
import { createMemoryStore } from '../examples/memory-store.mjs';
import { givenBack, sharedWindow } from './helpers/store-contract.mjs';

/** Client a (no retries) meets the 429 of `GET /tickets/get/1`; client b, on the same store,
 * never sees one itself but waits out the pause. */
async function pausesTheOther(s, store, options = {}) {
  const [a, b] = [s.client({ store, ...options, maxRetries: 0 }), s.client({ store, ...options })];
  await a.getToken();
  const err = await a.tickets.get(1).catch((e) => e);
  assert.equal(err.status, 429);
  const t0 = Date.now();
  await b.tickets.get(2); // b never saw a 429 itself
  assert.ok(Date.now() - t0 >= 900, `b waited ${Date.now() - t0} ms`);
}

test('clients with one store make one token request between them', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  const clients = [s.client({ store }), s.client({ store }), s.client({ store })];
  await Promise.all(clients.flatMap((c, i) => Array.from({ length: 20 }, (_, k) => c.tickets.get(i * 100 + k + 1))));
  assert.equal(s.tokenRequests.length, 1);
  assert.equal(store.tokenFetches, 1);
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer token-1'));
  // getToken() for the client's own user is the shared token
  assert.equal((await clients[2].getToken()).access_token, 'token-1');
  assert.equal(s.tokenRequests.length, 1);
});

test('a store is told whom the token is for: the example refuses a client of another API root or user, which is sent nothing', async (t) => {
  const [s1, s2] = [await startServer(), await startServer()];
  t.after(() => s1.close());
  t.after(() => s2.close());
  const seen = [];
  const store = createMemoryStore();
  const token = store.token;
  store.token = (...a) => (seen.push(a[3]), token(...a));
  await s1.client({ store }).tickets.get(1);
  // (the department: 16 hex digits of an HMAC-SHA1 of the API key, keyed with it, of 'holder')
  const department = (apiKey) => createHmac('sha1', apiKey).update('holder').digest('hex').slice(0, 16);
  assert.deepEqual(seen, [`${new URL(s1.base).origin} api@example.com ${department(CREDS.apiKey)}`]);
  assert.ok(!seen[0].includes(CREDS.apiKey) && !seen[0].includes(CREDS.apiSecret), 'no credential');
  // another origin, user, or department (another API key: two departments of one workspace may
  // share a user, and a token acts in its own)
  for (const other of [s2.client({ store }), s1.client({ store, userName: 'bob@example.com' }), s1.client({ store, apiKey: 'key-of-another-department' })]) {
    const e = await other.tickets.get(2).catch((x) => x);
    assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
    assert.match(e.cause.message, /^this store holds the token of http:\/\/127\.0\.0\.1:\d+ api@example\.com [0-9a-f]{16}, not of /);
  }
  assert.equal(seen[3], `${new URL(s1.base).origin} api@example.com ${department('key-of-another-department')}`);
  assert.equal(s2.requests.length, 0);
  assert.equal(s1.calls.length, 1);
  // one account written in another letter case (an e-mail address's case means nothing) is the
  // same holder: it shares the token, fetching none
  assert.deepEqual(await s1.client({ store, userName: 'API@Example.COM' }).tickets.get(3), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/3' });
  assert.equal(seen.at(-1), seen[0]);
  assert.equal(s1.tokenRequests.length, 1);
});

test('a 401 refreshes the shared token once for everyone', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', /\/tickets\/get\//, (req, res, rec) => (rec.headers.authorization === 'Bearer token-1' && s.tokenRequests.length === 1 && rec.url.includes('/3') ? json(res, 401, {}) : json(res, 200, { ok: 1 })));
  const store = createMemoryStore();
  const [a, b] = [s.client({ store }), s.client({ store })];
  await a.tickets.get(1);
  await a.tickets.get(3); // 401: the store drops token-1 and fetches token-2
  await b.tickets.get(4);
  assert.equal(s.tokenRequests.length, 2);
  assert.equal(s.calls.at(-1).headers.authorization, 'Bearer token-2');
});

test('the window is shared: two clients never exceed it together', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  await sharedWindow(s, [store, store]);
});

test('a 429 seen by one client pauses the other', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/tickets/get/1');
  await pausesTheOther(s, createMemoryStore());
});

test('done(status, retryAfter) reaches the store once per attempt, also when no response came', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/9', (req) => req.socket.destroy());
  const seen = [];
  const store = { token: async (fetch) => fetch(), acquire: async () => (status, retryAfter, ago) => seen.push([status, retryAfter, ago]) };
  const c = s.client({ store, maxRetries: 1 });
  await c.tickets.get(1);
  await c.tickets.get(9).catch(() => {});
  // the token request's place first, then each attempt's
  assert.deepEqual(seen.map(([status, retryAfter]) => [status, retryAfter]), [[200, undefined], [200, undefined], [undefined, undefined], [undefined, undefined]]);
  // how long ago the response headers arrived (the place ages from then)
  assert.ok(seen[1][2] >= 0 && seen[1][2] < 1000, String(seen[1][2]));
  assert.equal(seen[2][2], undefined);
});

test('a store that fails rejects the call with its error; nothing is sent', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const down = new GlassixError('the Redis store failed: connection refused', { kind: 'network' });
  const c = s.client({ store: { token: async () => { throw down; }, acquire: async () => { throw down; } } });
  const err = await c.tickets.get(1).catch((e) => e);
  // the call's own error, kind kept, the store's as its cause
  assert.ok(err instanceof GlassixError);
  assert.equal(err.kind, 'network');
  assert.equal(err.message, 'tickets.get: no access token: the Redis store failed: connection refused');
  assert.equal(err.cause, down);
  assert.equal(s.requests.length, 0);
  const c2 = s.client({ accessToken: 't', apiKey: undefined, apiSecret: undefined, store: { token: async () => 't', acquire: async () => { throw new Error('boom'); } } });
  const err2 = await c2.tickets.get(1).catch((e) => e);
  assert.ok(err2 instanceof GlassixError);
  assert.equal(err2.kind, 'network');
  assert.equal(err2.cause.message, 'boom');
  assert.equal(s.requests.length, 0);
});

test('a store without token() and acquire() is refused at construction', () => {
  for (const store of [42, {}, { token() {} }, { acquire() {} }]) {
    assert.throws(() => new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', ...CREDS, store }), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && /store/.test(e.message));
  }
  // every other option is still checked
  assert.throws(() => new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', ...CREDS, store: createMemoryStore(), rateLimit: { requests: 0, perMs: 1 } }), /requests/);
});

test('the memory store: a caller that gave up takes no place; done() with no arguments gives one back', async () => {
  await givenBack(createMemoryStore());
});

test('a place granted after the call was aborted is given back at once', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let grant;
  let asked;
  const waiting = new Promise((r) => (asked = r));
  const done = [];
  const store = {
    token: async (fetch) => fetch(),
    acquire: () => {
      asked();
      return new Promise((resolve) => (grant = () => resolve((...args) => done.push(args))));
    },
  };
  const c = s.client({ store, accessToken: 'token-given' });
  const ctl = new AbortController();
  const call = c.tickets.get(1, { signal: ctl.signal });
  await waiting;
  ctl.abort();
  await assert.rejects(call, (e) => e.kind === 'aborted');
  grant(); // the store grants the place only now
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(done, [[]], 'done() with no arguments (nothing was sent) for the place nobody used');
  assert.equal(s.calls.length, 0);
});

test('a call that gives up just as its place is granted sends nothing and gives the place back with done()', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const ticks of [0, 1, 2, 3, 4]) {
    const calls = [];
    const ctl = new AbortController();
    const store = {
      token: async (fetch) => fetch(),
      acquire: async () => {
        // the abort lands `ticks` microtasks after the grant: before or after the client took it
        let p = Promise.resolve();
        for (let i = 0; i < ticks; i++) p = p.then(() => {});
        p.then(() => ctl.abort());
        return (...args) => calls.push(args);
      },
    };
    let fetched = false;
    const fetch = (request) => ((fetched = true), globalThis.fetch(request));
    const c = s.client({ store, accessToken: 'token-given', fetch });
    const e = await c.tickets.get(1, { signal: ctl.signal }).catch((x) => x);
    assert.equal(e?.kind, 'aborted', `after ${ticks} microtasks`);
    // once fetch was called the request may have reached the server: the place counts
    if (fetched) assert.deepEqual(calls, [[undefined, undefined, undefined]], `after ${ticks} microtasks: fetch was called`);
    else assert.deepEqual(calls, [[]], `after ${ticks} microtasks: nothing sent, done() with no arguments`);
  }
});

test('the store gets the call\'s signal; the token request asks for a place too, with a signal of its own', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const asked = [];
  const store = createMemoryStore();
  const acquire = store.acquire;
  store.acquire = (window, signal) => (asked.push(signal), acquire(window, signal));
  const c = s.client({ store, rateLimit: { requests: 5, perMs: 1000 } });
  const ctl = new AbortController();
  await c.tickets.get(1, { signal: ctl.signal });
  assert.equal(s.tokenRequests.length, 1);
  assert.equal(asked.length, 2, 'one place for the token request, one for the call');
  assert.ok(asked[0] instanceof AbortSignal && asked[0] !== ctl.signal, 'the token request waits a bounded time');
  assert.equal(asked[1], ctl.signal);
  await c.tickets.get(2);
  assert.equal(asked[2], undefined, 'a call without a signal has none to give');
});

test('with a store the token request counts in the window: the server never sees requests + 1 arrivals, token included', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  const c = s.client({ store, rateLimit: { requests: 20, perMs: 1000 } });
  await Promise.all(Array.from({ length: 40 }, (_, i) => c.tickets.get(i + 1)));
  const times = s.requests.map((r) => r.time).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  assert.equal(s.tokenRequests.length, 1);
  assert.ok(most <= 20, `${most} arrivals in one 1,000 ms window`);
});

test('a rateLimit function of your own with a store: yours is the limiter, and the store still shares the 429 pause', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/tickets/get/1');
  const store = createMemoryStore();
  let mine = 0;
  const dones = [];
  const rateLimit = async () => (mine++, (...args) => dones.push(args));
  await pausesTheOther(s, store, { rateLimit });
  assert.equal(mine, 3, 'your function was asked for each attempt, the token request\'s included');
  assert.deepEqual(dones.map((d) => d[0]), [200, 429, 200], 'and told how each ended');
});

test('a call that waited in the queue past its token\'s refresh point goes out with a fresh token, not into a 401', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.tokenLifetime = 1; // refreshed after 0.9 s
  // one place per 0.6 s: the token request takes the first, get(1) the second (0.6 s), get(2)
  // reaches the head at 1.2 s, past the refresh point; the token request takes its place, and it
  // goes at 1.8 s with the new token (a place takes less time than a token lives)
  const c = s.client({ rateLimit: { requests: 1, perMs: 600 } });
  await Promise.all([c.tickets.get(1), c.tickets.get(2)]);
  const second = s.calls.find((r) => r.path.endsWith('/tickets/get/2'));
  assert.equal(second.headers.authorization, 'Bearer token-2');
  assert.equal(s.calls.length, 2, 'no 401 and no retry');
});

test("each attempt of the token request takes a place: a retried token request never puts requests + 1 arrivals in a window", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let first = true;
  s.route('POST', '/token/get', (req, res) => {
    if (first) return ((first = false), json(res, 503, {}));
    json(res, 200, { access_token: 'token-a', expires_in: 3600 });
  });
  const store = createMemoryStore();
  const c = s.client({ store, rateLimit: { requests: 2, perMs: 3000 } });
  await Promise.all([c.tickets.get(1), c.tickets.get(2)]);
  const times = s.requests.map((r) => r.time).sort((a, b) => a - b);
  assert.equal(s.tokenRequests.length, 2);
  assert.ok(times[2] - times[0] >= 3000, `3 arrivals within ${times[2] - times[0]} ms at 2 per 3,000 ms`);
});

test("a 429 on the token request pauses the whole fleet, even when the token request then succeeds; the token request waits out a pause longer than a second", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', (req, res) => (s.tokenRequests.length === 1 ? json(res, 429, {}, { 'retry-after': '2' }) : json(res, 200, { access_token: 'token-b', expires_in: 3600 })));
  const store = createMemoryStore();
  const a = s.client({ store });
  const b = s.client({ store, accessToken: 'token-given' });
  const t0 = Date.now();
  const gotToken = a.tickets.get(1);
  await new Promise((r) => setTimeout(r, 300));
  await b.tickets.get(2); // b has its own token: only the shared pause holds it
  assert.ok(Date.now() - t0 >= 1900, `b went out ${Date.now() - t0} ms after the token request's 429`);
  await gotToken;
  assert.equal(s.tokenRequests.length, 2);
  // a pause of 2.5 s set by another client: the token request waits it out, not just a second
  const paused = createMemoryStore();
  const c = s.client({ store: paused, rateLimit: { requests: 5, perMs: 1000 } });
  (await paused.acquire(null))(429, 2.5, 0);
  const t1 = Date.now();
  await c.getToken();
  assert.equal(s.tokenRequests.length, 3);
  const sent = s.tokenRequests.at(-1).time - t1;
  assert.ok(sent >= 2400, `the token request went out ${sent} ms into a 2.5 s pause`);
});

test('a rateLimit function with a store: a call aborted while the store holds it in a pause gives your place back', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  let held = 0;
  const rateLimit = async () => (held++, () => held--);
  const c = s.client({ store, rateLimit, accessToken: 'token-given', maxRetries: 0 });
  (await store.acquire(null))(429, 1.5, 0); // the fleet is paused
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 200);
  const err = await c.tickets.get(2, { signal: ctl.signal }).catch((e) => e);
  assert.equal(err.kind, 'aborted');
  await new Promise((r) => setTimeout(r, 1600));
  assert.equal(held, 0, 'your done() was called');
  assert.equal(s.calls.length, 0);
});

test('a rateLimit function with a store: a token that goes stale while a call holds the only place is still fetched (no deadlock)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.tokenLifetime = 1;
  s.route('GET', '/tenants/gettags', (req, res) => setTimeout(() => json(res, 200, []), 1200));
  // one place at a time, handed on in order
  let free = 1;
  const queue = [];
  const rateLimit = async () => {
    if (free > 0) free--;
    else await new Promise((r) => queue.push(r));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = queue.shift();
      if (next) next();
      else free++;
    };
  };
  const c = s.client({ store: createMemoryStore(), rateLimit, maxConcurrency: 4 });
  const both = Promise.all([c.tenants.getTags(), c.tenants.getTags()]);
  const stuck = new Promise((r) => setTimeout(() => r('stuck'), 8000));
  assert.notEqual(await Promise.race([both, stuck]), 'stuck', `calls ${s.calls.length}, token requests ${s.tokenRequests.length}`);
  assert.equal(s.calls.length, 2);
  assert.ok(s.tokenRequests.length >= 2);
});

test('a store whose acquire throws (not rejects) rejects the call and gives your rateLimit function its place back', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const failAt of [1, 2]) {
    let held = 0;
    const rateLimit = async () => (held++, () => held--);
    const store = createMemoryStore();
    const acquire = store.acquire.bind(store);
    let n = 0;
    store.acquire = (w, signal) => {
      if (++n >= failAt) throw new Error('boom');
      return acquire(w, signal);
    };
    const err = await s.client({ store, rateLimit }).tenants.getTags().catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'network', String(err));
    assert.equal(held, 0, `failing at acquire ${failAt}: your place was given back`);
  }
});

test("a rateLimit function whose done throws still lets the store's done run: no store place is lost", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  const acquire = store.acquire.bind(store);
  let grants = 0;
  let dones = 0;
  store.acquire = async (w, signal) => {
    const done = await acquire(w, signal);
    if (typeof done !== 'function') return done;
    grants++;
    return (...a) => (dones++, done(...a));
  };
  const rateLimit = async () => () => {
    throw new Error('boom');
  };
  await s.client({ store, rateLimit }).tickets.get(1);
  assert.equal(grants, 2, 'the token request and the call');
  assert.equal(dones, 2);
});

test('a done that rejects (an async one, on a database) or throws is its own: nothing goes unhandled, the calls settle, and the other done still runs', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const unhandled = [];
  const note = (e) => unhandled.push(e);
  process.on('unhandledRejection', note);
  t.after(() => process.off('unhandledRejection', note));
  let dones = 0;
  const failing = async () => async () => {
    dones++;
    throw new Error('UPDATE failed: connection reset');
  };
  // the store's done alone (the core calls it), yours and the store's (the facade calls both),
  // and a place given back by a call that gave up
  const store = { token: async (fetch) => fetch(), acquire: failing };
  assert.deepEqual(await s.client({ store }).tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  await s.client({ store, rateLimit: failing }).tickets.get(2);
  await s.client({ accessToken: 'tok', rateLimit: () => { throw 0; } }).tickets.get(3).catch(() => {});
  const ctl = new AbortController();
  const late = s.client({ accessToken: 'tok', rateLimit: async () => (ctl.abort(), failing()) }).tickets.get(4, { signal: ctl.signal });
  await assert.rejects(late, { kind: 'aborted' });
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(unhandled, []);
  assert.equal(dones, 2 + 2 * 2 + 1, 'every done was called');
});

test("a store's done is told a Retry-After only as far as the client honours it (60 s): one of an hour would hold the fleet for an hour, when the client itself rejects at once", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/1', (req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '3600' }));
  s.route('GET', '/tickets/get/2', (req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '2' }));
  const store = createMemoryStore();
  const seen = [];
  const acquire = store.acquire.bind(store);
  store.acquire = async (w, signal) => {
    const done = await acquire(w, signal);
    return done && ((...a) => (seen.push(a.slice(0, 2)), done(...a)));
  };
  const [a, b] = [s.client({ store, maxRetries: 0 }), s.client({ store })];
  const err = await a.tickets.get(1).catch((e) => e);
  assert.deepEqual([err.status, err.retryAfter], [429, 3600], 'the caller still learns what the server said');
  const t0 = Date.now();
  await b.tickets.get(3);
  assert.ok(Date.now() - t0 < 1000, `the other client waited ${Date.now() - t0} ms`);
  await a.tickets.get(2).catch(() => {});
  assert.deepEqual(seen.slice(1), [[429, undefined], [200, undefined], [429, 2]]);
});

test("a store's acquire that resolves with something other than a done or nothing is refused (its place would be held for ever in silence); a rateLimit function's value that is no done is ignored, as it always was", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const value of [42, { done() {} }, 'done', null]) {
    const store = { token: async () => 'tok', acquire: async () => value };
    // the store alone, and beside a rateLimit function of yours (whose place is given back)
    let givenBack = 0;
    const rateLimit = async () => (...a) => a.length === 0 && givenBack++;
    for (const options of [{ store }, { store, rateLimit }]) {
      const err = await s.client({ accessToken: 'tok', ...options }).tickets.get(1).catch((e) => e);
      assert.ok(err instanceof GlassixError && err.kind === 'invalid_argument', String(err));
      assert.equal(err.message, "tickets.get: the store's acquire() resolved with a value that is neither a function nor undefined (see the cause)");
      assert.equal(err.cause, value);
    }
    assert.equal(givenBack, 1, 'your place was given back');
    assert.equal(s.requests.length, 0, 'nothing was sent');
    // a limiter library's value (a number of tokens left, a token object) is no done: ignored
    assert.ok(await s.client({ accessToken: 'tok', rateLimit: async () => value }).tickets.get(1));
    s.requests.length = 0;
  }
  // nothing (undefined) is a place with no done, as before
  assert.ok(await s.client({ accessToken: 'tok', store: { token: async () => 'tok', acquire: async () => undefined } }).tickets.get(1));
});

test("the store's token request waits for a place without the call's timeout running: a short timeout does not fail a call that only queued", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const store = createMemoryStore();
  const window = { requests: 1, perMs: 1500 };
  // the fleet's one place is taken (by another worker) just now
  (await store.acquire(window))(200, undefined, 0);
  const c = s.client({ store, rateLimit: window, timeout: 300 });
  const t0 = Date.now();
  assert.deepEqual(await c.tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  // the token request waited a second for a place, then went; the call waited for the window
  assert.ok(Date.now() - t0 >= 1000, `${Date.now() - t0} ms`);
  assert.equal(s.tokenRequests.length, 1);
});

test('a token the store held from earlier comes with what is left of its lifetime: a client that joins late refreshes in time, with no 401', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.tokenLifetime = 2; // refreshed by the store after 1.8 s
  const store = createMemoryStore();
  await s.client({ store }).tickets.get(1);
  await new Promise((r) => setTimeout(r, 1300));
  const late = s.client({ store });
  await late.tickets.get(2); // token-1, 0.7 s left of it
  await new Promise((r) => setTimeout(r, 1000)); // token-1 has expired now
  await late.tickets.get(3);
  assert.deepEqual(s.calls.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  assert.equal(s.tokenRequests.length, 2);
});

test('with the credentials, a queue longer than a token lives sends no expired token: a call that finds its token stale at the head refreshes it and keeps its turn', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // refresh point 2.7 s (the client's margin, a tenth, also covers a loaded machine's delays);
  // the server refuses a token older than 3 s
  s.tokenLifetime = 3;
  const issued = new Map(); // token -> when the server issued it
  s.route('POST', /\/token\/get$/, (req, res) => {
    const token = `token-${issued.size + 1}`;
    issued.set(token, Date.now());
    json(res, 200, { access_token: token, token_type: 'bearer', expires_in: s.tokenLifetime });
  });
  s.route('GET', /\/tickets\/get\//, (req, res, rec) => {
    const at = issued.get(String(rec.headers.authorization).replace('Bearer ', ''));
    return at !== undefined && Date.now() - at < 3000 ? json(res, 200, { ok: 1 }) : json(res, 401, {});
  });
  // 20 calls at 2 per 0.6 s: a queue of 6 s, twice a token's lifetime
  const c = s.client({ rateLimit: { requests: 2, perMs: 600 } });
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => c.tickets.get(i + 1)));
  assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => r.reason.message), []);
  const refused = s.requests.filter((r) => r.url.includes('/tickets/get/')).length - 20;
  assert.equal(refused, 0, `${refused} requests were refused with 401 (sent with an expired token)`);
  assert.ok(issued.size >= 2, `${issued.size} tokens`);
});

test('the memory store waits out a window longer than a timer can hold (2^31 - 1 ms) in steps: no TimeoutOverflowWarning, no busy loop', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  // (two places: the token request takes one)
  const client = s.client({ store: createMemoryStore(), rateLimit: { requests: 2, perMs: 3e9 } });
  await client.tickets.get(1);
  const cpu = process.cpuUsage();
  const err = await client.tickets.get(2, { signal: AbortSignal.timeout(300) }).catch((e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.kind, 'aborted');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings, []);
  const used = process.cpuUsage(cpu);
  assert.ok(used.user + used.system < 200_000, `${(used.user + used.system) / 1000} ms of CPU while waiting 300 ms`);
  assert.equal(s.calls.filter((r) => r.path.includes('/tickets/get/')).length, 1);
});

// README, Many accounts: "With `accessToken` or `getAccessToken` the store shares only the rate
// window and the 429 pause": a pre-issued token is never swapped for the store's, not even after
// a 401 (the store cannot tell accounts apart then), and the store's token() is never asked.
test("with accessToken, a store's token() is never asked, not even after a 401", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/2', (req, res) => json(res, 401, { message: 'expired' }));
  const store = createMemoryStore();
  let asked = 0;
  const token = store.token;
  store.token = (...a) => (asked++, token(...a));
  const c = s.client({ store, accessToken: 'pre-issued', apiKey: undefined, apiSecret: undefined, userName: undefined });
  assert.deepEqual(await c.tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' });
  const e = await c.tickets.get(2).catch((x) => x);
  assert.ok(e instanceof GlassixError && e.status === 401, String(e));
  assert.equal(asked, 0);
  assert.equal(s.tokenRequests.length, 0);
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer pre-issued'));
});
