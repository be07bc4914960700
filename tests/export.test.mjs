// glassix-wasm/export: exportTickets against the sandbox (real HTTP, the real client), seeded with
// a few thousand tickets over 14 months. The sandbox's own state is the oracle.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, appendFileSync, mkdirSync, rmSync, statSync, utimesSync, readdirSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { exportSandbox, startSandbox, clientOf, idsInRange, listRequests, tempDir, GlassixError, NOW } from './helpers/export.mjs';
import { startServer, json, GlassixClient } from './helpers/server.mjs';

const require = createRequire(import.meta.url);
const { exportTickets, DEFAULT_COLUMNS, checkpointPath } = require('glassix-wasm/export');
// (the export's lock: beside the file, by its real path; the temporary folders hold no links)
const lockPath = (out) => `${resolve(out)}.checkpoint.lock`;

const SINCE = Date.UTC(2024, 0, 15, 12, 0, 0); // not on a month start: windows 15/01 12:00 → 15/02 12:00 …
const UNTIL = Date.UTC(2025, 1, 20, 8, 30, 0);
const RANGE = { since: '2024-01-15T12:00:00Z', until: '2025-02-20T08:30:00Z' };

let sb;
let client;
before(async () => {
  sb = await exportSandbox();
  client = clientOf(sb);
});
after(() => sb.close());

const ndjsonTickets = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const ndjsonIds = (file) => ndjsonTickets(file).map((tk) => tk.id);
const sorted = (ids) => [...ids].sort((a, b) => a - b);
const assertEachOnce = (ids, expected) => {
  assert.equal(new Set(ids).size, ids.length, 'no ticket twice');
  assert.deepEqual(sorted(ids), expected);
};

