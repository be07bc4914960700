// glassix-wasm/redis in one process, against a real redis-server: the store contract (the same
// one tests/store.test.mjs proves for the in-memory reference), its data in Redis, and its
// faults. Each stand-in for a process has its own Redis connection and its own store; the
// processes themselves are in fleet.test.mjs. With ioredis and with node-redis, each at the version
// of the devDependencies and at the older majors the peer ranges promise (ioredis 5, node-redis 4
// and 5: tests/redis/versions).
import { givenBack, sharedWindow } from '../helpers/store-contract.mjs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer, json, GlassixError } from '../helpers/server.mjs';
import { startRedis, connect, freePort, load, family, ALL_LIBRARIES } from '../helpers/redis.mjs';
import { errorMonitor } from 'node:events';

const require = createRequire(import.meta.url);
const { createRedisStore } = require('glassix-wasm/redis');
const SCRIPTS = Object.values(require('../../redis/lua.cjs')).map((src) => crypto.createHash('sha1').update(src).digest('hex'));
const root = fileURLToPath(new URL('../..', import.meta.url));

let redis;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

let prefixes = 0;
const nextPrefix = () => `glassix:test:${++prefixes}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `n` stores on one prefix, each on its own connection (closed when the test ends). */
async function stores(t, library, n, options = {}) {
  const prefix = options.prefix ?? nextPrefix();
  const out = [];
  for (let i = 0; i < n; i++) {
    const c = await connect(library, redis.url);
    t.after(c.close);
    out.push(createRedisStore(c.client, { prefix, ...options }));
  }
  out.prefix = prefix;
  return out;
}

/** Puts `wrap(send)` in the place of every run of `script` (by its source or its SHA) on a
 * connection of `library`: `send()` sends it as it was. */
function intercept(conn, library, script, wrap) {
  const sha = crypto.createHash('sha1').update(script).digest('hex');
  for (const method of family(library) === 'ioredis' ? ['eval', 'evalsha'] : ['eval', 'evalSha']) {
    const send = conn.client[method].bind(conn.client);
    conn.client[method] = (s, ...rest) => (s === script || s === sha ? wrap(() => send(s, ...rest)) : send(s, ...rest));
  }
}

/** An ioredis store on a connection of its own whose caller gives up while `script` runs (as
 * its reply is on the way back): `{ store, prefix, signal }`, `signal` the caller's. */
async function givingUpDuring(t, script, options = {}) {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const ctl = new AbortController();
  intercept(conn, 'ioredis', script, async (send) => {
    const reply = await send();
    ctl.abort();
    return reply;
  });
  const prefix = nextPrefix();
  return { store: createRedisStore(conn.client, { prefix, ...options }), prefix, signal: ctl.signal };
}

/** A plain ioredis connection for looking at what the store left in Redis. */
async function inspector(t) {
  const c = await connect('ioredis', redis.url);
  t.after(c.close);
  return c.client;
}

const isInvalid = (re) => (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && re.test(e.message);

test('createRedisStore refuses a bad prefix, a bad option, and anything that is not a Redis client', async () => {
  const Redis = require('ioredis');
  const ioredis = new Redis({ lazyConnect: true });
  const nodeRedis = require('redis').createClient();
  // accepted without connecting (the store does not talk to Redis until a call needs it)
  for (const client of [ioredis, nodeRedis]) {
    const store = createRedisStore(client, { prefix: 'glassix:acme' });
    assert.deepEqual(Object.keys(store).sort(), ['acquire', 'token']);
  }
  assert.equal(ioredis.status, 'wait');
  assert.equal(nodeRedis.isOpen, false);
  for (const prefix of [undefined, '', 42, null, ['a'], { p: 1 }]) {
    assert.throws(() => createRedisStore(ioredis, { prefix }), isInvalid(/^createRedisStore: prefix must be a non-empty string/));
  }
  for (const prefix of ['   ', 'a\nb', 'glassix acme', 'glassix*', 'glassix:[acme]', 'a\u0000', 'a\u0085b', 'a\u009bb', '\u0080']) {
    assert.throws(() => createRedisStore(ioredis, { prefix }), isInvalid(/^createRedisStore: prefix must not contain whitespace, control characters or the pattern characters/), JSON.stringify(prefix));
  }
  for (const prefix of ['g'.repeat(257), 'g\uD800', 'g\uDC00x']) {
    assert.throws(() => createRedisStore(ioredis, { prefix }), isInvalid(/^createRedisStore: prefix must be at most 256 characters of well-formed text/), JSON.stringify(prefix));
  }
  createRedisStore(ioredis, { prefix: `{glassix:acme}:${'g'.repeat(240)}` });
  createRedisStore(ioredis, { prefix: 'glassix:\u05d0\ud83d\ude00' }); // Hebrew and an emoji (a surrogate pair) are fine
  // a client or options that cannot be read (a revoked Proxy, a getter that throws): named, the error as the cause
  const revoked = () => {
    const p = Proxy.revocable({}, {});
    p.revoke();
    return p.proxy;
  };
  const boom = new Error('getter threw');
  assert.throws(() => createRedisStore(revoked(), { prefix: 'p' }), isInvalid(/^createRedisStore: the Redis client could not be read$/));
  assert.throws(() => createRedisStore({ get status() { throw boom; }, evalsha() {}, eval() {} }, { prefix: 'p' }), (e) => isInvalid(/the Redis client could not be read/)(e) && e.cause === boom);
  assert.throws(() => createRedisStore(ioredis, revoked()), isInvalid(/^createRedisStore: the options could not be read$/));
  assert.throws(() => createRedisStore(ioredis, { get prefix() { throw boom; } }), (e) => isInvalid(/the options could not be read/)(e) && e.cause === boom);
  assert.throws(() => createRedisStore(ioredis), isInvalid(/options must be an object with a prefix, not undefined/));
  assert.throws(() => createRedisStore(ioredis, 'glassix:acme'), isInvalid(/options must be an object/));
  assert.throws(() => createRedisStore(ioredis, { prefix: 'p', comandTimeout: 5 }), isInvalid(/unknown option "comandTimeout"/));
  for (const bad of [0, 0.5, -1, NaN, Infinity, '5000', 2 ** 31, 1e10]) {
    assert.throws(() => createRedisStore(ioredis, { prefix: 'p', commandTimeout: bad }), isInvalid(/commandTimeout must be a number of milliseconds from 1 to/));
  }
  assert.throws(() => createRedisStore(ioredis, { prefix: 'p', lockMs: 0 }), isInvalid(/lockMs/));
  assert.throws(() => createRedisStore(ioredis, { prefix: 'p', leaseMs: -5 }), isInvalid(/leaseMs/));
  assert.throws(() => createRedisStore(ioredis, { prefix: 'p', lockMs: 2 ** 31 }), isInvalid(/lockMs must be a number of milliseconds from 1 to 2147483647/));
  createRedisStore(ioredis, { prefix: 'p', commandTimeout: 2 ** 31 - 1, lockMs: 2 ** 31 - 1, leaseMs: 2 ** 31 - 1 });
  for (const client of [undefined, null, 'redis://127.0.0.1:6379', {}, { get() {}, set() {} }, Redis]) {
    assert.throws(() => createRedisStore(client, { prefix: 'p' }), isInvalid(/^createRedisStore: the first argument must be an ioredis client or a node-redis \(v4\+\) client/));
  }
  // node-redis's `createClient().connect()` not awaited: a promise, said as such
  const pending = Promise.resolve(ioredis);
  assert.throws(() => createRedisStore(pending, { prefix: 'p' }), isInvalid(/not a Promise \(await createClient\(\)\.connect\(\) first\)$/));
  // a pipeline or a MULTI has the script commands but only queues them
  for (const queued of [ioredis.pipeline(), ioredis.multi(), nodeRedis.multi(), nodeRedis.legacy()]) {
    assert.throws(() => createRedisStore(queued, { prefix: 'p' }), isInvalid(/not a pipeline, a MULTI or a legacy \(callback\) interface made from one/));
  }
  // node-redis 4's legacyMode client: callback-style commands under the v4 names (and the v4 ones
  // under `.v4`); the shape is node-redis 4's, which this repository does not install
  const legacy = { v4: { evalSha() {}, eval() {} }, evalSha() {}, eval() {}, isOpen: false };
  assert.throws(() => createRedisStore(legacy, { prefix: 'p' }), isInvalid(/legacyMode/));
  // and a node-redis 4 client not in legacyMode, whose `v4` getter throws, is a client
  const v4 = Object.create({
    get v4() {
      throw new Error('the client is not in "legacy mode"');
    },
  });
  Object.assign(v4, { evalSha() {}, eval() {}, isOpen: false });
  assert.deepEqual(Object.keys(createRedisStore(v4, { prefix: 'p' })).sort(), ['acquire', 'token']);
  // a client over HTTP (the shape of @upstash/redis: the script commands, no connection) is named
  const http = { eval() {}, evalsha() {}, get() {}, set() {} };
  assert.throws(() => createRedisStore(http, { prefix: 'p' }), isInvalid(/nor a client over HTTP \(such as @upstash\/redis\): the store needs a connection$/));
});

test('on Redis Cluster (ioredis Cluster, node-redis createCluster) the prefix must have a hash tag: without one every script would fail with CROSSSLOT, reported as a network error', () => {
  const Redis = require('ioredis');
  const clusters = [new Redis.Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true }), require('redis').createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] })];
  for (const cluster of clusters) {
    for (const prefix of ['glassix:acme', 'glassix:{}:acme', 'glassix:{acme']) {
      assert.throws(() => createRedisStore(cluster, { prefix }), isInvalid(new RegExp(`^createRedisStore: on Redis Cluster the prefix needs a hash tag, so that its keys share a slot: "\\{${prefix.replace(/[{}]/g, '\\$&')}\\}", not "${prefix.replace(/[{}]/g, '\\$&')}"$`)), prefix);
    }
    for (const prefix of ['{glassix:acme}', 'glassix:{acme}', '{a}:{b}', 'glassix}{acme}']) createRedisStore(cluster, { prefix });
  }
  // a client of one server takes any prefix
  createRedisStore(new Redis({ lazyConnect: true }), { prefix: 'glassix:acme' });
});

test('a node-redis cluster that is not open is sent nothing: its calls reject at once, saying so (node-redis 4 spins for ever on the second command to a cluster never connected)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const cluster = require('redis').createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] });
  const store = createRedisStore(cluster, { prefix: '{glassix:acme}', commandTimeout: 200 });
  const client = s.client({ store });
  for (let i = 0; i < 2; i++) {
    const err = await client.tickets.get(1).catch((e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'network', String(err));
    assert.match(err.message, /the Redis store \(prefix "\{glassix:acme\}"\) failed: The client is closed \(the Redis client is not connected\)$/);
  }
  assert.equal(s.requests.length, 0);
});

test('the client never loads glassix-wasm/redis or a Redis library; glassix-wasm/redis loads neither library itself', () => {
  const loaded = (code) => {
    const r = spawnSync(process.execPath, ['-e', `${code}; console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules\\/(ioredis|redis|@redis)\\/|\\/redis\\/index\\.cjs$/.test(f))))`], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual(loaded("const G = require('glassix-wasm'); new G({ workspace: 'a', apiKey: 'k', apiSecret: 's', userName: 'u' })"), []);
  assert.deepEqual(
    loaded("require('glassix-wasm/redis')").map((f) => f.slice(root.length)),
    ['redis/index.cjs'],
  );
});

test('ESM and CommonJS entries are one module', async () => {
  const esm = await import('glassix-wasm/redis');
  assert.equal(esm.createRedisStore, createRedisStore);
  assert.equal(esm.default.createRedisStore, createRedisStore);
});

for (const library of ALL_LIBRARIES) {
  test(`${library}: a caller that gave up takes no place; done() with no arguments gives one back`, async (t) => {
    const [store] = await stores(t, library, 1);
    await givenBack(store);
  });

  test(`${library}: clients on one prefix make one token request between them; it is kept under the prefix only`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    // fractional milliseconds are fine (Redis's PX takes whole ones: they are rounded up)
    const all = await stores(t, library, 3, { lockMs: 9999.5 });
    const clients = all.map((store) => s.client({ store }));
    await Promise.all(clients.flatMap((c, i) => Array.from({ length: 10 }, (_, k) => c.tickets.get(i * 100 + k + 1))));
    assert.equal(s.tokenRequests.length, 1);
    assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer token-1'));
    // getToken() for the client's own user is the shared token, its expires_in what is left
    const got = await clients[2].getToken();
    assert.equal(got.access_token, 'token-1');
    assert.ok(got.expires_in > 10700 && got.expires_in <= 10800, String(got.expires_in));
    assert.equal(s.tokenRequests.length, 1);
    // in Redis: the token under the prefix, due for refresh 5 minutes before it expires
    const r = await inspector(t);
    // (and the limit the fleet admits under: none)
    assert.deepEqual((await r.keys(`${all.prefix}*`)).sort(), [`${all.prefix}:limit`, `${all.prefix}:token`]);
    assert.equal(await r.get(`${all.prefix}:limit`), '0/0');
    assert.equal(await r.hget(`${all.prefix}:token`, 'value'), 'token-1');
    const due = await r.pttl(`${all.prefix}:token`);
    assert.ok(due > 10_800_000 - 300_000 - 2000 && due <= 10_800_000 - 300_000, String(due));
    assert.equal(await r.exists(`${all.prefix}:lock`), 0);
  });

  test(`${library}: a token fetch that fails fails the clients that waited for it, as one client's calls share one: one token request series, not one per client; the next call fetches again`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    let fail = true;
    s.route('POST', '/token/get', (req, res) => (fail ? setTimeout(() => json(res, 503, { message: 'token service busy' }), 150) : json(res, 200, { access_token: 'token-ok', token_type: 'bearer', expires_in: 10800 })));
    const all = await stores(t, library, 3);
    // (maxRetries 1: a token request series is two requests)
    const clients = all.map((store) => s.client({ store, maxRetries: 1 }));
    const errs = await Promise.all(clients.map((c, i) => c.tickets.get(i + 1).then(() => null, (e) => e)));
    assert.equal(s.tokenRequests.length, 2, `${s.tokenRequests.length} token requests`);
    for (const [i, e] of errs.entries()) {
      assert.ok(e instanceof GlassixError, `client ${i}: ${e}`);
      assert.equal(e.message, 'tickets.get: no access token: token service busy');
      assert.equal(e.kind, 'http');
      assert.equal(e.status, 503);
      assert.ok(e.cause instanceof GlassixError && e.cause.status === 503, `client ${i}'s cause: ${e.cause}`);
      assert.deepEqual(e.body, { message: 'token service busy' });
    }
    assert.equal(s.calls.length, 0);
    // a call that did not wait for that fetch fetches again, and shares its token
    fail = false;
    await Promise.all(clients.map((c, i) => c.tickets.get(10 + i)));
    assert.equal(s.tokenRequests.length, 3);
    assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer token-ok'));
  });

  test(`${library}: a failure of the fetching client's own (its timeout, a 4xx to its credentials) is not shared: the client that waited fetches for itself`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    // the token endpoint takes 300 ms, and knows only the new secret
    s.route('POST', '/token/get', (req, res, rec) => setTimeout(() => (rec.body.apiSecret === 'new-secret' ? json(res, 200, { access_token: `token-${rec.body.apiSecret}`, expires_in: 10800 }) : json(res, 400, { message: 'bad credentials' })), 300));
    for (const [fetching, waiting, kind] of [
      [{ timeout: 100, maxRetries: 0, apiSecret: 'new-secret' }, { apiSecret: 'new-secret' }, 'timeout'],
      [{ apiSecret: 'old-secret' }, { apiSecret: 'new-secret' }, 'http'],
    ]) {
      const [a, b] = await stores(t, library, 2);
      const first = s.client({ store: a, ...fetching }).tickets.get(1).then(() => null, (e) => e);
      await sleep(50); // the first holds the lock: the second waits for its fetch
      const second = await s.client({ store: b, ...waiting }).tickets.get(2).then(() => null, (e) => e);
      assert.equal((await first)?.kind, kind);
      assert.equal(second, null, `the waiting client failed: ${second?.message}`);
    }
    assert.equal(s.calls.length, 2);
    assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer token-new-secret'));
  });

  test(`${library}: TOKEN sent twice (a reply lost to a reconnect) finds the lock it took its own, whatever failure was recorded in between`, async (t) => {
    const conn = await connect(library, redis.url);
    t.after(conn.close);
    const r = await inspector(t);
    const p = nextPrefix();
    intercept(conn, library, require('../../redis/lua.cjs').TOKEN, async (send) => {
      const reply = await send();
      if (Number(reply[0]) !== 2) return reply;
      // the fetch it waited for (lock X) recorded as failed, then the command sent again
      await r.set(`${p}:failed`, `X\n${JSON.stringify({ message: 'the fetch it waited for failed', kind: 'http', status: 503 })}`, 'PX', 10_000);
      return send();
    });
    await r.set(`${p}:lock`, 'X', 'PX', 100); // another client's fetch, which this one waits for
    const store = createRedisStore(conn.client, { prefix: p });
    const got = await store.token(async () => ({ access_token: 'fresh', expires_in: 10800 }), undefined, undefined, 'h').then((v) => v, (e) => e);
    assert.equal(got?.access_token, 'fresh', String(got));
    assert.equal(await r.get(`${p}:lock`), null, 'lock left held');
  });

  test(`${library}: only the token response's own fields are shared: a server that echoes the credentials back has them written nowhere in Redis`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    s.route('POST', '/token/get', (req, res, rec) => json(res, 200, { access_token: 'token-echo', token_type: 'bearer', expires_in: 3600, request: rec.body, note: 'extra' }));
    const all = await stores(t, library, 2);
    const [a, b] = all.map((store) => s.client({ store }));
    await a.tickets.get(1);
    await b.tickets.get(2);
    assert.equal(s.tokenRequests.length, 1);
    const r = await inspector(t);
    const stored = JSON.stringify(await r.hgetall(`${all.prefix}:token`));
    for (const secret of ['key-123', 'secret-456']) assert.ok(!stored.includes(secret), `${secret} is not in Redis: ${stored}`);
    const got = await b.getToken();
    assert.deepEqual(Object.keys(got).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(got.access_token, 'token-echo');
  });

  test(`${library}: a client of another origin, user or department on the same prefix is refused the stored token, never sent it; one account written two ways is one holder; a holder-less token, or one of the earlier form, is replaced`, async (t) => {
    const [s1, s2] = [await startServer(), await startServer()];
    t.after(() => s1.close());
    t.after(() => s2.close());
    const all = await stores(t, library, 3);
    const [sa, sb, sc] = all;
    const a = s1.client({ store: sa });
    await a.tickets.get(1);
    assert.equal(s1.tokenRequests.length, 1);
    // another origin (another port), with another account's credentials
    const b = s2.client({ store: sb, apiKey: 'other-key', apiSecret: 'other-secret', userName: 'bob@example.com' });
    const e = await b.tickets.get(1).catch((x) => x);
    assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
    assert.ok(e.message.startsWith(`tickets.get: no access token: createRedisStore: the token under prefix "${all.prefix}" `), e.message);
    const origin = (s) => new URL(s.base).origin;
    // (the department: 16 hex digits of an HMAC of the API key, never the key)
    const department = (apiKey) => crypto.createHmac('sha1', apiKey).update('holder').digest('hex').slice(0, 16);
    const holder = `${origin(s1)} api@example.com ${department('key-123')}`;
    assert.ok(e.message.includes(`is for "${holder}", not "${origin(s2)} bob@example.com ${department('other-key')}"`), e.message);
    assert.ok(!e.message.includes('token-1') && !inspect(e).includes('token-1'));
    assert.equal(s2.requests.length, 0, 'nothing reached the other origin');
    // the same origin as another user: refused too (it would act as the first user)
    const c = s1.client({ store: sc, userName: 'carol@example.com' });
    assert.equal((await c.tickets.get(2).catch((x) => x)).kind, 'invalid_argument');
    // and the same origin and user in another department (another API key): refused too (its
    // token would act in the first department)
    const d = s1.client({ store: sc, apiKey: 'key-of-another-department' });
    assert.equal((await d.tickets.get(2).catch((x) => x)).kind, 'invalid_argument');
    assert.equal(s1.calls.length, 1);
    const r = await inspector(t);
    assert.equal(await r.hget(`${all.prefix}:token`, 'holder'), holder);
    // one account written two ways is one holder (the user name's case does not count)
    await s1.client({ store: sc, userName: 'API@Example.com' }).tickets.get(3);
    assert.equal(s1.tokenRequests.length, 1);
    // a token stored without a holder (by an earlier version) is replaced, not refused for good
    await r.hdel(`${all.prefix}:token`, 'holder');
    await a.tickets.get(4); // (a's own cached token)
    await s1.client({ store: sb }).tickets.get(5);
    assert.equal(s1.tokenRequests.length, 2);
    assert.equal(await r.hget(`${all.prefix}:token`, 'holder'), holder);
    // and one stored with the caller's holder without its department (the version before wrote
    // that): replaced, not refused for the rest of its life after an upgrade
    await r.hset(`${all.prefix}:token`, 'holder', `${origin(s1)} api@example.com`);
    await s1.client({ store: sb }).tickets.get(6);
    assert.equal(s1.tokenRequests.length, 3);
    assert.equal(await r.hget(`${all.prefix}:token`, 'holder'), holder);
    // (while a token of the same origin and user in another department is still refused)
    await r.hset(`${all.prefix}:token`, 'holder', `${origin(s1)} api@example.com ${department('key-of-another-department')}`);
    assert.equal((await s1.client({ store: sb }).tickets.get(7).catch((x) => x)).kind, 'invalid_argument');
  });

  test(`${library}: a 401 drops the shared token once for everyone`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    s.route('GET', /\/tickets\/get\//, (req, res, rec) => (rec.headers.authorization === 'Bearer token-1' && rec.url.includes('/3') ? json(res, 401, {}) : json(res, 200, { ok: 1 })));
    const [sa, sb] = await stores(t, library, 2);
    const [a, b] = [s.client({ store: sa }), s.client({ store: sb })];
    await Promise.all([a.tickets.get(1), b.tickets.get(2)]);
    await a.tickets.get(3); // 401: a's store drops token-1 and fetches token-2
    await b.tickets.get(4); // b still holds token-1 locally: the API refuses it...
    assert.equal(s.tokenRequests.length, 2);
    s.route('GET', /\/tickets\/get\//, (req, res, rec) => (rec.headers.authorization === 'Bearer token-1' ? json(res, 401, {}) : json(res, 200, { ok: 1 })));
    await b.tickets.get(5); // ...and its store hands it token-2, which is not the one refused
    assert.equal(s.tokenRequests.length, 2);
    assert.equal(s.calls.at(-1).headers.authorization, 'Bearer token-2');
  });

  test(`${library}: the window is shared: two clients never exceed it together, and it ages from each done`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const all = await stores(t, library, 2);
    await sharedWindow(s, all, { perMs: 500.5, minMs: 1500 });
    // in Redis: the places of the last window, each aging from its done, and a key that expires
    await sleep(50);
    const r = await inspector(t);
    const [sec, usec] = await r.time();
    const now = Number(sec) * 1000 + Number(usec) / 1000;
    const places = await r.zrange(`${all.prefix}:window`, 0, -1, 'WITHSCORES');
    assert.ok(places.length / 2 >= 1 && places.length / 2 <= 5, String(places.length / 2));
    for (let i = 1; i < places.length; i += 2) assert.ok(Number(places[i]) <= now && Number(places[i]) > now - 1000, places[i]);
    const ttl = await r.pttl(`${all.prefix}:window`);
    assert.ok(ttl > 0 && ttl <= 15_000 + 500, String(ttl));
    assert.deepEqual((await r.keys(`${all.prefix}*`)).sort(), [`${all.prefix}:limit`, `${all.prefix}:token`, `${all.prefix}:window`]);
    assert.equal(await r.get(`${all.prefix}:limit`), '5/500.5');
    const limitTtl = await r.pttl(`${all.prefix}:limit`);
    assert.ok(limitTtl > 0 && limitTtl <= 15_000 + 501, String(limitTtl));
  });

  test(`${library}: acquire: an attempt holds its place while in flight, and from done on for perMs`, async (t) => {
    const [store] = await stores(t, library, 1, { leaseMs: 300 });
    const window = { requests: 2, perMs: 300 };
    const d1 = await store.acquire(window);
    const d2 = await store.acquire(window);
    assert.equal(typeof d1, 'function');
    let third = null;
    const p3 = store.acquire(window).then((d) => (third = Date.now(), d));
    await sleep(700); // past perMs and the lease: both still in flight (leases renewed), so still full
    assert.equal(third, null);
    const doneAt = Date.now();
    d1(200);
    d1(200); // a second call changes nothing
    const d3 = await p3;
    assert.ok(third - doneAt >= 290 && third - doneAt < 450, `admitted ${third - doneAt} ms after the done`);
    d2(undefined); // no response: the place ages from now too
    d3(201);
  });

  test(`${library}: the wall clock stepping an hour forward does not end the leases of attempts in flight (elapsed time is the monotonic clock's)`, async (t) => {
    const [store] = await stores(t, library, 1, { leaseMs: 300 });
    const window = { requests: 2, perMs: 300 };
    const d1 = await store.acquire(window);
    const d2 = await store.acquire(window);
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    t.after(() => (Date.now = realNow));
    let third = false;
    const p3 = store.acquire(window).then((d) => ((third = true), d));
    await sleep(1000); // past the lease, three renewals on: both still in flight, so still full
    assert.equal(third, false);
    d1(200);
    d2(200);
    (await p3)(200);
  });

  test(`${library}: every client on one prefix admits under one rateLimit: another (or none) is refused by name while the first admits, and takes no place`, async (t) => {
    const all = await stores(t, library, 2, { leaseMs: 300 });
    const [sa, sb] = all;
    const a = { requests: 4, perMs: 500 };
    const dones = await Promise.all([sa.acquire(a), sa.acquire(a), sb.acquire(a)]);
    const r = await inspector(t);
    assert.equal(await r.get(`${all.prefix}:limit`), '4/500');
    for (const [store, other, said] of [[sb, { requests: 4, perMs: 500.5 }, '{ requests: 4, perMs: 500.5 }'], [sa, { requests: 5, perMs: 500 }, '{ requests: 5, perMs: 500 }'], [sb, null, 'none (or a function of its own)']]) {
      const err = await store.acquire(other).then(() => null, (e) => e);
      assert.ok(err instanceof GlassixError, String(err));
      assert.equal(err.kind, 'invalid_argument');
      assert.equal(err.message, `createRedisStore: the clients on prefix "${all.prefix}" admit under rateLimit { requests: 4, perMs: 500 }, this one under ${said}: every client on one prefix must use the same rateLimit`);
    }
    assert.equal(await r.zcard(`${all.prefix}:window`), 3, 'the refused took no place');
    // the first limit's fourth place is still there, the fifth waits
    const fourth = await sb.acquire(a);
    let fifth = false;
    const p5 = sa.acquire(a).then((d) => ((fifth = true), d));
    await sleep(200);
    assert.equal(fifth, false, 'four places held: the fifth waits');
    for (const d of [...dones, fourth]) d(200);
    (await p5)(200);
    // once nobody has admitted under it for leaseMs + perMs, another limit may take the prefix over
    await sleep(300 + 500 + 100);
    (await sb.acquire({ requests: 2, perMs: 100 }))(200);
    assert.equal(await r.get(`${all.prefix}:limit`), '2/100');
  });

  test(`${library}: a 429's Retry-After pauses every acquire, with a window or without; a longer pause wins`, async (t) => {
    for (const window of [null, { requests: 10, perMs: 1000 }]) {
      const [a, b] = await stores(t, library, 2);
      const done = await a.acquire(window);
      done(429, 0.5);
      const t0 = Date.now();
      (await b.acquire(window))(200);
      assert.ok(Date.now() - t0 >= 450, `waited ${Date.now() - t0} ms`);
      // Retry-After beyond 60 s is not honoured (nor by the client itself)
      (await a.acquire(window))(429, 3600);
      const t1 = Date.now();
      (await b.acquire(window))(200);
      assert.ok(Date.now() - t1 < 200);
      const [d1, d2] = [await a.acquire(window), await a.acquire(window)];
      d1(429, 0.4);
      d2(429, 0.1);
      const t2 = Date.now();
      (await b.acquire(window))(200);
      assert.ok(Date.now() - t2 >= 350, `waited ${Date.now() - t2} ms`);
    }
  });

  test(`${library}: a stored token in its last millisecond is never handed out as new: its expires_in is what is left, or it is fetched again`, async (t) => {
    const c = await connect(library, redis.url);
    t.after(c.close);
    const r = await inspector(t);
    const seen = { cut: 0, fresh: 0, full: 0 };
    for (let round = 0; round < 20; round++) {
      const p = nextPrefix();
      const s2 = createRedisStore(c.client, { prefix: p });
      await r.hset(`${p}:token`, 'value', 'OLD', 'response', JSON.stringify({ access_token: 'OLD', expires_in: 10800 }), 'margin', '0', 'holder', 'h');
      await r.pexpire(`${p}:token`, 3);
      for (;;) {
        const got = await s2.token(async () => ({ access_token: 'NEW', expires_in: 10800 }), undefined, undefined, 'h');
        if (got.access_token === 'NEW') {
          seen.fresh++;
          break;
        }
        if (got.expires_in > 1) seen.full++;
        else seen.cut++;
      }
    }
    assert.equal(seen.full, 0, `a dying token was handed out with its full lifetime: ${JSON.stringify(seen)}`);
    assert.equal(seen.fresh, 20);
  });

  test(`${library}: a stored token response that is not JSON rejects with kind parse, quoting none of it`, async (t) => {
    const c = await connect(library, redis.url);
    t.after(c.close);
    const r = await inspector(t);
    const p = nextPrefix();
    const s2 = createRedisStore(c.client, { prefix: p });
    await r.hset(`${p}:token`, 'value', 'STOREDSECRETTOKEN', 'response', 'STOREDSECRETTOKEN', 'margin', '0', 'holder', 'h');
    const err = await s2.token(async () => ({ access_token: 'NEW' }), undefined, undefined, 'h').then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'parse');
    assert.equal(err.message, `createRedisStore: the token stored under prefix "${p}" is not valid JSON`);
    assert.ok(!inspect(err, { depth: 9 }).includes('STORED'), inspect(err));
  });

  test(`${library}: a failed token fetch rejects with its error at once, not after the lock's release has timed out in a Redis that does not answer`, async (t) => {
    const conn = await connect(library, redis.url);
    t.after(conn.close);
    let away = false;
    // (once the fetch has failed, the lock's release gets no answer, as from a Redis gone too)
    intercept(conn, library, require('../../redis/lua.cjs').LOCK, (send) => (away ? new Promise(() => {}) : send()));
    const store = createRedisStore(conn.client, { prefix: nextPrefix(), commandTimeout: 5000 });
    const failure = new Error('the token endpoint failed');
    const t0 = Date.now();
    const err = await store.token(async () => {
      away = true;
      throw failure;
    }, undefined, undefined, 'h').then(() => null, (e) => e);
    const took = Date.now() - t0;
    assert.equal(err, failure);
    assert.ok(took < 2500, `rejected after ${took} ms: it waited for the release (commandTimeout 5000 ms)`);
  });

  test(`${library}: a token lock left by a dead fetcher holds the others up until it expires, no longer`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const all = await stores(t, library, 1);
    const r = await inspector(t);
    await r.set(`${all.prefix}:lock`, 'a-worker-that-died', 'PX', 600);
    const t0 = Date.now();
    await s.client({ store: all[0] }).tickets.get(1);
    const waited = s.tokenRequests[0].time - t0;
    assert.ok(waited >= 550 && waited < 900, `token requested ${waited} ms after the call`);
  });

  test(`${library}: a fetch that stalled past lockMs (its lock ran out) never replaces the token another fetch stored meanwhile, nor stores while another fetch holds the lock`, async (t) => {
    const all = await stores(t, library, 3, { lockMs: 300 });
    const [a, b, c] = all;
    const r = await inspector(t);
    const tokenKey = `${all.prefix}:token`;
    const lockKey = `${all.prefix}:lock`;
    const answer = (access_token) => ({ access_token, token_type: 'bearer', expires_in: 10800 });
    /** a.token() whose fetch hangs until resumed; its lock then runs out (deleted here, as the
     * expiry of a lock whose holder was SIGSTOPped: its renewals fail from then on). */
    const stall = async () => {
      let resume;
      const got = a.token(() => new Promise((res) => (resume = res)), undefined, undefined, 'h');
      while (!resume) await sleep(5);
      assert.ok(await r.get(lockKey), 'a holds the lock');
      await r.del(lockKey);
      return { got, resume };
    };
    // 1. another fetch stored a token meanwhile: the stalled one's is its own, not the fleet's
    let stalled = await stall();
    assert.equal((await b.token(async () => answer('NEWER'), undefined, undefined, 'h')).access_token, 'NEWER');
    stalled.resume(answer('OLDER'));
    assert.equal((await stalled.got).access_token, 'OLDER', 'the stalled worker uses what it fetched');
    assert.equal(await r.hget(tokenKey, 'value'), 'NEWER');
    assert.equal((await c.token(async () => assert.fail('fetched again'), undefined, undefined, 'h')).access_token, 'NEWER');
    // 2. another fetch holds the lock: nothing is stored over its head, and its token is
    await r.del(tokenKey);
    stalled = await stall();
    let finish;
    const fetching = b.token(() => new Promise((res) => (finish = res)), undefined, undefined, 'h');
    while (!finish) await sleep(5);
    stalled.resume(answer('OLDER'));
    await stalled.got;
    assert.equal(await r.hget(tokenKey, 'value'), null);
    finish(answer('NEWEST'));
    await fetching;
    assert.equal(await r.hget(tokenKey, 'value'), 'NEWEST');
    assert.equal(await r.get(lockKey), null, 'b released its lock');
    // 3. nobody fetched meanwhile: the late token is stored, as before
    await r.del(tokenKey);
    stalled = await stall();
    stalled.resume(answer('LATE'));
    await stalled.got;
    assert.equal(await r.hget(tokenKey, 'value'), 'LATE');
  });

  test(`${library}: a call that gives up while another worker holds the token lock leaves no token request behind`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const all = await stores(t, library, 1);
    const r = await inspector(t);
    await r.set(`${all.prefix}:lock`, 'another-worker', 'PX', 500);
    const c = s.client({ store: all[0] });
    const err = await c.tickets.get(1, { signal: AbortSignal.timeout(100) }).catch((e) => e);
    assert.equal(err.kind, 'aborted');
    await sleep(800); // the lock has run out
    assert.equal(s.requests.length, 0, s.requests.map((q) => q.path).join(', '));
    assert.equal(await r.get(`${all.prefix}:lock`), null, 'no lock taken and left behind');
    // the next call fetches the token as usual
    await c.tickets.get(2);
    assert.equal(s.tokenRequests.length, 1);
  });

  test(`${library}: scripts run after Redis has lost its script cache (SCRIPT FLUSH, as after a restart)`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const [store] = await stores(t, library, 1);
    const c = s.client({ store, rateLimit: { requests: 100, perMs: 1000 } });
    await c.tickets.get(1);
    const r = await inspector(t);
    assert.ok((await r.script('EXISTS', ...SCRIPTS)).includes(1), 'the scripts were cached');
    await r.script('FLUSH');
    await Promise.all([c.tickets.get(2), c.tickets.get(3)]);
    assert.equal(s.calls.length, 3);
  });

  test(`${library}: Redis unreachable at the start: calls reject with kind network, and nothing is sent`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const port = await freePort(); // nothing listens there
    let client;
    const lib = await load(library);
    if (family(library) === 'ioredis') {
      client = new lib(`redis://127.0.0.1:${port}`); // connects (and retries) in the background
      client.on('error', () => {});
      t.after(() => client.disconnect());
    } else {
      client = lib.createClient({ url: `redis://127.0.0.1:${port}` }); // never connected
    }
    const store = createRedisStore(client, { prefix: nextPrefix(), commandTimeout: 300 });
    const c = s.client({ store, rateLimit: { requests: 5, perMs: 1000 } });
    const t0 = Date.now();
    const errs = await Promise.all([c.tickets.get(1), c.protocols.send({ text: 'x' })].map((p) => p.then(() => assert.fail('resolved'), (e) => e)));
    assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
    for (const err of errs) {
      assert.ok(err instanceof GlassixError);
      assert.equal(err.kind, 'network');
      // the call's own error (it waited for the store's token), the store's as its cause
      assert.match(err.message, /^(tickets\.get|protocols\.send): no access token: the Redis store \(prefix "glassix:test:\d+"\) failed: /);
      // what the client says of its connection, since its connection errors go to its own listeners
      if (family(library) === 'ioredis') assert.match(err.message, /failed: no answer within 300 ms \(the Redis client is (connecting|reconnecting)\)$/);
      assert.ok(err.cause instanceof GlassixError && err.cause.cause instanceof Error);
    }
    assert.equal(s.requests.length, 0, 'not even a token request');
    // with a token from elsewhere, the admission fails the same way
    const d = s.client({ store, accessToken: 'pre-issued-token', apiKey: undefined, apiSecret: undefined, userName: undefined });
    const err = await d.tickets.get(1).catch((e) => e);
    assert.equal(err.kind, 'network');
    assert.equal(s.requests.length, 0);
    assert.ok(!inspect(err, { depth: 5, showHidden: true }).includes('pre-issued-token'));
  });

  test(`${library}: Redis not answering: every command is bounded by commandTimeout, and the store works again after`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const [store] = await stores(t, library, 1, { commandTimeout: 300 });
    const c = s.client({ store, rateLimit: { requests: 100, perMs: 1000 } });
    await c.tickets.get(1);
    const r = await inspector(t);
    await r.call('CLIENT', 'PAUSE', '1500', 'ALL');
    const t0 = Date.now();
    const errs = await Promise.all(Array.from({ length: 20 }, (_, i) => c.protocols.send({ text: `p${i}` }).catch((e) => e)));
    const took = Date.now() - t0;
    assert.ok(took >= 280 && took < 800, `all rejected after ${took} ms`);
    for (const err of errs) {
      assert.equal(err.kind, 'network');
      assert.match(err.message, /failed: no answer within 300 ms$/);
      for (const secret of ['token-1', 'secret-456', 'key-123']) assert.ok(!inspect(err, { depth: 5, showHidden: true }).includes(secret) && !JSON.stringify(err).includes(secret));
    }
    assert.equal(s.calls.length, 1, 'none of them was sent');
    await sleep(1500 - (Date.now() - t0) + 50);
    await c.protocols.send({ text: 'after' });
    assert.equal(s.calls.length, 2);
  });

  test(`${library}: a place given back unused while Redis does not answer goes back once it does, not held for its lease`, async (t) => {
    const leaseMs = 60_000;
    const conn = await connect(library, redis.url);
    t.after(conn.close);
    // the first CANCEL (a give-back) gets no answer: it is never sent, as if Redis were away
    let dropped = 0;
    intercept(conn, library, require('../../redis/lua.cjs').CANCEL, (send) => (dropped++ === 0 ? new Promise(() => {}) : send()));
    const prefix = nextPrefix();
    const store = createRedisStore(conn.client, { prefix, commandTimeout: 200, leaseMs });
    const [other] = await stores(t, library, 1, { prefix, leaseMs });
    const window = { requests: 1, perMs: 300 };
    const done = await store.acquire(window);
    done(); // nothing was sent: the place goes back
    const r = await inspector(t);
    for (let i = 0; i < 40 && (await r.zcard(`${prefix}:window`)) > 0; i++) await sleep(50);
    assert.equal(dropped, 2, 'the give-back was sent again');
    assert.equal(await r.zcard(`${prefix}:window`), 0, 'the place nobody uses was given back');
    // so another process gets it at once, not after the lease (a minute); the race only stops a hang
    const t0 = Date.now();
    const next = await Promise.race([other.acquire(window), sleep(leaseMs / 4).then(() => 'hung')]);
    assert.equal(typeof next, 'function');
    assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
    next(200, undefined, 0);
  });

  test(`${library}: a reply that came while the event loop was blocked past commandTimeout is taken, not timed out`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const conn = await connect(library, redis.url);
    t.after(conn.close);
    // the process is busy for 250 ms right after a script goes to Redis: its reply arrives
    // meanwhile, and the 50 ms timeout is due by the time the loop runs again
    let busy = false;
    const method = family(library) === 'ioredis' ? 'evalsha' : 'evalSha';
    const send = conn.client[method].bind(conn.client);
    conn.client[method] = (...args) => {
      const reply = send(...args);
      if (busy) for (const until = Date.now() + 250; Date.now() < until; );
      return reply;
    };
    const store = createRedisStore(conn.client, { prefix: nextPrefix(), commandTimeout: 50 });
    const c = s.client({ store, rateLimit: { requests: 100, perMs: 1000 } });
    await c.tickets.get(1); // the token is stored, the scripts are cached (later runs are EVALSHA)
    busy = true;
    for (let round = 0; round < 3; round++) await c.tickets.get(2);
    assert.equal(s.calls.filter((r) => r.path.endsWith('/tickets/get/2')).length, 3);
  });

  test(`${library}: an admission that timed out here but ran in Redis later holds no place once Redis answers again, though its process makes no further call`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const leaseMs = 60_000;
    const made = await stores(t, library, 2, { commandTimeout: 300, leaseMs });
    const windowKey = `${made.prefix}:window`;
    const [idle, other] = made.map((store) => s.client({ store, rateLimit: { requests: 1, perMs: 500 } }));
    await idle.tickets.get(1); // the token, and a place that ages out 500 ms after
    const r = await inspector(t);
    await r.call('CLIENT', 'PAUSE', '800', 'ALL');
    // the admission for this one times out here, and Redis runs it once the pause is over
    const err = await idle.protocols.send({ text: 'lost' }).catch((e) => e);
    assert.equal(err.kind, 'network');
    await sleep(1000);
    // the late admission's place went back without another call from its process (a place in
    // flight is scored with its lease's end)
    for (let i = 0; i < 20 && (await r.zcount(windowKey, Date.now() + 1000, '+inf')) > 0; i++) await sleep(50);
    assert.equal(await r.zcount(windowKey, Date.now() + 1000, '+inf'), 0, 'the place nobody owned was given back');
    // so another process is not held up for the lease (a minute); the race only stops a hang
    const sent = other.protocols.send({ text: 'after' });
    assert.notEqual(await Promise.race([sent, sleep(leaseMs / 4).then(() => 'hung')]), 'hung');
    assert.deepEqual(s.calls.filter((x) => x.path.includes('protocols')).map((x) => x.body.text), ['after']);
    for (let i = 0; i < 20 && (await r.zcount(windowKey, Date.now() + 1000, '+inf')) > 0; i++) await sleep(50);
    assert.equal(await r.zcard(windowKey), 1, 'the window holds the one sent, nothing else');
  });

  test(`${library}: Redis lost mid-run: the rejection's cause chain holds the connection error the library reported (copied: no password, no command arguments), on the admission and the token paths`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const password = 'redis-pw-Xq7-sekrit';
    const own = await startRedis({ args: ['--requirepass', password] });
    t.after(() => own.stop());
    const { port } = own;
    const conn = await connect(library, `redis://default:${password}@127.0.0.1:${port}`);
    t.after(conn.close);
    const { client } = conn;
    // what the library reports, as the user's own listener sees it
    const reported = [];
    client.on(errorMonitor, (e) => reported.push(e));
    const notReady = () => (family(library) === 'ioredis' ? client.status !== 'ready' : !client.isReady);
    const store = createRedisStore(client, { prefix: nextPrefix(), commandTimeout: 300 });
    const c = s.client({ store, rateLimit: { requests: 100, perMs: 1000 } });
    await c.tickets.get(1); // this client has its token: its next calls need Redis only for their place
    const chain = (err) => {
      const out = [];
      for (let e = err; e && out.length < 10; e = e.cause) out.push(e);
      return out;
    };
    const noSecret = (err) => {
      const text = inspect(err, { depth: 10, showHidden: true }) + JSON.stringify(err) + chain(err).map((e) => `${e.message} ${e.stack} ${JSON.stringify(e)}`).join(' ');
      for (const secret of [password, 'token-1', 'secret-456', 'key-123']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    };
    const before = s.requests.length;

    // 1. the server is gone: the command times out while the library reconnects
    await own.kill('SIGKILL');
    for (let i = 0; i < 100 && !(notReady() && reported.length); i++) await sleep(10);
    let err = await c.tickets.get(2).catch((e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'network');
    assert.match(err.message, /failed: no answer within 300 ms \(the Redis client is (connecting|reconnecting)\)$/);
    assert.equal(err.cause.message, 'no answer within 300 ms');
    assert.ok(err.cause.cause instanceof Error, 'the connection error is in the cause chain');
    assert.ok(reported.some((e) => e.message === err.cause.cause.message || e.code === err.cause.cause.code), `${err.cause.cause.message} is one the library reported`);
    assert.match(`${err.cause.cause.code} ${err.cause.cause.message}`, /ECONNREFUSED|ECONNRESET|closed/i);
    noSecret(err);
    // the token path: a client with no token says so first, the store's error as its cause
    const fresh = s.client({ store, rateLimit: { requests: 100, perMs: 1000 } });
    err = await fresh.tickets.get(3).catch((e) => e);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /^tickets\.get: no access token: the Redis store \(prefix "glassix:test:\d+"\) failed: no answer within 300 ms/);
    assert.ok(err.cause instanceof GlassixError && err.cause.cause.cause instanceof Error, 'store error → timeout → connection error');
    noSecret(err);

    // 2. back with another password: the library's AUTH fails, and ioredis hangs the AUTH's
    // command on that error, its arguments the password (before 6.1; 6.1 writes [REDACTED] for
    // it, but a script's arguments, a token, are kept); the cause is a copy without the command
    const back = await startRedis({ port, args: ['--requirepass', 'another-pw'] });
    t.after(() => back.stop());
    reported.length = 0;
    for (let i = 0; i < 300 && !reported.some((e) => /WRONGPASS/.test(e.message)); i++) await sleep(10);
    const wrongpass = reported.find((e) => /WRONGPASS/.test(e.message));
    assert.ok(wrongpass, 'the library reported the failed AUTH');
    if (family(library) === 'ioredis') assert.match(JSON.stringify(wrongpass.command), new RegExp(`${password}|\\[REDACTED\\]`), 'ioredis keeps the AUTH command on its error');
    err = await c.tickets.get(4).catch((e) => e);
    assert.equal(err.kind, 'network');
    // (ioredis 6 leaves the command waiting: the timeout, then the AUTH's error; ioredis 5 and
    // node-redis reject it with the AUTH's error itself)
    const copied = chain(err).slice(1).find((e) => /^WRONGPASS/.test(e.message));
    assert.ok(copied, `WRONGPASS in the cause chain: ${chain(err).map((e) => e.message).join(' <- ')}`);
    assert.ok(!('command' in copied), 'the copy has no command (nor its arguments)');
    noSecret(err);
    assert.equal(s.requests.length, before, 'nothing was sent');
  });
}

