// The typed boundary: the facade made from the table has real parameter lists, nothing a user
// can reach is a wasm handle, and every GlassixError comes from the one catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import vm from 'node:vm';
import { GlassixClient, GlassixError, startServer } from './helpers/server.mjs';

const table = JSON.parse(readFileSync(new URL('../js/table.json', import.meta.url), 'utf8'));
const newClient = (o) => new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 't', ...o });

test('every row of the table is a method with its real parameter list', () => {
  const c = newClient();
  for (const row of table.rows) {
    const owner = row.group === 'client' ? c : c[row.group];
    const fn = owner[row.name];
    assert.equal(typeof fn, 'function', `${row.group}.${row.name}`);
    assert.equal(fn.length, row.params.length + (row.callOptions ? 1 : 0), `${row.group}.${row.name}.length`);
  }
  // and nothing else: each group's methods are exactly its rows
  for (const g of table.groups.filter((g) => g.name !== 'client')) {
    const names = Object.getOwnPropertyNames(Object.getPrototypeOf(c[g.name])).filter((n) => n !== 'constructor').sort();
    assert.deepEqual(names, table.rows.filter((r) => r.group === g.name).map((r) => r.name).sort(), g.name);
  }
});

test("every row's errors are named after its method (`tickets.get: …`), in every group, as the table has it", async () => {
  const c = newClient();
  for (const row of table.rows) {
    const owner = row.group === 'client' ? c : c[row.group];
    const subject = row.group === 'client' ? row.name : `${row.group}.${row.name}`;
    // no arguments but an unknown per-call option: each call fails before sending anything
    const args = [...row.params.map(() => undefined), ...(row.callOptions ? [{ zzz: 1 }] : [])];
    let error;
    try {
      await owner[row.name](...args);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof GlassixError, `${subject}: ${error}`);
    assert.ok(error.message.startsWith(`${subject}: `), `${subject}: ${error.message}`);
  }
});

test("every method's parameters have the table's names at run time too (toString, a debugger), not the minifier's", () => {
  const c = newClient();
  for (const row of table.rows) {
    const owner = row.group === 'client' ? c : c[row.group];
    const fn = Object.getPrototypeOf(owner)[row.name]; // the method itself
    const names = [...row.params.map((p) => p.name), ...(row.callOptions ? ['options'] : [])];
    assert.match(fn.toString(), new RegExp(`^${row.name}\\(${names.join(',')}\\)\\{`), `${row.group}.${row.name}`);
    // and the bound copy users reach is named and printed as the method
    const reached = owner[row.name];
    assert.equal(reached.name, row.name, `${row.group}.${row.name}.name`);
    assert.equal(String(reached), fn.toString(), `String(${row.group}.${row.name})`);
    assert.equal(inspect(reached), `[Function: ${row.name}]`);
  }
});

test('no wasm handle is reachable: no free(), no __wbg_ptr, nothing that can leave the client half-dead', async () => {
  const c = newClient();
  const seen = [c, ...table.groups.filter((g) => g.name !== 'client').map((g) => c[g.name]), c.tickets.iterate({ since: new Date(0), until: new Date() })];
  for (const o of seen) {
    for (let p = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) {
        // (the build names wasm-bindgen's `__wbg_ptr` `p_`, `__wrap` `w_`, `_wbg_cb_unref` `u_`)
        assert.ok(!['free', '__wbg_ptr', '__destroy_into_raw', 'p_', 'w_', 'u_'].includes(name), `${o.constructor.name} has ${name}`);
      }
    }
    assert.doesNotMatch(inspect(o, { showHidden: true, depth: 4 }), /wbg|free|\b[pwu]_\b/);
  }
  assert.equal(c.tickets.free, undefined);
  await assert.rejects(c.tickets.get('x'), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
});

test('the classes reachable from public objects are made by the client only: `new` on them is refused with a GlassixError', () => {
  const c = newClient();
  const it = c.tickets.iterate({ since: new Date(0), until: new Date() });
  const cases = [...table.groups.filter((g) => g.name !== 'client').map((g) => [c[g.name].constructor, g.class]), [it.constructor, 'TicketIterator']];
  for (const [Class, name] of cases) {
    assert.equal(Class.name, name);
    for (const args of [[], [{}], [c]]) {
      assert.throws(() => new Class(...args), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === `GlassixClient: ${name} is made by the client, not with new`, name);
    }
  }
  // the client's own groups and iterators still work, and another client can be made from one
  assert.equal(inspect(c.tickets), 'Tickets {}');
  assert.equal(typeof it.next, 'function');
  assert.ok(new c.constructor({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'abcdefgh' }).tickets instanceof c.tickets.constructor);
});

test('reading the methods off the prototypes leaves every client whole', async () => {
  const before = newClient();
  for (const g of table.groups.filter((g) => g.name !== 'client')) {
    const proto = Object.getPrototypeOf(before[g.name]);
    for (const row of table.rows.filter((r) => r.group === g.name)) {
      assert.equal(typeof proto[row.name], 'function');
      assert.equal(proto[row.name].length, row.params.length + (row.callOptions ? 1 : 0), `${g.name}.${row.name}`);
    }
    inspect(proto, { getters: true, showHidden: true });
  }
  for (const c of [before, newClient()]) {
    await assert.rejects(c.tickets.get('abc'), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
    await assert.rejects(c.users.getAll([]), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
  }
});

test('constructor options that are not a plain object (a Map, URLSearchParams, an array) are refused as options, not read as the workspace', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const [options, what] of [[new Map([['accessToken', 't']]), 'a Map'], [new URLSearchParams('accessToken=t'), 'a URLSearchParams'], [[], 'an array'], [proxy, 'an unreadable object']]) {
    assert.throws(() => new GlassixClient(options), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && e.message === `GlassixClient: options must be an object, not ${what}`, what);
  }
  // the positional form and plain objects are as before
  assert.equal(JSON.stringify(new GlassixClient('acme', 'key-123', 'secret-456', '1.2', 'api@example.com', 'glassix.com')), '{"baseUrl":"https://acme.glassix.com/api/v1.2"}');
  assert.equal(JSON.stringify(new GlassixClient(Object.assign(Object.create(null), { baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'abcdefgh' }))), '{"baseUrl":"http://127.0.0.1:9/api/v1.2"}');
});