describe('exportTickets', () => {
  test('NDJSON holds exactly the sandbox tickets active in the range, each once, as the API sent them', async (t) => {
    const out = join(tempDir(t), 'tickets.ndjson');
    const progress = [];
    const before = sb.requests.length;
    const result = await exportTickets({ client, ...RANGE, out, onProgress: (p) => progress.push(p) });
    const expected = idsInRange(sb, SINCE, UNTIL);
    assert.ok(expected.length > 2000, `${expected.length} tickets in range`);
    assertEachOnce(ndjsonIds(out), expected);
    assert.equal(result.ticketsWritten, expected.length);
    assert.equal(result.months, 14);
    assert.ok(result.duplicatesSkipped > 0, 'tickets active in two months came back and were skipped');
    assert.equal(existsSync(checkpointPath(out)), false, 'the checkpoint is removed on success');
    // each line is the ticket as tickets/list sends it
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]);
    assert.deepEqual(first, sb.state.renderTicket(sb.state.tickets.get(first.id), { transactions: false }));
    // on the wire: month windows of at most one calendar month, touching, from since to until
    const windows = sb.requests.slice(before).filter((r) => /\/tickets\/list$/i.test(r.path) && r.query.since);
    assert.equal(windows.length, 14);
    assert.equal(windows[0].query.since, '15/01/2024 12:00:00:00');
    assert.equal(windows[0].query.until, '15/02/2024 12:00:00:00');
    assert.equal(windows.at(-1).query.until, '20/02/2025 08:30:00:00');
    const bySince = new Map(windows.map((r) => [r.query.since, r.query.until]));
    for (const r of windows) assert.ok(r.query.until === '20/02/2025 08:30:00:00' || bySince.has(r.query.until), 'windows touch');
    // progress: months counted up to the total, tickets written never going down
    assert.equal(progress.at(-1).done, true);
    assert.equal(progress.at(-1).monthsDone, 14);
    assert.equal(progress.at(-1).ticketsWritten, expected.length);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].ticketsWritten >= progress[i - 1].ticketsWritten);
    // the fraction (and so the ETA) never goes back, though the API lists newest first
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].fraction >= progress[i - 1].fraction, `${progress[i - 1].fraction} then ${progress[i].fraction}`);
    assert.ok(progress.some((p) => p.fraction > 0 && p.fraction < 1 && !Number.isInteger(p.fraction * 14)), 'progress inside a month is shown');
  });

  test('a temporary checkpoint left by a process killed while writing it is removed; one of a live process is not', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'tmp.ndjson');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = `${checkpointPath(out)}.${dead}.tmp`;
    const live = `${checkpointPath(out)}.${process.ppid}.tmp`;
    writeFileSync(stale, '');
    writeFileSync(live, '');
    await exportTickets({ client, since: '2024-03-01', until: '2024-03-20', out });
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(live), true, 'another running export may be writing it');
  });

  test('a ticket active on a month seam or in several months is written once, in the first month that lists it', async (t) => {
    const out = join(tempDir(t), 'seam.ndjson');
    await exportTickets({ client, since: '2024-01-01', until: '2024-12-31', out });
    const seam = [...sb.state.tickets.values()].find((tk) => tk.open === Date.UTC(2024, 5, 1));
    assert.ok(seam, 'the generator put a ticket exactly on 2024-06-01 00:00');
    const ids = ndjsonIds(out);
    assert.equal(ids.filter((id) => id === seam.id).length, 1);
    assertEachOnce(ids, idsInRange(sb, Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1) - 1));
  });

  test('a range finer than the API\'s hundredths: sent rounded outward, and a ticket listed only because of that is left out', async (t) => {
    // tickets opened (and last active) exactly on either side of each edge of the range
    const at = (iso) => Date.parse(iso);
    const edges = ['2024-04-10T08:00:00.120Z', '2024-04-10T08:00:00.129Z', '2024-04-10T08:00:00.130Z', '2024-04-11T23:59:59.999Z', '2024-04-12T00:00:00.000Z'];
    const made = [];
    for (const e of edges) {
      const ticket = sb.state.createTicket(sb.state.tickets.values().next().value.departmentId, { open: e, lastActivity: e, participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'edge@example.test' }] }, { fromSeed: true });
      made.push([e, ticket.id]);
    }
    t.after(() => made.forEach(([, id]) => sb.state.tickets.delete(id)));
    const since = '2024-04-10T08:00:00.125Z';
    const until = '2024-04-11T23:59:59.999Z';
    const out = join(tempDir(t), 'edges.ndjson');
    const before = sb.requests.length;
    await exportTickets({ client, since, until, out });
    const got = new Set(ndjsonIds(out));
    // the ticket last active at .120 is written too: the API writes that `…08:00:00.12`, which may
    // be any time up to .13, so it may be in the range (never lost to the rounding, at worst one
    // hundredth too many)
    const wanted = new Set([...idsInRange(sb, at(since), at(until)), made[0][1]]);
    assertEachOnce([...got], [...wanted].sort((a, b) => a - b));
    const byEdge = Object.fromEntries(made.map(([e, id]) => [e, got.has(id)]));
    assert.deepEqual(byEdge, { [edges[0]]: true, [edges[1]]: true, [edges[2]]: true, [edges[3]]: true, [edges[4]]: false });

    // a ticket last active inside the range, but less than a hundredth after its start: written
    // `…05:50:39.13`, it is kept (it was lost); so is one opened in the same second just before the
    // start, written `…05:50:39.0000000Z` with its zeros dropped, `…05:50:39Z` (the docs also
    // show `open` cut to the second), and active again only after the range
    const dep = sb.state.tickets.values().next().value.departmentId;
    const who = { participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'edge@example.test' }] };
    const late = sb.state.createTicket(dep, { open: '2024-03-20T10:00:00Z', lastActivity: '2024-04-02T05:50:39.135Z', ...who }, { fromSeed: true });
    const early = sb.state.createTicket(dep, { open: '2024-04-02T05:50:39.000Z', lastActivity: '2024-04-20T10:00:00Z', ...who }, { fromSeed: true });
    t.after(() => [late, early].forEach((tk) => sb.state.tickets.delete(tk.id)));
    const out3 = join(tempDir(t), 'hundredth.ndjson');
    await exportTickets({ client, since: '2024-04-02T05:50:39.135Z', until: '2024-04-05', out: out3 });
    const lines3 = ndjsonTickets(out3);
    const late3 = lines3.find((tk) => tk.id === late.id);
    assert.ok(late3, 'the ticket last active at 05:50:39.135 is exported');
    assert.equal(late3.lastActivity, '2024-04-02T05:50:39.13', 'the API wrote it in hundredths');
    const out4 = join(tempDir(t), 'second.ndjson');
    await exportTickets({ client, since: '2024-04-02T05:50:39.003Z', until: '2024-04-05', out: out4 });
    const lines4 = ndjsonTickets(out4);
    assert.equal(lines4.find((tk) => tk.id === early.id)?.open, '2024-04-02T05:50:39Z', 'the ticket opened at 05:50:39.000, written …05:50:39Z, is kept for a --since in that second');
    assert.ok(sb.requests.some((r) => /\/tickets\/list$/i.test(r.path) && r.query.since === '02/04/2024 05:50:39:13'), 'though it was listed for the rounded range');
    // a date the API writes in whole seconds (`close`) stands for that whole second: a ticket
    // closed within it, listed for the rounded range, is kept, never lost
    const closed = sb.state.createTicket(sb.state.tickets.values().next().value.departmentId, { open: '2024-04-01T10:00:00Z', lastActivity: '2024-04-02T10:00:00Z', participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'edge@example.test' }] }, { fromSeed: true });
    t.after(() => sb.state.tickets.delete(closed.id));
    closed.state = 'Closed';
    closed.close = Date.parse('2024-04-10T08:00:00.500Z');
    const out2 = join(tempDir(t), 'closed.ndjson');
    await exportTickets({ client, since: '2024-04-10T08:00:00.003Z', until, out: out2 });
    const line = readFileSync(out2, 'utf8').split('\n').find((l) => l && JSON.parse(l).id === closed.id);
    assert.ok(line, 'the ticket closed at 08:00:00.5, written 08:00:00, is exported');
    assert.match(JSON.parse(line).close, /^2024-04-10T08:00:00Z?$/, 'the API wrote its close in whole seconds');
    // sent rounded outward: nothing in the range can be missed
    const [sent] = sb.requests.slice(before).filter((r) => /\/tickets\/list$/i.test(r.path) && r.query.since);
    assert.equal(sent.query.since, '10/04/2024 08:00:00:12');
    assert.equal(sent.query.until, '12/04/2024 00:00:00:00');
  });

  test('only since finer than the API\'s hundredths (until on a hundredth): a ticket listed only because since was sent rounded down is left out', async (t) => {
    // opened in the hundredth the range starts in, one before its start and one after it, each
    // last active long after the range: only its open can put it in
    const dep = sb.state.tickets.values().next().value.departmentId;
    const who = { participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'since@example.test' }] };
    const early = sb.state.createTicket(dep, { open: '2024-04-10T08:00:00.121Z', lastActivity: '2024-05-20T10:00:00Z', ...who }, { fromSeed: true });
    const late = sb.state.createTicket(dep, { open: '2024-04-10T08:00:00.126Z', lastActivity: '2024-05-20T10:00:00Z', ...who }, { fromSeed: true });
    t.after(() => [early, late].forEach((tk) => sb.state.tickets.delete(tk.id)));
    const since = '2024-04-10T08:00:00.125Z';
    const until = '2024-04-12T00:00:00Z';
    const out = join(tempDir(t), 'since.ndjson');
    const before = sb.requests.length;
    await exportTickets({ client, since, until, out });
    const [sent] = sb.requests.slice(before).filter((r) => /\/tickets\/list$/i.test(r.path) && r.query.since);
    assert.equal(sent.query.since, '10/04/2024 08:00:00:12', 'sent rounded down: the ticket opened at .121 is listed');
    const ids = ndjsonIds(out);
    assert.ok(ids.includes(late.id), 'the ticket opened at .126 is written');
    assert.ok(!ids.includes(early.id), 'the ticket opened at .121, before since, is left out');
    assertEachOnce(ids, idsInRange(sb, Date.parse(since), Date.parse(until)));
  });

  test('a day on its own as until is all of it, to its last millisecond: a ticket opened at 23:59:59.995 is written, one at the next midnight is not', async (t) => {
    const dep = sb.state.tickets.values().next().value.departmentId;
    const edges = ['2024-04-11T23:59:59.990Z', '2024-04-11T23:59:59.995Z', '2024-04-11T23:59:59.999Z', '2024-04-12T00:00:00.000Z'];
    const made = edges.map((e) => [e, sb.state.createTicket(dep, { open: e, lastActivity: e, participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'day@example.test' }] }, { fromSeed: true }).id]);
    t.after(() => made.forEach(([, id]) => sb.state.tickets.delete(id)));
    for (const until of ['2024-04-11', '11/04/2024']) {
      const out = join(tempDir(t), 'day.ndjson');
      await exportTickets({ client, since: '2024-04-11', until, out });
      const got = new Set(ndjsonIds(out));
      assert.deepEqual(Object.fromEntries(made.map(([e, id]) => [e, got.has(id)])), { [edges[0]]: true, [edges[1]]: true, [edges[2]]: true, [edges[3]]: false }, until);
      assertEachOnce([...got], idsInRange(sb, Date.UTC(2024, 3, 11), Date.UTC(2024, 3, 12) - 1));
    }
  });

  test('a range of one instant (since equal to until) is a range, not since after until: the tickets active at that instant are written', async (t) => {
    // (a ticket opened at that very millisecond, finer than the API's hundredths too: the range is
    // sent rounded outward and the ticket is still in the exact one)
    const dep = sb.state.tickets.values().next().value.departmentId;
    const at = '2024-04-11T10:00:00.005Z';
    const ticket = sb.state.createTicket(dep, { open: at, lastActivity: at, participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'instant@example.test' }] }, { fromSeed: true });
    t.after(() => sb.state.tickets.delete(ticket.id));
    for (const [since, until] of [[at, at], [new Date(at), new Date(at)]]) {
      const out = join(tempDir(t), 'instant.ndjson');
      const result = await exportTickets({ client, since, until, out });
      assert.equal(result.months, 1);
      assert.ok(ndjsonIds(out).includes(ticket.id), `the ticket opened at ${at} is written`);
      assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.parse(at), Date.parse(at)));
    }
  });

  test('CSV: RFC 4180, a header of the default columns, every ticket once, arrays and objects as JSON text', async (t) => {
    const out = join(tempDir(t), 'tickets.csv');
    await exportTickets({ client, ...RANGE, format: 'csv', out });
    const text = readFileSync(out, 'utf8');
    assert.ok(text.endsWith('\r\n'), 'records end with CRLF');
    const rows = parse(text, { columns: true });
    assert.deepEqual(Object.keys(rows[0]), DEFAULT_COLUMNS);
    assertEachOnce(rows.map((r) => Number(r.id)), idsInRange(sb, SINCE, UNTIL));
    for (const row of rows.slice(0, 200)) {
      const api = sb.state.renderTicket(sb.state.tickets.get(Number(row.id)), { transactions: false });
      assert.equal(row.field1, api.field1, 'quotes, commas, line breaks and non-ASCII survive');
      assert.equal(row.state, api.state);
      assert.equal(row.open, api.open);
      assert.equal(row.isScrambled, String(api.isScrambled));
      assert.deepEqual(JSON.parse(row.participants), api.participants);
      assert.deepEqual(JSON.parse(row.tags), api.tags);
      assert.equal(row.owner, api.owner === null ? '' : JSON.stringify(api.owner));
      assert.equal(row.otherFields, '');
    }
    assert.ok(rows.some((r) => /[",\n]/.test(r.field1)), 'some subjects needed quoting');
  });

  test('CSV for Excel: bom starts the file with one UTF-8 byte order mark, resumed too; escapeFormulas writes formula-like text with a leading quote and leaves numbers alone', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const texts = ['=HYPERLINK("http://x.test","לחץ כאן")', '+972-50-123-4567', '-2+3', '@SUM(1,1)', '\t=1+1', '\r=1', 'שלום 👋', ' =not first', "'quoted"];
    const tickets = texts.map((field1, i) => ({ id: i + 1, open: '2024-01-01T10:00:00Z', lastActivity: '2024-01-01T10:00:00.5', field1, durationNet: -5 - i, tags: ['=tag'] }));
    s.route('GET', '/tickets/list', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ tickets, paging: null }));
    });
    const c = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const range = { since: '2024-01-01', until: '2024-01-01', format: 'csv', columns: ['id', 'field1', 'durationNet', 'tags'] };
    const dir = tempDir(t);
    const rows = (file) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true });
    await exportTickets({ client: c, ...range, out: join(dir, 'plain.csv') });
    await exportTickets({ client: c, ...range, bom: true, escapeFormulas: true, out: join(dir, 'excel.csv') });
    const plain = readFileSync(join(dir, 'plain.csv'));
    const excel = readFileSync(join(dir, 'excel.csv'));
    assert.equal(plain.subarray(0, 3).toString(), 'id,', 'no BOM unless asked for');
    assert.deepEqual([...excel.subarray(0, 6)], [0xef, 0xbb, 0xbf, 0x69, 0x64, 0x2c], 'EF BB BF, then the header');
    assert.equal(excel.indexOf(Buffer.from([0xef, 0xbb, 0xbf]), 1), -1, 'one BOM');
    assert.deepEqual(rows(join(dir, 'plain.csv')).map((r) => r.field1), texts, 'as the API sent them by default');
    assert.deepEqual(
      rows(join(dir, 'excel.csv')).map((r) => [r.field1, r.durationNet, r.tags]),
      texts.map((x, i) => [/^[=+\-@\t\r]/.test(x) ? `'${x}` : x, String(-5 - i), '["=tag"]']),
      'text a spreadsheet would run gets a leading quote; numbers and JSON text are not touched',
    );
    // both apply to CSV only, and are true or false
    for (const [options, message] of [
      [{ bom: true }, /bom applies to format 'csv' only/],
      [{ escapeFormulas: true }, /escapeFormulas applies to format 'csv' only/],
      [{ format: 'csv', bom: 'yes' }, /bom must be true or false, not 'yes'/],
    ]) {
      await assert.rejects(exportTickets({ client: c, since: '2024-01-01', until: '2024-01-01', out: join(dir, 'no.csv'), ...options }), (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && message.test(e.message));
    }
    assert.equal(existsSync(join(dir, 'no.csv')), false);
  });

  test('bom and escapeFormulas are kept in the checkpoint: a resumed run writes no second BOM and the same bytes, and one with other settings is refused', async (t) => {
    const dir = tempDir(t);
    const range = { since: '2024-03-01', until: '2024-05-31', format: 'csv', bom: true, escapeFormulas: true };
    const reference = join(dir, 'reference.csv');
    await exportTickets({ client, ...range, out: reference });
    const out = join(dir, 'resumed.csv');
    const controller = new AbortController();
    const err = await exportTickets({ client, ...range, out, signal: controller.signal, onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); } }).catch((e) => e);
    assert.equal(err?.kind, 'aborted');
    const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
    assert.equal(cp.bom, true);
    assert.equal(cp.escapeFormulas, true);
    assert.equal(cp.version, 2, 'a release from before these options refuses it rather than continue without them');
    for (const [other, said] of [[{ bom: false }, 'bom true'], [{ escapeFormulas: undefined }, 'escapeFormulas true']]) {
      await assert.rejects(exportTickets({ client, ...range, ...other, out }), (e) => e.kind === 'invalid_argument' && e.message.includes(`from a different export (${said})`));
    }
    const result = await exportTickets({ client, ...range, out });
    assert.equal(result.resumed, true);
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'byte for byte the uninterrupted file');
    assert.equal(readFileSync(out).indexOf(Buffer.from([0xef, 0xbb, 0xbf]), 1), -1, 'one BOM');
  });

  test('CSV columns select and order the columns; other fields land in otherFields', async (t) => {
    const out = join(tempDir(t), 'some.csv');
    await exportTickets({ client, since: '2024-03-01', until: '2024-03-31', format: 'csv', columns: ['state', 'id', 'tags', 'otherFields'], state: ['closed', 'Open'], out });
    const rows = parse(readFileSync(out, 'utf8'), { columns: true });
    assert.deepEqual(Object.keys(rows[0]), ['state', 'id', 'tags', 'otherFields']);
    assert.ok(rows.every((r) => r.state === 'Open' || r.state === 'Closed'));
    assertEachOnce(rows.map((r) => Number(r.id)), idsInRange(sb, Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1) - 10, ['Open', 'Closed']));
  });

  test('with 429s, 5xx and slow responses the output is byte for byte the same', async (t) => {
    const dir = tempDir(t);
    const range = { since: '2024-02-01', until: '2024-07-31', format: 'csv' };
    await exportTickets({ client, ...range, out: join(dir, 'calm.csv') });
    const before = sb.requests.length;
    sb.setFaults({ failureRate: 0.25, burst429: 3, retryAfter: 0, latencyMs: 5, jitterMs: 20, burst5xx: 2 });
    try {
      const stormy = clientOf(sb, { maxRetries: 10 });
      await exportTickets({ client: stormy, ...range, out: join(dir, 'stormy.csv') });
    } finally {
      sb.setFaults({ failureRate: 0, burst429: 0, latencyMs: 0, jitterMs: 0, burst5xx: 0, retryAfter: 1 });
    }
    const seen = sb.requests.slice(before).map((r) => r.status);
    assert.ok(seen.includes(429) && seen.some((s) => s >= 500), `faults were hit: ${[...new Set(seen)]}`);
    assert.ok(readFileSync(join(dir, 'stormy.csv')).equals(readFileSync(join(dir, 'calm.csv'))));
  });

  test('a page the client gave up on with a 429 and a Retry-After of 60 s or less (the API pacing, not failing) is asked for again from that page: the same bytes; max429Ms bounds it, and 0 stops at once', async (t) => {
    const dir = tempDir(t);
    const range = { since: '2024-02-01', until: '2024-04-30' };
    await exportTickets({ client, ...range, out: join(dir, 'calm.ndjson') });
    t.after(() => sb.setFaults({ burst429: 0, retryAfter: 1 }));
    const once = clientOf(sb, { maxRetries: 0 }); // each 429 is a give-up of the client
    sb.setFaults({ burst429: 3, retryAfter: 0 });
    const before = sb.requests.length;
    await exportTickets({ client: once, ...range, out: join(dir, 'paced.ndjson'), concurrency: 1 });
    assert.ok(readFileSync(join(dir, 'paced.ndjson')).equals(readFileSync(join(dir, 'calm.ndjson'))), 'byte for byte the calm file');
    assert.equal(sb.requests.slice(before).filter((r) => r.status === 429).length, 3);
    sb.setFaults({ burst429: 1, retryAfter: 0 });
    await assert.rejects(exportTickets({ client: once, ...range, out: join(dir, 'zero.ndjson'), max429Ms: 0 }), (e) => e.status === 429);
    // refused for longer than max429Ms: it stops with the 429 (a second between tries at least)
    sb.setFaults({ burst429: 1_000_000, retryAfter: 0 });
    const started = Date.now();
    await assert.rejects(exportTickets({ client: once, ...range, out: join(dir, 'bounded.ndjson'), max429Ms: 2500, concurrency: 1 }), (e) => e.status === 429);
    const took = Date.now() - started;
    assert.ok(took >= 1900 && took < 6000, `${took} ms`);
    // the bound counts the waits, up to and including it: two waits of a second fit in 2000 ms,
    // so the page is asked for three times in all (counted by the server, not by a clock)
    const from = sb.requests.length;
    await assert.rejects(exportTickets({ client: once, ...range, out: join(dir, 'inclusive.ndjson'), max429Ms: 2000, concurrency: 1 }), (e) => e.status === 429);
    assert.equal(sb.requests.slice(from).filter((r) => r.status === 429).length, 3);
    sb.setFaults({ burst429: 0 });
    for (const bad of [-1, 1.5, '10']) {
      await assert.rejects(exportTickets({ client, ...range, out: join(dir, 'x.ndjson'), max429Ms: bad }), /max429Ms must be an integer 0\.\.2147483647/);
    }
  });

  test('a resumed run reads the interrupted month on from the checkpointed page; a refused page falls back to the month\'s start', async (t) => {
    // pages of 10 tickets: a month is many pages, and the export writes 100 tickets at a time; a
    // refused page token answers 410 here (Glassix says 400: any failure falls back)
    const small = await exportSandbox({ pageSize: 10, rules: { ruleStatus: 410 } });
    t.after(() => small.close());
    const c = clientOf(small);
    const dir = tempDir(t);
    const range = { since: '2024-03-01', until: '2024-04-30' };
    const reference = join(dir, 'reference.ndjson');
    const before = listRequests(small).length;
    await exportTickets({ client: c, ...range, out: reference });
    const fullMonth = listRequests(small).slice(before).filter((r) => r.query.since?.startsWith('01/03/2024') || r.query.page).length;
    const interrupted = async (name) => {
      const out = join(dir, name);
      const controller = new AbortController();
      const err = await exportTickets({ client: c, ...range, out, signal: controller.signal, onProgress: (p) => { if (p.ticketsWritten >= 100) controller.abort(); } }).catch((e) => e);
      assert.equal(err?.kind, 'aborted');
      const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
      assert.equal(cp.current.window, 0, 'stopped inside the first month');
      assert.match(cp.current.next, /\/api\/v1\.2\/tickets\/list\?page=/, 'the checkpoint keeps the page it was reading');
      return { out, cp };
    };

    const { out, cp } = await interrupted('resumed.ndjson');
    assert.equal(cp.current.pages, 1, 'one page of 100 written');
    const from = listRequests(small).length;
    const result = await exportTickets({ client: c, ...range, out });
    assert.equal(result.resumed, true);
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'the same file');
    const again = listRequests(small).slice(from);
    // (not necessarily the first request logged: the next month's reader runs beside it, and a
    // page the aborted run had already asked for may reach the server after the abort)
    const checkpointed = cp.current.next.replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=');
    assert.ok(again.some((r) => small.origin + r.path + '?' + new URLSearchParams(r.query) === checkpointed), 'read on from the checkpointed page');
    const month = again.filter((r) => r.query.page && !r.query.since).length;
    assert.ok(again.every((r) => !r.query.since?.startsWith('01/03/2024')), 'the month was not read from its start');
    assert.ok(month < fullMonth, `${month} pages of the first month read again, of ${fullMonth}`);

    // a page token the API refuses (expired after 24 hours): the month from its start, same file
    const stale = await interrupted('stale.ndjson');
    writeFileSync(checkpointPath(stale.out), JSON.stringify({ ...stale.cp, current: { ...stale.cp.current, next: `${small.baseUrl}/tickets/list?page=expired` } }));
    const from2 = listRequests(small).length;
    await exportTickets({ client: c, ...range, out: stale.out });
    assert.ok(readFileSync(stale.out).equals(readFileSync(reference)), 'the same file');
    const calls = listRequests(small).slice(from2);
    const refused = calls.findIndex((r) => r.query.page === 'expired');
    assert.ok(refused >= 0, 'the checkpointed page was asked for');
    assert.equal(calls[refused].status, 410);
    assert.ok(calls.slice(refused + 1).some((r) => r.query.since?.startsWith('01/03/2024')), 'then the month from its start (the next month is read beside it)');

    // a checkpoint edited to point at another path of the API is not followed: that would end the
    // month early with nothing to say so
    const edited = await interrupted('edited.ndjson');
    writeFileSync(checkpointPath(edited.out), JSON.stringify({ ...edited.cp, current: { ...edited.cp.current, next: `${small.baseUrl}/users/allusers` } }));
    const from3 = small.requests.length;
    await exportTickets({ client: c, ...range, out: edited.out });
    assert.ok(readFileSync(edited.out).equals(readFileSync(reference)), 'the same file');
    assert.ok(!small.requests.slice(from3).some((r) => /allusers/.test(r.path)), 'the edited URL was not requested');
  });

  test('a page token that expires mid-run (the month read for over a day, a machine that slept) is refused (400 for Glassix; 410 here as another API might say): the month is read again from its start, once, and the file holds the same tickets in the same order', async (t) => {
    // the sandbox's clock jumps a day and an hour while it answers the export's fourth page
    // request, whose token it issued a day ago then (the token lives a day too: a fresh one is
    // fetched). Counted by the server, not by what the export wrote: its reader runs ahead of its
    // writer by a varying amount, and on a busy machine it had read the whole month before the
    // writer's hundredth ticket moved the clock (nothing was refused).
    for (const status of [400, 410]) {
      let jumpAfter = Infinity;
      const small = await exportSandbox({ pageSize: 10, rules: { ruleStatus: status }, now: () => (jumpAfter !== Infinity && listRequests(small).length > jumpAfter ? NOW + 25 * 3600e3 : NOW) });
      t.after(() => small.close());
      const c = clientOf(small, { maxConcurrency: 1 });
      const dir = tempDir(t);
      // (an until in hundredths: a day on its own is sent as the next midnight, whose tickets come
      // first, newest first, and are left out, so the reader would be further ahead of the writer)
      const range = { since: '2024-03-01', until: '2024-03-31T23:59:59.990Z' };
      const reference = join(dir, 'reference.ndjson');
      await exportTickets({ client: c, ...range, out: reference });
      const from = listRequests(small).length;
      const out = join(dir, 'slept.ndjson');
      jumpAfter = from + 3;
      await exportTickets({ client: c, ...range, out, concurrency: 1 });
      // (the same tickets in the same order; a day later, their time-dependent fields differ)
      const ids = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id);
      assert.deepEqual(ids(out), ids(reference));
      const calls = listRequests(small).slice(from);
      const refused = calls.findIndex((r) => r.query.page && r.status === status);
      assert.ok(refused > 0, `a page was refused: ${[...new Set(calls.map((r) => r.status))]}`);
      assert.ok(calls.slice(refused + 1).some((r) => r.query.since?.startsWith('01/03/2024')), 'then the month from its start');
    }
  });

  test('a page refused again after its month was read again from its start stops the export: the month is read again once only, and the refusal is the error', async (t) => {
    // the sandbox's clock moves a day and an hour on twice (after the 3rd and after the 10th
    // tickets/list request of the run): each time, the page token in hand has expired
    let jumps = [];
    const small = await exportSandbox({ pageSize: 10, now: () => NOW + 25 * 3600e3 * jumps.filter((n) => listRequests(small).length > n).length });
    t.after(() => small.close());
    const c = clientOf(small, { maxConcurrency: 1 });
    const out = join(tempDir(t), 'twice.ndjson');
    const from = listRequests(small).length;
    jumps = [from + 3, from + 10];
    const err = await exportTickets({ client: c, since: '2024-03-01', until: '2024-03-31T23:59:59.990Z', out, concurrency: 1 }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.status, 400, err.message);
    const calls = listRequests(small).slice(from);
    assert.equal(calls.filter((r) => r.status === 400).length, 2, 'two pages refused');
    assert.equal(calls.filter((r) => r.query.since?.startsWith('01/03/2024')).length, 2, 'the month from its start: at first, and once again');
  });

  test('one export per file: a second one while the first runs is refused before any request, whatever name it gives the file, force or not; the first ends as if alone', async (t) => {
    const dir = tempDir(t);
    const reference = join(dir, 'reference.ndjson');
    await exportTickets({ client, ...RANGE, out: reference });
    const out = join(dir, 'shared.ndjson');
    sb.setFaults({ latencyMs: 5 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    let firstPage;
    const paged = new Promise((resolve) => { firstPage = resolve; });
    const first = exportTickets({ client, ...RANGE, out, onProgress: (p) => { if (p.ticketsWritten > 0) firstPage(); } });
    await paged;
    const held = JSON.parse(readFileSync(lockPath(out), 'utf8'));
    assert.equal(held.pid, process.pid, 'the lock names this process');
    assert.equal(held.kind, 'glassix-wasm export lock');
    // the same file named other ways: relative to the working directory, through a link to its
    // folder, through a link to the file itself
    symlinkSync(dir, join(dir, 'folder-link'));
    symlinkSync(out, join(dir, 'file-link.ndjson'));
    const names = [out, relative(process.cwd(), out), join(dir, 'folder-link', 'shared.ndjson'), join(dir, 'file-link.ndjson')];
    const options = [{}, { force: true }, { since: '2024-02-01', force: true }, { format: 'csv' }];
    for (const [i, name] of names.entries()) {
      const before = sb.requests.length;
      const err = await exportTickets({ client, ...RANGE, out: name, ...options[i] }).then(() => null, (e) => e);
      assert.ok(err instanceof GlassixError, String(err));
      assert.equal(err.kind, 'invalid_argument');
      // (the output as given, made absolute as every message names it; the one lock, by the file's real path)
      assert.equal(err.message, `exportTickets: ${resolve(name)} is being written by another export (process ${process.pid}); wait for it to end, or delete ${lockPath(out)} if none is running`, name);
      // (the first export's own requests go on meanwhile: only a rejection this quick proves none was the second's)
      assert.ok(sb.requests.length - before < 5, 'refused before reading anything');
    }
    // a lock of this process made by another copy of the package (or another thread): the same
    // pid and start, held, not taken for an earlier life's
    const other = join(dir, 'other.ndjson');
    writeFileSync(lockPath(other), JSON.stringify({ ...held, id: 'another copy' }));
    const err = await exportTickets({ client, ...RANGE, out: other }).then(() => null, (e) => e);
    assert.match(String(err?.message), /is being written by another export \(process \d+\)/);
    await first;
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'the first export wrote what it writes alone');
    assert.equal(existsSync(lockPath(out)), false, 'the lock is removed when the export ends');
    // and the file is free again
    await exportTickets({ client, ...RANGE, out, force: true });
    assert.ok(readFileSync(out).equals(readFileSync(reference)));
  });

  test('an export whose lock was taken over while it ran (judged gone by another export) leaves that export\'s lock alone when it ends', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'taken.ndjson');
    const other = { kind: 'glassix-wasm export lock', pid: process.ppid, host: hostname(), started: 0, id: 'the-other-export' };
    let replaced = false;
    await exportTickets({
      client, since: '2024-03-01', until: '2024-03-20', out,
      // (at its first progress report the lock is its own: another export takes it over then)
      onProgress: () => {
        if (replaced) return;
        assert.equal(JSON.parse(readFileSync(lockPath(out), 'utf8')).pid, process.pid);
        writeFileSync(lockPath(out), `${JSON.stringify(other)}\n`);
        replaced = true;
      },
    });
    assert.deepEqual(JSON.parse(readFileSync(lockPath(out), 'utf8')), other, 'the other export\'s lock is still there');
  });

  test("a lock left behind by an export that is gone is taken over; one of a live process, another machine, or a file that is no export's lock is left alone", async (t) => {
    const dir = tempDir(t);
    const small = { since: '2024-03-01', until: '2024-03-10' };
    const lock = (holder) => JSON.stringify({ kind: 'glassix-wasm export lock', host: hostname(), started: 0, id: 'left', ...holder });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const start = Date.now() - process.uptime() * 1000;
    // gone: a dead process; this process's own pid from an earlier life (a restarted container)
    for (const [name, holder] of [['dead', { pid: dead }], ['reused', { pid: process.pid, started: start - 60_000 }]]) {
      const out = join(dir, `${name}.ndjson`);
      writeFileSync(lockPath(out), lock(holder));
      const result = await exportTickets({ client, ...small, out });
      assert.ok(result.ticketsWritten > 0, name);
      assert.equal(existsSync(lockPath(out)), false, `${name}: released`);
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(`${name}.ndjson.`)), [], `${name}: no lock or takeover lock left`);
    }
    // left alone: a live process (the test runner), another machine (or container), and files
    // that are no export's lock: empty (one being made this instant), or someone else's
    for (const [name, text, message] of [
      ['live', lock({ pid: process.ppid }), `is being written by another export (process ${process.ppid}); wait for it to end, or delete`],
      ['remote', lock({ pid: 4242, host: 'another-host' }), 'is being written by another export (process 4242 on another-host); wait for it to end, or delete'],
      ['empty', '', "is in the way and is no export's lock (or one being made this instant, or left by an export killed while making it); delete it if no export of"],
      ['foreign', '# a lock file of some other tool\n', "is in the way and is no export's lock"],
    ]) {
      const out = join(dir, `${name}.ndjson`);
      writeFileSync(lockPath(out), text);
      utimesSync(lockPath(out), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
      const before = sb.requests.length;
      const err = await exportTickets({ client, ...small, out }).then(() => null, (e) => e);
      assert.ok(err instanceof GlassixError, `${name}: ${err}`);
      assert.equal(err.kind, 'invalid_argument');
      assert.ok(err.message.includes(message), err.message);
      assert.ok(err.message.includes(lockPath(out)), err.message);
      assert.equal(sb.requests.length, before, 'no request');
      assert.equal(existsSync(out) || existsSync(checkpointPath(out)), false, 'nothing written');
      assert.equal(readFileSync(lockPath(out), 'utf8'), text, 'the file is left as it was');
    }
  });

  test('processes taking over one lock left behind all at once: never two holders at a time', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'race.ndjson');
    const log = join(dir, 'holders.log');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const script = `
      const { takeLock } = require(${JSON.stringify(new URL('../export/checkpoint.cjs', import.meta.url).pathname)});
      const { appendFileSync } = require('node:fs');
      (async () => {
        const at = Number(process.argv[1]);
        while (Date.now() < at) {}
        const lock = await takeLock(${JSON.stringify(out)});
        if (lock.error) return;
        appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n');
        await new Promise((r) => setTimeout(r, 30));
        appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n');
        lock.release();
      })();`;
    for (let round = 0; round < 5; round++) {
      writeFileSync(lockPath(out), JSON.stringify({ kind: 'glassix-wasm export lock', pid: dead, host: hostname(), started: 0, id: `left ${round}` }));
      writeFileSync(log, '');
      const at = Date.now() + 400;
      await Promise.all(Array.from({ length: 6 }, () => new Promise((resolve) => spawn(process.execPath, ['-e', script, String(at)], { stdio: 'inherit' }).on('exit', resolve))));
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      assert.ok(lines.length >= 2, 'one of them took it over');
      let holders = 0;
      for (const l of lines) {
        holders += l.startsWith('in ') ? 1 : -1;
        assert.ok(holders <= 1, `two holders at once: ${lines.join(', ')}`);
      }
      assert.equal(existsSync(lockPath(out)), false, 'released');
      assert.equal(existsSync(`${lockPath(out)}.takeover`), false);
    }
  });

  test('aborted half-way: rejects with kind aborted, keeps a consistent checkpoint, and a second run completes the same file', async (t) => {
    const dir = tempDir(t);
    const reference = join(dir, 'reference.ndjson');
    await exportTickets({ client, ...RANGE, out: reference });
    const out = join(dir, 'resumed.ndjson');
    const controller = new AbortController();
    let calls = 0;
    const err = await exportTickets({
      client, ...RANGE, out, signal: controller.signal,
      onProgress: (p) => { if (p.monthsDone >= 5 && ++calls === 3) controller.abort(); },
    }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'aborted');
    assert.match(err.message, /^exportTickets: aborted after \d+ tickets; the checkpoint is saved, run the same export again to continue$/);
    const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
    assert.equal(cp.windows.done >= 5 && cp.windows.done < 14, true, `months done: ${cp.windows.done}`);
    assert.equal(statSync(out).size, cp.output.bytes, 'the output ends where the checkpoint says');
    assert.equal(ndjsonIds(out).length, cp.output.tickets);
    const kept = Object.values(cp.seen).reduce((n, ids) => n + ids.length, 0);
    assert.ok(kept > 0, 'ids that can come back are kept');
    assert.ok(kept < cp.output.tickets / 2, `only those: ${kept} of ${cp.output.tickets} ids are kept`);
    // a checkpoint whose API root is written another way a URL reads as the same (an earlier
    // version kept a workspace's capitals, `https://Acme.glassix.com/…`) is of the same export
    const upper = cp.api.replace(/^http:/, 'HTTP:');
    assert.notEqual(upper, cp.api);
    writeFileSync(checkpointPath(out), JSON.stringify({ ...cp, api: upper }));
    // bytes written but not checkpointed when the process died (a page, then its tickets changed
    // before the next run: here longer than all the rest) are cut off, never left at the end
    appendFileSync(out, `${readFileSync(reference, 'utf8')}{"id":1,"sta`);
    const result = await exportTickets({ client, ...RANGE, out });
    assert.equal(result.resumed, true);
    assert.ok(result.ticketsThisRun < result.ticketsWritten);
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'same bytes as an uninterrupted export');
    assert.equal(existsSync(checkpointPath(out)), false);
  });

  test('an async onProgress that rejects stops the export as a throwing one does: it rejects with that error (the process is not ended by an unhandled rejection), the checkpoint is consistent, and a second run completes the same file', async (t) => {
    const dir = tempDir(t);
    const reference = join(dir, 'reference.ndjson');
    await exportTickets({ client, ...RANGE, out: reference });
    const out = join(dir, 'async.ndjson');
    const unhandled = [];
    const onUnhandled = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    t.after(() => process.removeListener('unhandledRejection', onUnhandled));
    const boom = new Error('progress store is down');
    let calls = 0;
    const err = await exportTickets({
      client, ...RANGE, out,
      onProgress: async (p) => { calls += 1; if (p.monthsDone >= 3) throw boom; },
    }).then(() => null, (e) => e);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(err, boom);
    assert.deepEqual(unhandled, []);
    const callsAtEnd = calls;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls, callsAtEnd, 'no progress after the export rejected');
    const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
    assert.ok(cp.windows.done >= 3 && cp.windows.done < 14, `months done: ${cp.windows.done}`);
    assert.equal(statSync(out).size, cp.output.bytes, 'the output ends where the checkpoint says');
    assert.equal(existsSync(lockPath(out)), false, 'the lock is released');
    const result = await exportTickets({ client, ...RANGE, out });
    assert.equal(result.resumed, true);
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'same bytes as an uninterrupted export');
  });

  test('an export whose signal is already aborted writes nothing, sends nothing, and says so (not that a checkpoint is saved)', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'never.ndjson');
    const before = sb.requests.length;
    const err = await exportTickets({ client, ...RANGE, out, signal: AbortSignal.abort() }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'aborted');
    assert.equal(err.message, 'exportTickets: aborted after 0 tickets; nothing was written');
    assert.equal(existsSync(out) || existsSync(checkpointPath(out)), false);
    assert.equal(sb.requests.length, before);
  });

  test('an export aborted while its first page is read leaves no output and no checkpoint, and says nothing was written', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'early.ndjson');
    const before = sb.requests.length;
    const controller = new AbortController();
    sb.setFaults({ latencyMs: 200 });
    t.after(() => sb.setFaults({ latencyMs: 0 }));
    // aborted once the first tickets/list request has reached the sandbox (answered 200 ms later)
    const watch = setInterval(() => { if (sb.requests.slice(before).some((r) => r.path.includes('/tickets/list'))) controller.abort(); }, 0);
    const err = await exportTickets({ client, ...RANGE, out, signal: controller.signal }).then(() => null, (e) => e).finally(() => clearInterval(watch));
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'aborted');
    assert.equal(err.message, 'exportTickets: aborted after 0 tickets; nothing was written');
    assert.equal(existsSync(out) || existsSync(checkpointPath(out)), false);
  });

  test('a fresh export aborted after it finished a month of no tickets keeps its output and checkpoint (a month finished is progress), and a second run completes the same file', async (t) => {
    // November 2023 has no ticket in the sandbox (its tickets start on 2024-01-01)
    const dir = tempDir(t);
    const range = { since: '2023-11-01', until: '2024-01-20' };
    const reference = join(dir, 'reference.ndjson');
    await exportTickets({ client, ...range, out: reference });
    const out = join(dir, 'stopped.ndjson');
    const controller = new AbortController();
    const err = await exportTickets({
      client, ...range, out, concurrency: 1, signal: controller.signal,
      onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); },
    }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'aborted');
    assert.equal(err.message, 'exportTickets: aborted after 0 tickets; the checkpoint is saved, run the same export again to continue');
    const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
    assert.equal(cp.windows.done, 1, 'the empty month is recorded as done');
    assert.equal(cp.output.tickets, 0);
    assert.equal(existsSync(out), true);
    const result = await exportTickets({ client, ...range, out });
    assert.equal(result.resumed, true);
    assert.ok(readFileSync(out).equals(readFileSync(reference)), 'same bytes as an uninterrupted export');
  });

  test('without until it reads up to now, and a resumed run keeps the first run\'s until', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'open-ended.ndjson');
    const controller = new AbortController();
    await exportTickets({ client, since: '2025-01-01', out, signal: controller.signal, onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); } })
      .then(() => assert.fail('should have been aborted'), (e) => assert.equal(e.kind, 'aborted'));
    const cp = JSON.parse(readFileSync(checkpointPath(out), 'utf8'));
    assert.ok(Math.abs(Date.parse(cp.until) - Date.now()) < 60_000, cp.until);
    await new Promise((r) => setTimeout(r, 20));
    const result = await exportTickets({ client, since: '2025-01-01', out });
    assert.equal(result.until.getTime(), Date.parse(cp.until));
    assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.UTC(2025, 0, 1), Date.parse(cp.until)));
  });

  test('without until, a checkpoint whose until was given is refused; one whose until defaulted to now is continued', async (t) => {
    const dir = tempDir(t);
    const stopAfterAMonth = async (options) => {
      const controller = new AbortController();
      await exportTickets({ client, ...options, signal: controller.signal, onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); } })
        .then(() => assert.fail('should have been aborted'), (e) => assert.equal(e.kind, 'aborted'));
      return JSON.parse(readFileSync(checkpointPath(options.out), 'utf8'));
    };
    // a checkpoint of an explicit range: leaving until out (= now) is another range
    const out = join(dir, 'h1.ndjson');
    const cp = await stopAfterAMonth({ since: '2024-01-01', until: '2024-06-30', out });
    assert.equal(cp.untilGiven, true);
    const before = sb.requests.length;
    const cpText = readFileSync(checkpointPath(out), 'utf8');
    const err = await exportTickets({ client, since: '2024-01-01', out }).then(() => null, (e) => e);
    assert.equal(err?.kind, 'invalid_argument', String(err));
    assert.match(err.message, /from a different export \(until 2024-06-30T23:59:59\.999Z.*\); pass until 2024-06-30T23:59:59\.999Z to continue it, or pass force to start over$/);
    assert.equal(sb.requests.length, before, 'no request was made');
    assert.equal(readFileSync(checkpointPath(out), 'utf8'), cpText, 'the checkpoint is left as it was');
    // a checkpoint written before untilGiven existed counts as one with until given
    const { untilGiven, ...old } = cp;
    writeFileSync(checkpointPath(out), JSON.stringify(old));
    await assert.rejects(exportTickets({ client, since: '2024-01-01', out }), /from a different export \(until 2024-06-30T23:59:59\.999Z/);
    // the same until, written as the checkpoint says, continues it
    const result = await exportTickets({ client, since: '2024-01-01', until: '2024-06-30T23:59:59.999Z', out });
    assert.equal(result.resumed, true);
    assert.equal(result.untilGiven, true);
    assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1) - 1));

    // a checkpoint whose until defaulted to now: the same call without until continues it, up to
    // the first run's now, and says so
    const open = join(dir, 'open.ndjson');
    const openCp = await stopAfterAMonth({ since: '2025-01-01', out: open });
    assert.equal(openCp.untilGiven, false);
    await new Promise((r) => setTimeout(r, 20));
    const progress = [];
    const resumed = await exportTickets({ client, since: '2025-01-01', out: open, onProgress: (p) => progress.push(p) });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.untilGiven, false);
    assert.equal(resumed.until.getTime(), Date.parse(openCp.until));
    assert.ok(progress.every((p) => p.resumed && p.untilGiven === false));

    // an until in the future is read up to the first run's now, the same in a fresh and a resumed run
    const later = join(dir, 'later.ndjson');
    const laterCp = await stopAfterAMonth({ since: '2025-01-01', until: '2999-01-01', out: later });
    const again = await exportTickets({ client, since: '2025-01-01', until: '2999-01-01', out: later });
    assert.equal(again.resumed, true);
    assert.equal(again.until.getTime(), Date.parse(laterCp.end));
    const fresh = await exportTickets({ client, since: '2025-01-01', until: '2999-01-01', out: join(dir, 'fresh.ndjson') });
    assert.equal(fresh.until.getTime() % 10, 0, `${fresh.until.toISOString()}: now, capped as the requests' end`);
  });

  test('the states of a checkpoint are a set: the same states in another order, case or repeated continue it', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'states.ndjson');
    writeFileSync(out, '');
    // as a run with --state Open,Closed wrote it (states sorted), before its first page
    writeFileSync(checkpointPath(out), JSON.stringify({ ...(await checkpointOf()), states: ['Closed', 'Open'] }));
    const result = await exportTickets({ client, since: '2024-01-01', until: '2024-02-01', state: 'open,Closed,OPEN', out });
    assert.equal(result.resumed, true, 'continued, not refused as an export of other states');
    assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 2) - 10, ['Open', 'Closed']));
  });

  test("account: a checkpoint is continued by the account that wrote it, or by a run that names none; another is refused before any request", async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'account.ndjson');
    const range = { since: '2025-01-01', until: '2025-02-28' };
    const controller = new AbortController();
    await exportTickets({ client, ...range, out, account: 'department-a', signal: controller.signal, onProgress: (p) => { if (p.monthsDone === 1) controller.abort(); } })
      .then(() => assert.fail('should have been aborted'), (e) => assert.equal(e.kind, 'aborted'));
    assert.equal(JSON.parse(readFileSync(checkpointPath(out), 'utf8')).account, 'department-a');
    const before = sb.requests.length;
    const err = await exportTickets({ client, ...range, out, account: 'department-b' }).then(() => null, (e) => e);
    assert.equal(err?.kind, 'invalid_argument');
    assert.match(err.message, /from a different export \(another account\)/);
    assert.equal(sb.requests.length, before, 'no request was made');
    // a run that names no account cannot be compared: it continues, and the checkpoint keeps the name
    const again = new AbortController();
    await exportTickets({ client, ...range, out, signal: again.signal, onProgress: (p) => { if (p.monthsDone === 1 && p.ticketsThisRun > 0) again.abort(); } })
      .catch((e) => assert.equal(e.kind, 'aborted'));
    if (existsSync(checkpointPath(out))) {
      assert.equal(JSON.parse(readFileSync(checkpointPath(out), 'utf8')).account, 'department-a');
      await exportTickets({ client, ...range, out, account: 'department-a' });
    }
    assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.UTC(2025, 0, 1), Date.UTC(2025, 2, 1) - 1));
  });

  test('a signal-like object (a boolean aborted and an addEventListener, no removeEventListener) is taken as a signal: the export completes', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'signal-like.ndjson');
    let listening = 0;
    const signal = { aborted: false, addEventListener: () => { listening += 1; } };
    const result = await exportTickets({ client, since: '2025-01-01', until: '2025-01-31', out, signal });
    assert.ok(listening >= 1, 'it listened to the signal');
    assertEachOnce(ndjsonIds(out), idsInRange(sb, Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1) - 1));
    assert.equal(result.ticketsWritten, ndjsonIds(out).length);
    assert.equal(existsSync(checkpointPath(out)), false, 'finished: its checkpoint is gone');
  });

  test('out may be a writable stream: the same bytes, no checkpoint', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'file.ndjson');
    await exportTickets({ client, since: '2024-05-01', until: '2024-06-30', out: file });
    const chunks = [];
    const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(chunk); setImmediate(cb); } });
    const result = await exportTickets({ client, since: '2024-05-01', until: '2024-06-30', out: stream });
    assert.ok(Buffer.concat(chunks).equals(readFileSync(file)));
    assert.equal(result.bytes, statSync(file).size);
  });

  test('a stream export aborted on its first page says the output cannot be continued (its CSV header was written), not that nothing was', async () => {
    const chunks = [];
    const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(chunk); setImmediate(cb); } });
    const controller = new AbortController();
    const err = await exportTickets({ client, since: '2024-05-01', until: '2024-06-30', format: 'csv', out: stream, signal: controller.signal, onProgress: () => controller.abort() })
      .then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError && err.kind === 'aborted', String(err));
    assert.match(err.message, /^exportTickets: aborted after \d+ tickets; the output is a stream, so the export cannot be continued$/);
    assert.ok(Buffer.concat(chunks).length > 0, 'the header went out');
  });

  test('every bad input rejects with invalid_argument before any request or file is touched', async (t) => {
    const dir = tempDir(t);
    const existing = join(dir, 'existing.ndjson');
    writeFileSync(existing, 'keep me\n');
    const stale = join(dir, 'stale.ndjson');
    writeFileSync(stale, '');
    writeFileSync(checkpointPath(stale), JSON.stringify({ ...(await checkpointOf(dir)), since: '2023-01-01T00:00:00.000Z' }));
    const csvCp = join(dir, 'csv.ndjson');
    writeFileSync(csvCp, '');
    writeFileSync(checkpointPath(csvCp), JSON.stringify({ ...(await checkpointOf(dir)), format: 'csv', columns: ['id'] }));
    const months = join(dir, 'months.ndjson');
    writeFileSync(months, '');
    writeFileSync(checkpointPath(months), JSON.stringify({ ...(await checkpointOf(dir)), windows: { total: 3, done: 1 } }));
    const odd = join(dir, 'odd.ndjson');
    writeFileSync(odd, '');
    writeFileSync(checkpointPath(odd), JSON.stringify({ ...(await checkpointOf(dir)), output: { bytes: -1, tickets: 0 } }));
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, '');
    writeFileSync(checkpointPath(broken), '{ not json');
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, '{"id":1}\n');
    writeFileSync(checkpointPath(cut), JSON.stringify({ ...(await checkpointOf(dir)), output: { bytes: 100, tickets: 3 } }));
    const gone = join(dir, 'gone.ndjson');
    writeFileSync(checkpointPath(gone), JSON.stringify({ ...(await checkpointOf(dir)), output: { bytes: 100, tickets: 3 } }));
    const acct = join(dir, 'acct.ndjson');
    writeFileSync(acct, '');
    writeFileSync(checkpointPath(acct), JSON.stringify({ ...(await checkpointOf(dir)), account: 'department-a' }));
    // (its until defaulted to now: only the account differs, and no until would continue it)
    const acctOpen = join(dir, 'acct-open.ndjson');
    writeFileSync(acctOpen, '');
    writeFileSync(checkpointPath(acctOpen), JSON.stringify({ ...(await checkpointOf(dir)), untilGiven: false, account: 'department-a' }));
    const out = join(dir, 'new.ndjson');
    const cases = [
      [{ since: '2024-01-01', until: '2024-02-01', out: acct, account: 'department-b' }, /acct\.ndjson\.checkpoint\.json is from a different export \(another account\); run that export again to continue it, or pass force to start over/],
      [{ since: '2024-01-01', out: acctOpen, account: 'department-b' }, /acct-open\.ndjson\.checkpoint\.json is from a different export \(another account\); run that export again to continue it, or pass force to start over$/],
      [{ since: '2024-01-01', until: '2024-02-01', out, account: '' }, /account must be a non-empty string of up to 200 characters, not ''/],
      [{ since: '2024-01-01', until: '2024-02-01', out, account: 42 }, /account must be a non-empty string/],
      [{ since: '2024-01-01', until: '2024-02-01', out, account: 'x'.repeat(201) }, /account must be a non-empty string of up to 200 characters/],
      [{ since: '2024-01-01', until: '2024-02-01', out: cut }, /cut\.ndjson is shorter \(9 bytes\) than its checkpoint says \(100\); it was changed since/],
      [{ since: '2024-01-01', until: '2024-02-01', out: gone }, /gone\.ndjson is missing, though its checkpoint says 100 bytes were written; the export cannot continue: pass force to start over/],
      [{ since: '2024-13-01', until: '2024-12-31', out }, /since '2024-13-01' is not a date/],
      [{ since: '31/02/2024 00:00:00:00', until: '2024-12-31', out }, /not a date/],
      [{ since: '2024-06-01', until: 'yesterday', out }, /until 'yesterday' is not a date/],
      [{ since: '2024-06-01', until: '2024-05-01', out }, /since .* is after until/],
      // a few ms after until: the range rounded out to hundredths must not hide it
      [{ since: '2024-03-01T00:00:00.008Z', until: '2024-03-01T00:00:00.001Z', out }, /since 2024-03-01T00:00:00\.008Z is after until 2024-03-01T00:00:00\.001Z/],
      [{ since: new Date(Date.UTC(2024, 2, 1, 0, 0, 0, 8)), until: new Date(Date.UTC(2024, 2, 1, 0, 0, 0, 1)), out }, /is after until/],
      [{ since: '2024-03-02T00:00:00.000Z', until: '2024-03-01', out }, /is after until/],
      // the API's date form holds the years 0001-9999: an instant outside them, reached through an
      // offset or given as a Date, is refused before a request (not sent as a year 0000 window)
      [{ since: '0001-01-01T00:00:00+01:00', until: '0001-02-01', out }, /since is outside the years 0001-9999/],
      [{ since: new Date(Date.UTC(2024, 0, 1)), until: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 995)), out }, /until is outside the years 0001-9999/],
      // force is a boolean: 'false' would overwrite the output
      [{ since: '2024-01-01', until: '2024-02-01', out: existing, force: 'false' }, /force must be true or false, not 'false'/],
      [{ since: '2024-01-01', until: '2024-02-01', out: existing, force: 1 }, /force must be true or false/],
      [{ since: '2999-01-01', out }, /in the future/],
      [{ since: '2024-01-01', until: '2024-02-01', format: 'xml', out }, /format must be 'ndjson' or 'csv'/],
      [{ since: '2024-01-01', until: '2024-02-01', format: 'csv', columns: 'id,nope', out }, /unknown column 'nope'/],
      [{ since: '2024-01-01', until: '2024-02-01', format: 'csv', columns: 'id,,state', out }, /columns 'id,,state' has an empty name in it/],
      // a CSV of no column, or of one column twice, is a slip: refused, never written
      [{ since: '2024-01-01', until: '2024-02-01', format: 'csv', columns: '', out }, /columns must name at least one column/],
      [{ since: '2024-01-01', until: '2024-02-01', format: 'csv', columns: [], out }, /columns must name at least one column/],
      [{ since: '2024-01-01', until: '2024-02-01', format: 'csv', columns: 'id,state,id', out }, /column 'id' is named twice/],
      [{ since: '2024-01-01', until: '2024-02-01', state: ['Open', ''], out }, /state \[.*\] has an empty name in it|state .* has an empty name/],
      [{ since: '2024-01-01', until: '2024-02-01', columns: ['id'], out }, /columns apply to format 'csv' only/],
      [{ since: '2024-01-01', until: '2024-02-01', state: 'Open,Gone', out }, /unknown state 'Gone'/],
      [{ since: '2024-01-01', until: '2024-02-01', out: existing }, /already exists and has no checkpoint \(a finished export's is deleted, so it is one, or another file\); pass force/],
      [{ since: '2024-01-01', until: '2024-02-01', out: stale }, /from a different export \(since 2023-01-01/],
      [{ since: '2024-01-01', until: '2024-02-01', out: csvCp }, /from a different export \(format csv; columns id\)/],
      [{ since: '2024-01-01', until: '2024-02-01', out: broken }, /not valid JSON; delete it or pass force/],
      // (an output length that no file has: edited, or of another program)
      [{ since: '2024-01-01', until: '2024-02-01', out: odd }, /odd\.ndjson\.checkpoint\.json is not a checkpoint of this version of glassix-wasm export; delete it or pass force to start over/],
      // (its range has 2 months: one counting 3 was written by another rule, or edited)
      [{ since: '2024-01-01', until: '2024-02-01', out: months }, /months\.ndjson\.checkpoint\.json counts 3 months where its range has 2; pass force to start over/],
      [{ since: '2024-01-01', until: '2024-02-01', out: join(dir, 'no', 'such', 'dir.ndjson') }, /directory .* does not exist/],
      [{ since: '2024-01-01', until: '2024-02-01' }, /out must be a file path or a writable stream/],
      [{ since: '2024-01-01', until: '2024-02-01', out, concurrency: 0 }, /concurrency/],
      [{ since: '2024-01-01', until: '2024-02-01', out, nope: 1 }, /unknown option 'nope'/],
      [{ until: '2024-02-01', out }, /since is required/],
    ];
    const before = sb.requests.length;
    for (const [options, message] of cases) {
      const err = await exportTickets({ client, ...options }).then(() => null, (e) => e);
      assert.ok(err instanceof GlassixError, `${JSON.stringify(options)}: ${err}`);
      assert.equal(err.kind, 'invalid_argument', err.message);
      assert.match(err.message, message);
    }
    await assert.rejects(exportTickets({ since: '2024-01-01', out }), /client must be a GlassixClient/);
    assert.equal(sb.requests.length, before, 'no request was made');
    assert.equal(readFileSync(existing, 'utf8'), 'keep me\n', 'an existing file is left alone');
    assert.equal(existsSync(out), false, 'no file was created');
    assert.equal(existsSync(checkpointPath(out)), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.lock')), [], 'no lock was taken or left');
    // force overwrites
    await exportTickets({ client, since: '2024-01-01', until: '2024-01-31', out: existing, force: true });
    assertEachOnce(ndjsonIds(existing), idsInRange(sb, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1) - 1));
    // a day on its own as until is all of that day: a since in its last milliseconds is not after it
    const late = join(dir, 'late.ndjson');
    await exportTickets({ client, since: '2024-03-01T23:59:59.995Z', until: '2024-03-01', out: late });
    assert.ok(existsSync(late));
  });
});

