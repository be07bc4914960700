// tickets.iterate / tickets.list against a paging server: `paging.next` followed verbatim (no
// params added), lazily (a page only when the previous one is used up), never to another origin;
// Date ranges longer than a month split into contiguous month windows with no ticket repeated.
import { test } from 'node:test';
import { inspect } from 'node:util';
import assert from 'node:assert/strict';
import { startServer, json, GlassixClient, GlassixError } from './helpers/server.mjs';
import { rejects, sleep } from './helpers/faults.mjs';

async function setup(t) {
  const s = await startServer();
  t.after(() => s.close());
  return s;
}

const LIST = '/api/v1.2/tickets/list';
const listCalls = (s) => s.calls.filter((r) => r.path === LIST);
const ticket = (id) => ({ id, field1: `ticket ${id}`, state: 'Open' });

/** Page tokens like Glassix's opaque base64 ones, some raw (+ / =) and some percent-encoded. */
const token = (i) => (i % 2 ? `eyJwIjo${i}+a/b${'='.repeat(i % 3)}` : `eyJwIjo${i}%2Ba%2Fb%3D%3D`);

/**
 * Serves `pages` (arrays of tickets) as one paged list: the first request is page 0, and each
 * page's `paging.next` is `${origin}${LIST}?page=<token>`. Returns the list of next URLs handed out.
 */
function servePages(s, pages, nextOrigin = s.origin) {
  const handed = [];
  s.route('GET', '/tickets/list', (req, res, rec) => {
    const raw = /[?&]page=([^&]*)/.exec(rec.url);
    const i = raw ? pages.findIndex((_, k) => k > 0 && token(k) === raw[1]) : 0;
    if (i < 0) return json(res, 400, { message: `unknown page ${rec.url}` });
    const next = i + 1 < pages.length ? `${nextOrigin}${LIST}?page=${token(i + 1)}` : undefined;
    if (next) handed.push(next);
    json(res, 200, { tickets: pages[i], paging: next ? { next } : {} });
  });
  return handed;
}

const PARAMS = { since: '01/01/2024 00:00:00:00', until: '20/01/2024 00:00:00:00' };

test('25 pages: each next URL is requested exactly as given, with nothing added; every ticket once, in order', async (t) => {
  const s = await setup(t);
  const pages = Array.from({ length: 25 }, (_, p) => Array.from({ length: 4 }, (_, k) => ticket(p * 4 + k + 1)));
  const handed = servePages(s, pages);
  const client = s.client();
  const it = client.tickets.iterate(PARAMS)[Symbol.asyncIterator]();
  const got = [];
  for (let p = 0; p < 25; p++) {
    for (let k = 0; k < 4; k++) {
      const { value, done } = await it.next();
      assert.equal(done, false);
      got.push(value);
      assert.equal(listCalls(s).length, p + 1, `after ticket ${k + 1} of page ${p + 1}: only ${p + 1} pages fetched`);
    }
  }
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  assert.deepEqual(got, pages.flat());
  const calls = listCalls(s);
  assert.equal(calls.length, 25);
  assert.deepEqual(calls[0].query, PARAMS, 'the first request carries the caller\'s params');
  assert.equal(handed.length, 24);
  for (let i = 1; i < 25; i++) {
    assert.equal(s.origin + calls[i].url, handed[i - 1], `request ${i + 1} is the previous paging.next verbatim`);
    assert.deepEqual(Object.keys(calls[i].query), ['page'], 'no params added to a next URL');
    assert.match(calls[i].headers.authorization, /^Bearer /);
  }
});