test("a Redis library's error with an empty message (node-redis's TimeoutError) still says what failed", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  class TimeoutError extends Error {}
  // a client whose every command fails the way node-redis's do when its socket times out
  const failing = { isOpen: true, evalSha: async () => Promise.reject(new TimeoutError()), eval: async () => Promise.reject(new TimeoutError()) };
  const c = s.client({ store: createRedisStore(failing, { prefix: 'glassix:empty' }), rateLimit: { requests: 10, perMs: 1000 } });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.kind, 'network');
  assert.match(err.message, /the Redis store \(prefix "glassix:empty"\) failed: TimeoutError with no message$/);
  assert.equal(err.cause.cause.message, 'TimeoutError with no message');
  assert.equal(s.requests.length, 0);
});

test("ioredis quit: the message says in words what the client's status means", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const { client } = await connect('ioredis', redis.url);
  const store = createRedisStore(client, { prefix: nextPrefix(), commandTimeout: 300 });
  await client.quit();
  const c = s.client({ store, accessToken: 'pre-issued-token', apiKey: undefined, apiSecret: undefined, userName: undefined });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.kind, 'network');
  assert.match(err.message, /\(the Redis client is closed for good\)$/);
  assert.equal(s.requests.length, 0);
});

test('createRedisStore refuses an option named like an Object.prototype member (toString, constructor) as unknown', () => {
  const Redis = require('ioredis');
  const client = new Redis({ lazyConnect: true });
  for (const key of ['toString', 'constructor', 'valueOf', '__proto__']) {
    assert.throws(() => createRedisStore(client, JSON.parse(`{ "prefix": "p", ${JSON.stringify(key)}: 5 }`)), isInvalid(new RegExp(`unknown option "${key}"`)), key);
  }
});