/** A checkpoint as a run for 2024-01-01 … 2024-02-01 (a whole day: up to 01/02 23:59:59.99) would write it, to tamper with. */
async function checkpointOf() {
  return {
    version: 1, kind: 'glassix-wasm export tickets', api: client.toJSON().baseUrl, since: '2024-01-01T00:00:00.000Z',
    until: '2024-02-01T23:59:59.990Z', end: '2024-02-01T23:59:59.990Z', format: 'ndjson', columns: null, states: null,
    windows: { total: 2, done: 0 }, output: { bytes: 0, tickets: 0 }, current: null, seen: {},
  };
}

describe('glassix-wasm/export as a package entry', () => {
  test('import and require give the same functions, and its errors are the client\'s GlassixError', async () => {
    const esm = await import('glassix-wasm/export');
    assert.equal(esm.exportTickets, exportTickets);
    assert.equal(esm.default.exportTickets, exportTickets);
    const err = await exportTickets({}).catch((e) => e);
    assert.ok(err instanceof require('glassix-wasm').GlassixError);
    assert.ok(err instanceof (await import('glassix-wasm')).GlassixError);
  });

  test('the client alone never loads the export, csv-stringify or cli-progress', async () => {
    const { spawnSync } = await import('node:child_process');
    const code = "const G = require('glassix-wasm'); new G({ workspace: 'a', accessToken: 't' }); " +
      "console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /csv-stringify|cli-progress|[\\\\/]export[\\\\/]/.test(f))))";
    const r = spawnSync(process.execPath, ['-e', code], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });
});

describe('export dates', () => {
  const { parseDateString, parseTicketDate, ticketDateSpan, monthWindows } = require('../export/dates.cjs');

  test('ticket dates are read however the API writes them: with or without a zone, up to 7 fraction digits', () => {
    const ms = Date.UTC(2024, 5, 1, 8, 30, 15, 123);
    for (const s of ['2024-06-01T08:30:15.123Z', '2024-06-01T08:30:15.1234567', '2024-06-01T08:30:15.1230000Z', '2024-06-01T10:30:15.123+02:00', '01/06/2024 08:30:15:12']) {
      assert.equal(Math.floor(parseTicketDate(s) / 10), Math.floor(ms / 10), s);
    }
    assert.equal(parseTicketDate('0001-01-01T00:00:00'), new Date('0001-01-01T00:00:00Z').getTime(), '"not set" is year 1, not 1901');
    assert.equal(parseTicketDate(null), null);
    assert.equal(parseTicketDate('soon'), undefined);
    // the span each field's date may stand for, as the API writes that field
    const span = (v, key) => ticketDateSpan(v, key)?.step;
    // (`open` is written in full in the events sample, in whole seconds or hundredths in the
    // ticket reference's: read by its digits, never narrower than it may have been cut)
    assert.equal(span('2024-02-01T00:00:00Z', 'open'), 1000);
    assert.equal(span('2018-11-26T19:42:53.15', 'open'), 10);
    assert.equal(span('2021-03-16T14:17:31.3567578Z', 'open'), 1);
    assert.equal(span('2024-05-08T07:01:56Z', 'close'), 1000, '`close` is cut to the second');
    assert.equal(span('2024-04-02T05:50:39.13', 'lastActivity'), 10, '`lastActivity` is cut to hundredths');
    assert.equal(span('2024-04-02T05:50:39', 'lastActivity'), 10, 'also when no fraction is left');
    assert.equal(span('2024-04-02T05:50:39.135Z', 'lastActivity'), 1, 'milliseconds (dateFormat iso) are exact');
  });

  test('range dates: ISO with or without time and offset, the Glassix form; impossible dates refused', () => {
    assert.deepEqual(parseDateString('2025-01-01'), { ms: Date.UTC(2025, 0, 1), dateOnly: true, step: 86_400_000 });
    assert.deepEqual(parseDateString('2025-01-01T08:00:00Z'), { ms: Date.UTC(2025, 0, 1, 8), dateOnly: false, step: 1000 });
    assert.deepEqual(parseDateString('2025-01-01T08:00'), { ms: Date.UTC(2025, 0, 1, 8), dateOnly: false, step: 60_000 });
    // (a fraction of one or two digits may be the API's hundredths, cut: it spans to the next)
    assert.deepEqual(parseDateString('2025-01-01T08:00:00.5-05:30'), { ms: Date.UTC(2025, 0, 1, 13, 30, 0, 500), dateOnly: false, step: 10 });
    assert.deepEqual(parseDateString('2025-01-01T08:00:00.135Z'), { ms: Date.UTC(2025, 0, 1, 8, 0, 0, 135), dateOnly: false, step: 1 });
    assert.deepEqual(parseDateString('31/12/2025 23:59:59:99'), { ms: Date.UTC(2025, 11, 31, 23, 59, 59, 990), dateOnly: false, step: 10 });
    // (the client's shorter forms of the API's: `dd/MM/yyyy HH:mm` as well)
    assert.deepEqual(parseDateString('31/12/2025 23:59'), { ms: Date.UTC(2025, 11, 31, 23, 59), dateOnly: false, step: 60_000 });
    assert.deepEqual(parseDateString('31/12/2025 23:59:30'), { ms: Date.UTC(2025, 11, 31, 23, 59, 30), dateOnly: false, step: 1000 });
    // (`ff` is a fraction: one digit is tenths, as `.5` is in ISO, not five hundredths)
    assert.deepEqual(parseDateString('31/12/2025 23:59:30:5'), { ms: Date.UTC(2025, 11, 31, 23, 59, 30, 500), dateOnly: false, step: 10 });
    // (an offset is at most 23:59: +24:00 is a slip, never read as a day's shift)
    for (const bad of ['2025-02-29', '29/02/2025', '2025-01-01T24:00:00Z', '2025-01-01T08:00:00+24:00', '2025-01-01T08:00:00+02:60', '2025-1-1', '1/1/2025', 'today', '']) assert.equal(parseDateString(bad), null, bad);
  });

  test('month windows follow the client rule: each a month from its own start, touching, none longer', () => {
    const w = monthWindows(Date.UTC(2024, 0, 31, 10), Date.UTC(2024, 4, 1));
    assert.deepEqual(w.map(([a, b]) => [new Date(a).toISOString().slice(0, 13), new Date(b).toISOString().slice(0, 13)]), [
      ['2024-01-31T10', '2024-02-29T10'], ['2024-02-29T10', '2024-03-29T10'], ['2024-03-29T10', '2024-04-29T10'], ['2024-04-29T10', '2024-05-01T00'],
    ]);
    // a range of whole months is that many windows: none empty after the last (months 12/12, not 12/13)
    assert.deepEqual(monthWindows(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)), [[Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)]]);
    assert.equal(monthWindows(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1)).length, 12);
  });
});