test('glassix-wasm/init: a source it cannot load from is a GlassixError that says what to pass, and a later init() with the bytes still works', async () => {
  const m = await import('../pkg/init.mjs?bad-sources');
  const hint = 'pass init() its URL, bytes, a Response or a Module';
  for (const [source, kind, said] of [
    [123, 'invalid_argument', '123'],
    [null, 'invalid_argument', 'null'],
    [{}, 'invalid_argument', 'an object'],
    [new Response('not wasm'), 'network', null],
    // (a constructed Response has no URL: its status alone, no stray space)
    [new Response('', { status: 404 }), 'network', '404)'],
    [undefined, 'network', null], // in Node, fetch cannot read the file next to the module
  ]) {
    const e = await m.init(source).then(() => null, (x) => x);
    assert.ok(e instanceof m.GlassixError, `${String(source)}: ${e}`);
    assert.equal(e.kind, kind, String(source));
    // (what to pass, when it was given something else)
    assert.ok(e.message.startsWith(`GlassixClient: could not load the .wasm (${said ?? ''}`) && e.message.endsWith(kind === 'invalid_argument' ? `: ${hint})` : ')'), e.message);
    if (kind === 'network' && said === null) assert.ok(e.cause instanceof Error, 'the failure is kept as the cause');
  }
  // a signed URL that is not found: its status and URL, without the query that holds the signature
  const s = await startServer();
  try {
    s.route('GET', /\/x\.wasm$/, (req, res) => res.writeHead(404).end());
    const url = `${s.base.replace(/\/api\/v1\.2$/, '')}/x.wasm`;
    const e = await m.init(`${url}?X-Amz-Signature=SECRETSIGNATURE`).then(() => null, (x) => x);
    assert.equal(e?.message, `GlassixClient: could not load the .wasm (404 ${url})`);
    assert.ok(!JSON.stringify(e).includes('SECRETSIGNATURE') && !inspect(e, { depth: 5 }).includes('SECRETSIGNATURE'));
  } finally {
    s.close();
  }
  await m.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  assert.deepEqual(m.parseWebhook('[{"a":1}]'), [{ a: 1 }]);
});

test('glassix-wasm/init: a promise of a source that rejects (`init(fetch(url))`, the fetch failing) is a GlassixError of kind network with the rejection as its cause, and a later init() works', async () => {
  const m = await import('../pkg/init.mjs?rejected-source');
  const failure = new TypeError('fetch failed');
  const e = await m.init(Promise.reject(failure)).then(() => null, (x) => x);
  assert.ok(e instanceof m.GlassixError, `a GlassixError, not ${e}`);
  assert.equal(e.kind, 'network');
  assert.equal(e.message, 'GlassixClient: could not load the .wasm (fetch failed)');
  assert.equal(e.cause, failure);
  await m.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  assert.ok(new m.GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'abcdefgh' }));
});

test('glassix-wasm/init: a valid wasm that is not this one (it instantiates, then cannot start) is a GlassixError, and a later init() with the real bytes works (README, Browsers: "init() can be called again")', async () => {
  const m = await import('../pkg/init.mjs?foreign-module');
  const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // the smallest valid module: no imports, no exports
  const e = await m.init(empty).then(() => null, (x) => x);
  assert.ok(e instanceof m.GlassixError && e.kind === 'network', String(e));
  await m.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  assert.deepEqual(m.parseWebhook('[{"a":1}]'), [{ a: 1 }]);
});

test("glassix-wasm/init: a compiled module or bytes from another realm are taken (Vercel's edge tooling compiles a `?module` import in the host and hands it into the function's context)", async () => {
  const bytes = readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url));
  const module = vm.runInNewContext('(b) => new WebAssembly.Module(b)')(bytes);
  const buffer = vm.runInNewContext('(b) => new Uint8Array(b).buffer')(bytes);
  assert.ok(!(module instanceof WebAssembly.Module) && !(buffer instanceof ArrayBuffer), 'both are of the other realm');
  for (const [name, source] of [['module', module], ['buffer', buffer]]) {
    const m = await import(`../pkg/init.mjs?other-realm-${name}`);
    await m.init(source);
    assert.deepEqual(m.parseWebhook('[{"a":1}]'), [{ a: 1 }], name);
  }
});

test('the package object carries no symbol-keyed back door (no wasm memory, no handle)', () => {
  assert.deepEqual(Object.getOwnPropertySymbols(GlassixClient), []);
  assert.deepEqual(Object.getOwnPropertyNames(GlassixClient).filter((n) => !['length', 'name', 'prototype'].includes(n)).sort(), ['GlassixClient', 'GlassixError', 'default', 'formatDate', 'parseWebhook', 'verifyWebhook']);
});

test("glassix-wasm/init: init() called twice at once shares one load, the first call's source (README, Browsers): both reject with its failure, and a later init() works", async () => {
  const m = await import('../pkg/init.mjs?twice');
  const bytes = readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url));
  const [a, b] = await Promise.allSettled([m.init(new Uint8Array([0, 97, 115])), m.init(bytes)]);
  assert.equal(a.status, 'rejected');
  assert.equal(b.status, 'rejected');
  assert.equal(a.reason, b.reason, 'the same failure');
  assert.ok(a.reason instanceof m.GlassixError && a.reason.kind === 'network', String(a.reason));
  const [c, d] = await Promise.allSettled([m.init(bytes), m.init(123)]);
  assert.deepEqual([c.status, d.status], ['fulfilled', 'fulfilled'], 'the second shares the first one\'s load, its own source unread');
  assert.deepEqual(m.parseWebhook('[{"a":1}]'), [{ a: 1 }]);
});

