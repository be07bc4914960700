import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startSandbox, client, fakeClock, WA, formatGlassixDate as formatDate } from './_helpers.mjs';

const GlassixClient = createRequire(import.meta.url)('../../pkg/index.cjs');

const SECOND = '00000000-0000-4000-8000-000000000002';

// Seeded tickets with fixed dates (UTC).
function seedTickets() {
  const t = (id, open, extra = {}) => ({ id, open, participants: [WA(`9725000${id}`)], getAvailableUser: false, ...extra });
  return [
    t(1001, '2024-01-05T10:00:00Z'),
    t(1002, '2024-01-06T10:00:00Z', { state: 'Closed', close: '2024-01-07T10:00:00Z' }),
    t(1003, '2024-01-07T10:00:00Z', { state: 'Pending' }),
    t(1004, '2024-01-08T10:00:00Z'),
    t(1005, '2024-01-09T10:00:00Z', { state: 'Snoozed' }),
    t(1006, '2024-01-10T10:00:00Z'),
    t(1007, '2024-01-11T10:00:00Z', { state: 'Closed', close: '2024-01-12T00:00:00Z' }),
    // opened in December, active in January
    t(1008, '2023-12-20T10:00:00Z', { lastActivity: '2024-01-15T09:00:00Z' }),
    // opened in December, closed in January
    t(1009, '2023-12-21T10:00:00Z', { state: 'Closed', close: '2024-01-02T00:00:00Z' }),
    // entirely in December
    t(1010, '2023-12-01T10:00:00Z', { lastActivity: '2023-12-02T10:00:00Z' }),
    // March
    t(1011, '2024-03-01T10:00:00Z'),
    // other department
    t(1012, '2024-01-05T11:00:00Z', { departmentId: 'Sales' }),
  ];
}

const JAN = { since: '01/01/2024 00:00:00:00', until: '31/01/2024 23:59:59:99' };

async function collect(call, query) {
  const pages = [];
  let r = await call('GET', '/tickets/list', { query });
  for (;;) {
    assert.equal(r.status, 200, r.text);
    pages.push(r.json);
    if (!r.json.paging.next) break;
    r = await call('GET', r.json.paging.next);
  }
  return pages;
}

