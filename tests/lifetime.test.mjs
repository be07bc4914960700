// A client that becomes garbage is collected, with its Rust core, even when a function it was
// given reaches back to it: a multi-tenant server keeps a client per tenant in an LRU cache, and
// each tenant's getAccessToken or fetch is a method of the tenant object that holds the client.
// The wasm holds what it is given for good (its references are roots), so the core holds the
// client's functions only through a WeakRef; a call in flight, or an iterator, keeps them.
// Each case runs in a child process with --expose-gc, against a server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, json } from './helpers/server.mjs';

const PKG = fileURLToPath(new URL('../pkg/index.cjs', import.meta.url));
const STORE = fileURLToPath(new URL('../examples/memory-store.mjs', import.meta.url));

/** Runs `code` (an ES module body) with --expose-gc; resolves with what it printed as JSON. */
function child(code, base) {
  const prelude = `import { createRequire } from 'node:module'; const GlassixClient = createRequire(import.meta.url)(${JSON.stringify(PKG)}); const base = ${JSON.stringify(base)};
const collect = async () => { for (let i = 0; i < 6; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } };\n`;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', prelude + code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

test("clients whose getAccessToken, fetch, rateLimit or store reach back to them (a tenant's methods) are collected once dropped, their cores freed", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const out = await child(
    `
    const { createMemoryStore } = await import(${JSON.stringify(STORE)});
    const gone = { count: 0 };
    const byKind = {};
    const registry = new FinalizationRegistry((kind) => (gone.count++, (byKind[kind] = (byKind[kind] || 0) + 1)));
    class Tenant {
      constructor(kind) {
        const options = { baseUrl: base, maxRetries: 0 };
        if (kind === 'getAccessToken') options.getAccessToken = () => this.token();
        if (kind === 'fetch') Object.assign(options, { accessToken: 'tok', fetch: (request) => this.fetch(request) });
        if (kind === 'rateLimit') Object.assign(options, { accessToken: 'tok', rateLimit: () => this.admit() });
        if (kind === 'store') Object.assign(options, { apiKey: 'k', apiSecret: 's', userName: 'u', store: this.store = createMemoryStore() });
        this.client = new GlassixClient(options);
        registry.register(this, kind);
      }
      token() { return 'tok'; }
      fetch(request) { return fetch(request); }
      async admit() {}
    }
    const kinds = ['getAccessToken', 'fetch', 'rateLimit', 'store'];
    // (each with a call made, then dropped)
    for (let i = 0; i < 200; i++) for (const kind of kinds) await new Tenant(kind).client.tickets.get(1);
    await collect();
    const first = gone.count;
    for (let i = 0; i < 2000; i++) for (const kind of kinds) new Tenant(kind);
    await collect();
    console.log(JSON.stringify({ first, all: gone.count, byKind }));
    `,
    s.base,
  );
  assert.equal(out.first, 800, `the tenants that made a call: ${JSON.stringify(out.byKind)}`);
  assert.equal(out.all, 800 + 8000, 'every tenant');
});

test('a call on a client nobody holds any more still settles with its hooks, whatever the collector does meanwhile; so does an iterator over its pages', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/get/1', (req, res) => setTimeout(() => json(res, 200, { id: 1 }), 300));
  s.route('GET', '/tickets/list', (req, res) => {
    const page = Number(new URL(req.url, 'http://x').searchParams.get('p') || 0);
    setTimeout(() => json(res, 200, { tickets: [{ id: page }], paging: page < 3 ? { next: `${base(req)}/tickets/list?p=${page + 1}` } : null }), 50);
  });
  const base = (req) => `http://${req.headers.host}/api/v1.2`;
  const out = await child(
    `
    const tenant = () => { const t = { token: () => 'tok', fetch: (r) => fetch(r) }; return { getAccessToken: () => t.token(), fetch: (r) => t.fetch(r) }; };
    const pending = new GlassixClient({ baseUrl: base, ...tenant() }).tickets.get(1);
    const ticking = setInterval(() => globalThis.gc(), 5);
    const got = await pending;
    const ids = [];
    for await (const ticket of new GlassixClient({ baseUrl: base, ...tenant() }).tickets.iterate({ since: new Date(Date.now() - 86400000), until: new Date() })) {
      ids.push(ticket.id);
      await collect();
    }
    clearInterval(ticking);
    console.log(JSON.stringify({ got, ids }));
    `,
    s.base,
  );
  assert.deepEqual(out, { got: { id: 1 }, ids: [0, 1, 2, 3] });
});
