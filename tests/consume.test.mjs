// webhooks.consume: at-least-once handling of polled events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, GlassixError } from './helpers/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ev = (n) => ({ key: `k${n}`, queueReceiptHandle: `h${n}`, queueMessageId: `m${n}`, dateTime: '2026-11-25T10:00:00Z', changes: [{ _event: 'NEW_MESSAGE', ticketId: n }] });

/** Aborts `ac` once a delete has emptied `s.queue` and its answer went out (a delete still in
 * flight when the signal aborts is cut short, so a timer started by the handler raced it on a
 * slow machine), or after 5 s whatever happened, so that a consume that never deletes fails the
 * test instead of hanging it. */
function stopWhenEmptied(s, ac) {
  const giveUp = setTimeout(() => ac.abort(), 5000);
  ac.signal.addEventListener('abort', () => clearTimeout(giveUp));
  s.server.on('request', (req, res) => {
    if (req.url.includes('/webhooks/deleteevents')) res.once('finish', () => s.queue.length === 0 && ac.abort());
  });
}

/** A queue server: getevents returns what is queued; deleteevents removes by queueMessageId. */
async function queueServer(initial) {
  const s = await startServer();
  s.queue = [...initial];
  s.route('GET', '/webhooks/getevents', (req, res, rec) => {
    const out = [...s.queue];
    if (rec.query.deleteEvents !== 'false') s.queue = [];
    json(res, 200, out);
  });
  s.route('POST', '/webhooks/deleteevents', (req, res, rec) => {
    const ids = new Set(rec.body.map((e) => e.queueMessageId));
    s.queue = s.queue.filter((e) => !ids.has(e.queueMessageId));
    json(res, 200, { message: 'deleted' });
  });
  return s;
}

test('consume deletes an event only after its handler resolved, never uses deleteEvents=true', async (t) => {
  const s = await queueServer([ev(1), ev(2)]);
  t.after(() => s.close());
  const c = s.client();
  const ac = new AbortController();
  stopWhenEmptied(s, ac);
  const handled = [];
  const done = c.webhooks.consume(
    async (e) => {
      // while the handler runs, nothing has been deleted
      assert.equal(s.calls.filter((r) => r.path.endsWith('/deleteevents')).length, 0);
      await sleep(20);
      handled.push(e.queueMessageId);
    },
    { signal: ac.signal, intervalMs: 20 },
  );
  await done;
  assert.deepEqual(handled, ['m1', 'm2']);
  assert.deepEqual(s.queue, []);
  const polls = s.calls.filter((r) => r.path.endsWith('/getevents'));
  assert.ok(polls.length >= 1);
  assert.ok(polls.every((r) => r.query.deleteEvents === 'false'));
  const del = s.calls.find((r) => r.path.endsWith('/deleteevents'));
  assert.deepEqual(del.body.map((e) => e.queueMessageId), ['m1', 'm2']);
});

test('a failed handler leaves its event queued, reports it to onError, and gets it again later', async (t) => {
  const s = await queueServer([ev(1), ev(2)]);
  t.after(() => s.close());
  const c = s.client();
  const ac = new AbortController();
  stopWhenEmptied(s, ac);
  const attempts = {};
  const errors = [];
  await c.webhooks.consume(
    async (e) => {
      attempts[e.queueMessageId] = (attempts[e.queueMessageId] || 0) + 1;
      if (e.queueMessageId === 'm2' && attempts.m2 === 1) throw new Error('crm down');
    },
    { signal: ac.signal, intervalMs: 20, onError: (err, event) => errors.push([err.message, event && event.queueMessageId]) },
  );
  assert.deepEqual(attempts, { m1: 1, m2: 2 }, 'm1 handled once, m2 redelivered once');
  assert.deepEqual(errors, [['crm down', 'm2']]);
  const deletes = s.calls.filter((r) => r.path.endsWith('/deleteevents')).map((r) => r.body.map((e) => e.queueMessageId));
  assert.deepEqual(deletes, [['m1'], ['m2']]);
  assert.deepEqual(s.queue, []);
});

test('an event already handled in this run is not handed over twice (e.g. after a failed delete)', async (t) => {
  const s = await queueServer([ev(1)]);
  t.after(() => s.close());
  let failDelete = true;
  s.route('POST', '/webhooks/deleteevents', (req, res, rec) => {
    if (failDelete) {
      failDelete = false;
      return json(res, 500, { message: 'try later' });
    }
    s.queue = [];
    json(res, 200, {});
  });
  const c = s.client();
  const ac = new AbortController();
  let handled = 0;
  const errors = [];
  const done = c.webhooks.consume(async () => void handled++, { signal: ac.signal, intervalMs: 20, onError: (e) => errors.push(e) });
  while (s.queue.length) await sleep(10);
  ac.abort();
  await done;
  assert.equal(handled, 1);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof GlassixError);
  assert.equal(errors[0].code, 500);
  assert.equal(s.calls.filter((r) => r.path.endsWith('/deleteevents')).length, 2);
});