test('a token response with expires_in null (or no number at all) is kept until a 401, as the client keeps it, and shared', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const expires of [null, false, [], undefined]) {
    s.route('POST', '/token/get', (req, res) => json(res, 200, { access_token: `token-${s.tokenRequests.length}`, expires_in: expires }));
    const all = await stores(t, 'ioredis', 2);
    const before = s.tokenRequests.length;
    for (const [i, store] of all.entries()) await s.client({ store }).tickets.get(i + 1);
    assert.equal(s.tokenRequests.length - before, 1, `expires_in ${JSON.stringify(expires)}: one token for both`);
    assert.equal(await (await inspector(t)).pttl(`${all.prefix}:token`), -1, 'stored with no expiry');
  }
});

test('a token response with expires_in of 0 or less is not stored: the next call asks for another, as without a store', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const expires of [0, -5]) {
    s.route('POST', '/token/get', (req, res) => json(res, 200, { access_token: `token-${s.tokenRequests.length}`, expires_in: expires }));
    const all = await stores(t, 'ioredis', 1);
    const c = s.client({ store: all[0] });
    const before = s.tokenRequests.length;
    for (let i = 0; i < 3; i++) await c.tickets.get(i + 1);
    assert.equal(s.tokenRequests.length - before, 3, `expires_in ${expires}`);
    assert.equal(await (await inspector(t)).exists(`${all.prefix}:token`), 0);
  }
});