test('glassix-wasm/init before init() resolves: real names and statics, and every function refuses with a GlassixError that says what to do', async () => {
  const m = await import('../pkg/init.mjs?before-init'); // a module instance of its own, not initialised
  assert.deepEqual([m.GlassixClient.name, m.GlassixError.name, m.formatDate.name, m.verifyWebhook.name, m.parseWebhook.name], ['GlassixClient', 'GlassixError', 'formatDate', 'verifyWebhook', 'parseWebhook']);
  assert.deepEqual([m.formatDate.length, m.verifyWebhook.length, m.parseWebhook.length], [1, 4, 1]);
  assert.equal(m.GlassixClient.GlassixError, m.GlassixError);
  assert.equal(m.GlassixClient.formatDate, m.formatDate);
  // each names itself, as every message does
  const calls = { formatDate: () => m.formatDate(new Date()), verifyWebhook: () => m.verifyWebhook('{}', {}, 'secret'), parseWebhook: () => m.parseWebhook('[]'), GlassixClient: () => new m.GlassixClient({ workspace: 'a', accessToken: 't' }) };
  for (const [name, f] of Object.entries(calls)) {
    assert.throws(f, (e) => e instanceof m.GlassixError && e.kind === 'invalid_argument' && e.message === `${name}: call \`await init(wasmUrl)\` from glassix-wasm/init before using the client`, name);
  }
  await m.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  assert.deepEqual(m.parseWebhook('[{"a":1}]'), [{ a: 1 }]);
  assert.equal(m.formatDate(Date.UTC(2024, 0, 2, 3, 4, 5, 60)).length, 22);
});

test('the browser entry that cannot load its .wasm fails with a GlassixError of kind network, the failure as its cause', async (t) => {
  const real = globalThis.fetch;
  t.after(() => (globalThis.fetch = real));
  const wasm = new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url).href;
  const cases = [
    [async () => new Response('missing', { status: 404 }), `404 ${wasm}`, undefined],
    [async () => Promise.reject(new TypeError('fetch failed')), `fetch failed ${wasm}`, TypeError],
    // (a 200 that is no wasm, as a host's index.html fallback is: the compile error says why, not
    // the status)
    [async () => new Response(new Uint8Array([0, 97, 115]), { status: 200 }), /^WebAssembly\.\w+\(\): .+ http:|^WebAssembly\.\w+\(\): .+ file:/, WebAssembly.CompileError],
  ];
  for (const [i, [fetch, what, cause]] of cases.entries()) {
    globalThis.fetch = fetch;
    const e = await import(`../pkg/browser.mjs?load-${i}`).then(() => null, (x) => x);
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.kind, 'network');
    if (typeof what === 'string') assert.equal(e.message, `GlassixClient: could not load the .wasm (${what})`);
    else {
      assert.match(e.message.slice('GlassixClient: could not load the .wasm ('.length, -1), what);
      assert.ok(e.message.endsWith(` ${wasm})`), e.message);
      assert.doesNotMatch(e.message, /\(200 /);
    }
    assert.equal(cause ? e.cause instanceof cause : e.cause, cause ? true : undefined, String(e.cause));
  }
});