test('abort: the promise settles after the running handler finishes, and no request follows', async (t) => {
  const s = await queueServer([ev(1), ev(2)]);
  t.after(() => s.close());
  const c = s.client();
  const ac = new AbortController();
  let finished = false;
  const done = c.webhooks.consume(
    async () => {
      ac.abort();
      await sleep(100);
      finished = true;
    },
    { signal: ac.signal, intervalMs: 20 },
  );
  await done;
  assert.equal(finished, true, 'settled only after the handler finished');
  const n = s.requests.length;
  await sleep(150);
  assert.equal(s.requests.length, n, 'no request after abort');
  assert.equal(s.calls.filter((r) => r.path.endsWith('/deleteevents')).length, 0);
  assert.equal(s.queue.length, 2, 'unfinished work stays queued for the next run');
});

test('poll failures go to onError and polling goes on', async (t) => {
  const s = await queueServer([ev(1)]);
  t.after(() => s.close());
  let polls = 0;
  s.route('GET', '/webhooks/getevents', (req, res) => {
    polls++;
    if (polls === 1) return json(res, 400, { message: 'bad day' });
    if (polls === 2) return json(res, 404);
    json(res, 200, s.queue);
  });
  const c = s.client({ maxRetries: 0 });
  const ac = new AbortController();
  const errors = [];
  await c.webhooks.consume(async () => ac.abort(), { signal: ac.signal, intervalMs: 10, onError: (e) => errors.push([e.code, e.message]) });
  // the server's message as it is; else named after consume, the method the caller called
  assert.deepEqual(errors, [[400, 'bad day'], [404, 'webhooks.consume: Glassix API responded 404 to GET /webhooks/getevents']]);
  assert.ok(polls >= 3);
});

test('an aborted signal before start makes no request at all', async (t) => {
  const s = await queueServer([ev(1)]);
  t.after(() => s.close());
  const ac = new AbortController();
  ac.abort();
  await s.client().webhooks.consume(() => {}, { signal: ac.signal });
  assert.equal(s.requests.length, 0);
});

test("consume's polls and deletes go out with the per-call options beside its own: headers on each, timeout per attempt, maxRetries", async (t) => {
  const s = await queueServer([ev(1)]);
  t.after(() => s.close());
  let hang = true;
  s.route('GET', '/webhooks/getevents', (req, res, rec) => {
    // the first poll hangs: the per-call timeout (not the client's 30 s) ends it, and with
    // maxRetries: 0 it is not retried but reported, and polling goes on
    if (hang) {
      hang = false;
      return;
    }
    json(res, 200, rec.query.deleteEvents === 'false' ? s.queue : []);
  });
  const c = s.client();
  const ac = new AbortController();
  stopWhenEmptied(s, ac);
  const errors = [];
  const started = Date.now();
  await c.webhooks.consume(
    async () => {},
    { signal: ac.signal, intervalMs: 20, timeout: 150, maxRetries: 0, headers: { 'x-consumer': 'worker-1' }, onError: (e) => errors.push(e) },
  );
  assert.ok(Date.now() - started < 5000, 'the hung poll ended at the per-call timeout');
  assert.deepEqual(errors.map((e) => [e.kind, e.message]), [['timeout', 'webhooks.consume: GET /webhooks/getevents timed out after 150 ms']]);
  const mine = s.calls.filter((r) => r.path.endsWith('/getevents') || r.path.endsWith('/deleteevents'));
  assert.ok(mine.some((r) => r.path.endsWith('/deleteevents')), 'the handled event was deleted');
  assert.ok(mine.every((r) => r.headers['x-consumer'] === 'worker-1'), 'every poll and delete carries the headers');
  assert.equal(mine.filter((r) => r.path.endsWith('/getevents')).length >= 2, true);
  // and a bad one is refused by name before anything is sent
  const n = s.calls.length;
  for (const [options, said] of [[{ timeout: 0 }, 'option `timeout` must be a number >= 1 (or Infinity)'], [{ headers: 5 }, 'option `headers` must be an object of header names to values'], [{ maxRetries: -1 }, 'option `maxRetries` must be a whole number >= 0'], [{ tiemout: 5 }, 'unknown option `tiemout`']]) {
    const err = await c.webhooks.consume(() => {}, options).then(() => null, (e) => e);
    assert.ok(err instanceof GlassixError, String(err));
    assert.equal(err.message, `webhooks.consume: ${said}`);
  }
  assert.equal(s.calls.length, n);
});

test('a polled entry with no id to know it by (no string queueMessageId or key) is no new event: polling waits intervalMs, not polled as fast as the network allows', async (t) => {
  for (const entry of [{ queueMessageId: 5, queueReceiptHandle: 'r' }, { changes: [], queueReceiptHandle: 'r' }, null, 'abc', []]) {
    const s = await queueServer([]);
    t.after(() => s.close());
    let polls = 0;
    s.route('GET', '/webhooks/getevents', (req, res) => {
      polls++;
      json(res, 200, [entry]);
    });
    const ac = new AbortController();
    let handed = 0;
    // 400 ms from when the entry was handed over (not from the start: a slow machine spent them
    // on the token request and the first poll), or 5 s if it never is
    let stop = setTimeout(() => ac.abort(), 5000);
    const handler = () => {
      handed++;
      clearTimeout(stop);
      stop = setTimeout(() => ac.abort(), 400);
    };
    await s.client().webhooks.consume(handler, { signal: ac.signal, intervalMs: 60_000 });
    clearTimeout(stop);
    assert.equal(polls, 1, JSON.stringify(entry));
    assert.equal(handed, 1, JSON.stringify(entry));
  }
});