test('position is the URL of the page the last ticket came from; iterate({ next: position }) reads on from that page', async (t) => {
  const s = await setup(t);
  const pages = Array.from({ length: 5 }, (_, p) => Array.from({ length: 3 }, (_, k) => ticket(p * 3 + k + 1)));
  const handed = servePages(s, pages);
  const client = s.client();
  const it = client.tickets.iterate(PARAMS);
  assert.equal(it.position, undefined, 'nothing handed out yet');
  const positions = [];
  for (let i = 0; i < 8; i++) {
    await it.next();
    positions.push(it.position);
  }
  const first = `${s.base}/tickets/list?since=${encodeURIComponent(PARAMS.since)}&until=${encodeURIComponent(PARAMS.until)}`;
  assert.equal(positions[0], first, 'the first page: the window\'s own URL');
  const page = (k) => `${s.origin}${LIST}?page=${token(k)}`;
  assert.deepEqual(handed.slice(0, 2), [page(1), page(2)]);
  assert.deepEqual(positions, [first, first, first, page(1), page(1), page(1), page(2), page(2)]);
  await it.return();
  // a second iterator (a resumed run) reads page 3 again, then pages 4 and 5, and nothing before
  const before = listCalls(s).length;
  const again = [];
  const resumed = client.tickets.iterate({ next: positions.at(-1) });
  for await (const tk of resumed) again.push(tk.id);
  assert.deepEqual(again, [7, 8, 9, 10, 11, 12, 13, 14, 15]);
  assert.deepEqual(listCalls(s).slice(before).map((r) => s.origin + r.url), [page(2), page(3), page(4)]);
  assert.deepEqual(await client.tickets.list({ next: first }), pages.flat(), 'list takes it too');
  // only a URL under the client's own API root: the caller's input, refused before any request
  const e = await client.tickets.list({ next: 'http://127.0.0.2:9/api/v1.2/tickets/list?page=x' }).catch((x) => x);
  assert.equal(e.kind, 'invalid_argument');
  assert.match(e.message, /`next` must be a page's URL/);
});

test('tickets.list follows all 25 pages (no cap) and returns one array', async (t) => {
  const s = await setup(t);
  const pages = Array.from({ length: 25 }, (_, p) => Array.from({ length: 100 }, (_, k) => ticket(p * 100 + k + 1)));
  const handed = servePages(s, pages);
  const all = await s.client().tickets.list(PARAMS);
  assert.ok(Array.isArray(all));
  assert.equal(all.length, 2500);
  assert.deepEqual(all, pages.flat());
  const calls = listCalls(s);
  assert.equal(calls.length, 25);
  calls.slice(1).forEach((r, i) => assert.equal(s.origin + r.url, handed[i]));
});

test('iterate is lazy: nothing is fetched before the first next(), and break after page 1 fetches only page 1', async (t) => {
  const s = await setup(t);
  const pages = [[ticket(1), ticket(2), ticket(3)], [ticket(4), ticket(5)], [ticket(6)]];
  servePages(s, pages);
  const client = s.client();
  const iterable = client.tickets.iterate(PARAMS);
  await sleep(50);
  assert.equal(listCalls(s).length, 0, 'iterate() itself sends nothing');
  const got = [];
  for await (const tk of iterable) {
    got.push(tk.id);
    if (got.length === pages[0].length) break;
  }
  assert.deepEqual(got, [1, 2, 3]);
  await sleep(100);
  assert.equal(listCalls(s).length, 1, 'only the first page was fetched');
});

test("return() by hand while a next() is pending: done at once, no further page; the page under way ends on its own and that next() resolves done; the signal cuts it short (README)", async (t) => {
  const s = await setup(t);
  let answer = null;
  s.route('GET', '/tickets/list', (req, res, rec) => {
    const page = rec.query.page ? [ticket(9)] : [ticket(1), ticket(2)];
    const reply = () => json(res, 200, { tickets: page, paging: { next: `${s.origin}${LIST}?page=p${listCalls(s).length}` } });
    // (a followed page is held until the test answers it)
    if (rec.query.page) answer = reply;
    else reply();
  });
  const client = s.client();
  const it = client.tickets.iterate(PARAMS);
  assert.deepEqual(await it.next(), { value: ticket(1), done: false });
  assert.deepEqual(await it.next(), { value: ticket(2), done: false });
  const pending = it.next(); // page 2 is requested and held by the server
  while (!answer) await sleep(5);
  assert.deepEqual(await it.return('r'), { value: 'r', done: true });
  const after = it.next(); // (queued behind the pending one, as every next() is)
  answer();
  // (the page came in after return(): it is not handed out, and its paging.next is not followed)
  assert.deepEqual(await pending, { value: undefined, done: true });
  assert.deepEqual(await after, { value: undefined, done: true }, 'done from here on');
  await sleep(100);
  assert.equal(listCalls(s).length, 2, 'no page after the one under way');

  // with a signal, the page under way is cut short
  answer = null;
  const ctl = new AbortController();
  const cut = client.tickets.iterate(PARAMS, { signal: ctl.signal, timeout: 10_000 });
  await cut.next();
  await cut.next();
  const held = cut.next();
  while (!answer) await sleep(5);
  await cut.return();
  const at = Date.now();
  ctl.abort();
  await rejects(held, { kind: 'aborted' });
  assert.ok(Date.now() - at < 300, 'at once');
});

test('an empty list: one request, no tickets', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [], paging: {} }));
  const client = s.client();
  const got = [];
  for await (const tk of client.tickets.iterate(PARAMS)) got.push(tk);
  assert.deepEqual(got, []);
  assert.deepEqual(await client.tickets.list(PARAMS), []);
  assert.equal(listCalls(s).length, 2);
});