test('the Node entry that cannot read or compile its .wasm (a bundle that left it behind) fails with a GlassixError of kind network, the failure as its cause', async (t) => {
  const { mkdtempSync, copyFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createRequire } = await import('node:module');
  const dir = mkdtempSync(join(tmpdir(), 'glassix-nowasm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(new URL('../pkg/index.cjs', import.meta.url), join(dir, 'index.cjs'));
  const load = () => {
    try {
      createRequire(join(dir, 'x.js'))('./index.cjs');
    } catch (e) {
      return e;
    }
  };
  const missing = load();
  assert.ok(missing instanceof GlassixError, String(missing));
  assert.equal(missing.kind, 'network');
  assert.equal(missing.message, `GlassixClient: could not load the .wasm (ENOENT: no such file or directory, open '${join(dir, 'glassix_wasm_bg.wasm')}')`);
  assert.equal(missing.cause?.code, 'ENOENT');
  writeFileSync(join(dir, 'glassix_wasm_bg.wasm'), 'not wasm');
  const broken = load();
  assert.ok(broken instanceof GlassixError, String(broken));
  assert.equal(broken.kind, 'network');
  assert.ok(broken.cause instanceof WebAssembly.CompileError, String(broken.cause));
});

test('a GlassixError from any entry is an instance of every entry\'s GlassixError', async () => {
  const init = await import('../pkg/init.mjs');
  await init.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
  const fromInit = (() => {
    try {
      new init.GlassixClient({ workspace: 'a' });
    } catch (e) {
      return e;
    }
  })();
  const fromMain = await newClient().tickets.get(0).catch((e) => e);
  assert.notEqual(init.GlassixError, GlassixError, 'two bundles, two classes');
  for (const e of [fromInit, fromMain]) {
    assert.ok(e instanceof GlassixError && e instanceof init.GlassixError && e instanceof Error, e.message);
  }
  assert.ok(!(new Error('x') instanceof GlassixError));
  assert.ok(!({ kind: 'http' } instanceof init.GlassixError));
  class Mine extends GlassixError {}
  assert.ok(!(fromMain instanceof Mine) && new Mine('m') instanceof GlassixError);
  // a subclass with a check of its own that defers to GlassixError's: still the ordinary check
  // for the subclass (the brand counts for GlassixError itself only)
  class Checked extends GlassixError {
    static [Symbol.hasInstance](v) {
      return super[Symbol.hasInstance](v);
    }
  }
  assert.ok(!(fromMain instanceof Checked) && !(fromInit instanceof Checked) && new Checked('c') instanceof Checked && new Checked('c') instanceof init.GlassixError);
  assert.equal(GlassixError[Symbol.hasInstance].call(undefined, fromMain), false);
  // the ordinary prototype check holds too, and nothing that is not an object passes
  assert.ok(Object.create(GlassixError.prototype) instanceof GlassixError);
  for (const v of [null, undefined, 5, 'x']) assert.ok(!(v instanceof GlassixError));
});

test('util.inspect and JSON.stringify show the API root and the class names, never a credential', () => {
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', apiKey: 'k-secret', apiSecret: 's-secret', userName: 'u' });
  assert.equal(JSON.stringify(c), '{"baseUrl":"http://127.0.0.1:9/api/v1.2"}');
  assert.equal(inspect(c), 'GlassixClient {}');
  assert.equal(inspect(c.tickets), 'Tickets {}');
  assert.doesNotMatch(inspect(c, { showHidden: true, depth: 5 }), /secret/);
});

test('detached methods keep working, as glassix-js closures did', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const { get } = s.client().tickets;
  assert.equal(get.length, 2);
  assert.deepEqual(await get(5), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/5' });
});

test('each message names the method or option it is about', async () => {
  const c = newClient();
  const cases = [
    [() => c.tickets.get(-1), /^tickets\.get: ticketId must be a positive integer, not -1$/],
    [() => c.contacts.setName('x', {}), /^contacts\.setName: contactId must be a GUID, not "x"$/],
    [() => c.users.getAll({ timeout: 0 }), /^users\.getAll: option `timeout` must be a number >= 1 \(or Infinity\)$/],
    [() => c.tickets.addTags(1, [1]), /^tickets\.addTags: tags\[0\] must be a string, not 1$/],
    [() => c.tickets.list({ since: 'yesterday' }), /^tickets\.list: `since` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not "yesterday"$/],
    // both ends of the range are required by the API: a missing one is named before any request
    [() => c.tickets.list({}), /^tickets\.list: `since` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not undefined$/],
    [() => c.tickets.list({ since: new Date(), until: null }), /^tickets\.list: `until` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not null$/],
    [() => c.webhooks.consume(42), /^webhooks\.consume: handler must be a function$/],
    // the body parameter by its name in the method's signature
    [() => c.tickets.pdf(1, 'x'), /^tickets\.pdf: renderOptions must be an object, not "x"$/],
    [() => c.protocols.send([]), /^protocols\.send: message must be an object, not an array$/],
    [() => c.tickets.create(5), /^tickets\.create: payload must be an object, not 5$/],
    [() => c.users.setRoles('admin'), /^users\.setRoles: roles must be an array, not "admin"$/],
    [() => c.users.add([1]), /^users\.add: users\[0\] must be an object, not 1$/],
    [() => c.webhooks.deleteEvents('x'), /^webhooks\.deleteEvents: events must be an array, not "x"$/],
    [() => c.tickets.list({ since: new Date(NaN), until: new Date() }), /^tickets\.list: `since` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not an invalid Date$/],
    // a body JSON cannot write, by the body parameter's name
    [() => c.users.add([{ n: 1n }], { userType: 'AGENT' }), /^users\.add: the users cannot be written as JSON$/],
    [() => c.tickets.pdf(1, { fontSizeInPixels: 1n }), /^tickets\.pdf: the renderOptions cannot be written as JSON$/],
    // header values: strings, numbers and booleans (as axios took them), and the message says so
    [() => c.tickets.get(1, { headers: { 'x-n': null } }), /^tickets\.get: option `headers`: header "x-n" must be a string, number or boolean$/],
    // what a token provider returned, described (a token string itself never is)
    [() => newClient({ accessToken: undefined, getAccessToken: () => ({ token: 'x' }) }).tickets.get(1), /^tickets\.get: no access token: getAccessToken\(\) or the store's token\(\) returned an object, not a token string or an object with an access_token string$/],
    [() => newClient({ accessToken: undefined, getAccessToken: () => '' }).tickets.get(1), /^tickets\.get: no access token: getAccessToken\(\) or the store's token\(\) returned "", not a token string/],
    // an object's own toStringTag is shortened and escaped, never the whole of whatever it holds
    [() => newClient({ accessToken: undefined, getAccessToken: () => ({ get [Symbol.toStringTag]() { return 'eyJ' + 'x'.repeat(60) + '\n'; } }) }).tickets.get(1), /^tickets\.get: no access token: getAccessToken\(\) or the store's token\(\) returned an eyJx{37}\.\.\., not a token string/],
    [() => c.contacts.get({ [Symbol.toStringTag]: 'a\nb' }), /^contacts\.get: contactId must be a GUID, not an a\\x0ab$/],
    // a BigInt (a database driver's BIGINT column) as JS writes it, a Symbol by its kind: both
    // readable, neither "unreadable" (as they were said to be)
    [() => c.tickets.get(10n), /^tickets\.get: ticketId must be a positive integer, not 10n$/],
    [() => c.tickets.get(2n ** 200n), /^tickets\.get: ticketId must be a positive integer, not 1606938044258990275541962092341162602522\.\.\.$/],
    [() => c.tickets.setOwner(1, { nextOwnerUserName: 'a@b.c', x: 3n }), /^tickets\.setOwner: query parameter `x` must be a string, number, boolean or Date, not 3n$/],
    [() => c.tickets.get(Symbol('secret')), /^tickets\.get: ticketId must be a positive integer, not a Symbol$/],
  ];
  for (const [call, message] of cases) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.kind, 'invalid_argument');
    assert.match(e.message, message);
  }
  assert.throws(() => new GlassixClient({ workspace: 'a', accessToken: 't', maxRetries: 1.5 }), /^GlassixError: GlassixClient: option `maxRetries` must be a whole number >= 0$/);
  assert.throws(() => c.tickets.iterate({ since: new Date() }), /^GlassixError: tickets\.iterate: `until` must be a Date or a 'dd\/MM\/yyyy HH:mm:ss:ff' string, not undefined$/);
  assert.throws(() => c.tickets.iterate([]), /^GlassixError: tickets\.iterate: params must be an object like \{ since, until \}$/);
  assert.throws(() => GlassixClient.formatDate('x'), /^GlassixError: formatDate: expected a valid Date or a number of milliseconds, of the years 0 to 9999, not "x"$/);
  assert.throws(() => GlassixClient.verifyWebhook('{}', {}, ''), /^GlassixError: verifyWebhook: apiSecret must be a non-empty string$/);
});

test('a value that throws when looked at (a revoked Proxy) is still described in a GlassixError', async () => {
  const c = newClient();
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const e = await c.contacts.get(proxy).catch((x) => x);
  assert.ok(e instanceof GlassixError, String(e));
  assert.equal(e.kind, 'invalid_argument');
  assert.equal(e.message, 'contacts.get: contactId must be a GUID, not an unreadable object');
});

test('objects that are not plain (a Map, URLSearchParams, Headers, a Date) are refused where a plain object is expected, before any request: their data would be lost', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const cases = [
    [() => c.tickets.create(new Map([['field1', 'x']])), 'tickets.create: payload must be an object, not a Map'],
    [() => c.users.getStatusLogs(new URLSearchParams({ since: 'x' })), 'users.getStatusLogs: params must be an object, not a URLSearchParams'],
    [() => c.users.add([new Map()]), 'users.add: users[0] must be an object, not a Map'],
    [() => c.tickets.get(1, { headers: new Headers({ 'x-a': '1' }) }), 'tickets.get: option `headers` must be an object of header names to values'],
    [() => c.tickets.get(1, new Date()), 'tickets.get: options must be an object like { signal, timeout, maxRetries, headers }'],
    [() => c.tickets.get(1, new Map()), 'tickets.get: options must be an object like { signal, timeout, maxRetries, headers }'],
    // getToken's own: it takes no headers (the token request carries none of the caller's)
    [() => c.getToken('u', 'x'), 'getToken: options must be an object like { signal, timeout, maxRetries }'],
    [() => c.tickets.list(new Map()), 'tickets.list: params must be an object like { since, until }'],
    [() => c.webhooks.consume(() => {}, new Map()), 'webhooks.consume: options must be an object like { signal, timeout, maxRetries, headers, intervalMs, onError }'],
  ];
  for (const [call, message] of cases) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.kind, 'invalid_argument');
    assert.equal(e.message, message);
  }
  assert.throws(() => s.client({ headers: new Headers({ 'x-a': '1' }) }), /^GlassixError: GlassixClient: option `headers` must be an object of header names to values$/);
  for (const [v, message] of [
    [new Blob(['x']), 'tickets.create: payload must be an object, not a Blob'],
    [vm.runInNewContext('new Map([["field1", "x"]])'), 'tickets.create: payload must be an object, not a Map'],
    // (another realm's Date: no iterator, no class of this realm; known by its tag, as README says a Date is refused)
    [vm.runInNewContext('new Date(0)'), 'tickets.create: payload must be an object, not a Date'],
  ]) {
    const e = await c.tickets.create(v).catch((x) => x);
    assert.equal(e.message, message);
  }
  assert.equal(s.requests.length, 0);
  // a class instance (even one naming itself with Symbol.toStringTag), a null-prototype object, a
  // module namespace and another realm's object are plain enough: their own fields are the data
  class Payload {
    constructor() {
      this.field1 = 'from a class';
    }
    get [Symbol.toStringTag]() {
      return 'Payload';
    }
  }
  await c.tickets.create(new Payload());
  await c.tickets.create(Object.assign(Object.create(null), { field1: 'no prototype' }));
  await c.tickets.create(await import('data:text/javascript,export const field1 = "a module";'));
  await c.tickets.create(vm.runInNewContext('({ field1: "another realm" })'));
  assert.deepEqual(s.calls.map((r) => r.body.field1), ['from a class', 'no prototype', 'a module', 'another realm']);
  const fromModule = await import(`data:text/javascript,export const baseUrl = ${JSON.stringify(s.base)}; export const accessToken = "t";`);
  assert.equal(new GlassixClient(fromModule).toJSON().baseUrl, s.base);
});