describe('tickets/list', () => {
  let sb; let call; let now;
  before(async () => {
    now = fakeClock(Date.UTC(2024, 5, 1));
    sb = await startSandbox({ pageSize: 3, now, seed: { tickets: seedTickets(), departments: [{ name: 'Support' }, { id: SECOND, name: 'Sales' }] } });
    call = client(sb);
  });
  after(() => sb.close());

  test('since/until are required and must use dd/MM/yyyy HH:mm:ss:ff', async () => {
    for (const query of [
      {}, { since: JAN.since }, { until: JAN.until },
      { since: '2024-01-01T00:00:00Z', until: JAN.until },
      { since: '01/01/2024 00:00:00', until: JAN.until },
      { since: '01/01/2024 00:00:00.00', until: JAN.until },
      { since: '32/01/2024 00:00:00:00', until: JAN.until },
      { since: '01/13/2024 00:00:00:00', until: JAN.until },
      { since: JAN.until, until: JAN.since },
    ]) {
      const r = await call('GET', '/tickets/list', { query });
      assert.equal(r.status, 400, JSON.stringify(query));
      assert.equal(typeof r.json.message, 'string');
    }
  });

  test('the window may not exceed one calendar month', async () => {
    let r = await call('GET', '/tickets/list', { query: { since: '01/01/2024 00:00:00:00', until: '01/02/2024 00:00:00:00' } });
    assert.equal(r.status, 200, 'exactly one month is allowed');
    r = await call('GET', '/tickets/list', { query: { since: '01/01/2024 00:00:00:00', until: '01/02/2024 00:00:00:01' } });
    assert.equal(r.status, 400);
    assert.match(r.json.message, /month/);
    // 31 Jan + 1 month = 29 Feb (2024 is a leap year)
    r = await call('GET', '/tickets/list', { query: { since: '31/01/2024 00:00:00:00', until: '29/02/2024 00:00:00:00' } });
    assert.equal(r.status, 200);
    r = await call('GET', '/tickets/list', { query: { since: '31/01/2024 00:00:00:00', until: '01/03/2024 00:00:00:00' } });
    assert.equal(r.status, 400);
    r = await call('GET', '/tickets/list', { query: { since: '15/02/2024 12:00:00:00', until: '15/03/2024 12:00:00:00' } });
    assert.equal(r.status, 200);
  });

  test('activity window: open, close or lastActivity inside [since, until]; paging across several pages', async () => {
    const pages = await collect(call, JAN);
    assert.deepEqual(pages.map((p) => p.tickets.length), [3, 3, 3]);
    const ids = pages.flatMap((p) => p.tickets.map((t) => t.id));
    assert.deepEqual(ids, [1007, 1006, 1005, 1004, 1003, 1002, 1001, 1009, 1008], 'by default (ASC) newest first, as the docs say');
    assert.deepEqual(pages.at(-1).paging, {});
    for (const p of pages) for (const t of p.tickets) assert.equal(t.transactions, undefined, 'list omits transactions');
    const next = pages[0].paging.next;
    assert.ok(next.startsWith(`${sb.baseUrl}/tickets/list?page=`), next);
    assert.equal(new URL(next).searchParams.size, 1);
  });

  test('the documented order: ASC newest to oldest opened, DESC oldest to newest; the state filter (comma-separated list)', async () => {
    const OLDEST_FIRST = [1008, 1009, 1001, 1002, 1003, 1004, 1005, 1006, 1007];
    let pages = await collect(call, { ...JAN, sortOrder: 'DESC' });
    assert.deepEqual(pages.flatMap((p) => p.tickets.map((t) => t.id)), OLDEST_FIRST);
    pages = await collect(call, { ...JAN, sortOrder: 'ASC' });
    assert.deepEqual(pages.flatMap((p) => p.tickets.map((t) => t.id)), [...OLDEST_FIRST].reverse());
    pages = await collect(call, { ...JAN, ticketState: 'Closed,Pending' });
    assert.deepEqual(pages.flatMap((p) => p.tickets.map((t) => t.id)), [1007, 1003, 1002, 1009]);
    pages = await collect(call, { ...JAN, ticketState: 'Snoozed' });
    assert.deepEqual(pages.flatMap((p) => p.tickets.map((t) => t.id)), [1005]);
    assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, ticketState: 'Open,Asleep' } })).status, 400);
    assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, sortOrder: 'UP' } })).status, 400);
    // C# sends Ascending/Descending
    assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, sortOrder: 'Descending' } })).status, 200);
  });

  test('empty result has no next link', async () => {
    const r = await call('GET', '/tickets/list', { query: { since: '01/05/2024 00:00:00:00', until: '31/05/2024 00:00:00:00' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { tickets: [], paging: {} });
  });

  test('next + any extra query parameter → 400; tampered token → 400', async () => {
    const first = await call('GET', '/tickets/list', { query: JAN });
    const next = first.json.paging.next;
    let r = await call('GET', `${next}&since=${encodeURIComponent(JAN.since)}`);
    assert.equal(r.status, 400);
    assert.match(r.json.message, /page/);
    r = await call('GET', `${next}&foo=`);
    assert.equal(r.status, 400);
    r = await call('GET', `${sb.baseUrl}/tickets/list?page=bm9wZTox`);
    assert.equal(r.status, 400);
    r = await call('GET', `${sb.baseUrl}/tickets/list?page=`);
    assert.equal(r.status, 400);
    // still works verbatim afterwards
    r = await call('GET', next);
    assert.equal(r.status, 200);
    assert.equal(r.json.tickets.length, 3);
  });

  test('a page token is bound to the department and expires after 24 h', async () => {
    const first = await call('GET', '/tickets/list', { query: JAN });
    const other = client(sb, sb.issueToken(undefined, SECOND));
    assert.equal((await other('GET', first.json.paging.next)).status, 400);
    now.advance(24 * 3600 * 1000 + 1);
    try {
      const r = await client(sb)('GET', first.json.paging.next);
      assert.equal(r.status, 400);
    } finally {
      now.set(Date.UTC(2024, 5, 1));
    }
  });

  test('the second department only lists its own tickets', async () => {
    const other = client(sb, sb.issueToken(undefined, SECOND));
    const r = await other('GET', '/tickets/list', { query: JAN });
    assert.deepEqual(r.json.tickets.map((t) => t.id), [1012]);
  });

  test('the query-string date format round-trips with formatGlassixDate', async () => {
    const since = formatDate(new Date(Date.UTC(2024, 2, 1)));
    assert.equal(since, '01/03/2024 00:00:00:00');
    const r = await call('GET', '/tickets/list', { query: { since, until: formatDate(new Date(Date.UTC(2024, 2, 31, 23, 59, 59, 990))) } });
    assert.deepEqual(r.json.tickets.map((t) => t.id), [1011]);
  });
});