test('a paging.next on another origin is refused: list rejects and the other server receives nothing', async (t) => {
  const s = await setup(t);
  const other = await startServer();
  t.after(() => other.close());
  servePages(s, [[ticket(1), ticket(2)], [ticket(3)]], other.origin);
  const client = s.client();
  await rejects(client.tickets.list(PARAMS));
  const got = [];
  const err = await rejects(
    (async () => {
      for await (const tk of client.tickets.iterate(PARAMS)) got.push(tk.id);
    })(),
  );
  assert.ok(err instanceof GlassixError);
  assert.deepEqual(got, [1, 2], 'the first page is yielded before the refusal');
  await sleep(100);
  assert.equal(other.requests.length, 0, 'nothing at all reached the other origin');
  assert.equal(listCalls(s).length, 2, 'only the two first pages were requested');
});

test('paging.next with the same host but another scheme or host name is refused too', async (t) => {
  const s = await setup(t);
  const port = new URL(s.origin).port;
  for (const next of [`https://127.0.0.1:${port}${LIST}?page=x`, `http://localhost:${port}${LIST}?page=x`]) {
    s.route('GET', '/tickets/list', (req, res, rec) =>
      json(res, 200, rec.query.page ? { tickets: [ticket(9)], paging: {} } : { tickets: [ticket(1)], paging: { next } }),
    );
    const n = listCalls(s).length;
    await rejects(s.client().tickets.list(PARAMS));
    assert.equal(listCalls(s).length, n + 1, `${next} was not followed`);
  }
});

test('a paging.next out of the API root on the same origin is not followed either: the token goes only under the root, and the error says why without saying where it pointed (a server could put the token there)', async (t) => {
  const s = await setup(t);
  s.route('GET', '/other/path', (req, res) => json(res, 200, { tickets: [ticket(8)], paging: {} }));
  s.route('GET', '/v1.3/tickets/list', (req, res) => json(res, 200, { tickets: [ticket(8)], paging: {} }));
  for (const next of ['/other/path?page=2', '/api/v1.3/tickets/list?page=2', `${LIST}/../../../other/path`, `${LIST}/%2e%2e/%2e%2e/%2e%2e/other/path`, '/relay/token-1', 'http://token-1.example/']) {
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [ticket(1)], paging: { next } }));
    const n = s.calls.length;
    const err = await rejects(s.client().tickets.list(PARAMS));
    assert.equal(err.kind, 'parse', next);
    assert.equal(err.message, 'tickets.list: refusing to follow paging.next out of the API root, where the token stays');
    assert.ok(!err.message.includes(s.base), 'the API root is not named either: a baseUrl is never echoed');
    assert.doesNotMatch(err.message + err.stack + inspect(err), /token-1/, next);
    assert.equal(s.calls.length, n + 1, `${next} was not followed`);
  }
});

test("a relative paging.next is read against the page it came from, as a browser would", async (t) => {
  const s = await setup(t);
  for (const next of ['?page=2', 'list?page=2', './list?page=2', '/api/v1.2/tickets/list?page=2']) {
    s.route('GET', '/tickets/list', (req, res, rec) => json(res, 200, rec.query.page ? { tickets: [ticket(2)], paging: {} } : { tickets: [ticket(1)], paging: { next } }));
    assert.deepEqual(await s.client().tickets.list(PARAMS), [ticket(1), ticket(2)], next);
    assert.equal(s.calls.at(-1).url, '/api/v1.2/tickets/list?page=2', next);
  }
});