test("a query key the API requires (the row's `requires`) is refused when missing, null or empty, before any request", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const GUID = '5b3c2f9e-8d7a-4c1b-9e2f-1a2b3c4d5e6f';
  const cases = [
    [() => c.tickets.removeTag(1, {}), 'tickets.removeTag: params.tag'],
    [() => c.tickets.removeTag(1, { tag: null }), 'tickets.removeTag: params.tag'],
    [() => c.tickets.removeTag(1, { tag: '' }), 'tickets.removeTag: params.tag'],
    [() => c.tickets.setOwner(1, { keepCurrentOwnerInConversation: true }), 'tickets.setOwner: params.nextOwnerUserName'],
    [() => c.users.getStatusLogs({ since: new Date(0) }), 'users.getStatusLogs: params.until'],
    [() => c.users.add([{ userName: 'a@b.c' }], { role: 'SystemUser' }), 'users.add: params.userType'],
    [() => c.users.delete({}), 'users.delete: params.userName'],
    [() => c.users.getByUniqueArgument({}), 'users.getByUniqueArgument: params.uniqueArgument'],
    [() => c.users.setRoles(['SystemUser'], {}), 'users.setRoles: params.userName'],
    [() => c.contacts.deleteIdentifier(GUID, {}), 'contacts.deleteIdentifier: params.contactIdentifierId'],
    [() => c.cannedReplies.delete({}), 'cannedReplies.delete: params.cannedReplyId'],
    // the department is the apiKey (glassix-sharp's IsOnlineAsync takes it, and the API needs it)
    [() => c.tenants.isOnline({ protocolType: 'WhatsApp' }), 'tenants.isOnline: params.departmentId'],
  ];
  for (const [call, start] of cases) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
    assert.equal(e.message, `${start} is required by the API`);
  }
  assert.equal(s.requests.length, 0);
  // users.add's role is not required: what the API does without one is not known
  await c.users.add([{ userName: 'a@b.c' }], { userType: 'AGENT' });
  await c.tickets.removeTag(1, { tag: 'VIP' });
  assert.deepEqual(s.calls.map((r) => r.path), ['/api/v1.2/users/add', '/api/v1.2/tickets/removetag/1']);
});