test('a queued call that gives up lets the process exit: the store waits for no place nobody wants, and a perMs beyond a timer is no busy loop', () => {
  // a child process: one call takes the only place of a 10-minute (or 30-day) window, the next
  // gives up after 300 ms; then the connection is closed and the process must end by itself
  const code = `
    const { createRedisStore } = require('glassix-wasm/redis');
    const GlassixClient = require('glassix-wasm');
    const Redis = require('ioredis');
    const http = require('node:http');
    const warnings = [];
    process.on('warning', (w) => warnings.push(w.name));
    const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}')).listen(0, '127.0.0.1', async () => {
      const redis = new Redis(${JSON.stringify(redis.url)});
      const out = [];
      for (const perMs of [600000, 30 * 86400000]) {
        const store = createRedisStore(redis, { prefix: 'glassix:linger:' + perMs + ':' + process.pid });
        const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:' + server.address().port + '/api/v1.2', accessToken: 'tok', rateLimit: { requests: 1, perMs }, store });
        await c.tickets.get(1);
        const before = Number(/cmdstat_evalsha:calls=(\\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
        const e = await c.tickets.get(2, { signal: AbortSignal.timeout(300) }).catch((e) => e);
        const after = Number(/cmdstat_evalsha:calls=(\\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
        out.push({ kind: e.kind, scripts: after - before });
      }
      console.log(JSON.stringify({ out, warnings }));
      redis.disconnect();
      server.close();
    });`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `the process did not end by itself (killed after 60 s): ${r.stdout}${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const { out, warnings } = JSON.parse(r.stdout);
  assert.deepEqual(warnings, []);
  for (const o of out) {
    assert.equal(o.kind, 'aborted');
    assert.ok(o.scripts < 20, `${o.scripts} admission scripts while one call waited 300 ms`);
  }
});

/** A TCP proxy on 127.0.0.1 to the test's Redis that, once armed with a pattern, forwards the
 * next command matching it and then drops the connection before its reply: Redis has run the
 * command, and ioredis (autoResendUnfulfilledCommands, its default) sends it again once it has
 * reconnected. */
async function replyLosingProxy(t) {
  let armed = null;
  const server = net.createServer((c) => {
    const s = net.connect(Number(new URL(redis.url).port), '127.0.0.1');
    let drop = false;
    c.on('data', (d) => {
      if (armed && armed.test(d.toString('latin1'))) [armed, drop] = [null, true];
      s.write(d);
    });
    s.on('data', (d) => (drop ? (c.destroy(), s.destroy()) : c.write(d)));
    for (const x of [c, s]) x.on('error', () => {}).on('close', () => (c.destroy(), s.destroy()));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  return { url: `redis://127.0.0.1:${server.address().port}`, arm: (re) => (armed = re), armed: () => armed !== null };
}

test('a command Redis ran whose reply was lost, sent again by ioredis after it reconnects: an admission takes its place once (not held by nobody for a lease), and a token fetch finds the lock it took its own (not a wait of lockMs)', async (t) => {
  const proxy = await replyLosingProxy(t);
  const [viaProxy, direct] = [await connect('ioredis', proxy.url), await connect('ioredis', redis.url)];
  t.after(viaProxy.close);
  t.after(direct.close);
  const prefix = nextPrefix();
  const [a, b] = [createRedisStore(viaProxy.client, { prefix }), createRedisStore(direct.client, { prefix })];
  const window = { requests: 2, perMs: 60_000 };
  (await a.acquire(window))(); // (the admission script is cached now: it goes as EVALSHA)
  const held = await b.acquire(window); // one of the two places, in flight
  proxy.arm(new RegExp(SCRIPTS[0]));
  const t0 = Date.now();
  const done = await a.acquire(window);
  assert.equal(proxy.armed(), false, 'the reply was lost');
  assert.ok(Date.now() - t0 < 2000, `the admission took ${Date.now() - t0} ms: its first run's place counted as another's`);
  const inspect = await inspector(t);
  assert.equal(await inspect.zcard(`${prefix}:window`), 2, 'one place each');
  done(200, undefined, 0);
  held(200, undefined, 0);
  // the token: the reply that says "you hold the lock" is lost
  proxy.arm(/HMGET/);
  let fetches = 0;
  const t1 = Date.now();
  const token = await a.token(async () => (fetches++, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 }), undefined, undefined, 'http://x bot');
  assert.equal(proxy.armed(), false, 'the reply was lost');
  assert.ok(Date.now() - t1 < 3000, `the token took ${Date.now() - t1} ms: the lock's own holder waited it out`);
  assert.equal(token.access_token, 'tok-1');
  assert.equal(fetches, 1);
});