test('a page that is not { tickets, paging } fails with kind parse rather than losing its tickets: a bare array, another key for tickets, a next that is not a string', async (t) => {
  const s = await setup(t);
  const third = `${s.base}/tickets/list?page=3`;
  for (const page2 of [[ticket(2)], { Tickets: [ticket(2)] }, { data: { tickets: [ticket(2)] } }, { tickets: [ticket(2)], paging: { next: 12345 } }, { tickets: [ticket(2)], paging: { next: { href: 'x' } } }, { tickets: {} }, 'tickets',
    // a key in another casing than the one read would end the list after this page
    { tickets: [ticket(2)], Paging: { next: third } }, { tickets: [ticket(2)], paging: { Next: third } }, { tickets: [ticket(2)], paging: third }, { tickets: [ticket(2)], paging: [third] }]) {
    s.route('GET', '/tickets/list', (req, res, rec) => json(res, 200, rec.query.page ? page2 : { tickets: [ticket(1)], paging: { next: `${s.base}/tickets/list?page=2` } }));
    const err = await rejects(s.client().tickets.list(PARAMS));
    assert.equal(err.kind, 'parse', JSON.stringify(page2));
    assert.equal(err.message, 'tickets.list: the response is not a page of tickets ({ tickets: [...], paging })');
  }
  // an empty last page may leave tickets out (or null), and paging too
  for (const page2 of [{}, { paging: {} }, { tickets: null, paging: null }, { tickets: [], paging: { next: '' } }, { tickets: [], paging: { next: null } }, { tickets: [], paging: {}, total: 1 }, { tickets: [], paging: { next: null, expires: 'x' } }]) {
    s.route('GET', '/tickets/list', (req, res, rec) => json(res, 200, rec.query.page ? page2 : { tickets: [ticket(1)], paging: { next: `${s.base}/tickets/list?page=2` } }));
    assert.deepEqual(await s.client().tickets.list(PARAMS), [ticket(1)], JSON.stringify(page2));
  }
});

// ---------------------------------------------------------------- dates and month windows

/** `dd/MM/yyyy HH:mm:ss:ff` (UTC) → epoch ms. */
function parseGlassix(s) {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d):(\d\d)$/.exec(s);
  assert.ok(m, `${s} is in the format dd/MM/yyyy HH:mm:ss:ff`);
  const [, d, mo, y, h, mi, sec, ff] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, sec, ff * 10);
}

test('GlassixClient.formatDate writes dd/MM/yyyy HH:mm:ss:ff in UTC', () => {
  assert.equal(GlassixClient.formatDate(new Date(Date.UTC(2020, 11, 24, 11, 20, 0, 229))), '24/12/2020 11:20:00:22');
  assert.equal(GlassixClient.formatDate(new Date(Date.UTC(2024, 0, 5, 3, 4, 5, 60))), '05/01/2024 03:04:05:06');
  assert.equal(GlassixClient.formatDate(new Date(Date.UTC(2023, 11, 31, 23, 59, 59, 999))), '31/12/2023 23:59:59:99');
});

test('Date since/until within one month: one request, dates in the Glassix format', async (t) => {
  const s = await setup(t);
  servePages(s, [[ticket(1)]]);
  const since = new Date(Date.UTC(2024, 4, 1));
  const until = new Date(Date.UTC(2024, 4, 10, 12, 34, 56, 789));
  assert.deepEqual(await s.client().tickets.list({ since, until, ticketState: 'Open' }), [ticket(1)]);
  const calls = listCalls(s);
  assert.equal(calls.length, 1);
  // until is rounded up to the hundredth, so nothing in its last few milliseconds is left out
  assert.deepEqual(calls[0].query, { since: '01/05/2024 00:00:00:00', until: '10/05/2024 12:34:56:79', ticketState: 'Open' });
});

