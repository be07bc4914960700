// Bulk sends within the limits: maxConcurrency, rateLimit ({ requests, perMs } or a function),
// and the client-wide pause after a 429.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, GlassixClient, GlassixError } from './helpers/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const msg = (i) => ({ protocolType: 'WhatsApp', from: '972500000001', to: `9725${String(i).padStart(8, '0')}`, text: `hello ${i}` });

test('rateLimit { requests: 10, perMs: 1000 }: 30 sends never exceed 10 per second, all arrive exactly once', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ rateLimit: { requests: 10, perMs: 1000 } });
  const started = Date.now();
  await Promise.all(Array.from({ length: 30 }, (_, i) => c.protocols.send(msg(i))));
  const sends = s.calls.filter((r) => r.path.endsWith('/protocols/send'));
  assert.equal(sends.length, 30);
  assert.deepEqual(sends.map((r) => r.body.text).sort(), Array.from({ length: 30 }, (_, i) => `hello ${i}`).sort());
  // every request the server saw, the token request included
  const times = s.requests.map((r) => r.time);
  assert.equal(times.length, 31);
  for (let i = 10; i < times.length; i++) {
    // any 11 consecutive arrivals span at least one window
    assert.ok(times[i] - times[i - 10] >= 1000, `request ${i} arrived ${times[i] - times[i - 10]} ms after request ${i - 10}`);
  }
  assert.ok(Date.now() - started >= 3000, 'the token request and 30 sends need four windows');
});

test("a request's place in the window ages from its response's headers, not from when its body has been read: a slow body does not hold the next call back (issue 15, the exact gate)", async (t) => {
  // (the window counts arrivals: once the headers are back, the request has arrived. Counting
  // from the end of the body, as the first gate did, held each burst back by its slowest body)
  const s = await startServer();
  t.after(() => s.close());
  let second;
  const arrived = new Promise((r) => (second = r));
  s.route('POST', '/protocols/send', async (req, res, rec) => {
    if (rec.body.text !== 'hello 0') return (second(), json(res, 200, { status: 'second' }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"status":');
    // the first body ends when the second send has arrived, or after 3 s if it never comes
    const order = await Promise.race([arrived.then(() => 'second send arrived first'), sleep(3000).then(() => 'the body ended first')]);
    res.end(`${JSON.stringify(order)}}`);
  });
  const c = s.client({ rateLimit: { requests: 1, perMs: 100 } });
  await c.getToken();
  const [first, next] = await Promise.all([c.protocols.send(msg(0)), c.protocols.send(msg(1))]);
  assert.equal(first.status, 'second send arrived first');
  assert.equal(next.status, 'second');
  const sends = s.calls.filter((r) => r.path.endsWith('/protocols/send'));
  assert.ok(sends[1].time - sends[0].time >= 100, 'one per 100 ms all the same');
});

test("a rateLimit function's done (a store's) hears of the response as its headers come, not once its body is in: done(status, retryAfter, ago) before the body ends (issue 15: the same start-stamp semantics as the client's own window)", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let heard = () => {};
  let told;
  const dones = [];
  s.route('POST', '/protocols/send', async (req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
    res.write('{"message":');
    // the body ends once done() was called, or after 3 s if it never is
    const order = await Promise.race([told.then(() => 'done came first'), sleep(3000).then(() => 'the body ended first')]);
    res.end(`${JSON.stringify(order)}}`);
  });
  const c = s.client({
    maxRetries: 0,
    rateLimit: async () => (status, retryAfter, ago) => (dones.push([status, retryAfter, typeof ago]), heard()),
  });
  await c.getToken(); // (its own attempt, through the same function: done(200, ...))
  dones.length = 0;
  told = new Promise((r) => (heard = r));
  const e = await c.protocols.send(msg(0)).catch((x) => x);
  assert.ok(e instanceof GlassixError && e.code === 429, String(e));
  assert.equal(e.message, 'done came first');
  assert.deepEqual(dones, [[429, 1, 'number']], 'one done, with the status, the Retry-After in seconds and the headers\' age');
});

test('a call reads what it is given when it is made: one payload object reused in a loop sends each call its own values, however long the call waits (README, Bulk sends)', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ rateLimit: { requests: 2, perMs: 300 }, maxConcurrency: 1 });
  const payload = { protocolType: 'WhatsApp', from: '972500000001', text: 'hello' };
  const headers = { 'x-campaign': 'one' };
  const calls = [];
  for (const to of ['111', '222', '333', '444']) {
    payload.to = to;
    headers['x-campaign'] = `to-${to}`;
    calls.push(c.protocols.send(payload, { headers }));
  }
  payload.to = 'changed after the loop';
  const params = { since: '01/01/2024', until: '02/01/2024', ticketState: ['Open'] };
  calls.push(c.tickets.list(params));
  params.ticketState.push('Closed');
  params.until = '03/01/2024';
  const query = { a: '1' };
  const body = { n: 1 };
  calls.push(c.request('POST', '/custom/thing', { query, body }));
  query.a = '2';
  body.n = 2;
  // a FormData too (its values, strings and Files, do not change: the form is copied)
  const form = new FormData();
  for (const name of ['first.txt', 'second.txt']) {
    form.set('file', new Blob([`contents of ${name}`], { type: 'text/plain' }), name);
    form.set('note', name);
    calls.push(c.files.upload(form));
  }
  calls.push(c.request('POST', '/custom/form', { body: form }));
  form.delete('file');
  form.set('note', 'changed after the calls');
  // (bad input is still a rejection, made at once, with nothing sent for it)
  const bad = c.protocols.send('not an object');
  assert.ok(bad instanceof Promise);
  await assert.rejects(bad, (e) => e instanceof GlassixError && e.kind === 'invalid_argument');
  await Promise.all(calls);
  const sends = s.calls.filter((r) => r.path.endsWith('/protocols/send'));
  assert.deepEqual(sends.map((r) => [r.body.to, r.headers['x-campaign']]), [['111', 'to-111'], ['222', 'to-222'], ['333', 'to-333'], ['444', 'to-444']]);
  const list = s.calls.find((r) => r.path.endsWith('/tickets/list'));
  assert.deepEqual([list.query.until, list.query.ticketState], ['02/01/2024 00:00:00:00', 'Open']);
  const custom = s.calls.find((r) => r.path.endsWith('/custom/thing'));
  assert.deepEqual([custom.query.a, custom.body], ['1', { n: 1 }]);
  const parts = (r) => [...r.text.matchAll(/name="(\w+)"(?:; filename="([^"]+)")?\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([^\r]*)/g)].map((m) => m.slice(1).filter(Boolean).join(' '));
  const uploads = s.calls.filter((r) => r.path.endsWith('/files/upload') || r.path.endsWith('/custom/form'));
  assert.deepEqual(uploads.map(parts), [
    ['file first.txt contents of first.txt', 'note first.txt'],
    ['file second.txt contents of second.txt', 'note second.txt'],
    ['file second.txt contents of second.txt', 'note second.txt'],
  ]);
  assert.equal(s.calls.length, 9);
});