describe('export checkpoint ids', () => {
  const { SeenIds, decodeSeen } = require('../export/checkpoint.cjs');
  // what the checkpoint has always held: by window (ascending), the ids sorted, the first as is
  // and each next one as the difference to the one before
  const reference = (byId) => {
    const groups = new Map();
    for (const [id, w] of byId) groups.set(w, [...(groups.get(w) ?? []), id]);
    const out = {};
    for (const w of [...groups.keys()].sort((a, b) => a - b)) {
      const ids = groups.get(w).sort((a, b) => a - b);
      out[w] = ids.map((id, i) => (i === 0 ? id : id - ids[i - 1]));
    }
    return out;
  };

  test('ids recorded page by page in no order give the checkpoint text they always gave, through forgetting a window and a resume', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const seen = new SeenIds();
    const byId = new Map();
    let next = 1000;
    for (let page = 0; page < 60; page += 1) {
      for (let i = 0; i < 100; i += 1) {
        const id = next + Math.floor(random() * 50_000);
        if (byId.has(id)) continue;
        const w = Math.floor(page / 20) + Math.floor(random() * 3);
        seen.add(id, w);
        byId.set(id, w);
      }
      if (page % 20 === 19) {
        const done = (page + 1) / 20 - 1; // the window just finished
        seen.forgetUpTo(done);
        for (const [id, w] of byId) if (w <= done) byId.delete(id);
      }
      const json = JSON.stringify(seen);
      assert.equal(json, JSON.stringify(reference(byId)), `page ${page}`);
      assert.equal(seen.size, byId.size);
      for (const id of [...byId.keys()].slice(0, 50)) assert.ok(seen.has(id));
      // a resumed run reads it back as it was
      const resumed = decodeSeen(JSON.parse(json));
      assert.equal(JSON.stringify(resumed), json);
      assert.equal(resumed.size, byId.size);
    }
    // an id under two windows (an edited file) is kept to the later one, as before
    const twice = decodeSeen({ 2: [5, 3], 4: [8] });
    assert.equal(JSON.stringify(twice), JSON.stringify({ 2: [5], 4: [8] }));
    twice.forgetUpTo(2);
    assert.ok(twice.has(8) && !twice.has(5));
  });

  test('a month of thousands of tickets listed in no id order: each id is sorted once, not the whole month again on every page', async (t) => {
    // (a count of what is sorted, not a time: re-sorting the month's ids for every page cost about
    // 25 s of CPU for 80,000 tickets in one month; this month has 6,000)
    const month = await startSandbox({ generateTickets: { count: 6000, since: '2024-03-01T00:00:00Z', until: '2024-03-31T23:00:00Z', seed: 3 }, now: () => NOW });
    t.after(() => month.close());
    const out = join(tempDir(t), 'month.ndjson');
    let sortedIds = 0;
    const counted = (proto) => {
      const original = proto.sort;
      proto.sort = function sort(...args) {
        if (typeof this[0] === 'number') sortedIds += this.length;
        return original.apply(this, args);
      };
      t.after(() => { proto.sort = original; });
    };
    counted(Array.prototype);
    counted(Object.getPrototypeOf(Int32Array.prototype));
    const result = await exportTickets({ client: clientOf(month), since: '2024-03-01', until: '2024-03-31', out });
    assert.equal(result.ticketsWritten, 6000);
    const ids = ndjsonIds(out);
    assert.ok(ids.some((id, i) => i > 0 && id < ids[i - 1]) && ids.some((id, i) => i > 0 && id > ids[i - 1]), 'the sandbox lists them in no id order');
    assert.ok(sortedIds <= 2 * result.ticketsWritten, `${sortedIds} ids sorted for ${result.ticketsWritten} tickets`);
  });
});