test('an array in the query is one comma-separated value; an empty one (or one of nulls) leaves its key out, as null does and as glassix-js did: no filter, not `ticketState=`', async (t) => {
  const s = await setup(t);
  servePages(s, [[ticket(1)]]);
  const client = s.client();
  const range = { since: '01/05/2024', until: '02/05/2024' };
  for (const ticketState of [['Open', 'Closed'], [], [null, undefined], null, ['']]) await client.tickets.list({ ...range, ticketState });
  const calls = listCalls(s);
  assert.deepEqual(calls.map((c) => c.url.includes('ticketState') ? c.query.ticketState : 'left out'), ['Open,Closed', 'left out', 'left out', 'left out', '']);
  await client.request('GET', '/tickets/list', { query: { ...range, ticketState: [] } });
  assert.equal(listCalls(s).at(-1).query.ticketState, undefined);
  // a required key given as an empty array is missing: refused before any request
  const sent = s.requests.length;
  const e = await client.users.getStatusLogs({ since: [], until: '02/05/2024' }).catch((x) => x);
  assert.equal(e.kind, 'invalid_argument', String(e));
  assert.match(e.message, /^users\.getStatusLogs: .*since/);
  assert.equal(s.requests.length, sent);
});

test('since/until strings in a shorter form of the API\'s go out in its full form within one month too (across months they always did; the API answers 400 to a short form)', async (t) => {
  const s = await setup(t);
  servePages(s, [[ticket(1)]]);
  const client = s.client();
  assert.deepEqual(await client.tickets.list({ since: '28/03/2025', until: '29/03/2025 9:05' }), [ticket(1)]);
  assert.deepEqual(await client.tickets.list({ ticketState: 'Open', until: '29/03/2025 09:05:07:5', since: ' 1/3/2025 ' }), [ticket(1)]);
  // the full form, as given, goes out unchanged
  assert.deepEqual(await client.tickets.list({ since: '28/03/2025 10:11:12:13', until: '31/03/2025 23:59:59:99' }), [ticket(1)]);
  assert.deepEqual(
    listCalls(s).map((c) => c.query),
    [
      { since: '28/03/2025 00:00:00:00', until: '29/03/2025 09:05:00:00' },
      { since: '01/03/2025 00:00:00:00', until: '29/03/2025 09:05:07:50', ticketState: 'Open' },
      { since: '28/03/2025 10:11:12:13', until: '31/03/2025 23:59:59:99' },
    ],
  );
});

/**
 * Three month windows over Jan-Mar 2024. Ticket 7 has activity in January and February, ticket 10
 * in February and March; window 2 has two pages.
 */
function serveWindows(s) {
  const byStart = {
    '01/01/2024 00:00:00:00': [{ tickets: [ticket(1), ticket(2), ticket(3), ticket(7)] }],
    '01/02/2024 00:00:00:00': [{ tickets: [ticket(7), ticket(8)], next: 'feb-2' }, { tickets: [ticket(9), ticket(10)] }],
    '01/03/2024 00:00:00:00': [{ tickets: [ticket(10), ticket(11), ticket(12)] }],
  };
  s.route('GET', '/tickets/list', (req, res, rec) => {
    let page;
    if (rec.query.page === 'feb-2') page = byStart['01/02/2024 00:00:00:00'][1];
    else page = (byStart[rec.query.since] || [])[0];
    if (!page) return json(res, 400, { message: `unexpected ${rec.url}` });
    json(res, 200, { tickets: page.tickets, paging: page.next ? { next: `${s.origin}${LIST}?page=${page.next}` } : {} });
  });
}

const RANGE = { since: new Date(Date.UTC(2024, 0, 1)), until: new Date(Date.UTC(2024, 2, 31, 23, 59, 59, 990)) };
const UNIQUE = [1, 2, 3, 7, 8, 9, 10, 11, 12];

