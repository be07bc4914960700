// Each call runs in the async context it was made in (Node's AsyncLocalStorage, which
// OpenTelemetry, Sentry and request loggers read): the `fetch` that sends it, a `rateLimit`
// function and `getAccessToken` see the caller's store, also when the call waited for a place or
// a token, or was retried. With wasm-bindgen-futures' executor, every call made in the same turn
// ran in the first one's context (its reaction polled every task woken before it ran), so a
// server's Glassix calls went into another request's trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { GlassixClient, startServer, json } from './helpers/server.mjs';

const als = new AsyncLocalStorage();

/** The test server (tests/helpers/server.mjs, its token endpoint built in) answering
 * `GET …/tickets/get/ID` with `{ id }` after 5 ms, and with a 503 for each id in `fail` the first
 * time. */
async function server(t, fail = []) {
  const s = await startServer();
  t.after(() => s.close());
  const failed = new Set();
  s.route('GET', /\/tickets\/get\/\d+$/, async (req, res, rec) => {
    await new Promise((r) => setTimeout(r, 5));
    const id = Number(rec.path.split('/').pop());
    if (fail.includes(id) && !failed.has(id)) {
      failed.add(id);
      return json(res, 503, {});
    }
    json(res, 200, { id });
  });
  return s;
}

/** Six calls, each made in its own context `ctx<id>`; what `seen` recorded, as `[store, id]`. */
async function sixCalls(client) {
  const ids = [101, 102, 103, 104, 105, 106];
  const got = await Promise.all(ids.map((id) => als.run(`ctx${id}`, () => client.tickets.get(id))));
  assert.deepEqual(got.map((t) => t.id), ids);
}

const spy = (seen) => (request) => {
  const path = new URL(request.url).pathname;
  seen.push([als.getStore(), path.endsWith('/token/get') ? 'token' : Number(path.split('/').pop())]);
  return fetch(request);
};
const misplaced = (seen) => seen.filter(([store, id]) => id !== 'token' && store !== `ctx${id}`);

for (const [name, options] of [
  ['no limit', {}],
  ['maxConcurrency: 1 (each waits for a place)', { maxConcurrency: 1 }],
  ['a rate window (each waits for the window)', { rateLimit: { requests: 2, perMs: 100 } }],
]) {
  test(`${name}: the fetch of every call runs in its caller's context`, async (t) => {
    const seen = [];
    const client = new GlassixClient({ baseUrl: (await server(t)).base, accessToken: 't', fetch: spy(seen), ...options });
    await sixCalls(client);
    assert.equal(seen.length, 6);
    assert.deepEqual(misplaced(seen), []);
  });
}

test("calls woken together by the token another call fetched each go on in their own context; the token request in the first caller's", async (t) => {
  const seen = [];
  const client = (await server(t)).client({ fetch: spy(seen) });
  await sixCalls(client);
  assert.deepEqual(seen[0], ['ctx101', 'token']);
  assert.equal(seen.length, 7);
  assert.deepEqual(misplaced(seen), []);
});

test('a retry after a 503, the global fetch, a rateLimit function and getAccessToken: each in the caller\'s context', async (t) => {
  const { base: baseUrl } = await server(t, [102, 104]);
  const seen = [];
  const limiter = [];
  const tokens = [];
  const original = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    seen.push([als.getStore(), Number(new URL(url).pathname.split('/').pop())]);
    return original(url, init);
  };
  t.after(() => (globalThis.fetch = original));
  const client = new GlassixClient({
    baseUrl,
    maxConcurrency: 2,
    rateLimit: async () => void limiter.push(als.getStore()),
    getAccessToken: async () => {
      tokens.push(als.getStore());
      return 'tok';
    },
  });
  await sixCalls(client);
  assert.equal(seen.length, 8, 'six calls and two retries');
  assert.deepEqual(misplaced(seen), []);
  assert.deepEqual(tokens, ['ctx101'], 'one token, asked for in the context of the call that needed it first');
  assert.equal(limiter.length, 8);
  assert.deepEqual(limiter.filter((s) => !/^ctx10[1-6]$/.test(s)), []);
  assert.deepEqual([...new Set(limiter)].sort(), ['ctx101', 'ctx102', 'ctx103', 'ctx104', 'ctx105', 'ctx106']);
});

test("tickets.iterate's pages and a webhooks.consume handler run in the context they were started in", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [{ id: 1 }], paging: {} }));
  s.route('GET', '/webhooks/getevents', (req, res) => json(res, 200, [{ key: 'k1', queueReceiptHandle: 'h1', queueMessageId: 'm1', changes: [] }]));
  const seen = [];
  const controller = new AbortController();
  const client = new GlassixClient({
    baseUrl: s.base,
    accessToken: 't',
    fetch: (request) => {
      const path = new URL(request.url).pathname.split('/').slice(-2).join('/');
      seen.push([als.getStore(), path]);
      // (consume stops once the handled event is deleted)
      return fetch(request).finally(() => path === 'webhooks/deleteevents' && controller.abort());
    },
  });
  const since = new Date('2025-01-01T00:00:00Z');
  const until = new Date('2025-01-02T00:00:00Z');
  const pages = als.run('iterating', async () => {
    const out = [];
    for await (const ticket of client.tickets.iterate({ since, until })) out.push(ticket.id);
    return out;
  });
  const handled = [];
  const consumed = als.run('consuming', () =>
    client.webhooks.consume(
      async () => void handled.push(als.getStore()),
      { signal: controller.signal, intervalMs: 10 },
    ),
  );
  assert.deepEqual(await pages, [1]);
  await consumed;
  assert.deepEqual(handled, ['consuming']);
  assert.deepEqual(
    seen.map(([store, path]) => `${store} ${path}`).sort(),
    ['consuming webhooks/deleteevents', 'consuming webhooks/getevents', 'iterating tickets/list'],
  );
});