/** A node-redis client (closed when `t` ends) and a store on it, the client having reported a
 * connection error (ECONNREFUSED 10.9.9.9:7000) that no command has failed with yet. */
async function storeAfterAnError(t) {
  const conn = await connect('node-redis', redis.url);
  t.after(conn.close);
  const { client } = conn;
  const store = createRedisStore(client, { prefix: nextPrefix(), commandTimeout: 500 });
  client.emit('error', Object.assign(new Error('connect ECONNREFUSED 10.9.9.9:7000'), { code: 'ECONNREFUSED' }));
  return { client, store };
}

test("the connection error in a rejection's cause chain is one since Redis last answered: a node-redis cluster or pool, which never says 'ready', does not keep an old one for ever", async (t) => {
  // (a node-redis client stands in for a cluster: an error reported, then recovered from without
  // a 'ready', as a cluster's topology refresh that failed once and then worked)
  const { client, store } = await storeAfterAnError(t);
  const done = await store.acquire({ requests: 10, perMs: 1000 }); // Redis answers
  done(200, undefined, 0);
  await sleep(50);
  await client.close();
  const err = await store.acquire({ requests: 10, perMs: 1000 }).then(() => null, (e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.match(err.message, /The client is closed/);
  assert.equal(err.cause.cause, undefined, `an old error: ${err.cause.cause?.message}`);
});

// ---- behaviour the tests above left open (found by mutation testing the store); with ioredis
// only where the library makes no difference (the scripts and the store's own logic)

/** Redis's clock, in ms, as the scripts read it. */
async function redisNow(r) {
  const [sec, usec] = await r.time();
  return Number(sec) * 1000 + Number(usec) / 1000;
}

test('the documented defaults: a place in flight is leased for 15 s, the token lock held for 10 s, and a command that gets no answer rejects after 5 s', async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const r = await inspector(t);
  const prefix = nextPrefix();
  const store = createRedisStore(conn.client, { prefix });
  const done = await store.acquire({ requests: 5, perMs: 1000 });
  const [[, score], now] = [await r.zrange(`${prefix}:window`, 0, 0, 'WITHSCORES'), await redisNow(r)];
  assert.ok(Number(score) - now > 14_000 && Number(score) - now <= 15_000, `leased for ${Number(score) - now} ms`);
  // (the window and the limit are kept for the lease and perMs after it)
  for (const k of ['window', 'limit']) {
    const ttl = await r.pttl(`${prefix}:${k}`);
    assert.ok(ttl > 15_000 && ttl <= 16_000, `${k} kept for ${ttl} ms`);
  }
  done(200, undefined, 0);
  let answer;
  const got = store.token(() => new Promise((res) => (answer = res)), undefined, undefined, 'h');
  while (!answer) await sleep(5);
  const lock = await r.pttl(`${prefix}:lock`);
  assert.ok(lock > 9000 && lock <= 10_000, `lock for ${lock} ms`);
  answer({ access_token: 'tok', expires_in: 3600 });
  await got;
  // (a client whose commands never answer: the default commandTimeout is all that bounds them)
  const silent = createRedisStore({ isOpen: true, evalSha: () => new Promise(() => {}), eval: () => new Promise(() => {}) }, { prefix: 'glassix:silent' });
  const err = await silent.acquire({ requests: 5, perMs: 1000 }).then(() => null, (e) => e);
  assert.equal(err?.kind, 'network', String(err));
  assert.match(err.message, /failed: no answer within 5000 ms$/);
});

test('a token fetch slower than lockMs keeps its lock, renewed while it runs: the clients waiting for it make no token request of their own', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // the token endpoint answers after four times the lock's expiry
  s.route('POST', '/token/get', (req, res) => setTimeout(() => json(res, 200, { access_token: 'token-slow', token_type: 'bearer', expires_in: 10800 }), 600));
  const all = await stores(t, 'ioredis', 3, { lockMs: 150 });
  await Promise.all(all.map((store, i) => s.client({ store }).tickets.get(i + 1)));
  assert.equal(s.tokenRequests.length, 1, `${s.tokenRequests.length} token requests`);
  assert.ok(s.calls.every((r) => r.headers.authorization === 'Bearer token-slow'));
});