function checkWindows(s) {
  const calls = listCalls(s);
  assert.equal(calls.length, 4, 'three windows, the second with two pages');
  const windows = calls.filter((r) => !r.query.page);
  assert.equal(windows.length, 3, 'split into three window requests');
  assert.deepEqual(
    windows.map((r) => [r.query.since, r.query.until]),
    [
      ['01/01/2024 00:00:00:00', '01/02/2024 00:00:00:00'],
      ['01/02/2024 00:00:00:00', '01/03/2024 00:00:00:00'],
      ['01/03/2024 00:00:00:00', '31/03/2024 23:59:59:99'],
    ],
  );
  assert.equal(windows[0].query.since, GlassixClient.formatDate(RANGE.since));
  assert.equal(windows[2].query.until, GlassixClient.formatDate(RANGE.until));
  for (let i = 0; i + 1 < windows.length; i++) {
    const end = parseGlassix(windows[i].query.until);
    const start = parseGlassix(windows[i + 1].query.since);
    assert.equal(start, end, `window ${i + 2} starts exactly where window ${i + 1} ends (no gap at any resolution)`);
  }
  for (const w of windows) {
    assert.ok(parseGlassix(w.query.until) - parseGlassix(w.query.since) <= 31 * 86400000, 'at most one month');
    assert.equal(w.query.ticketState, 'Open', 'other params go to every window');
  }
  assert.equal(calls[2].url, `${LIST}?page=feb-2`, 'the next page of a window is followed verbatim');
  assert.deepEqual(Object.keys(calls[2].query), ['page']);
}

test('a three-month Date range is split into three contiguous month windows; a ticket seen in two windows is yielded once', async (t) => {
  const s = await setup(t);
  serveWindows(s);
  const got = [];
  for await (const tk of s.client().tickets.iterate({ ...RANGE, ticketState: 'Open' })) got.push(tk.id);
  assert.deepEqual(got, UNIQUE);
  checkWindows(s);
});

test('tickets.list over the same three months returns every unique ticket once', async (t) => {
  const s = await setup(t);
  serveWindows(s);
  const all = await s.client().tickets.list({ ...RANGE, ticketState: 'Open' });
  assert.deepEqual(all.map((tk) => tk.id), UNIQUE);
  assert.deepEqual(all[0], ticket(1));
  checkWindows(s);
});

test('month windows are fetched lazily too: break in the first window fetches only that window', async (t) => {
  const s = await setup(t);
  serveWindows(s);
  for await (const tk of s.client().tickets.iterate(RANGE)) if (tk.id === 7) break;
  await sleep(100);
  assert.equal(listCalls(s).length, 1);
});

test('string since/until spanning more than a month are split the same way', async (t) => {
  const s = await setup(t);
  serveWindows(s);
  const all = await s.client().tickets.list({ since: '01/01/2024 00:00:00:00', until: '31/03/2024 23:59:59:99', ticketState: 'Open' });
  assert.deepEqual(all.map((tk) => tk.id), UNIQUE);
  checkWindows(s);
});

test('month windows starting on the 31st stay contiguous across short months, each at most one month', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [], paging: {} }));
  const since = new Date(Date.UTC(2024, 0, 31, 10));
  const until = new Date(Date.UTC(2024, 5, 15));
  await s.client().tickets.list({ since, until });
  const windows = listCalls(s).map((r) => [parseGlassix(r.query.since), parseGlassix(r.query.until)]);
  assert.ok(windows.length >= 5, `${windows.length} windows`);
  assert.equal(windows[0][0], since.getTime());
  assert.equal(windows.at(-1)[1], until.getTime());
  for (let i = 0; i + 1 < windows.length; i++) assert.equal(windows[i + 1][0], windows[i][1], `seam ${i + 1}`);
  for (const [a, b] of windows) assert.ok(a <= b && b - a <= 31 * 86400000);
});

test('a failing page rejects the iteration with a GlassixError (retried like any GET)', async (t) => {
  const s = await setup(t);
  let n = 0;
  s.route('GET', '/tickets/list', (req, res, rec) => {
    n += 1;
    if (!rec.query.page) return json(res, 200, { tickets: [ticket(1)], paging: { next: `${s.origin}${LIST}?page=p2` } });
    if (n === 2) return json(res, 503, { message: 'busy' });
    json(res, 404, { message: 'page expired' });
  });
  const got = [];
  const err = await rejects(
    (async () => {
      for await (const tk of s.client().tickets.iterate(PARAMS)) got.push(tk.id);
    })(),
    { kind: 'http', status: 404 },
  );
  assert.equal(err.message, 'page expired');
  assert.deepEqual(got, [1]);
  const calls = listCalls(s);
  assert.equal(calls.length, 3, 'page 2: the 503 was retried, the 404 was not');
  assert.equal(calls[1].url, `${LIST}?page=p2`);
  assert.equal(calls[2].url, `${LIST}?page=p2`);
});

