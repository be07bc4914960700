// The sandbox answers like the documented API (issue 17): .NET date forms per field, the 7-key
// ticket owner, workspace-wide transaction ids, the protocols/send reply and its later statuses.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { client, createTicket, fakeClock, apiDate, FORM, sleep, WA, withSandbox } from './_helpers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECOND = '00000000-0000-4000-8000-000000000002';

/** A closed ticket with messages from both sides, a summary and an allocation: every ticket date set. */
async function busyTicket(sb, call, now) {
  const t = await createTicket(call, { transactions: [{ fromParticipant: 1, text: 'hello' }] });
  now.advance(1234);
  await call('POST', `/tickets/send/${t.id}`, { body: { text: 'hi there' } });
  now.advance(1111);
  await call('POST', `/tickets/setsummary/${t.id}`, { body: { summary: 'Greeted' } });
  now.advance(987);
  await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
  return (await call('GET', `/tickets/get/${t.id}`)).json;
}

describe('dates in the documented .NET forms', () => {
  test('each field has its documented form (dateFormat: dotnet, the default)', async () => {
    const now = fakeClock(Date.UTC(2024, 5, 15, 12, 0, 0, 347));
    await withSandbox({ now }, async (call, sb) => {
      const t = await busyTicket(sb, call, now);
      assert.match(t.open, FORM.ticks, 'open: 7 fraction digits and Z, as in the events sample');
      assert.match(t.close, FORM.seconds, 'close: Z without a fraction, as in the ticket sample');
      assert.match(t.lastActivity, FORM.unzoned, 'lastActivity: no zone, as in both samples');
      assert.ok(t.open.startsWith('2024-06-15T12:00:00.347'), 'open keeps the clock reading to the ms');
      assert.equal(t.lastActivity, '2024-06-15T12:00:03.67', 'lastActivity: hundredths, truncated, no zone');
      assert.equal(t.close, '2024-06-15T12:00:03Z');
      for (const k of ['firstCustomerMessageDateTime', 'firstAgentMessageDateTime', 'lastCustomerMessageDateTime', 'lastAgentMessageDateTime']) {
        assert.match(t[k], FORM.seconds, k);
      }
      for (const k of ['firstAgentAllocationTimestamp', 'lastAgentAllocationTimestamp']) assert.match(t[k], FORM.ticks, k);
      assert.match(t.ticketSummary.lastUpdateTimestamp, FORM.ticks);
      for (const tr of t.transactions) assert.match(tr.dateTime, FORM.millis, `transaction ${tr.type}`);
      const contact = (await call('GET', `/contacts/get/${t.participants[0].contactId}`)).json;
      assert.match(contact.creationDateTime, FORM.seconds);
      assert.match(contact.updateDateTime, FORM.seconds);
      assert.match(contact.identifiers[0].lastAccessed, FORM.seconds);
      const events = (await call('GET', '/webhooks/getevents')).json;
      for (const e of events) assert.match(e.dateTime, FORM.ticks, 'event dateTime, as in the events sample');
      const logs = (await call('GET', '/users/statuslogs', { query: { since: '15/06/2024', until: '15/06/2024' } })).json;
      assert.match(logs[0].dates[0].date, FORM.unzoned);
    });
  });

  test('the same instant reads back the same in every form, when read as UTC', async () => {
    const now = fakeClock(Date.UTC(2024, 1, 29, 23, 59, 58, 996));
    await withSandbox({ now, rules: { systemTransactions: true } }, async (call, sb) => {
      const t = await createTicket(call);
      const at = now();
      assert.equal(Math.floor(apiDate(t.open)), at, 'ticks: the ms are exact, the extra digits are sub-ms');
      assert.equal(apiDate(t.lastActivity), at - 6, 'unzoned: truncated to the hundredth');
      assert.equal(apiDate(t.transactions[0].dateTime), at, 'millis');
      const c = (await call('GET', `/contacts/get/${t.participants[0].contactId}`)).json;
      assert.equal(apiDate(c.creationDateTime), at - 996, 'seconds: truncated');
    });
  });

  test('rendering is deterministic: a ticket reads the same from create, get, list and its event', async () => {
    const now = fakeClock(Date.UTC(2024, 2, 3, 4, 5, 6, 789));
    await withSandbox({ now }, async (call, sb) => {
      const t = await createTicket(call);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.deepEqual(g, t);
      const listed = (await call('GET', '/tickets/list', { query: { since: '01/03/2024 00:00:00:00', until: '31/03/2024 00:00:00:00' } })).json.tickets[0];
      const { transactions, ...withoutTransactions } = t;
      assert.ok(transactions.length > 0);
      assert.deepEqual(listed, withoutTransactions);
      const created = (await call('GET', '/webhooks/getevents')).json[0].changes[0].ticket;
      assert.deepEqual(created, t);
    });
  });

  test("dateFormat: 'iso' writes every date with toISOString()", async () => {
    const now = fakeClock(Date.UTC(2024, 5, 15, 12, 0, 0, 347));
    await withSandbox({ now, dateFormat: 'iso' }, async (call, sb) => {
      assert.equal(sb.dateFormat, 'iso');
      const t = await busyTicket(sb, call, now);
      for (const k of ['open', 'close', 'lastActivity', 'firstCustomerMessageDateTime', 'lastAgentAllocationTimestamp']) assert.match(t[k], FORM.iso, k);
      assert.equal(t.open, '2024-06-15T12:00:00.347Z');
      for (const tr of t.transactions) assert.match(tr.dateTime, FORM.iso);
      for (const e of (await call('GET', '/webhooks/getevents')).json) assert.match(e.dateTime, FORM.iso);
      const reopened = (await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open', getTicket: true } })).json;
      assert.equal(reopened.close, '0001-01-01T00:00:00', '"not set" is the documented value in both formats');
    });
  });

  test('a zone-less date is read as local time by new Date(): off by the zone offset outside UTC', () => {
    // A child process, so the time zone is certain (Asia/Jerusalem is UTC+2 in February).
    const code = `
      import { startSandbox } from './sandbox/index.mjs';
      const now = () => Date.UTC(2024, 1, 10, 8, 30, 0, 250);
      const sb = await startSandbox({ now });
      const token = sb.issueToken();
      const res = await fetch(sb.baseUrl + '/tickets/create', { method: 'POST',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body: JSON.stringify({ participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000001' }] }) });
      const t = await res.json();
      const naive = new Date(t.lastActivity).getTime();
      const careful = Date.parse(/Z$/.test(t.lastActivity) ? t.lastActivity : t.lastActivity + 'Z');
      console.log(JSON.stringify({ lastActivity: t.lastActivity, naiveOffMin: (naive - now()) / 60000, carefulOffMs: careful - now() }));
      await sb.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, TZ: 'Asia/Jerusalem' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.lastActivity, '2024-02-10T08:30:00.25');
    assert.equal(out.naiveOffMin, -120, 'new Date() read the UTC value as Jerusalem time');
    assert.equal(out.carefulOffMs, 0, 'read as UTC it is exact');
  });

  test('a zone-less date the sandbox is given (tickets/create, a seed) is read as UTC in any time zone, not as local time', () => {
    // The other tests run in the machine's zone, UTC on CI, where local time and UTC agree: only a
    // process in another zone (Asia/Jerusalem, UTC+2 in February) tells the two readings apart.
    const code = `
      import { startSandbox } from './sandbox/index.mjs';
      const seed = { tickets: [{ id: 7, open: '2024-02-10T08:30:00', participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000001' }] }] };
      const sb = await startSandbox({ seed });
      const create = async (open) => (await (await fetch(sb.baseUrl + '/tickets/create', { method: 'POST',
        headers: { authorization: 'Bearer ' + sb.issueToken(), 'content-type': 'application/json' },
        body: JSON.stringify({ open, participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000001' }] }) })).json()).open;
      const seeded = (await (await fetch(sb.baseUrl + '/tickets/get/7', { headers: { authorization: 'Bearer ' + sb.issueToken() } })).json()).open;
      console.log(JSON.stringify([seeded, await create('2024-02-10T08:30:00'), await create('2024-02-10 08:30')]));
      await sb.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, TZ: 'Asia/Jerusalem' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['2024-02-10T08:30:00Z', '2024-02-10T08:30:00Z', '2024-02-10T08:30:00Z']);
  });
});

describe('sandbox/README.md states the form of every date field', () => {
  test("each DATE_FIELDS key is in its form's row, in the column that says whether a sample shows it", async () => {
    const { DATE_FIELDS } = await import('../../sandbox/dates.cjs').then((m) => m.default);
    const readme = readFileSync(new URL('../../sandbox/README.md', import.meta.url), 'utf8');
    const rows = Object.fromEntries(readme.split('\n').filter((l) => /^\| (ticks|millis|seconds|unzoned) \|/.test(l))
      .map((l) => { const c = l.split(' | '); return [c[0].slice(2), { sampled: c[2], unsampled: c[3] }]; }));
    assert.deepEqual(Object.keys(rows).sort(), ['millis', 'seconds', 'ticks', 'unzoned']);
    const listed = [];
    for (const [field, { form, source }] of Object.entries(DATE_FIELDS)) {
      const cell = source ? rows[form].sampled : rows[form].unsampled;
      assert.ok(cell.includes(`\`${field}\``), `${field} (${form}, ${source ? 'sample' : 'no sample'})`);
      listed.push(field);
    }
    const inTable = Object.values(rows).flatMap((r) => `${r.sampled} ${r.unsampled}`.match(/`[\w.]+`/g));
    assert.deepEqual(inTable.map((x) => x.slice(1, -1)).sort(), listed.sort(), 'no field in the table that the sandbox does not write');
  });
});

describe('ticket.owner and users', () => {
  test('the owner is the 7-key owner of the docs in tickets and events; users/* return the full User', async () => {
    await withSandbox({}, async (call, sb) => {
      const t = await createTicket(call);
      const OWNER = ['id', 'gender', 'UserName', 'culture', 'isAnonymous', 'uniqueArgument', 'type'];
      assert.deepEqual(Object.keys(t.owner), OWNER);
      await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
      const events = (await call('GET', '/webhooks/getevents')).json;
      for (const e of events) assert.deepEqual(Object.keys(e.changes[0].ticket.owner), OWNER, e.changes[0]._event);
      const alice = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'alice@sandbox.test');
      assert.equal(Object.keys(alice).length, 12);
      for (const k of OWNER) assert.deepEqual(t.owner[k], alice[k], k);
      assert.equal(t.owner.fullName, undefined);
      assert.equal(t.owner.roles, undefined);
    });
  });
});

describe('transaction ids', () => {
  test('are unique across the workspace, not 1..n per ticket; a setDepartment copy gets new ones', async () => {
    await withSandbox({}, async (call, sb) => {
      const a = await createTicket(call, { transactions: [{ text: 'a1' }, { text: 'a2' }] });
      const b = await createTicket(call, { transactions: [{ text: 'b1' }] });
      const ids = [...a.transactions, ...b.transactions].map((tr) => tr.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(b.transactions[0].id > a.transactions.at(-1).id);
      assert.ok(a.transactions[0].id > 1000000, 'a workspace-sized sequence, like the docs sample (1082248)');
      const { ticketId } = (await call('PUT', `/tickets/setdepartment/${a.id}`, { body: { departmentId: SECOND } })).json;
      const copy = (await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${ticketId}`)).json;
      const orig = (await call('GET', `/tickets/get/${a.id}`)).json;
      const all = [...orig.transactions, ...copy.transactions];
      assert.equal(new Set(all.map((tr) => tr.id)).size, all.length, 'ids');
      assert.equal(new Set(all.map((tr) => tr.guidTransactionId)).size, all.length, 'GUIDs');
      assert.deepEqual(copy.transactions.filter((tr) => tr.type === 'Message').map((tr) => tr.text), ['a1', 'a2'], 'the messages were copied');
    });
  });
});

describe('protocols/send statuses', () => {
  const send = (call, extra = {}) => call('POST', '/protocols/send', { body: { protocolType: 'SMS', from: '15550000002', to: '972500000001', text: 'code 1234', ...extra } });

  test('the later statuses come as NON_TICKET_MESSAGE_STATUS events after the reply, spaced by protocolStatusDelayMs', async () => {
    await withSandbox({ rules: { protocolStatuses: ['Sent', 'Delivered', 'Read'], protocolStatusDelayMs: 150 } }, async (call, sb) => {
      const r = await send(call);
      assert.equal(r.json.status, 'Pending');
      const statuses = () => sb.events().map((e) => e.changes[0].message.status);
      assert.deepEqual(statuses(), [], 'nothing yet: the reply was Pending');
      await sleep(200);
      assert.deepEqual(statuses(), ['Sent']);
      await sleep(350);
      assert.deepEqual(statuses(), ['Sent', 'Delivered', 'Read']);
      const stored = (await (await fetch(`${sb.origin}/__sandbox/state`)).json()).nonTicketMessages[0];
      assert.equal(stored.status, 'Read', 'the stored message has its last status');
    });
  });

  test('a failure can be rehearsed, and statuses can be switched off; serviceProvider is a rule', async () => {
    await withSandbox({ rules: { protocolStatuses: ['Failed'], serviceProvider: 7 } }, async (call, sb) => {
      const r = await send(call);
      assert.equal(r.json.serviceProvider, 7);
      await sleep(20);
      assert.deepEqual(sb.events().map((e) => e.changes[0].message.status), ['Failed']);
    });
    await withSandbox({ rules: { protocolStatuses: [] } }, async (call, sb) => {
      await send(call);
      await sleep(20);
      assert.deepEqual(sb.events(), []);
    });
  });

  test('reset() and close() cancel statuses still to come', async () => {
    await withSandbox({ rules: { protocolStatusDelayMs: 100 } }, async (call, sb) => {
      await send(call);
      sb.reset();
      await sleep(250);
      assert.deepEqual(sb.events(), []);
    });
  });

  test('webhook deliveries carry the statuses too', async () => {
    const http = await import('node:http');
    const bodies = [];
    const rx = http.createServer((req, res) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => { bodies.push(JSON.parse(b)); res.end(); }); });
    await new Promise((r) => rx.listen(0, '127.0.0.1', r));
    try {
      await withSandbox({ webhookUrl: `http://127.0.0.1:${rx.address().port}/` }, async (call, sb) => {
        await send(call, { to: '972500000002' });
        await sleep(30);
        await sb.webhooksIdle();
        assert.deepEqual(bodies.map((b) => b.changes[0].message.status), ['Sent', 'Delivered']);
      });
    } finally {
      await new Promise((r) => rx.close(r));
    }
  });
});

describe('seeded tickets', () => {
  test('a seeded ticketSummary and zone-less seed dates are read as UTC', async () => {
    await withSandbox({
      seed: { tickets: [{ id: 7, open: '2024-01-05T10:00:00', lastActivity: '2024-01-05T11:00:00.5', participants: [WA()], ticketSummary: { value: 'seeded', lastUpdateTimestamp: '2024-01-05T10:30:00Z' } }] },
    }, async (call, sb) => {
      const t = (await call('GET', '/tickets/get/7')).json;
      assert.equal(apiDate(t.open), Date.UTC(2024, 0, 5, 10));
      assert.equal(t.lastActivity, '2024-01-05T11:00:00.5');
      assert.equal(t.ticketSummary.value, 'seeded');
      assert.equal(Math.floor(apiDate(t.ticketSummary.lastUpdateTimestamp)), Date.UTC(2024, 0, 5, 10, 30));
    });
  });
});

test('ticks are .NET\'s .FFFFFFF: trailing zeros dropped (six digits or fewer about one time in ten), a whole second with no fraction', async () => {
  const { formatApiDate } = await import('../../sandbox/dates.cjs');
  const start = Date.UTC(2024, 4, 1, 9, 30, 0, 1);
  const written = Array.from({ length: 2000 }, (_, i) => formatApiDate(start + i * 7919, 'ticks'));
  for (const s of written) assert.match(s, FORM.ticks);
  const digits = written.map((s) => (s.match(/\.(\d+)Z$/) || ['', ''])[1].length);
  const shorter = digits.filter((n) => n < 7).length;
  assert.ok(shorter > 100 && shorter < 400, `${shorter} of 2000 with fewer than 7 digits`);
  for (const [s, i] of written.map((s, i) => [s, i])) assert.equal(Math.floor(apiDate(s)), start + i * 7919, 'the millisecond is exact');
  assert.equal(formatApiDate(Date.UTC(2024, 0, 10, 10), 'ticks'), '2024-01-10T10:00:00Z');
  // (that second's sub-millisecond digits happen to be 0000 anyway, so it alone would pass if the
  // whole-second case were not handled: these seconds' digits are not, 1000 to 9000)
  for (let s = 1; s < 10; s += 1) {
    assert.equal(formatApiDate(Date.UTC(2024, 0, 10, 10, 0, s), 'ticks'), `2024-01-10T10:00:0${s}Z`, 'a whole second: no fraction');
  }
});

test('a seeded whole-second ticks date comes back as it went in (sandbox/dates.cjs)', async () => {
  await withSandbox({ seed: { tickets: [{ id: 8, open: '2024-01-05T10:00:01Z', participants: [WA()] }] } }, async (call) => {
    const t = (await call('GET', '/tickets/get/8')).json;
    assert.equal(t.open, '2024-01-05T10:00:01Z');
  });
});