test('the shared token is due for refresh counted from when its fetch started: the time the token request took is not added to its life in Redis', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/token/get', (req, res) => setTimeout(() => json(res, 200, { access_token: 'token-late', token_type: 'bearer', expires_in: 10800 }), 400));
  const all = await stores(t, 'ioredis', 1);
  await s.client({ store: all[0] }).tickets.get(1);
  const due = await (await inspector(t)).pttl(`${all.prefix}:token`);
  // three hours, less the 5-minute margin, less the 400 ms the token request took
  assert.ok(due <= 10_800_000 - 300_000 - 400 && due > 10_800_000 - 300_000 - 3000, String(due));
});

test('a token fetch that fails at the endpoint with a 429, or with an answer that is no token response, fails the clients that waited for it too, with its status, Retry-After and body', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const cases = [
    { answer: (res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '1' }), kind: 'http', status: 429, retryAfter: 1, body: { message: 'slow down' } },
    { answer: (res) => json(res, 200, { message: 'maintenance' }), kind: 'parse' },
  ];
  for (const c of cases) {
    const before = s.tokenRequests.length;
    // (answered after 150 ms: the other two clients wait for this fetch)
    s.route('POST', '/token/get', (req, res) => setTimeout(() => c.answer(res), 150));
    const all = await stores(t, 'ioredis', 3);
    const errs = await Promise.all(all.map((store, i) => s.client({ store, maxRetries: 0 }).tickets.get(i + 1).then(() => null, (e) => e)));
    assert.equal(s.tokenRequests.length - before, 1, `${c.kind}: ${s.tokenRequests.length - before} token requests`);
    for (const [i, e] of errs.entries()) {
      assert.ok(e instanceof GlassixError, `${c.kind}, client ${i}: ${e}`);
      assert.equal(e.message, errs[0].message);
      assert.equal(e.kind, c.kind);
      assert.equal(e.status, c.status);
      assert.equal(e.retryAfter, c.retryAfter);
      if (c.body) assert.deepEqual(e.body, c.body);
    }
  }
  assert.equal(s.calls.length, 0);
});