test('an unknown (misspelt) option is refused, by name, before any request', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  assert.throws(() => s.client({ tiemout: 5 }), /^GlassixError: GlassixClient: unknown option `tiemout`$/);
  assert.throws(() => s.client({ rateLimit: { requests: 1, perMs: 10, burst: 2 } }), /^GlassixError: GlassixClient: unknown option `rateLimit\.burst`$/);
  const c = s.client({ store: null, dangerouslyAllowBrowser: false, maxConcurrency: 2 }); // every documented key is known
  for (const [call, message] of [
    [() => c.tickets.get(1, { tiemout: 5 }), 'tickets.get: unknown option `tiemout`'],
    [() => c.tickets.list({ since: new Date(0), until: new Date() }, { retries: 1 }), 'tickets.list: unknown option `retries`'],
  ]) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
    assert.equal(e.message, message);
  }
  assert.equal(s.requests.length, 0);
  await c.tickets.get(1, { signal: new AbortController().signal, timeout: 5000, maxRetries: 0, headers: { 'x-a': '1' } });
  assert.equal(s.calls.length, 1);
  // an option whose getter throws is refused with its error as the cause, not read as "not given"
  const boom = new Error('boom');
  const e = await c.tickets.get(1, { get timeout() { throw boom; } }).catch((x) => x);
  assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
  assert.equal(e.message, 'tickets.get: option `timeout` could not be read (its getter threw)');
  assert.equal(e.cause, boom);
  // a header's getter too: named by its option (it said "the argument cannot be read")
  const header = await c.tickets.get(1, { headers: { get 'x-a'() { throw boom; } } }).catch((x) => x);
  assert.ok(header instanceof GlassixError && header.kind === 'invalid_argument', String(header));
  assert.equal(header.message, 'tickets.get: option `headers` could not be read (its getter threw)');
  assert.equal(header.cause, boom);
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', headers: { get 'x-a'() { throw boom; } } }), (x) => x instanceof GlassixError && x.message === 'GlassixClient: option `headers` could not be read (its getter threw)' && x.cause === boom);
  // a class's getter too (inherited, not an own key): named, not read as "not given"
  class Opts {
    get timeout() {
      throw boom;
    }
  }
  const sent = s.calls.length;
  const inherited = await c.tickets.get(1, new Opts()).catch((x) => x);
  assert.equal(s.calls.length, sent, 'nothing sent');
  assert.ok(inherited instanceof GlassixError && inherited.message === 'tickets.get: option `timeout` could not be read (its getter threw)' && inherited.cause === boom, String(inherited));
  class ClientOpts {
    baseUrl = s.base;
    accessToken = 't';
    get maxConcurrency() {
      throw boom;
    }
  }
  assert.throws(() => new GlassixClient(new ClientOpts()), (x) => x instanceof GlassixError && x.message === 'GlassixClient: option `maxConcurrency` could not be read (its getter threw)' && x.cause === boom);
  // an options object that throws for a key it does not have (a strict Proxy) leaves that option not given
  const strict = new Proxy({ timeout: 5000 }, { get: (o, k) => { if (typeof k == 'string' && !(k in o)) throw new Error(`no ${k}`); return o[k]; } });
  const before = s.calls.length;
  await c.tickets.get(1, strict);
  assert.equal(s.calls.length, before + 1);
  // (not through s.client(), whose spread would call the getter itself)
  assert.throws(() => new GlassixClient({ baseUrl: s.base, get accessToken() { throw boom; } }), (x) => x instanceof GlassixError && x.message === 'GlassixClient: option `accessToken` could not be read (its getter threw)' && x.cause === boom);
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', rateLimit: { requests: 1, get perMs() { throw boom; } } }), /option `rateLimit\.perMs` could not be read/);
  // the same with a store, and for `store` itself
  const store = { token() {}, acquire() {} };
  const unreadable = (name) => (x) => x instanceof GlassixError && x.message === `GlassixClient: option \`${name}\` could not be read (its getter threw)`;
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', get store() { throw boom; } }), unreadable('store'));
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', store, get timeout() { throw boom; } }), unreadable('timeout'));
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', store, rateLimit: { requests: 1, get perMs() { throw boom; } } }), unreadable('rateLimit.perMs'));
  // read once, as without a store: a getter that throws the first time only is still named, and
  // one that throws a GlassixError of its own is named too (its error the cause)
  let reads = 0;
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', store, get timeout() { if (reads++ === 0) throw boom; return 5000; } }), unreadable('timeout'));
  assert.equal(reads, 1);
  const own = new GlassixError('mine');
  assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', store, get headers() { throw own; } }), (x) => unreadable('headers')(x) && x.cause === own);
  // a store that cannot be looked at is not a store
  const { proxy: revokedStore, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const bad of [revokedStore, { get token() { throw boom; }, acquire() {} }, 5]) {
    assert.throws(() => new GlassixClient({ baseUrl: s.base, accessToken: 't', store: bad }), /^GlassixError: GlassixClient: option `store` must be an object with token\(\) and acquire\(\) methods/);
  }
  // the options of webhooks.consume, webhooks.verify and verifyWebhook are held to the same rule
  const h = () => {};
  const consumed = await c.webhooks.consume(h, { intervalMs: 10, onErorr: h }).catch((x) => x);
  assert.ok(consumed instanceof GlassixError && consumed.message === 'webhooks.consume: unknown option `onErorr`', String(consumed));
  assert.throws(() => GlassixClient.verifyWebhook('{}', {}, 'secret', { tolerence: 1000 }), /^GlassixError: verifyWebhook: unknown option `tolerence`$/);
  assert.throws(() => c.webhooks.verify('{}', {}, { toleranceMS: 1000 }), /^GlassixError: webhooks\.verify: unknown option `toleranceMS`$/);
  // `tolerance` (no unit) is not an alias: `{ tolerance: 300 }` meant as seconds would be 300 ms
  assert.throws(() => GlassixClient.verifyWebhook('{}', {}, 'secret', { tolerance: 300 }), /^GlassixError: verifyWebhook: unknown option `tolerance`$/);
  assert.equal(GlassixClient.verifyWebhook('{}', {}, 'secret', { toleranceMs: 1000, now: Date.now() }), false);
  assert.equal(s.calls.length, 2, 'the good call and the strict Proxy one');
});

