// Stack traces: a GlassixError's stack is where the caller is (README, Errors: "Stack traces").
// Made in the wasm, an error's own frames are the glue's and the wasm's (`wasm://wasm/…`), which
// say nothing to anyone, and they filled V8's ten frames before any of the caller's. The entries
// give each error the stack of the code that awaited the call (V8's async stack trace) or, for a
// synchronous throw, of the code that called.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, runChild, GlassixClient, GlassixError, CREDS } from './helpers/server.mjs';
import { freePort } from './helpers/redis.mjs';
import { readFileSync } from 'node:fs';

let s;
let c;
before(async () => {
  s = await startServer();
  c = s.client({ maxRetries: 0 });
});
after(() => s.close());

const THIS_FILE = /stacks\.test\.mjs:\d+:\d+/;

/** The frames of `e.stack` (its lines after the message). */
const frames = (e) => e.stack.split('\n').filter((l) => /^\s+at /.test(l));

/** `e`'s stack starts with its name and message and holds none of the package's frames: no
 * wasm, no glue. */
function noPackageFrames(e) {
  assert.ok(e instanceof GlassixError, String(e));
  assert.ok(e.stack.startsWith(`GlassixError: ${e.message}\n`), e.stack);
  for (const f of frames(e)) assert.doesNotMatch(f, /wasm:\/\/|[/\\]pkg[/\\]index\.cjs|\bwasm-function\[/, e.stack);
}

/** What `f` throws (failing the test when it throws nothing). */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail(`${f.name} did not throw`);
}

/** The names of the caller's own functions in `e`'s stack, in order. */
const callers = (e) => frames(e).filter((f) => THIS_FILE.test(f)).map((f) => f.match(/at (?:async )?(?:new )?([\w.<>]+)/)?.[1]);

test('a call that fails is traced to the code that awaited it: `at async yourFunction (file:line)`, the package\'s frames left out, every kind of failure', async (t) => {
  s.route('GET', '/tickets/get/404', (req, res) => json(res, 404, { message: 'Ticket not found' }));
  s.route('GET', '/tickets/get/500', (req, res) => json(res, 500, { message: 'boom' }));
  s.route('GET', '/tickets/get/7', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{not json');
  });
  s.route('GET', '/tickets/get/8', () => {}); // never answers
  const closed = await freePort(); // (nothing listens there any more)
  const unreachable = new GlassixClient({ baseUrl: `http://127.0.0.1:${closed}/api/v1.2`, accessToken: 'tok', maxRetries: 0 });
  const cases = [
    ['http', () => c.tickets.get(404)],
    ['http', () => c.tickets.get(500)],
    ['parse', () => c.tickets.get(7)],
    ['timeout', () => c.tickets.get(8, { timeout: 50 })],
    ['aborted', () => c.tickets.get(8, { signal: AbortSignal.abort() })],
    ['invalid_argument', () => c.tickets.get('abc')],
    ['invalid_argument', () => c.users.add('not an array')],
    ['network', () => unreachable.tickets.get(1)],
    ['network', () => s.client({ baseUrl: `http://127.0.0.1:${closed}/api/v1.2`, maxRetries: 0 }).tickets.get(1)],
  ];
  for (const [kind, call] of cases) {
    async function loadTicket() {
      return await call();
    }
    async function handleRequest() {
      return await loadTicket();
    }
    const e = await handleRequest().then(() => assert.fail('resolved'), (x) => x);
    await t.test(`${kind}: ${e.message}`, () => {
      assert.equal(e.kind, kind);
      noPackageFrames(e);
      assert.deepEqual(callers(e).slice(0, 2), ['loadTicket', 'handleRequest'], e.stack);
    });
  }
});

test('a detached method, a method of the client itself, and an iterator\'s page in `for await` are traced to their callers too', async () => {
  s.route('GET', '/tickets/list', (req, res) => json(res, 503, { message: 'list down' }));
  s.route('POST', /\/token\/get$/, (req, res) => json(res, 401, { message: 'bad credentials' }));
  const { get } = c.tickets;
  async function detached() {
    return await get(404);
  }
  async function token() {
    return await s.client({ maxRetries: 0 }).getToken();
  }
  async function readAll() {
    // eslint-disable-next-line no-unused-vars
    for await (const ticket of c.tickets.iterate({ since: new Date(0), until: new Date() }));
  }
  try {
    for (const [f, name] of [[detached, 'detached'], [token, 'token'], [readAll, 'readAll']]) {
      const e = await f().then(() => assert.fail('resolved'), (x) => x);
      noPackageFrames(e);
      assert.equal(callers(e)[0], name, e.stack);
    }
  } finally {
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [], paging: {} }));
    s.route('POST', /\/token\/get$/, (req, res) => json(res, 200, { access_token: 'token-x', expires_in: 3600 }));
  }
});