test('maxConcurrency: 3 never has more than 3 requests in flight', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let inFlight = 0;
  let peak = 0;
  const order = [];
  s.route('POST', '/protocols/send', async (req, res, rec) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    order.push(rec.body.text);
    await sleep(30);
    inFlight--;
    json(res, 200, { status: 'Pending' });
  });
  const c = s.client({ maxConcurrency: 3 });
  await c.users.getAll();
  await Promise.all(Array.from({ length: 20 }, (_, i) => c.protocols.send(msg(i))));
  assert.equal(peak, 3);
  assert.deepEqual(order.sort(), Array.from({ length: 20 }, (_, i) => `hello ${i}`).sort());
});

test('waiting calls are served in arrival order', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('POST', '/protocols/send', async (req, res) => {
    await sleep(5);
    json(res, 200, {});
  });
  const c = s.client({ maxConcurrency: 1 });
  await c.users.getAll();
  await Promise.all(Array.from({ length: 15 }, (_, i) => c.protocols.send(msg(i))));
  assert.deepEqual(s.calls.slice(1).map((r) => r.body.text), Array.from({ length: 15 }, (_, i) => `hello ${i}`));
});

test('a 429 pauses the whole client: calls started during the pause wait for it', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/tickets/get/1');
  const c = s.client();
  await c.users.getAll();
  const throttled = c.tickets.get(1);
  await sleep(100); // the 429 has arrived by now
  const t0 = Date.now();
  const during = c.tickets.get(2);
  await Promise.all([throttled, during]);
  const sent2 = s.calls.find((r) => r.path.endsWith('/tickets/get/2'));
  const hit429 = s.calls.find((r) => r.path.endsWith('/tickets/get/1'));
  assert.ok(sent2.time - hit429.time >= 950, `the call started during the pause went out ${sent2.time - hit429.time} ms after the 429`);
  assert.ok(Date.now() - t0 >= 800);
  assert.equal(s.calls.filter((r) => r.path.endsWith('/tickets/get/2')).length, 1, 'it did not discover the limit with its own 429');
});

