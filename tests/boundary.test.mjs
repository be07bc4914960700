// The typed boundary: the facade made from the table has real parameter lists, nothing a user
// can reach is a wasm handle, and every GlassixError comes from the one catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { GlassixClient, GlassixError, startServer } from './helpers/server.mjs';

const table = JSON.parse(readFileSync(new URL('../js/table.json', import.meta.url), 'utf8'));
const newClient = () => new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 't' });

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

test('no wasm handle is reachable: no free(), no __wbg_ptr, nothing that can leave the client half-dead', async () => {
  const c = newClient();
  const seen = [c, ...table.groups.filter((g) => g.name !== 'client').map((g) => c[g.name]), c.tickets.iterate({ since: new Date(0), until: new Date() })];
  for (const o of seen) {
    for (let p = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) {
        assert.ok(!['free', '__wbg_ptr', '__destroy_into_raw'].includes(name), `${o.constructor.name} has ${name}`);
      }
    }
    assert.doesNotMatch(inspect(o, { showHidden: true, depth: 4 }), /wbg|free/);
  }
  assert.equal(c.tickets.free, undefined);
  await assert.rejects(c.tickets.get('x'), (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
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

test('the package object carries no symbol-keyed back door (no wasm memory, no handle)', () => {
  assert.deepEqual(Object.getOwnPropertySymbols(GlassixClient), []);
  assert.deepEqual(Object.getOwnPropertyNames(GlassixClient).filter((n) => !['length', 'name', 'prototype'].includes(n)).sort(), ['GlassixClient', 'GlassixError', 'default', 'formatDate', 'parseWebhook', 'verifyWebhook']);
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
  assert.throws(() => GlassixClient.formatDate('x'), /^GlassixError: formatDate: expected a valid Date or a number of milliseconds, not "x"$/);
  assert.throws(() => GlassixClient.verifyWebhook('{}', {}, ''), /^GlassixError: verifyWebhook: the API secret is required$/);
});

test('a value that throws when looked at (a revoked Proxy) is still described in a GlassixError', async () => {
  const c = newClient();
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const e = await c.contacts.get(proxy).catch((x) => x);
  assert.ok(e instanceof GlassixError, String(e));
  assert.equal(e.kind, 'invalid_argument');
  assert.equal(e.message, 'contacts.get: contactId must be a GUID, not an object');
});

test('the catalog is the only source of messages: every code has text, every text a placeholder the formatter knows', () => {
  for (const [name, text] of table.catalog) {
    assert.ok(text.length > 0, name);
    for (const m of text.matchAll(/\{([^ }][^}]*)\}/g)) assert.ok(['a', 'b', 'a!', 'b!', 'status', 'p'].includes(m[1]), `${name}: ${m[0]}`);
  }
});
