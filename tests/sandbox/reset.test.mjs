// reset() as a test suite uses it (one sandbox per file, reset() in beforeEach): nothing the
// previous test left running (webhook retries, requests waiting on latency or hung, protocol
// statuses) reaches the next test's state or logs, and the next test starts from the same ids,
// faults, random sequence and webhook target as the first.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSandbox, client, createTicket, fakeClock, sleep, WA } from './_helpers.mjs';

/** A webhook receiver on 127.0.0.1: `answer(n)` gives the n-th POST's status (a Promise delays it). */
async function receiver(answer = () => 200) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const status = await answer(received.length);
      if (!res.destroyed) res.writeHead(status).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); },
  };
}

/** Wait (up to 2 s) until `cond()` holds. */
async function until(cond) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > 2000) throw new Error('timed out waiting');
    await sleep(5);
  }
}

const FIRST_TICKET = 160000001;

describe('reset() ends what the previous test left running', () => {
  test('webhook retries scheduled before reset() are cancelled: no more POSTs, an empty log, webhooksIdle() at once', async () => {
    const rx = await receiver(() => 500);
    const sb = await startSandbox({ webhookUrl: rx.url, webhook: { retryDelayMs: 400 } });
    try {
      await createTicket(client(sb));
      await until(() => sb.webhookDeliveries[0]?.status === 500); // the first attempt failed; a retry is waiting
      sb.reset();
      const t0 = Date.now();
      await sb.webhooksIdle();
      // (waiting for the dropped retry would take until it came, hundreds of ms: a busy machine's
      // stall of a few tens of ms must not look like that)
      assert.ok(Date.now() - t0 < 250, `webhooksIdle() took ${Date.now() - t0} ms: it waited for retries reset() dropped`);
      await sleep(1300); // the retries would have come at 400 and 1200 ms
      assert.equal(rx.received.length, 1, 'no retry was POSTed after reset()');
      assert.deepEqual(sb.webhookDeliveries, []);
    } finally {
      await sb.close();
      await rx.close();
    }
  });

  test('a POST in flight at reset() is abandoned: its result is not recorded, and delivery goes on for new events', async () => {
    // the first POST is answered 500 after 150 ms (after the reset), the rest at once with 200
    const rx = await receiver((n) => (n === 1 ? sleep(150).then(() => 500) : 200));
    const sb = await startSandbox({ webhookUrl: rx.url, webhook: { retryDelayMs: 10 } });
    try {
      const call = client(sb);
      await createTicket(call);
      await until(() => rx.received.length === 1);
      sb.reset();
      await sb.webhooksIdle();
      await sleep(250);
      assert.deepEqual(sb.webhookDeliveries, [], 'nothing of the abandoned POST, nor a retry of it');
      assert.equal(rx.received.length, 1);
      // (the dispatcher is not closed: the next test's events are delivered)
      await createTicket(call);
      await sb.webhooksIdle();
      assert.equal(rx.received.length, 2);
      assert.deepEqual(sb.webhookDeliveries.map((d) => [d.attempt, d.status, d.ok]), [[1, 200, true]]);
    } finally {
      await sb.close();
      await rx.close();
    }
  });

  test('a request waiting on latency at reset() is ended, and never reaches the new state', async () => {
    const sb = await startSandbox();
    try {
      const call = client(sb);
      sb.setFaults({ latencyMs: 200 }); // the previous test's fault…
      const stale = call('POST', '/tickets/create', { body: { field1: 'old test', participants: [WA()] } }).then((r) => r, (err) => err);
      await until(() => sb.requests.length === 1);
      sb.reset(); // …and its request, still waiting
      assert.ok((await stale) instanceof Error, 'the stale request fails (its connection is ended)');
      const mine = await createTicket(call);
      assert.equal(mine.id, FIRST_TICKET, "the next test's first ticket gets the first id");
      await sleep(250);
      assert.deepEqual([...sb.state.tickets.keys()], [FIRST_TICKET]);
      assert.deepEqual(sb.events().map((e) => e.changes[0].ticket.field1), ['Subject'], 'no NEW_TICKET it never made');
      assert.deepEqual(sb.requests.map((r) => r.path), ['/api/v1.2/tickets/create']);
    } finally {
      await sb.close();
    }
  });

  test('a request the client gave up on does not run after reset() either', async () => {
    const sb = await startSandbox({ faults: { latencyMs: 200 } });
    try {
      const call = client(sb);
      const aborted = call('POST', '/tickets/create', { body: { participants: [WA()] }, signal: AbortSignal.timeout(30) });
      await assert.rejects(aborted, { name: 'TimeoutError' });
      sb.reset();
      await sleep(250);
      assert.equal(sb.state.tickets.size, 0);
      assert.deepEqual(sb.events(), []);
    } finally {
      await sb.close();
    }
  });

  test('without a reset, a request the client gave up on still runs (as on a server), but the log claims no status nobody received', async () => {
    const sb = await startSandbox({ faults: { latencyMs: 150 } });
    try {
      const call = client(sb);
      const ac = new AbortController();
      const gaveUp = call('POST', '/tickets/create', { body: { participants: [WA()] }, signal: ac.signal });
      await until(() => sb.requests.length === 1 && sb.requests[0].body !== undefined); // read, now waiting on latency
      ac.abort();
      await assert.rejects(gaveUp, { name: 'AbortError' });
      // (a second request with the same latency is answered after the first one has run)
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      assert.equal(sb.state.tickets.size, 1, 'the create ran');
      const [abandoned, answered] = sb.requests;
      assert.equal(abandoned.path, '/api/v1.2/tickets/create');
      assert.equal(abandoned.status, undefined, 'no reply reached the client');
      assert.equal(answered.status, 200);
    } finally {
      await sb.close();
    }
  });

  test('POST /__sandbox/reset ends the waiting requests too, but answers itself; a hung request is ended', async () => {
    const sb = await startSandbox();
    try {
      const call = client(sb);
      sb.setFaults({ hangNext: 1 });
      const hung = call('GET', '/users/getstatus').then((r) => r, (err) => err);
      sb.setFaults({ latencyMs: 300 });
      const slow = call('POST', '/tickets/create', { body: { participants: [WA()] } }).then((r) => r, (err) => err);
      await until(() => sb.requests.length === 2);
      const res = await fetch(`${sb.origin}/__sandbox/reset`, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.ok((await hung) instanceof Error, 'the hung request is ended');
      assert.ok((await slow) instanceof Error, 'the waiting request is ended');
      await sleep(350);
      assert.equal(sb.state.tickets.size, 0);
      assert.equal((await call('GET', '/users/getstatus')).status, 200, 'the sandbox serves on');
    } finally {
      await sb.close();
    }
  });
});

describe('reset() starts the next test where the first one started', () => {
  test('randomSeed: the fault generator starts over, so faults do not depend on earlier tests', async () => {
    const sb = await startSandbox({ randomSeed: 7, faults: { failureRate: 0.5 } });
    try {
      const call = client(sb);
      const run = async () => {
        const out = [];
        for (let i = 0; i < 16; i += 1) out.push((await call('GET', '/users/getstatus')).status);
        return out;
      };
      const first = await run();
      assert.ok(first.includes(200) && first.some((s) => s >= 500), first.join(','));
      sb.reset();
      assert.deepEqual(await run(), first);
    } finally {
      await sb.close();
    }
  });

  test('a custom random function is not reset (it is yours)', async () => {
    let n = 0;
    const random = () => { n += 1; return 0.99; };
    const sb = await startSandbox({ random, faults: { failureRate: 0.5 } });
    try {
      await client(sb)('GET', '/users/getstatus');
      sb.reset();
      await client(sb)('GET', '/users/getstatus');
      assert.equal(n, 2, 'the same function, called on');
    } finally {
      await sb.close();
    }
  });

  test('the start-up webhookUrl comes back after setWebhookUrl()', async () => {
    const rx = await receiver();
    const sb = await startSandbox({ webhookUrl: rx.url });
    const none = await startSandbox();
    try {
      sb.setWebhookUrl(null);
      sb.reset();
      assert.equal(sb.webhookUrl, rx.url);
      await createTicket(client(sb));
      await sb.webhooksIdle();
      assert.equal(rx.received.length, 1, 'delivered to the start-up URL again');
      none.setWebhookUrl(rx.url);
      none.reset();
      assert.equal(none.webhookUrl, null);
      await createTicket(client(none));
      await none.webhooksIdle();
      assert.equal(rx.received.length, 1);
    } finally {
      await sb.close();
      await none.close();
      await rx.close();
    }
  });

  test('attachment ids and fileIdentifiers are per sandbox, start over on reset(), and are the same for the same calls', async () => {
    const now = fakeClock();
    const a = await startSandbox({ now });
    const b = await startSandbox({ now });
    try {
      // the same calls in two sandboxes of one process: a message with files, a document, a move
      const script = async (sb) => {
        const call = client(sb);
        const t = await createTicket(call, { getAvailableUser: false });
        const sent = (await call('POST', `/tickets/send/${t.id}`, { body: { text: 'see', files: ['https://example.com/a.png', 'https://example.com/b.pdf'] } })).json;
        await call('POST', `/interactivedocuments/send/${t.id}`, { body: { baseTemplateId: 1, fields: [{ name: 'x' }] } });
        const moved = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: '00000000-0000-4000-8000-000000000002' } })).json;
        const copy = (await client(sb, sb.issueToken(undefined, '00000000-0000-4000-8000-000000000002'))('GET', `/tickets/get/${moved.ticketId}`)).json;
        // (links carry the sandbox's own origin, which is all that differs)
        return JSON.parse(JSON.stringify({ sent, original: (await call('GET', `/tickets/get/${t.id}`)).json, copy }).replaceAll(sb.origin, 'ORIGIN'));
      };
      const ra = await script(a);
      const rb = await script(b);
      assert.deepEqual(ra.sent.attachments.map((x) => x.id), [1, 2]);
      assert.deepEqual(rb.sent.attachments.map((x) => x.id), [1, 2], 'not a counter shared by every sandbox of the process');
      for (const x of ra.sent.attachments) assert.match(x.fileIdentifier, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(ra.sent.attachments[0].fileIdentifier, ra.sent.attachments[1].fileIdentifier);
      assert.deepEqual(rb.original, ra.original, 'the tickets are the same to the byte (with the same clock)');
      assert.deepEqual(rb.copy, ra.copy, "the setdepartment copy's transaction GUIDs too");
      a.reset();
      assert.deepEqual(await script(a), ra, 'and again after reset()');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('webhooksIdle()', () => {
  test('waits for protocol statuses still scheduled and their deliveries', async () => {
    const rx = await receiver();
    const sb = await startSandbox({ webhookUrl: rx.url, rules: { protocolStatusDelayMs: 40 } });
    try {
      const r = await client(sb)('POST', '/protocols/send', { body: { protocolType: 'SMS', from: '15550000002', to: '972500000001', text: 'code' } });
      assert.equal(r.json.status, 'Pending');
      await sb.webhooksIdle();
      assert.deepEqual(sb.events().map((e) => e.changes[0].message.status), ['Sent', 'Delivered']);
      assert.deepEqual(rx.received.map((e) => e.changes[0].message.status), ['Sent', 'Delivered']);
      assert.ok(sb.webhookDeliveries.every((d) => d.ok));
    } finally {
      await sb.close();
      await rx.close();
    }
  });

  test('resolves on reset() and close() while statuses are still to come', async () => {
    for (const end of ['reset', 'close']) {
      const sb = await startSandbox({ rules: { protocolStatusDelayMs: 60_000 } });
      try {
        await client(sb)('POST', '/protocols/send', { body: { protocolType: 'SMS', from: '15550000002', to: '972500000001', text: 'code' } });
        const idle = sb.webhooksIdle();
        sb[end]();
        const t0 = Date.now();
        await idle;
        assert.ok(Date.now() - t0 < 100, end);
        assert.deepEqual(sb.events(), []);
      } finally {
        await sb.close();
      }
    }
  });
});

describe('a test suite with one sandbox per file', () => {
  // (how long a start takes is a benchmark's figure, not a test's: about a millisecond here)
  test('one per test is fine for concurrent tests: twenty started at once each get their own free port', async () => {
    const sandboxes = [];
    for (let i = 0; i < 20; i += 1) sandboxes.push(await startSandbox());
    await Promise.all(sandboxes.map((sb) => sb.close()));
    assert.equal(new Set(sandboxes.map((sb) => sb.port)).size, 20, 'port 0: each its own free port');
  });
});