test('a 429 without Retry-After pauses the whole client for its backoff, not only the call that got it: a call started during the pause waits for it too', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const random = Math.random;
  Math.random = () => 0.99; // (the backoff's jitter: 0.99 × 500 ms for a first retry)
  t.after(() => (Math.random = random));
  let hits = 0;
  s.route('GET', '/tickets/get/1', (req, res) => (++hits === 1 ? json(res, 429, {}) : json(res, 200, { id: 1 })));
  const c = s.client();
  await c.getToken();
  const throttled = c.tickets.get(1);
  await sleep(100); // the 429 has arrived by now
  const during = c.tickets.get(2);
  await Promise.all([throttled, during]);
  const hit429 = s.calls.find((r) => r.path.endsWith('/tickets/get/1'));
  const sent2 = s.calls.find((r) => r.path.endsWith('/tickets/get/2'));
  assert.ok(sent2.time - hit429.time >= 450, `the call started during the pause went out ${sent2.time - hit429.time} ms after the 429`);
  assert.equal(hits, 2);
});

test('a 429 also holds back a call that passed the queue before it and was still waiting on a rateLimit function: it goes out after the pause, its place given back with done()', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/tickets/get/1');
  const grants = [];
  let n = 0;
  // the token request and the first attempt get their places after 50 ms, the second call's after 400 ms
  const c = s.client({
    rateLimit: async () => {
      const i = n++;
      await sleep(i === 2 ? 400 : 50);
      return (...args) => grants.push([i, args.length]);
    },
  });
  const throttled = c.tickets.get(1); // its 429 (Retry-After: 1) comes at about 100 ms
  await sleep(60);
  const waiting = c.tickets.get(2); // past the queue, waiting on the limiter until about 460 ms
  await Promise.all([throttled, waiting]);
  const hit429 = s.calls.find((r) => r.path.endsWith('/tickets/get/1'));
  const sent2 = s.calls.filter((r) => r.path.endsWith('/tickets/get/2'));
  assert.equal(sent2.length, 1);
  assert.ok(sent2[0].time - hit429.time >= 950, `the call waiting on the limiter went out ${sent2[0].time - hit429.time} ms after the 429`);
  // the place the limiter granted during the pause was given back unused: done() with no arguments
  assert.ok(grants.some(([i, args]) => i === 2 && args === 0), JSON.stringify(grants));
});

test("a call sent back by 429 pauses still steps out for a fresh token when its own goes stale: the pauses do not use up its eight token requeues", async () => {
  // a call whose rateLimit function sees nine pauses start while it decides, and then lets the
  // token pass its refresh point: it must go out with a fresh token, as it does without the pauses.
  // Each pause (Retry-After: 0.2) must still be on when the function returns, else the call goes
  // out at once with the token it has: a 50 ms pause ended first on a busy machine (tok-1 was
  // sent). With pauses the token lives 3 s (refresh point 2.7 s): nine pauses fit with room.
  const run = async (pauses, lifetime) => {
    let tokens = 0;
    let tokenAt = 0;
    const sent = [];
    const fetch = async (req) => {
      if (req.url.endsWith('/tickets/get/1')) return new Response('{"message":"slow down"}', { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '0.2' } });
      sent.push(req.headers.get('authorization'));
      return new Response('{"id":2}', { headers: { 'content-type': 'application/json' } });
    };
    const other = new AbortController().signal;
    const mine = new AbortController().signal;
    let n = 0;
    const c = new GlassixClient({
      baseUrl: 'http://127.0.0.1:9/api/v1.2',
      fetch,
      getAccessToken: async () => ((tokens += 1), (tokenAt = Date.now()), { access_token: `tok-${tokens}`, expires_in: lifetime }),
      rateLimit: async (signal) => {
        if (signal !== mine) return;
        n += 1;
        if (n <= pauses) {
          await c.tickets.get(1, { signal: other, maxRetries: 0 }).catch(() => {}); // a 429: the client pauses 200 ms
          return;
        }
        if (n === pauses + 1) await sleep(Math.max(0, tokenAt + lifetime * 900 + 50 - Date.now())); // past the refresh point (90%)
      },
    });
    await c.tickets.get(2, { signal: mine });
    return sent[0];
  };
  assert.equal(await run(0, 1), 'Bearer tok-2');
  assert.equal(await run(9, 3), 'Bearer tok-2');
});

