// The wall clock is not a stopwatch: NTP steps it, an administrator sets it, a VM resumes with it
// hours off. The rate window and the 429 pause measure elapsed time, so a step of the clock must
// neither hold calls back for the length of the step nor let a burst through. Each client runs in
// its own process, whose `Date.now` the test steps; the server records arrivals on its own clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runChild, CREDS } from './helpers/server.mjs';

const HOUR = 3_600_000;
// (a child's `Date.now` answers the real time plus `step`, which the child's code sets)
const client = (options) => `
let step = 0;
const realNow = Date.now;
Date.now = () => realNow() + step;
const c = new GlassixClient({ baseUrl: base, ...${JSON.stringify(CREDS)}, ...${JSON.stringify(options)} });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
`;

for (const [label, jump] of [['back', -HOUR], ['forward', HOUR]]) {
  test(`the clock stepping an hour ${label} mid-run: the rate window neither stalls nor lets a burst through`, async (t) => {
    const s = await startServer();
    t.after(() => s.close());
    const r = await runChild(
      `${client({ rateLimit: { requests: 2, perMs: 500 } })}
await c.getToken();
await Promise.all([c.users.getAll(), c.users.getAll()]);
step = ${jump};
await Promise.all([c.users.getAll(), c.users.getAll(), c.users.getAll()]);
console.log('done');`,
      s.base,
    );
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0, `the child did not finish (killed: ${r.signal})`);
    assert.equal(r.stdout.trim(), 'done');
    const times = s.requests.map((q) => q.time);
    assert.equal(times.length, 6);
    for (let i = 2; i < times.length; i++) {
      // any 3 consecutive arrivals span at least one window (the server's clock, never stepped)
      assert.ok(times[i] - times[i - 2] >= 500, `request ${i} arrived ${times[i] - times[i - 2]} ms after request ${i - 2}`);
    }
  });
}

test('the clock stepping an hour back during a 429 pause: the pause still ends after its Retry-After', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/users/allusers', '1');
  const r = await runChild(
    `${client({})}
await c.getToken();
const first = c.users.getAll();
await sleep(300);
step = ${-HOUR};
const [a, b] = await Promise.all([first, c.users.getAll()]);
console.log(JSON.stringify([a, b]));`,
    s.base,
  );
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, `the child did not finish (killed: ${r.signal})`);
  assert.deepEqual(JSON.parse(r.stdout), [{ id: 1 }, { id: 1 }]);
  const calls = s.calls.map((q) => q.time);
  assert.equal(calls.length, 3);
  // both waited out the pause, and no longer
  assert.ok(calls[1] - calls[0] >= 1000 && calls[2] - calls[0] >= 1000, `the calls after the 429 came ${calls[1] - calls[0]} and ${calls[2] - calls[0]} ms after it`);
});

// node:test's mock.timers fakes `setTimeout` and `Date` but not `performance`: a timer that fired
// is then the only sign that the time passed, and the gate takes it as one.
/** A server and two clients, both with their token: `paused`, whose first `users.getAll` gets a
 * 429 with `Retry-After: retryAfter`, and `limited`, at 2 attempts per 30 s. */
async function pausedAndLimited(t, retryAfter) {
  const s = await startServer();
  t.after(() => s.close());
  s.first429('GET', '/users/allusers', retryAfter);
  const paused = s.client();
  const limited = s.client({ rateLimit: { requests: 2, perMs: 30_000 } });
  await paused.getToken();
  await limited.getToken();
  return { s, paused, limited };
}

test("fake timers that fake setTimeout and Date, not performance (node:test's mock.timers): a 429's pause and the rate window move with the fake clock", async (t) => {
  const { s, paused, limited } = await pausedAndLimited(t, '30');
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const settled = (p) => {
    const state = { done: false };
    p.then((v) => Object.assign(state, { done: true, v }), (e) => Object.assign(state, { done: true, e }));
    return state;
  };
  // (each a real wait of 30 s without the fake clock)
  const calls = [settled(paused.users.getAll()), settled(limited.tickets.get(1)), settled(limited.tickets.get(2))];
  for (let i = 0; i < 200 && !calls.every((c) => c.done); i++) {
    await new Promise((r) => setImmediate(r));
    t.mock.timers.tick(1000);
  }
  t.mock.timers.reset();
  assert.deepEqual(calls.map((c) => c.e), [undefined, undefined, undefined]);
  assert.ok(calls.every((c) => c.done), 'every call settled as the fake clock moved');
  assert.deepEqual(calls[0].v, { id: 1 });
  assert.equal(s.calls.length, 4);
});

test('a runtime whose timers fire up to a quantum early (Bun on Windows: 15.6 ms) never opens the window early', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const r = await runChild(
    `const realSetTimeout = setTimeout;
globalThis.setTimeout = (f, ms, ...args) => realSetTimeout(f, Math.max(0, ms - 15), ...args);
${client({ rateLimit: { requests: 1, perMs: 200 } })}
await Promise.all(Array.from({ length: 6 }, (_, i) => c.tickets.get(i + 1)));
console.log('done');`,
    s.base,
  );
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim(), 'done');
  const times = s.requests.map((q) => q.time);
  assert.equal(times.length, 7);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 200, `request ${i} arrived ${times[i] - times[i - 1]} ms after request ${i - 1}`);
});

test('two waits set together under fake timers that leave performance real: both end when the fake clock passes them', async (t) => {
  const { s, paused, limited } = await pausedAndLimited(t, '20');
  await limited.tickets.get(1);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const first = paused.users.getAll();
  // (the 429 in, its pause of 20 s set, before the window's wait of 30 s is)
  while (s.calls.length < 2) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  let done = false;
  const second = limited.tickets.get(2).finally(() => (done = true));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  t.mock.timers.tick(30_000);
  for (let i = 0; i < 200 && !done; i++) await new Promise((r) => setImmediate(r));
  assert.ok(done, 'the window of 30 s ended with 30 s of fake time');
  // (the pause too, however late the 429 was read)
  let paused429 = false;
  first.finally(() => (paused429 = true));
  for (let i = 0; i < 100 && !paused429; i++) {
    await new Promise((r) => setImmediate(r));
    t.mock.timers.tick(1000);
  }
  t.mock.timers.reset();
  assert.deepEqual(await first, { id: 1 });
  await second;
});

test('performance.now() going back (a fake performance that starts again from 0, as sinon and jest install it) does not hold the window back', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const r = await runChild(
    `${client({ rateLimit: { requests: 1, perMs: 300 } })}
await c.getToken();
const realPerf = performance.now.bind(performance);
performance.now = () => realPerf() - ${HOUR};
await c.tickets.get(1);
console.log('done');`,
    s.base,
  );
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, `the child did not finish (killed: ${r.signal})`);
  const times = s.requests.map((q) => q.time);
  assert.equal(times.length, 2);
  assert.ok(times[1] - times[0] >= 300, `the call came ${times[1] - times[0]} ms after the token request`);
});