test('iterate passes its options to every page request: maxRetries: 0 and a signal', async (t) => {
  const s = await setup(t);
  s.route('GET', '/tickets/list', (req, res, rec) => {
    if (!rec.query.page) return json(res, 200, { tickets: [ticket(1)], paging: { next: `${s.origin}${LIST}?page=slow` } });
    if (rec.query.page === 'slow') return; // never answers
  });
  const client = s.client();
  const ctl = new AbortController();
  const got = [];
  const run = (async () => {
    for await (const tk of client.tickets.iterate(PARAMS, { signal: ctl.signal, timeout: 10000 })) got.push(tk.id);
  })();
  await sleep(200);
  const tAbort = Date.now();
  ctl.abort();
  await rejects(run, { kind: 'aborted' });
  assert.ok(Date.now() - tAbort < 300, 'aborted at once');
  assert.deepEqual(got, [1]);
  assert.equal(listCalls(s).length, 2);

  s.route('GET', '/tickets/list', (req, res) => json(res, 503, { message: 'busy' }));
  const n = listCalls(s).length;
  await rejects(client.tickets.list(PARAMS, { maxRetries: 0 }), { kind: 'http', status: 503 });
  assert.equal(listCalls(s).length, n + 1, 'maxRetries: 0 applies to the page request');
});

test('a workspace written with capitals (or a domain with its default port): the root is written as a URL writes it, so the server\'s paging.next (as fetch sent the host) is followed', async () => {
  const seen = [];
  const fetch = async (req) => {
    seen.push(req.url);
    const page2 = req.url.includes('page=2');
    const body = page2 ? { tickets: [ticket(2)], paging: {} } : { tickets: [ticket(1)], paging: { next: 'https://acme.glassix.com/api/v1.2/tickets/list?page=2' } };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  // (and a default port, which a URL leaves out)
  for (const domain of ['Glassix.com', 'glassix.com:443', 'GLASSIX.COM:0443']) {
    seen.length = 0;
    const c = new GlassixClient({ workspace: 'Acme', domain, accessToken: 'tok', fetch });
    assert.equal(c.toJSON().baseUrl, 'https://acme.glassix.com/api/v1.2', domain);
    assert.deepEqual(await c.tickets.list(PARAMS), [ticket(1), ticket(2)], domain);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((u) => u.startsWith('https://acme.glassix.com/api/v1.2/tickets/list?')), seen.join(' '));
  }
});

// A Date of another realm (an iframe's; under jest, one made by Node itself, `fs.statSync(f).mtime`)
// is a Date: `instanceof Date` refused it as "must be a Date …, not a Date".
test('Dates of another realm are Dates: in list params, formatDate and the export; a fake one is refused', async (t) => {
  const { runInNewContext } = await import('node:vm');
  const { createRequire } = await import('node:module');
  const { formatDate } = await import('./helpers/server.mjs').then((m) => m.GlassixClient);
  const other = (ms) => runInNewContext(`new Date(${ms})`);
  assert.equal(other(0) instanceof Date, false);
  assert.equal(formatDate(other(Date.UTC(2024, 0, 2, 3, 4, 5))), '02/01/2024 03:04:05:00');
  assert.throws(() => formatDate(other(NaN)), /not an invalid Date/);
  assert.throws(() => formatDate({ [Symbol.toStringTag]: 'Date', getTime: () => 0 }), /expected a valid Date/, 'a fake: no date value');
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [ticket(1)], paging: null }));
  const c = s.client();
  assert.deepEqual((await c.tickets.list({ since: other(Date.UTC(2024, 0, 1)), until: other(Date.UTC(2024, 0, 20)) })).map((x) => x.id), [1]);
  assert.equal(new URL(listCalls(s).at(-1).url, 'http://x').searchParams.get('since'), '01/01/2024 00:00:00:00');
  const { exportTickets } = createRequire(import.meta.url)('../export/index.cjs');
  const out = [];
  const { Writable } = await import('node:stream');
  const r = await exportTickets({ client: c, since: other(Date.UTC(2024, 0, 1)), until: other(Date.UTC(2024, 0, 20)), out: new Writable({ write: (chunk, enc, cb) => (out.push(String(chunk)), cb()) }) });
  assert.equal(r.ticketsWritten, 1);
});