/** The clock of the two clock-skew tests below: `Date.now()` runs from T0 (moved on by
 * `clock.offset` ms) until the test ends. */
const T0 = Date.UTC(2025, 4, 31, 12, 0, 0);
function fakeClock(t) {
  const realNow = Date.now;
  const started = realNow();
  const clock = { offset: 0 };
  Date.now = () => T0 + (realNow() - started) + clock.offset;
  t.after(() => { Date.now = realNow; });
  return clock;
}

/** Whether one of a fake ticket's dates falls in [a, b]. */
const dated = (tk, a, b) => ['open', 'close', 'lastActivity'].some((k) => tk[k] && Date.parse(tk[k]) >= a && Date.parse(tk[k]) <= b);

test('without until, a ticket read in the run\'s first two minutes is kept to the last month also when it is written later (a month read ahead): changed meanwhile, by an API clock behind this one, into the last month, it is not written twice', async (t) => {
  // A fake API on a fake clock: the run starts at T0; while its first month is written, the
  // clock moves past T0 + 2 minutes, and a ticket of the second month, already read (read ahead),
  // is changed. An API clock 2 minutes behind dates the change 30 s before T0: in the last month.
  const clock = fakeClock(t);
  const db = new Map([
    [1, { id: 1, open: '2025-03-20T10:00:00Z', lastActivity: '2025-03-20T11:00:00Z' }],
    [2, { id: 2, open: '2025-04-20T10:00:00Z', lastActivity: '2025-04-20T11:00:00Z' }],
    [3, { id: 3, open: '2025-05-20T10:00:00Z', lastActivity: '2025-05-20T11:00:00Z' }],
  ]);
  async function* list({ since, until }) {
    const [a, b] = [since.getTime(), until.getTime()];
    // (the listing is fixed at its first request, each ticket shown as it is when its page is read)
    const ids = [...db.values()].filter((tk) => dated(tk, a, b)).map((tk) => tk.id);
    for (const id of ids) {
      yield structuredClone(db.get(id));
      if (id === 1) {
        await new Promise((r) => setTimeout(r, 20));
        clock.offset = 3 * 60_000;
        db.get(2).lastActivity = new Date(T0 - 30_000).toISOString();
      }
    }
  }
  const client = { tickets: { iterate: (params) => list(params) } };
  const lines = [];
  const out = new Writable({ write(chunk, _, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const result = await exportTickets({ client, since: '2025-03-15', out });
  assert.equal(result.months, 3);
  assert.equal(clock.offset, 3 * 60_000, 'the ticket was changed during the run');
  assert.deepEqual(lines.map((l) => JSON.parse(l).id), [1, 2, 3], 'each ticket once');
  assert.equal(result.duplicatesSkipped, 1, 'listed again in the last month, and skipped');
});

test('without until, a read-ahead month of pages shorter than 100 (the API says at most 100): the rest of a page pushed after the reader waited for room keeps the time its page came, and a ticket changed meanwhile is not written twice', async (t) => {
  const clock = fakeClock(t);
  const db = new Map([[1, { id: 1, open: '2025-03-20T10:00:00Z', lastActivity: '2025-03-20T11:00:00Z' }]]);
  for (let id = 2; id <= 211; id += 1) db.set(id, { id, open: '2025-04-20T10:00:00Z', lastActivity: '2025-04-20T11:00:00Z' });
  const X = 206; // on page 3 of April (pages of 70), after the 200 the reader holds
  async function* list({ since, until }) {
    const [a, b] = [since.getTime(), until.getTime()];
    const ids = [...db.values()].filter((tk) => dated(tk, a, b)).map((tk) => tk.id);
    for (let i = 0; i < ids.length; i += 70) {
      const page = ids.slice(i, i + 70).map((id) => structuredClone(db.get(id))); // one response
      for (const tk of page) {
        yield tk;
        if (tk.id === 1) {
          await new Promise((r) => setTimeout(r, 100)); // April's reader fills up meanwhile
          clock.offset = 3 * 60_000;
          db.get(X).lastActivity = new Date(T0 - 30_000).toISOString();
        }
      }
    }
  }
  const client = { tickets: { iterate: (params) => list(params) } };
  const lines = [];
  const out = new Writable({ write(chunk, _, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const result = await exportTickets({ client, since: '2025-03-15', out });
  const ids = lines.map((l) => JSON.parse(l).id);
  assert.equal(ids.filter((id) => id === X).length, 1, `ticket ${X} written once (written ${ids.length} lines)`);
  assert.equal(result.duplicatesSkipped, 1);
});

describe('exportTickets against a server that lists junk', () => {
  test('a listed ticket without an id is a parse error naming it, also when the range is finer than hundredths', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    let listed = null;
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [listed], paging: null }));
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    // (0 and below are no ticket's id either: 0 would be written, and skipped as a repeat of any other 0)
    for (const [ticket, shown] of [[null, "'null'"], [{ id: 0 }, "'0'"], [{ id: -3 }, "'-3'"], [{ id: '7' }, `'"7"'`]]) {
      listed = ticket;
      for (const since of ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.005Z']) {
        const stream = new Writable({ write(chunk, _enc, cb) { cb(); } });
        const err = await exportTickets({ client, since, until: '2024-01-02T00:00:00.000Z', out: stream }).then(() => null, (e) => e);
        assert.ok(err instanceof GlassixError, `${since}: ${err}`);
        assert.equal(err.kind, 'parse', since);
        assert.ok(err.message.includes(`listed a ticket without a positive integer id (${shown})`), err.message);
      }
    }
  });

  test('an id a later month may still list (its dates within a day of that month: an API writing zone-less dates in its own time) is kept to that month and written once', async (t) => {
    // every window lists the one ticket, last active two hours before the second window starts;
    // the range ended long ago, so only its dates (with the day's slack) say how long to keep it
    const s = await startServer();
    t.after(() => s.close());
    const ticket = { id: 5, state: 'Open', open: '2024-01-31T20:00:00Z', lastActivity: '2024-01-31T22:00:00' };
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [ticket], paging: null }));
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const chunks = [];
    const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(chunk); cb(); } });
    const result = await exportTickets({ client, since: '2024-01-01', until: '2024-02-15', out: stream });
    assert.equal(result.months, 2);
    assert.equal(s.requests.filter((r) => /\/tickets\/list$/.test(r.path)).length, 2, 'both months listed it');
    assert.equal(Buffer.concat(chunks).toString(), `${JSON.stringify(ticket)}\n`, 'written once');
    assert.equal(result.duplicatesSkipped, 1);
  });

  test('a ticket with an integer beyond 2^53 (rounded by JSON.parse) stops the export instead of being written rounded', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const ok = '{"id":7,"open":"2024-01-01T10:00:00Z","lastActivity":"2024-01-01T10:00:00Z","amount":1.50}';
    const big = '{"id":8,"open":"2024-01-01T11:00:00Z","lastActivity":"2024-01-01T11:00:00Z","transactions":[{"id":12345678901234567891}]}';
    let body = `{"tickets":[${ok}],"paging":null}`;
    s.route('GET', '/tickets/list', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const range = { since: '2024-01-01T00:00:00.000Z', until: '2024-01-02T00:00:00.000Z' };
    const lines = [];
    const sink = () => new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    await exportTickets({ client, ...range, out: sink() });
    assert.deepEqual(lines.join('').trim().split('\n').map((l) => JSON.parse(l).amount), [1.5], 'a safe number is the same value');
    body = `{"tickets":[${ok},${big}],"paging":null}`;
    lines.length = 0;
    const err = await exportTickets({ client, ...range, out: sink() }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'parse');
    assert.match(err.message, /^exportTickets: ticket 8 holds an integer beyond 2\^53 at '\.transactions\[0\]\.id'/);
    assert.equal(lines.join(''), '', 'nothing of that page was written');
  });

  test('CSV: otherFields keeps every field the model does not name, one called __proto__ too (as NDJSON does)', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const ticket = '{"id":9,"open":"2024-01-01T10:00:00Z","lastActivity":"2024-01-01T10:00:00Z","__proto__":{"x":1},"extra":"e"}';
    s.route('GET', '/tickets/list', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"tickets":[${ticket}],"paging":null}`);
    });
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const range = { since: '2024-01-01T00:00:00.000Z', until: '2024-01-02T00:00:00.000Z' };
    const chunks = [];
    const sink = () => new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
    await exportTickets({ client, ...range, out: sink() });
    assert.equal(chunks.join(''), `${JSON.stringify(JSON.parse(ticket))}\n`, 'NDJSON: as the API sent it');
    chunks.length = 0;
    await exportTickets({ client, ...range, format: 'csv', columns: ['id', 'otherFields'], out: sink() });
    const [row] = parse(chunks.join(''), { columns: true });
    assert.equal(row.otherFields, '{"__proto__":{"x":1},"extra":"e"}');
  });

  test('CSV: a ticket whose text holds a lone UTF-16 surrogate stops the export, naming the column, rather than be written with U+FFFD; NDJSON keeps it escaped', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const ok = '{"id":7,"open":"2024-01-01T10:00:00Z","lastActivity":"2024-01-01T10:00:00Z","field1":"\\ud83d\\ude00 fine","tags":["\\ud800 in JSON text"]}';
    const lone = '{"id":8,"open":"2024-01-01T11:00:00Z","lastActivity":"2024-01-01T11:00:00Z","field3":"\\ud800lone"}';
    let listed = [ok, lone];
    s.route('GET', '/tickets/list', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"tickets":[${listed.join(',')}],"paging":null}`);
    });
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const range = { since: '2024-01-01T00:00:00.000Z', until: '2024-01-02T00:00:00.000Z' };
    const chunks = [];
    const sink = () => new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
    const err = await exportTickets({ client, ...range, format: 'csv', out: sink() }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'parse');
    assert.equal(err.message, "exportTickets: ticket 8 holds a lone UTF-16 surrogate in 'field3', which a CSV file (UTF-8) cannot hold: stopped rather than write it replaced (NDJSON keeps it, escaped)");
    assert.ok(!chunks.join('').includes('\ufffd'), 'nothing was written replaced');
    // a lone low surrogate (the second half of a pair whose first is missing) is as unwritable
    listed = [ok, '{"id":9,"open":"2024-01-01T11:00:00Z","lastActivity":"2024-01-01T11:00:00Z","field2":"x\\udc00"}'];
    const low = await exportTickets({ client, ...range, format: 'csv', out: sink() }).then(() => null, (e) => e);
    assert.equal(low?.message, "exportTickets: ticket 9 holds a lone UTF-16 surrogate in 'field2', which a CSV file (UTF-8) cannot hold: stopped rather than write it replaced (NDJSON keeps it, escaped)");
    listed = [ok, lone];
    // a column the export does not write is no reason to stop; NDJSON writes it escaped
    chunks.length = 0;
    await exportTickets({ client, ...range, format: 'csv', columns: ['id', 'field1', 'tags'], out: sink() });
    assert.deepEqual(parse(chunks.join(''), { columns: true }).map((r) => [r.id, r.field1, r.tags]), [['7', '\ud83d\ude00 fine', '["\\ud800 in JSON text"]'], ['8', '', '']]);
    chunks.length = 0;
    await exportTickets({ client, ...range, out: sink() });
    assert.match(chunks.join(''), /"field3":"\\ud800lone"/);
  });

  test('max429Ms counts one page\'s streak of 429s: a page that comes ends it, and the next page refused so has the whole bound again', async (t) => {
    // two pages, each refused once with a 429 (Retry-After: 0, waited out as a second) before it
    // comes; the bound allows one such wait: each page's, not one for the month
    const s = await startServer();
    t.after(() => s.close());
    const refused = new Set();
    s.route('GET', '/tickets/list', (req, res, rec) => {
      const page = rec.query.page ?? '1';
      if (!refused.has(page)) {
        refused.add(page);
        return json(res, 429, { message: 'Too many requests' }, { 'retry-after': '0' });
      }
      json(res, 200, { tickets: [{ id: Number(page), open: '2024-01-01T10:00:00Z' }], paging: page === '1' ? { next: `${s.base}/tickets/list?page=2` } : null });
    });
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef', maxRetries: 0 });
    const chunks = [];
    const out = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
    await exportTickets({ client, since: '2024-01-01', until: '2024-01-01', out, max429Ms: 1000 });
    assert.deepEqual(chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l).id), [1, 2]);
    assert.deepEqual(s.calls.map((r) => r.query.page ?? '1'), ['1', '1', '2', '2'], 'each page asked for twice');
  });

  test('a 429 asking for exactly 60 s is still the API pacing the export: waited out (the wait seen, not spent: timers of a minute run at once here), then the page is asked for again', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    let first = true;
    s.route('GET', '/tickets/list', (req, res) => {
      if (first) {
        first = false;
        return json(res, 429, { message: 'Too many requests' }, { 'retry-after': '60' });
      }
      json(res, 200, { tickets: [{ id: 3, open: '2024-01-01T10:00:00Z' }], paging: null });
    });
    // (a request timeout of its own, so that the only timer of a minute is the export's wait)
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef', maxRetries: 0, timeout: 30_000 });
    // (the export's wait of 60 s and the client's own 429 pause, which ends on the same Retry-After,
    // both run at once, the wall clock moved on by what they stood for: the client's timers
    // re-arm for what is left unless `Date` says the time has passed, js/exchange.js `timer`)
    const waits = [];
    const realSetTimeout = globalThis.setTimeout;
    const realNow = Date.now;
    let ahead = 0;
    Date.now = () => realNow() + ahead;
    globalThis.setTimeout = (fn, ms, ...rest) => {
      if (ms >= 60_000) waits.push(ms);
      if (ms < 50_000) return realSetTimeout(fn, ms, ...rest);
      ahead += ms;
      return realSetTimeout(fn, 0, ...rest);
    };
    let result;
    try {
      result = await exportTickets({ client, since: '2024-01-01', until: '2024-01-01', out: new Writable({ write(chunk, _enc, cb) { cb(); } }) });
    } finally {
      globalThis.setTimeout = realSetTimeout;
      Date.now = realNow;
    }
    assert.deepEqual(waits, [60_000]);
    assert.equal(result.ticketsWritten, 1);
    assert.equal(s.calls.length, 2);
  });

  test('a stream destroyed with an error while the export writes to it rejects the export with that error as it is, not the ERR_STREAM_DESTROYED of the next write', async (t) => {
    // one page of 250 tickets: the next 100 are read before the first progress report, so the
    // next write is made at once, before the stream has emitted its error (both come next tick)
    const s = await startServer();
    t.after(() => s.close());
    const tickets = Array.from({ length: 250 }, (_, i) => ({ id: i + 1, open: '2024-01-01T10:00:00Z' }));
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets, paging: null }));
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const gone = new Error('the disk went away');
    const stream = new Writable({ write(chunk, _enc, cb) { cb(); } });
    stream.on('error', () => {});
    const err = await exportTickets({
      client, since: '2024-01-01', until: '2024-01-01', out: stream,
      onProgress: (p) => { if (p.ticketsWritten > 0 && !stream.destroyed) stream.destroy(gone); },
    }).then(() => null, (e) => e);
    assert.equal(err, gone, String(err));
  });

  test('CSV: a cell holding a line break, a CR or an LF alone included, is quoted (RFC 4180), so that no reader splits the record there', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const ticket = { id: 8, open: '2024-01-01T11:00:00Z', field1: 'line one\nline two', field2: 'old\rMac', field3: 'both\r\nends', field4: 'plain' };
    s.route('GET', '/tickets/list', (req, res) => json(res, 200, { tickets: [ticket], paging: null }));
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const chunks = [];
    const out = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
    await exportTickets({ client, since: '2024-01-01', until: '2024-01-01', format: 'csv', columns: 'id,field1,field2,field3,field4', out });
    assert.equal(chunks.join(''), 'id,field1,field2,field3,field4\r\n8,"line one\nline two","old\rMac","both\r\nends",plain\r\n');
  });

  test('a checkpoint that cannot be written (its name taken by a folder) fails the export with that error, and its temporary file is removed, not left beside the output', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'blocked.ndjson');
    mkdirSync(checkpointPath(out));
    const err = await exportTickets({ client, since: '2024-03-01', until: '2024-03-20', out, force: true }).then(() => null, (e) => e);
    assert.equal(err?.code, 'EISDIR', String(err));
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary checkpoint left');
  });

  test('a fresh export whose output cannot be removed after an early failure keeps its checkpoint and reports the failure itself', async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const dir = tempDir(t);
    const out = join(dir, 'early.ndjson');
    s.route('GET', '/tickets/list', (req, res) => {
      // the output is replaced by a directory that rm cannot remove, then the API fails
      rmSync(out);
      mkdirSync(join(out, 'inside'), { recursive: true });
      json(res, 400, { message: 'the API refuses' });
    });
    const client = new GlassixClient({ baseUrl: s.base, accessToken: 'token-abcdef' });
    const err = await exportTickets({ client, since: '2024-01-01', until: '2024-01-02', out }).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.kind, 'http');
    assert.match(err.message, /the API refuses/);
    assert.ok(existsSync(checkpointPath(out)), 'the checkpoint stays beside what could not be removed');
  });
});