test('the function form of rateLimit is awaited before every attempt, retries included', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let fail = true;
  s.route('GET', '/tickets/get/1', (req, res) => (fail ? ((fail = false), json(res, 503, {})) : json(res, 200, { id: 1 })));
  const log = [];
  const c = s.client({
    rateLimit: async () => {
      log.push(`wait ${s.requests.length}`);
      await sleep(20);
    },
  });
  await c.tickets.get(1);
  await c.tickets.get(2);
  // before the token request, before attempt 1 (503), before its retry, before the second call:
  // a server's limit counts the token request too
  assert.deepEqual(log, ['wait 0', 'wait 1', 'wait 2', 'wait 3']);
  assert.equal(s.calls.length, 3);
  assert.equal(s.tokenRequests.length, 1);
});

// README, Options: the rateLimit function "may resolve with a done(...) ..., and anything else it
// resolves with is ignored": a limiter library's own value (the `limiter` package's
// removeTokens() resolves with the tokens left, others with a token object) is no `done`, and
// the calls go through, with a store too.
test('a rateLimit function that resolves with something other than a function (a number, an object) is ignored: the calls go', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  for (const value of [7, { token: 1 }, 'granted', null]) {
    const c = s.client({ rateLimit: async () => value });
    assert.deepEqual(await c.tickets.get(1), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/1' }, String(value));
  }
  const store = { token: (fetch) => fetch(), acquire: async () => undefined };
  const withStore = s.client({ store, rateLimit: async () => 7 });
  assert.deepEqual(await withStore.tickets.get(2), { ok: true, method: 'GET', path: '/api/v1.2/tickets/get/2' });
});

test('a queued call can be aborted by its signal while waiting; the rest go on', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', /\/tickets\/get\//, async (req, res) => {
    await sleep(100);
    json(res, 200, {});
  });
  const c = s.client({ maxConcurrency: 1 });
  await c.users.getAll();
  const ac = new AbortController();
  const a = c.tickets.get(1);
  const b = c.tickets.get(2, { signal: ac.signal });
  const d = c.tickets.get(3);
  setTimeout(() => ac.abort(), 20);
  const [ra, rb, rd] = await Promise.allSettled([a, b, d]);
  assert.equal(ra.status, 'fulfilled');
  assert.equal(rb.status, 'rejected');
  assert.ok(rb.reason instanceof GlassixError);
  assert.equal(rb.reason.kind, 'aborted');
  assert.equal(rd.status, 'fulfilled');
  assert.deepEqual(s.calls.slice(1).map((r) => r.path.split('/').pop()), ['1', '3']);
});

test("a queued call's timeout starts when its attempt starts, not while it waits", async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', /\/tickets\/get\//, async (req, res) => {
    await sleep(150);
    json(res, 200, {});
  });
  const c = s.client({ maxConcurrency: 1 });
  await c.users.getAll();
  // each waits ~150 ms per call ahead of it; with a 300 ms timeout that only counts its own attempt
  const results = await Promise.allSettled([1, 2, 3, 4].map((i) => c.tickets.get(i, { timeout: 300 })));
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
});

test('a rateLimit function that grants a place after the call gave up (it ignores the signal) gets it back with done(): no place is lost, the next call goes', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  // a one-permit semaphore that hands permits out in order, whatever the signal says
  let free = 1;
  const waiting = [];
  const dones = [];
  const release = () => (waiting.length ? waiting.shift()(done) : free++);
  const done = (...a) => {
    dones.push(a.length);
    release();
  };
  const rateLimit = () => (free > 0 ? (free--, Promise.resolve(done)) : new Promise((r) => waiting.push(r)));
  let unblock;
  s.route('GET', '/tickets/get/1', async (req, res) => {
    await new Promise((r) => (unblock = r));
    json(res, 200, { id: 1 });
  });
  const c = s.client({ accessToken: 'tok', rateLimit });
  const first = c.tickets.get(1);
  while (!unblock) await sleep(5);
  const ac = new AbortController();
  const second = c.tickets.get(2, { signal: ac.signal });
  await sleep(20);
  ac.abort();
  assert.equal((await second.catch((e) => e)).kind, 'aborted');
  unblock();
  assert.deepEqual(await first, { id: 1 });
  // the permit went to the aborted call's limiter promise, which hands it back at once
  const third = await Promise.race([c.tickets.get(3), sleep(3000).then(() => 'still waiting')]);
  assert.notEqual(third, 'still waiting', 'the place granted after the abort was given back');
  assert.deepEqual(dones, [3, 0, 3], 'done(status, retryAfter, ago) for each sent attempt, done() for the place given back');
  assert.equal(s.calls.filter((r) => r.path.endsWith('/tickets/get/2')).length, 0, 'the aborted call sent nothing');
});