test('a failed token fetch shares its body only up to 4 KB: past that, the clients that waited get its message, kind and status without it', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const body = { message: 'token service busy', detail: 'x'.repeat(5000) };
  s.route('POST', '/token/get', (req, res) => setTimeout(() => json(res, 503, body), 150));
  const all = await stores(t, 'ioredis', 2);
  const errs = await Promise.all(all.map((store, i) => s.client({ store, maxRetries: 0 }).tickets.get(i + 1).then(() => null, (e) => e)));
  assert.equal(s.tokenRequests.length, 1);
  const [fetched, waited] = errs[0].body ? errs : [errs[1], errs[0]];
  assert.deepEqual(fetched.body, body, 'the fetching client has the whole body');
  assert.equal(waited.message, fetched.message);
  assert.equal(waited.status, 503);
  assert.equal(waited.body, undefined, 'the waiting client gets no body past 4 KB');
  assert.ok((await (await inspector(t)).get(`${all.prefix}:failed`)).length <= 4096 + 64, 'nor does Redis keep it');
});

test('a lock taken for a caller whose signal fired while the token script ran is given back at once, not held for lockMs', async (t) => {
  // the caller gives up while its TOKEN script runs, which takes the lock for it
  const { store, prefix, signal } = await givingUpDuring(t, require('../../redis/lua.cjs').TOKEN);
  let fetched = 0;
  const err = await store.token(async () => (fetched++, { access_token: 'tok', expires_in: 3600 }), undefined, signal, 'h').then(() => null, (e) => e);
  assert.equal(err?.kind, 'aborted', String(err));
  assert.equal(fetched, 0, 'nothing fetched for nobody');
  assert.equal(await (await inspector(t)).exists(`${prefix}:lock`), 0, 'the lock was given back');
});

test('a token response that is not stored (expires_in 0) releases the lock: the next fetch, in this process or another, does not wait out lockMs', async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const prefix = nextPrefix();
  const store = createRedisStore(conn.client, { prefix });
  const got = await store.token(async () => ({ access_token: 'once', expires_in: 0 }), undefined, undefined, 'h');
  assert.equal(got.access_token, 'once');
  const r = await inspector(t);
  assert.equal(await r.exists(`${prefix}:token`), 0, 'not stored');
  assert.equal(await r.exists(`${prefix}:lock`), 0, 'the lock was released');
});

test("a place given back in this process wakes this process's waiters at once, though the window's other places age out only much later", async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const store = createRedisStore(conn.client, { prefix: nextPrefix() });
  const window = { requests: 2, perMs: 60_000 };
  (await store.acquire(window))(200, undefined, 0); // answered: its place counts for a minute
  const unused = await store.acquire(window); // in flight
  const third = store.acquire(window); // waits: the next place ages out in a minute
  await sleep(100);
  unused(); // nothing was sent: the place goes back, and the waiter takes it
  const next = await Promise.race([third, sleep(15_000).then(() => 'still waiting')]);
  assert.equal(typeof next, 'function', String(next));
  next(200, undefined, 0);
});

test("an attempt's end whose report got no answer is sent again once Redis answers, aged from when it was due: its place is not held for the lease", async (t) => {
  const leaseMs = 60_000;
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  // the first DONE gets no answer: it is never sent, as if Redis were away
  let dropped = 0;
  intercept(conn, 'ioredis', require('../../redis/lua.cjs').DONE, (send) => (dropped++ === 0 ? new Promise(() => {}) : send()));
  const prefix = nextPrefix();
  const store = createRedisStore(conn.client, { prefix, commandTimeout: 200, leaseMs });
  const [other] = await stores(t, 'ioredis', 1, { prefix, leaseMs });
  const window = { requests: 1, perMs: 300 };
  const done = await store.acquire(window);
  const r = await inspector(t);
  const at = await redisNow(r);
  done(200, undefined, 0);
  const windowKey = `${prefix}:window`;
  for (let i = 0; i < 40 && (await r.zcount(windowKey, at + 1000, '+inf')) > 0; i++) await sleep(50);
  assert.equal(dropped, 2, 'the report was sent again');
  const [, score] = await r.zrange(windowKey, 0, 0, 'WITHSCORES');
  // (sent again at least commandTimeout after it was due, and aged from when it was due)
  assert.ok(Number(score) >= at && Number(score) < at + 150, `the place ages from ${Number(score) - at} ms after the done`);
  // so another process gets the place once perMs has passed, not after the lease (a minute)
  const next = await Promise.race([other.acquire(window), sleep(leaseMs / 4).then(() => 'hung')]);
  assert.equal(typeof next, 'function');
  next(200, undefined, 0);
});