test("a lock that cannot be written (a full disk: the file is made, its contents are not) is removed again, so the next export is not refused for an empty lock", async (t) => {
  // (the disk is full only for the lock's write: node:fs's writeSync fails for that descriptor,
  // as the kernel's ENOSPC would)
  const require = createRequire(import.meta.url);
  const fs = require('node:fs');
  const { takeLock } = require('../export/checkpoint.cjs');
  const out = join(tempDir(t), 't.ndjson');
  const writeSync = fs.writeSync;
  fs.writeSync = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  try {
    await assert.rejects(takeLock(out), { code: 'ENOSPC' });
  } finally {
    fs.writeSync = writeSync;
  }
  assert.ok(!existsSync(`${out}.checkpoint.lock`), 'no empty lock left behind');
  const lock = await takeLock(out);
  assert.ok(!lock.error, lock.error);
  lock.release();
});

test("the wall clock stepped while an export runs (an NTP correction, a machine that slept): its lock is still this process's, and a second export of the file is refused", async (t) => {
  const require = createRequire(import.meta.url);
  const { takeLock } = require('../export/checkpoint.cjs');
  const out = join(tempDir(t), 't.ndjson');
  const first = await takeLock(out);
  assert.ok(!first.error, first.error);
  // (process.uptime() is monotonic: it moves neither with a step of the wall clock nor during a sleep)
  const now = Date.now;
  Date.now = () => now() + 3600_000;
  let second;
  try {
    second = await takeLock(out);
  } finally {
    Date.now = now;
    second?.release?.();
    first.release();
  }
  assert.match(String(second.error), /is being written by another export \(process \d+\)/, 'refused, not taken over as an earlier life\'s');
});