test('what is thrown at once (bad constructor options, a bad `iterate`) starts at the caller\'s frame, not in the wasm', () => {
  function makeClient() {
    return new GlassixClient({ workspace: 'acme', apiKey: 'k' });
  }
  function startIterating() {
    return c.tickets.iterate({ since: 5 });
  }
  for (const [f, name] of [[makeClient, 'makeClient'], [startIterating, 'startIterating']]) {
    const e = thrown(f);
    assert.equal(e.kind, 'invalid_argument');
    assert.ok(e.stack.startsWith(`GlassixError: ${e.message}\n`), e.stack);
    assert.doesNotMatch(e.stack, /wasm:\/\/|wasm-function\[/);
    // (the first frame is the method or constructor the caller called, the next the caller)
    assert.equal(callers(e)[0], name, e.stack);
    const at = frames(e).findIndex((l) => THIS_FILE.test(l));
    assert.ok(at === 0 || at === 1, e.stack);
  }
});

test('the free functions (formatDate, verifyWebhook, parseWebhook) throw with the caller\'s frame first, from the package object and its statics alike', () => {
  const { formatDate, verifyWebhook, parseWebhook } = GlassixClient;
  const cases = [
    function formatsABadDate() {
      return formatDate('not a date');
    },
    function verifiesWithoutSecret() {
      return verifyWebhook('{}', {}, '');
    },
    function parsesAnArray() {
      return parseWebhook('[1]');
    },
  ];
  for (const f of cases) {
    const e = thrown(f);
    assert.ok(e instanceof GlassixError, `${f.name} threw`);
    noPackageFrames(e);
    assert.equal(callers(e)[0], f.name, e.stack);
    assert.ok(THIS_FILE.test(frames(e)[0]), e.stack);
  }
  // (still the functions they were: names and lengths)
  assert.deepEqual([formatDate, verifyWebhook, parseWebhook].map((f) => [f.name, f.length]), [['formatDate', 1], ['verifyWebhook', 4], ['parseWebhook', 1]]);
});

test("a GlassixError of the caller's own (a subclass a hook rejects with, a frozen one) keeps its stack, and the call rejects with it, not a TypeError", async () => {
  class QuotaError extends GlassixError {}
  function makeQuota() {
    return new QuotaError('over quota', { kind: 'network' });
  }
  const quota = makeQuota();
  const frozen = Object.freeze(makeQuota());
  // (with an access token the rejection is the caller's error itself; with credentials it is the
  // token request's failure, the cause of the call's)
  for (const [own, token] of [[quota, { accessToken: 'tok' }], [frozen, { accessToken: 'tok' }], [quota, {}]]) {
    const before = own.stack;
    const limited = token.accessToken ? new GlassixClient({ baseUrl: s.base, maxRetries: 0, ...token, rateLimit: async () => Promise.reject(own) }) : s.client({ maxRetries: 0, rateLimit: async () => Promise.reject(own) });
    async function send() {
      return await limited.tickets.get(1);
    }
    const e = await send().then(() => assert.fail('resolved'), (x) => x);
    let found = e;
    while (found && found !== own) found = found.cause;
    assert.equal(found, own, `${e.stack}`);
    assert.equal(own.stack, before);
    assert.match(own.stack, /at makeQuota /);
  }
});

test("one failure handed to several calls (concurrent getToken() of the client's own user) is restacked once, for the first", async () => {
  s.route('POST', /\/token\/get$/, (req, res) => json(res, 401, { message: 'bad credentials' }));
  try {
    const fresh = s.client({ maxRetries: 0 });
    async function first() {
      return await fresh.getToken();
    }
    async function second() {
      return await fresh.getToken();
    }
    const [a, b] = await Promise.all([first().catch((x) => x), second().catch((x) => x)]);
    assert.equal(a, b, 'one failure, the same object');
    assert.deepEqual(callers(a).filter((n) => n === 'first' || n === 'second'), ['first'], a.stack);
  } finally {
    s.route('POST', /\/token\/get$/, (req, res) => json(res, 200, { access_token: 'token-x', expires_in: 3600 }));
  }
});

test('a failed call nobody handles is an unhandled rejection, with hooks or without (it was swallowed when the client had a fetch, rateLimit or getAccessToken)', async () => {
  for (const hooks of ['', 'fetch: (...a) => fetch(...a), rateLimit: async () => {},']) {
    const r = await runChild(
      `let seen = 0;\nprocess.on('unhandledRejection', (e) => { seen++; console.log(e instanceof GlassixClient.GlassixError ? e.kind : String(e)); });\n` +
        `const c = new GlassixClient({ baseUrl: base, accessToken: 'tok', maxRetries: 0, ${hooks} });\nc.tickets.get('not an id');\nsetTimeout(() => console.log('seen', seen), 200);\n`,
      s.base,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'invalid_argument\nseen 1', hooks || 'no hooks');
  }
});

test("a call handled with `.then(…, onRejected)`, not awaited, has no async frame to show: its stack is the message and the runtime's own frames, none of the package's (README)", async () => {
  const e = await new Promise((resolve) => c.tickets.get(404).then(() => resolve(null), resolve));
  noPackageFrames(e);
  assert.deepEqual(callers(e), []);
  // (in Node the task queue's own frame; elsewhere none)
  assert.ok(frames(e).length >= 1, e.stack);
  for (const f of frames(e)) assert.match(f, /\(node:internal\//, e.stack);
});

test("an error of the caller's own that a call passes on as its cause keeps its own stack", async () => {
  class LimiterDown extends Error {}
  function failingLimiter() {
    throw new LimiterDown('limiter down');
  }
  const limited = s.client({ maxRetries: 0, rateLimit: async () => failingLimiter() });
  async function send() {
    return await limited.tickets.get(1);
  }
  const e = await send().then(() => assert.fail('resolved'), (x) => x);
  noPackageFrames(e);
  assert.equal(callers(e)[0], 'send', e.stack);
  let own = e.cause;
  while (own && !(own instanceof LimiterDown)) own = own.cause;
  assert.ok(own, 'the limiter\'s error is in the cause chain');
  assert.match(own.stack, /at failingLimiter /);
});

test('the stack does not change what an error says: message, kind, status, body, cause, and nothing of the credentials', async () => {
  s.route('GET', '/tickets/get/403', (req, res) => json(res, 403, { message: `no access for ${CREDS.apiKey}` }));
  async function forbidden() {
    return await c.tickets.get(403);
  }
  const e = await forbidden().catch((x) => x);
  assert.equal(e.status, 403);
  assert.equal(e.code, 403);
  assert.equal(e.kind, 'http');
  assert.deepEqual(Object.keys(e).sort(), ['body', 'code', 'kind', 'name', 'status']);
  for (const secret of Object.values(CREDS).slice(0, 2)) assert.ok(!e.stack.includes(secret), e.stack);
  assert.ok(e.stack.startsWith(`GlassixError: ${e.message}\n`));
});

test("the package's classes keep their names where V8 prints them: a GlassixClient called without `new`, a method's frame in a cause's stack, in every entry", async () => {
  // (the minifier renamed the classes, and V8 names a class by where it is made, not by its
  // `name` property: `Class constructor Ne cannot be invoked without 'new'`, `at Te.addNote`)
  // (glassix-wasm/init: the browser's build, which Node can load, given the .wasm's bytes)
  const init = await import('../pkg/init.mjs?class-names');
  await init.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  for (const [entry, Client] of [['index.cjs', GlassixClient], ['init.mjs', init.GlassixClient]]) {
    assert.throws(() => Client({ accessToken: 't' }), { name: 'TypeError', message: "Class constructor GlassixClient cannot be invoked without 'new'" }, entry);
    assert.throws(() => Client.GlassixError('x'), { name: 'TypeError', message: "Class constructor GlassixError cannot be invoked without 'new'" }, entry);
    const client = new Client({ baseUrl: s.base, accessToken: 't' });
    assert.throws(() => client.tickets.constructor(), { message: "Class constructor Tickets cannot be invoked without 'new'" }, entry);
    // a payload JSON cannot write: the cause is the TypeError JSON.stringify threw, under the method
    const e = await client.tickets.addNote(1, { text: 'x', n: 1n }).then(() => null, (x) => x);
    assert.equal(e?.kind, 'invalid_argument', entry);
    assert.match(e.cause.stack, /\n\s+at Tickets\.addNote \(/, entry);
    assert.equal(Object.getPrototypeOf(client.tickets.iterate({ since: new Date(0), until: new Date(1) })).constructor.name, 'TicketIterator');
  }
  // the same in the source of every entry, the two the browser and Workers load besides
  for (const entry of ['index.cjs', 'browser.mjs', 'init.mjs', 'workerd.mjs']) {
    const src = readFileSync(new URL(`../pkg/${entry}`, import.meta.url), 'utf8');
    const named = [...src.matchAll(/=class ([A-Z]\w+)/g)].map((m) => m[1]).sort();
    assert.deepEqual(named, ['CannedReplies', 'Contacts', 'Files', 'GlassixClient', 'GlassixError', 'InteractiveDocuments', 'PhoneCalls', 'Protocols', 'Tenants', 'TicketIterator', 'Tickets', 'Users', 'Webhooks'], entry);
  }
});