test('the store leaves no timer behind: a process whose calls are over exits at once, whatever its commandTimeout', () => {
  const code = `
    const { createRedisStore } = require('glassix-wasm/redis');
    const Redis = require('ioredis');
    (async () => {
      const redis = new Redis(${JSON.stringify(redis.url)});
      const store = createRedisStore(redis, { prefix: 'glassix:timers:' + process.pid, commandTimeout: 600000 });
      const token = await store.token(async () => ({ access_token: 'tok', expires_in: 3600 }), undefined, undefined, 'h');
      const done = await store.acquire({ requests: 5, perMs: 100 });
      done(200, undefined, 0);
      await new Promise((r) => setTimeout(r, 200)); // (the report answered)
      redis.disconnect();
      console.log(token.access_token);
    })();`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, `the process did not end by itself (killed after 30 s): ${r.stdout}${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'tok');
});

test("an attempt's done called again does nothing: a done() with no arguments after its answer gives back no place that counts", async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const store = createRedisStore(conn.client, { prefix: nextPrefix() });
  const window = { requests: 1, perMs: 60_000 };
  const done = await store.acquire(window);
  done(200, undefined, 0); // answered: the place counts for a minute
  done(); // (a second call: ignored, not taken for "nothing was sent")
  const next = await Promise.race([store.acquire(window), sleep(500).then(() => 'still waiting')]);
  assert.equal(next, 'still waiting', 'the answered place still counts');
});

test('a token stored with no expiry (expires_in null) comes to the other clients as it was given: expires_in null, not a lifetime the store made up', async (t) => {
  const all = await stores(t, 'ioredis', 2);
  const [a, b] = all;
  const given = { access_token: 'kept-until-401', token_type: 'bearer', expires_in: null };
  assert.deepEqual(await a.token(async () => given, undefined, undefined, 'h'), given);
  assert.deepEqual(await b.token(async () => assert.fail('fetched again'), undefined, undefined, 'h'), given);
});

test("a place ages from its response's headers (the done's ago), not from the done: the window reopens perMs after the headers", async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const prefix = nextPrefix();
  const store = createRedisStore(conn.client, { prefix });
  const done = await store.acquire({ requests: 1, perMs: 60_000 });
  const r = await inspector(t);
  const at = await redisNow(r);
  done(200, undefined, 250); // the headers came 250 ms before the done
  let score;
  for (let i = 0; i < 100 && !(Number(score) < at); i++) [, score] = await r.zrange(`${prefix}:window`, 0, 0, 'WITHSCORES');
  assert.ok(Number(score) <= at - 250 + 150 && Number(score) > at - 250 - 100, `the place ages from ${Number(score) - at} ms from the done`);
});

test("only a 429's Retry-After pauses the fleet: a 503's does not", async (t) => {
  const [a, b] = await stores(t, 'ioredis', 2);
  (await a.acquire(null))(503, 5);
  // (on the same connection, so after that report: a pause it set would hold this for 5 s)
  const next = await Promise.race([a.acquire(null), sleep(1000).then(() => 'paused')]);
  assert.equal(typeof next, 'function', String(next));
  next(200, undefined, 0);
  const other = await Promise.race([b.acquire(null), sleep(1000).then(() => 'paused')]);
  assert.equal(typeof other, 'function', String(other));
  other(200, undefined, 0);
});

test("a connection refused on every address (Node's AggregateError, whose message is empty) says what was refused, and keeps its code", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // a client whose every command fails the way a connection to `localhost` does with both
  // ::1 and 127.0.0.1 refused
  const refused = () => Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:6390'), new Error('connect ECONNREFUSED 127.0.0.1:6390')]), { code: 'ECONNREFUSED' });
  const failing = { isOpen: true, evalSha: async () => Promise.reject(refused()), eval: async () => Promise.reject(refused()) };
  const c = s.client({ store: createRedisStore(failing, { prefix: 'glassix:refused' }), rateLimit: { requests: 10, perMs: 1000 } });
  const err = await c.tickets.get(1).catch((e) => e);
  assert.equal(err.kind, 'network');
  assert.match(err.message, /the Redis store \(prefix "glassix:refused"\) failed: connect ECONNREFUSED ::1:6390; connect ECONNREFUSED 127\.0\.0\.1:6390$/);
  assert.equal(err.cause.cause.code, 'ECONNREFUSED');
  assert.equal(err.cause.cause.name, 'AggregateError');
  assert.equal(s.requests.length, 0);
});

test("the connection error in a rejection's cause chain is one since the client was last ready: an error from before a 'ready' is not reported with a later failure", async (t) => {
  // (an error reported, then a reconnect that worked, with no command in between)
  const { client, store } = await storeAfterAnError(t);
  client.emit('ready');
  await client.close();
  const err = await store.acquire({ requests: 10, perMs: 1000 }).then(() => null, (e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.match(err.message, /The client is closed/);
  assert.equal(err.cause.cause, undefined, `an old error: ${err.cause.cause?.message}`);
});

test("a command that fails with the very error the client reported is in the cause chain once, not as its own cause", async () => {
  const { EventEmitter } = await import('node:events');
  const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  // a node-redis-like client, reconnecting, that rejects its commands with the error it emitted
  const client = Object.assign(new EventEmitter(), { isOpen: true, isReady: false, evalSha: async () => Promise.reject(lost), eval: async () => Promise.reject(lost) });
  client.on('error', () => {});
  const store = createRedisStore(client, { prefix: 'glassix:same-error' });
  client.emit('error', lost);
  const err = await store.acquire({ requests: 10, perMs: 1000 }).then(() => null, (e) => e);
  assert.ok(err instanceof GlassixError, String(err));
  assert.equal(err.message, 'the Redis store (prefix "glassix:same-error") failed: read ECONNRESET (the Redis client is reconnecting)');
  assert.equal(err.cause.code, 'ECONNRESET');
  assert.equal(err.cause.cause, undefined, `the same error again: ${err.cause.cause?.message}`);
});

test('acquire with a signal that has already fired resolves with nothing at once and takes no place', async (t) => {
  const [store] = await stores(t, 'ioredis', 1);
  const window = { requests: 1, perMs: 60_000 };
  assert.equal(await store.acquire(window, AbortSignal.abort()), undefined);
  // the one place of the minute is still there
  const first = await Promise.race([store.acquire(window), sleep(2000).then(() => 'still waiting')]);
  assert.equal(typeof first, 'function', String(first));
  first(200, undefined, 0);
});

test('a place granted to a caller that gave up while the admission script ran goes back at once', async (t) => {
  // the caller gives up while its admission is on the way back
  const { store, prefix, signal } = await givingUpDuring(t, require('../../redis/lua.cjs').ADMIT, { leaseMs: 60_000 });
  assert.equal(await store.acquire({ requests: 1, perMs: 60_000 }, signal), undefined);
  const r = await inspector(t);
  for (let i = 0; i < 40 && (await r.zcard(`${prefix}:window`)) > 0; i++) await sleep(25);
  assert.equal(await r.zcard(`${prefix}:window`), 0, 'the place granted to nobody was given back');
});

test("callers waiting at once in one process are admitted by one script call between them (only the head of the queue asks Redis), and no place is taken for nobody", async (t) => {
  const conn = await connect('ioredis', redis.url);
  t.after(conn.close);
  const lua = require('../../redis/lua.cjs');
  const runs = { ADMIT: 0, CANCEL: 0 };
  for (const name of Object.keys(runs)) intercept(conn, 'ioredis', lua[name], (send) => (runs[name]++, send()));
  const prefix = nextPrefix();
  const store = createRedisStore(conn.client, { prefix });
  const window = { requests: 100, perMs: 60_000 };
  const dones = await Promise.all(Array.from({ length: 20 }, () => store.acquire(window)));
  assert.ok(dones.every((d) => typeof d === 'function'));
  // (the first caller's script is on its way before the other 19 queue: they go in a second)
  assert.ok(runs.ADMIT <= 2, `${runs.ADMIT} admission scripts for 20 callers`);
  assert.equal(runs.CANCEL, 0, 'no place was taken for nobody and given back');
  assert.equal(await (await inspector(t)).zcard(`${prefix}:window`), 20);
  for (const d of dones) d(200, undefined, 0);
});

test("a place in flight longer than perMs still counts in every process: the window is kept while its places are in flight", async (t) => {
  const [a, b] = await stores(t, 'ioredis', 2);
  const window = { requests: 1, perMs: 100 };
  const inFlight = await a.acquire(window);
  await sleep(400); // four windows, no renewal yet (every leaseMs / 3: 5 s)
  const other = await Promise.race([b.acquire(window), sleep(300).then(() => 'waiting')]);
  assert.equal(other, 'waiting', 'another process was admitted while the one place was in flight');
  inFlight(200, undefined, 0);
});

test("a place given back in another process reaches a process waiting on a window whose places are all in flight within a moment, not after the lease", async (t) => {
  const [a, b] = await stores(t, 'ioredis', 2, { leaseMs: 60_000 });
  const window = { requests: 1, perMs: 60_000 };
  const unused = await a.acquire(window); // in flight
  const waiting = b.acquire(window);
  await sleep(100); // b has asked, and waits
  unused(); // nothing was sent: the place goes back
  const next = await Promise.race([waiting, sleep(5000).then(() => 'still waiting')]);
  assert.equal(typeof next, 'function', String(next));
  next(200, undefined, 0);
});

test("a client that waited for one token fetch is not failed by the failure of another, earlier fetch", async (t) => {
  const all = await stores(t, 'ioredis', 1);
  const r = await inspector(t);
  // fetch X failed a moment ago; fetch Y, which this client waits for, ends without a failure
  await r.set(`${all.prefix}:failed`, `X\n${JSON.stringify({ message: 'an earlier fetch failed', kind: 'http', status: 503 })}`, 'PX', 10_000);
  await r.set(`${all.prefix}:lock`, 'Y', 'PX', 200);
  const got = await all[0].token(async () => ({ access_token: 'fresh', expires_in: 3600 }), undefined, undefined, 'h').then((v) => v, (e) => e);
  assert.equal(got?.access_token, 'fresh', String(got));
});

test('a fetch that stalled past lockMs and then fails leaves alone the lock of the fetch that took over, and records no failure for its waiters', async (t) => {
  for (const failure of [new GlassixError('token service busy', { kind: 'http', status: 503 }), new Error("the fetching client's own failure")]) {
    const all = await stores(t, 'ioredis', 2, { lockMs: 300 });
    const [a, b] = all;
    const r = await inspector(t);
    const lockKey = `${all.prefix}:lock`;
    let fail;
    const stalled = a.token(() => new Promise((_, reject) => (fail = reject)), undefined, undefined, 'h').then(() => null, (e) => e);
    while (!fail) await sleep(5);
    await r.del(lockKey); // its lock ran out (as a SIGSTOPped holder's: its renewals fail)
    let finish;
    const fetching = b.token(() => new Promise((res) => (finish = res)), undefined, undefined, 'h');
    while (!finish) await sleep(5);
    const taken = await r.get(lockKey);
    fail(failure);
    assert.equal(await stalled, failure);
    // (a command on a's connection after its release or failure report: Redis has run that)
    (await a.acquire(null))(200, undefined, 0);
    assert.equal(await r.get(lockKey), taken, `${failure.message}: the lock of the fetch in progress is left alone`);
    assert.equal(await r.exists(`${all.prefix}:failed`), 0, `${failure.message}: no failure recorded`);
    finish({ access_token: 'tok', expires_in: 3600 });
    assert.equal((await fetching).access_token, 'tok');
  }
});

test('a node-redis 4 or 5 cluster that is not open is sent nothing either: node-redis 4 would spin for ever on the second command', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const library of ['node-redis 4', 'node-redis 5']) {
    const cluster = (await load(library)).createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] });
    const store = createRedisStore(cluster, { prefix: '{glassix:acme}', commandTimeout: 200 });
    const client = s.client({ store });
    for (let i = 0; i < 2; i++) {
      // (the race only stops a hang)
      const err = await Promise.race([client.tickets.get(1).catch((e) => e), sleep(5000).then(() => 'hung')]);
      assert.ok(err instanceof GlassixError && err.kind === 'network', `${library}, call ${i + 1}: ${err}`);
      assert.match(err.message, /failed: The client is closed \(the Redis client is not connected\)$/);
    }
  }
  assert.equal(s.requests.length, 0);
});

test("an attempt's end recreates a window that expired meanwhile (lost, flushed) with an expiry: no key of the store is kept for ever", async (t) => {
  const all = await stores(t, 'ioredis', 1);
  const [store] = all;
  const r = await inspector(t);
  const window = { requests: 5, perMs: 1000 };
  const done = await store.acquire(window);
  await r.del(`${all.prefix}:window`); // gone while the attempt was in flight
  done(200, undefined, 0);
  // (the report's script recreates the key and sets its expiry at once)
  for (let i = 0; i < 40 && !(await r.exists(`${all.prefix}:window`)); i++) await sleep(25);
  const ttl = await r.pttl(`${all.prefix}:window`);
  assert.ok(ttl > 0 && ttl <= 1000, `the window is kept for ${ttl} ms`);
});
