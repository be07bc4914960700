// generateTickets / --generate-tickets: many seeded tickets over many months, for exports.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox, client } from './_helpers.mjs';

const BIN = fileURLToPath(new URL('../../bin/glassix-wasm.cjs', import.meta.url));
const SINCE = Date.UTC(2024, 0, 1);
const UNTIL = Date.UTC(2025, 2, 1);

describe('sandbox generateTickets', () => {
  test('creates count tickets of every state spread over the span, some across months and on month starts', async () => {
    const sb = await startSandbox({ generateTickets: { count: 2000, since: '2024-01-01', until: '2025-03-01T00:00:00Z' } });
    try {
      const tickets = [...sb.state.tickets.values()];
      assert.equal(tickets.length, 2000);
      assert.deepEqual(new Set(tickets.map((t) => t.state)), new Set(['Open', 'Closed', 'Pending', 'Snoozed']));
      for (const t of tickets) {
        assert.ok(t.open >= SINCE && t.open <= UNTIL, `open ${t.open}`);
        assert.ok(t.lastActivity >= t.open && t.lastActivity <= UNTIL);
        if (t.state === 'Closed') assert.ok(t.close >= t.open && t.close <= UNTIL);
        else assert.equal(t.close, null);
      }
      const months = new Set(tickets.map((t) => new Date(t.open).toISOString().slice(0, 7)));
      for (let m = 0; m < 14; m += 1) assert.ok(months.has(new Date(Date.UTC(2024, m, 1)).toISOString().slice(0, 7)), `month ${m}`);
      const monthOf = (ms) => new Date(ms).toISOString().slice(0, 7);
      assert.ok(tickets.filter((t) => monthOf(t.open) !== monthOf(t.lastActivity)).length > 100, 'many are active in two months or more');
      assert.ok(tickets.some((t) => new Date(t.open).toISOString().endsWith('-01T00:00:00.000Z')), 'some open exactly on a month start');
      assert.ok(tickets.some((t) => /[",\n]/.test(t.field1)), 'some subjects need CSV quoting');
      assert.ok(tickets.some((t) => t.ownerId) && tickets.some((t) => !t.ownerId));
    } finally {
      await sb.close();
    }
  });

  test('is deterministic: the same seed gives the same tickets, another seed others; reset() keeps them', async () => {
    const opts = (seed) => ({ generateTickets: { count: 50, since: new Date(SINCE), until: UNTIL, seed } });
    // the whole ticket, participants' contact ids and transactions' GUIDs included
    const shape = (sb) => [...sb.state.tickets.values()].map((t) => JSON.stringify(t));
    const a = await startSandbox(opts(7));
    const b = await startSandbox(opts(7));
    const c = await startSandbox(opts(8));
    try {
      assert.deepEqual(shape(a), shape(b));
      assert.notDeepEqual(shape(a), shape(c));
      const before = shape(a);
      a.reset();
      assert.deepEqual(shape(a), before);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('they are listed by tickets/list like any ticket', async () => {
    const sb = await startSandbox({ generateTickets: { count: 300, since: SINCE, until: UNTIL } });
    try {
      const call = client(sb);
      const r = await call('GET', '/tickets/list', { query: { since: '01/06/2024 00:00:00:00', until: '01/07/2024 00:00:00:00' } });
      assert.equal(r.status, 200);
      assert.ok(r.json.tickets.length > 0);
      const inJune = [...sb.state.tickets.values()].filter((t) => [t.open, t.close, t.lastActivity]
        .some((ms) => ms != null && ms >= Date.UTC(2024, 5, 1) && ms <= Date.UTC(2024, 6, 1)));
      assert.equal(r.json.tickets.length, inJune.length);
    } finally {
      await sb.close();
    }
  });

  test('bad options are refused with a TypeError', async () => {
    for (const bad of [
      { count: 1, since: SINCE, until: UNTIL, extra: 1 },
      { count: -1, since: SINCE, until: UNTIL },
      { count: 1.5, since: SINCE, until: UNTIL },
      { count: 1, since: 'not a date', until: UNTIL },
      { count: 1, since: UNTIL, until: SINCE },
      { count: 1, since: SINCE, until: UNTIL, seed: 'x' },
      { since: SINCE, until: UNTIL },
      [],
    ]) {
      await assert.rejects(startSandbox({ generateTickets: bad }), TypeError, JSON.stringify(bad));
    }
  });

  test('a missing count, since or until is named as required, not as a bad value', async () => {
    for (const [options, message] of [
      [{ count: 5, until: UNTIL }, 'startSandbox: generateTickets.since is required'],
      [{ count: 5, since: SINCE }, 'startSandbox: generateTickets.until is required'],
      [{ since: SINCE, until: UNTIL }, 'startSandbox: generateTickets.count is required'],
      [{ count: 5 }, 'startSandbox: generateTickets.since and generateTickets.until are required'],
      [{}, 'startSandbox: generateTickets.count, generateTickets.since and generateTickets.until are required'],
      // null is not given, as for the other options
      [{ count: 5, since: null, until: UNTIL }, 'startSandbox: generateTickets.since is required'],
    ]) {
      await assert.rejects(startSandbox({ generateTickets: options }), (err) => {
        assert.ok(err instanceof TypeError, JSON.stringify(options));
        assert.ok(err.message.startsWith(message), `${JSON.stringify(options)}: ${err.message}`);
        assert.doesNotMatch(err.message, /must be/);
        return true;
      });
    }
    // a value that is given but wrong still says what it must be
    await assert.rejects(startSandbox({ generateTickets: { count: 5, since: 'not a date', until: UNTIL } }), /generateTickets\.since must be a date/);
  });

  test('CLI: --generate-tickets N --generate-span A..B seeds them; a bad span exits 2', async () => {
    const run = (args) => new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let asked = false;
      child.stderr.on('data', (d) => { err += d; });
      child.stdout.on('data', async (d) => {
        out += d;
        const m = /API root \(baseUrl\): (\S+)/.exec(out);
        if (m && out.includes('Ctrl+C') && !asked) {
          asked = true;
          const origin = new URL(m[1]).origin;
          const state = await (await fetch(`${origin}/__sandbox/state`)).json();
          child.kill('SIGTERM');
          resolve({ state });
        }
      });
      child.on('exit', (code) => resolve({ code, err }));
    });
    const { state } = await run(['--generate-tickets', '120', '--generate-span', '2024-01-01..2024-03-01']);
    assert.equal(state.tickets.length, 120);
    for (const args of [['--generate-tickets', 'x'], ['--generate-span', '2024-01-01..2024-03-01'],
      ['--generate-tickets', '5', '--generate-span', '2024-01-01'], ['--generate-tickets', '5', '--generate-span', 'a..b']]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    }
  });
});