describe('tickets/list default page size', () => {
  test('at most 100 tickets per page', async () => {
    const tickets = [];
    for (let i = 0; i < 205; i += 1) {
      tickets.push({ participants: [WA(`1555${String(i).padStart(6, '0')}`)], open: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), getAvailableUser: false });
    }
    const sb = await startSandbox({ seed: { tickets } });
    try {
      const call = client(sb);
      const pages = await collect(call, JAN);
      assert.deepEqual(pages.map((p) => p.tickets.length), [100, 100, 5]);
      const ids = pages.flatMap((p) => p.tickets.map((t) => t.id));
      assert.equal(new Set(ids).size, 205);
    } finally {
      await sb.close();
    }
  });

  test('tickets created through the API with past dates are listed', async () => {
    const sb = await startSandbox();
    try {
      const call = client(sb);
      const a = await call('POST', '/tickets/create', { body: { participants: [WA()], open: '2023-07-10T08:00:00Z' } });
      assert.equal(a.status, 200);
      const r = await call('GET', '/tickets/list', { query: { since: '01/07/2023 00:00:00:00', until: '31/07/2023 00:00:00:00' } });
      assert.deepEqual(r.json.tickets.map((t) => t.id), [a.json.id]);
    } finally {
      await sb.close();
    }
  });
});

describe('tickets/list at the host the caller used', () => {
  test('paging.next points at the Host the request was made to (localhost or 127.0.0.1), and the client reads every page through it', async () => {
    const sb = await startSandbox({ pageSize: 3, now: fakeClock(Date.UTC(2024, 5, 1)), seed: { tickets: seedTickets(), departments: [{ name: 'Support' }, { id: SECOND, name: 'Sales' }] } });
    try {
      const token = sb.issueToken();
      // (every request goes to 127.0.0.1; only its Host header names the host the caller used)
      const get = (path, host) => new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: sb.port, path, headers: { host, authorization: `Bearer ${token}` } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => { text += d; });
          res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
        }).on('error', reject);
      });
      const query = `since=${encodeURIComponent(JAN.since)}&until=${encodeURIComponent(JAN.until)}`;
      for (const host of [`localhost:${sb.port}`, `127.0.0.1:${sb.port}`, `LocalHost:${sb.port}`]) {
        const first = await get(`/api/v1.2/tickets/list?${query}`, host);
        assert.equal(first.status, 200);
        assert.ok(first.json.paging.next.startsWith(`http://${host.toLowerCase()}/api/v1.2/tickets/list?page=`), first.json.paging.next);
        const next = new URL(first.json.paging.next);
        assert.equal((await get(next.pathname + next.search, host)).status, 200);
      }
      // a Host that is no host name is refused (a guard against DNS rebinding: see security.test.mjs)
      const odd = await get(`/api/v1.2/tickets/list?${query}`, 'exa mple/../');
      assert.equal(odd.status, 403);
      // the client with a localhost root follows paging.next (it was refused as out of the API
      // root when the sandbox answered with 127.0.0.1); its fetch sends to 127.0.0.1 as localhost
      const viaLocalhost = (request) => new Promise((resolve, reject) => {
        const url = new URL(request.url);
        const headers = Object.fromEntries(request.headers);
        http.get({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, headers: { ...headers, host: url.host } }, (res) => {
          const chunks = [];
          res.on('data', (d) => chunks.push(d));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: res.headers })));
        }).on('error', reject);
      });
      const c = new GlassixClient({ ...sb.credentials, baseUrl: `http://localhost:${sb.port}/api/v1.2`, fetch: viaLocalhost, accessToken: token });
      const ids = [];
      for await (const t of c.tickets.iterate({ since: new Date(Date.UTC(2024, 0, 1)), until: new Date(Date.UTC(2024, 0, 31, 23, 59, 59, 990)) })) ids.push(t.id);
      assert.ok(ids.length > 3, `${ids.length} tickets over more than one page`);
    } finally {
      await sb.close();
    }
  });
});