test('a revoked Proxy as options or payload rejects with a GlassixError: no hang, no uncaught exception', async (t) => {
  const uncaught = [];
  const onUncaught = (e) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  t.after(() => process.off('uncaughtException', onUncaught));
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const c = newClient();
  const within = (p) => Promise.race([p.then(() => 'resolved', (e) => e), new Promise((r) => setTimeout(() => r('hung'), 2000))]);
  for (const [call, message] of [
    [() => c.tickets.get(1, proxy), 'tickets.get: options must be an object like { signal, timeout, maxRetries, headers }'],
    [() => c.tickets.create(proxy), 'tickets.create: payload must be an object, not an unreadable object'],
  ]) {
    const e = await within(call());
    assert.ok(e instanceof GlassixError, String(e));
    assert.equal(e.message, message);
  }
  assert.throws(() => new GlassixClient(proxy), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(uncaught, []);
});

test("the client's own methods can be detached too; a frozen group still works; a subclass's overrides stay in charge", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const { getToken, toJSON } = c;
  assert.equal((await getToken()).access_token, 'token-1');
  assert.deepEqual(toJSON(), { baseUrl: s.base });
  Object.freeze(c.tickets);
  assert.deepEqual(await c.tickets.get(3), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/3' });
  const { get } = c.tickets;
  assert.deepEqual(await get(4), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/4' });
  // a stub assigned the usual way (as tests do) replaces the method, also after it was read
  const stubbed = s.client();
  stubbed.getToken = async () => 'stub';
  stubbed.tickets.get = async () => 'stubbed';
  assert.equal(await stubbed.getToken(), 'stub');
  assert.equal(await stubbed.tickets.get(1), 'stubbed');
  stubbed.tickets.get = async () => 'again';
  assert.equal(await stubbed.tickets.get(1), 'again');
  class Logged extends GlassixClient {
    async getToken(user) {
      const r = await super.getToken(user);
      return { ...r, logged: true };
    }
  }
  const l = new Logged({ baseUrl: s.base, apiKey: 'key-123', apiSecret: 'secret-456', userName: 'u@x.y' });
  assert.equal((await l.getToken()).logged, true);
  assert.equal((await l.getToken()).logged, true, 'the override is still the method after a super call');
});

// Read from the prototype itself (`Tickets.prototype.get`), a method is the plain, unbound one:
// what a spy or a tracing wrapper takes as the original and calls with its own `this`
// (`original.apply(this, args)`), on every client.
test('a method read from the prototype is the unbound one: `.call(group)` and a wrapper put on the prototype reach each client', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const [a, b] = [s.client(), s.client()];
  const Tickets = a.tickets.constructor;
  const original = Tickets.prototype.get;
  assert.equal(original.name, 'get');
  assert.deepEqual(await original.call(b.tickets, 5), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/5' });
  const descriptor = Object.getOwnPropertyDescriptor(Tickets.prototype, 'get');
  const seen = [];
  try {
    Tickets.prototype.get = function (...args) {
      seen.push(args[0]);
      return original.apply(this, args);
    };
    assert.deepEqual(await s.client().tickets.get(6), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/6' });
  } finally {
    Object.defineProperty(Tickets.prototype, 'get', descriptor);
  }
  assert.deepEqual(seen, [6]);
  assert.deepEqual(await a.tickets.get(7), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/7' });
});

test('a fetch that resolves with Response.error() is a network failure (no status), retried like one', async () => {
  let attempts = 0;
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 't', maxRetries: 2, fetch: async () => (attempts++, Response.error()) });
  const e = await c.tickets.get(1).catch((x) => x);
  assert.ok(e instanceof GlassixError, String(e));
  assert.equal(e.kind, 'network');
  assert.equal(e.status, undefined);
  assert.equal(e.message, 'tickets.get: GET /tickets/get/1: network error');
  assert.equal(attempts, 3);
});

test('messages name the argument at fault: next, rawBody; a webhook body that is not events is a parse error', async () => {
  const c = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', apiKey: 'k', apiSecret: 's', userName: 'u' });
  const e = await c.tickets.list({ next: 5 }).catch((x) => x);
  assert.equal(e.message, "tickets.list: `next` must be a page's URL under the client's API root (an iterator's position)");
  assert.equal(e.kind, 'invalid_argument');
  assert.throws(() => c.tickets.iterate({ next: {} }), /^GlassixError: tickets\.iterate: `next` must be a page's URL under the client's API root \(an iterator's position\)$/);
  // only a URL under the API's root: an empty or relative one would send the token elsewhere on the origin
  for (const next of ['', 'tickets/list', 'http://127.0.0.1:9/api/tickets/list', 'https://evil.example/api/v1.2/tickets/list']) {
    assert.throws(() => c.tickets.iterate({ next }), (x) => x instanceof GlassixError && x.kind === 'invalid_argument' && x.message.startsWith("tickets.iterate: `next` must be a page's URL"), next);
  }
  assert.throws(() => c.webhooks.verify(), /^GlassixError: webhooks\.verify: rawBody must be the raw request body/);
  for (const body of ['[1]', '"x"', '[{"a":1},null]', '5']) {
    assert.throws(() => GlassixClient.parseWebhook(body), (x) => x instanceof GlassixError && x.kind === 'parse' && x.message === 'parseWebhook: expected an event object or an array of events', body);
  }
  assert.deepEqual(GlassixClient.parseWebhook('[{"a":1}]'), [{ a: 1 }]);
});

test('the catalog is the only source of messages: every code has text, every text a placeholder the formatter knows', () => {
  for (const [name, text] of table.catalog) {
    assert.ok(text.length > 0, name);
    for (const m of text.matchAll(/\{([^ }][^}]*)\}/g)) assert.ok(['a', 'b', 'a!', 'b!', 'status', 'p'].includes(m[1]), `${name}: ${m[0]}`);
  }
});

test("the runtime's fetch gets the request's parts (no Request made), a caller-supplied fetch one Request per attempt; what the server sees is unchanged", async (t) => {
  // The build answers gloo-net's throwaway `new Request(url)` with `{ url }` (urlProbe) and
  // defers the request it builds to `{ url, init }` (deferRequest): js/exchange.js calls the
  // runtime's `fetch(url, init)`, and makes one `Request` only for a caller-supplied fetch.
  for (const entry of ['index.cjs', 'browser.mjs', 'init.mjs', 'workerd.mjs']) {
    const src = readFileSync(new URL(`../pkg/${entry}`, import.meta.url), 'utf8');
    assert.equal(src.match(/new Request\(/g)?.length, 1, `${entry}: one Request constructor, exchange's for a caller-supplied fetch`);
  }
  const Real = globalThis.Request;
  let made = 0;
  globalThis.Request = class Request extends Real {
    constructor(...a) {
      made++;
      super(...a);
    }
  };
  t.after(() => (globalThis.Request = Real));
  const s = await startServer();
  t.after(() => s.server.close());
  s.route('GET', '/tickets/list', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"tickets":[]}');
  });
  const c = new GlassixClient({ baseUrl: `${s.origin.replace('http', 'HTTP')}/api/v1.2/`, apiKey: 'k', apiSecret: 's', userName: 'u' });
  await c.tickets.get(17);
  await c.tickets.list({ since: '01/01/2024 00:00:00:00', until: '01/01/2024 01:00:00:00' });
  await c.tickets.removeTag(5, { tag: 'a b&c/ü' });
  const seen = s.calls.map((r) => r.url);
  assert.deepEqual(seen.slice(0, 1), ['/api/v1.2/tickets/get/17']);
  assert.match(seen[1], /^\/api\/v1\.2\/tickets\/list\?since=01%2F01%2F2024(\+|%20)00%3A00%3A00%3A00&until=/);
  assert.equal(new URL(seen[2], s.origin).searchParams.get('tag'), 'a b&c/ü');
  assert.equal(new URL(seen[2], s.origin).pathname, '/api/v1.2/tickets/removetag/5');
  assert.equal(made, 0, "the runtime's fetch is handed url and init: no Request made by the client");
  // method, headers and a JSON body arrive as built
  await c.tickets.send(9, { text: 'hé' }, { headers: { 'x-trace': 'abc' } });
  const sent = s.calls.at(-1);
  assert.deepEqual([sent.method, sent.url, sent.headers['content-type'], sent.headers['x-trace'], sent.headers.accept, sent.text], ['POST', '/api/v1.2/tickets/send/9', 'application/json', 'abc', 'application/json, text/plain, */*', '{"text":"hé"}']);
  assert.match(sent.headers.authorization, /^Bearer token-/);
  assert.equal(made, 0);
  // a caller-supplied fetch: one Request per attempt (here the token request and the call)
  const got = [];
  const own = new GlassixClient({ baseUrl: `${s.origin}/api/v1.2`, apiKey: 'k', apiSecret: 's', userName: 'u', fetch: (r) => (got.push(r), fetch(r)) });
  await own.tickets.send(9, { text: 'hé' });
  assert.equal(made, 2);
  assert.ok(got.every((r) => r instanceof Real) && got.length === 2);
  assert.deepEqual(got.map((r) => [r.method, new URL(r.url).pathname]), [['POST', '/api/v1.2/token/get'], ['POST', '/api/v1.2/tickets/send/9']]);
  assert.equal(s.calls.at(-1).text, '{"text":"hé"}');
});

test("a key the API types as a GUID (userId, departmentId) is refused when it is not one, before any request; a GUID in any case goes out", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  const GUID = '5B3C2F9E-8d7a-4c1b-9e2f-1a2b3c4d5e6f';
  const day = { since: '01/01/2026', until: '02/01/2026' };
  const cases = [
    [() => c.users.getStatusLogs({ ...day, userId: 'api@example.com' }), 'users.getStatusLogs: params.userId must be a GUID, not "api@example.com"'],
    [() => c.users.getStatusLogs({ ...day, userId: 5 }), 'users.getStatusLogs: params.userId must be a GUID, not 5'],
    [() => c.users.getStatusLogs({ ...day, userId: '' }), 'users.getStatusLogs: params.userId must be a GUID, not ""'],
    [() => c.tenants.isOnline({ departmentId: `{${GUID}}` }), `tenants.isOnline: params.departmentId must be a GUID, not "{${GUID}}"`],
    [() => c.tickets.setDepartment(1, { departmentId: 'sales' }), 'tickets.setDepartment: payload.departmentId must be a GUID, not "sales"'],
    [() => c.tickets.setDepartment(1, { departmentId: null }), 'tickets.setDepartment: payload.departmentId must be a GUID, not null'],
    [() => c.contacts.get('42'), 'contacts.get: contactId must be a GUID, not "42"'],
  ];
  for (const [call, message] of cases) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof GlassixError && e.kind === 'invalid_argument', String(e));
    assert.equal(e.message, message);
  }
  assert.equal(s.requests.length, 0);
  // left out (undefined, null in the query) is not given
  await c.users.getStatusLogs({ ...day, userId: undefined });
  await c.users.getStatusLogs({ ...day, userId: GUID });
  await c.tenants.isOnline({ departmentId: GUID, protocolType: 'WhatsApp' });
  await c.tickets.setDepartment(1, { departmentId: GUID });
  assert.deepEqual(
    s.calls.map((r) => [r.path, r.query.userId ?? r.query.departmentId ?? r.body?.departmentId]),
    [['/api/v1.2/users/statuslogs', undefined], ['/api/v1.2/users/statuslogs', GUID], ['/api/v1.2/tenants/isonline', GUID], ['/api/v1.2/tickets/setdepartment/1', GUID]],
  );
});

// The package's exports hang on GlassixClient as enumerable properties: TypeScript's and Babel's
// CommonJS interop (`import * as G from 'glassix-wasm'` compiled with esModuleInterop:
// `__importStar` copies the keys a `for…in` lists) and `{ ...require('glassix-wasm') }` see them.
test('the exports on GlassixClient are enumerable: CommonJS interop helpers that copy keys see every one', () => {
  const names = ['GlassixClient', 'default', 'GlassixError', 'formatDate', 'verifyWebhook', 'parseWebhook'];
  assert.deepEqual(Object.keys(GlassixClient).sort(), [...names].sort());
  const copied = {};
  for (const k in GlassixClient) if (k !== 'default') copied[k] = GlassixClient[k];
  assert.equal(copied.GlassixError, GlassixError);
  assert.equal({ ...GlassixClient }.verifyWebhook, GlassixClient.verifyWebhook);
});
