import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, getToken, client, fakeClock, sleep } from './_helpers.mjs';

async function withSandbox(options, fn) {
  const sb = await startSandbox(options);
  try {
    return await fn(sb, client(sb));
  } finally {
    await sb.close();
  }
}

describe('fault injection', () => {
  test('burst429: the next N calls get 429 with Retry-After, then normal service', () => withSandbox({}, async (sb, call) => {
    sb.setFaults({ burst429: 2, retryAfter: 7 });
    for (let i = 0; i < 2; i += 1) {
      const r = await call('GET', '/users/getstatus');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(typeof r.json.message, 'string');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
    }
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
    // Retry-After is a whole number of seconds (RFC 9110 delay-seconds): a fraction is rounded up
    sb.setFaults({ burst429: 1, retryAfter: 1.5 });
    assert.equal((await call('GET', '/users/getstatus')).headers.get('retry-after'), '2');
    sb.setFaults({ rateLimit: { requests: 0, perMs: 60_000, retryAfter: 0.25 } });
    assert.equal((await call('GET', '/users/getstatus')).headers.get('retry-after'), '1', "a window's own retryAfter too");
  }));

  test('rateLimit: beyond N per window → 429 with Retry-After; token calls are not counted; the window runs on real time', async () => {
    // (a frozen `now` clock: the window frees all the same, as a client waiting out Retry-After
    // in real time needs it to)
    const now = fakeClock();
    await withSandbox({ now, faults: { rateLimit: { requests: 2, perMs: 1_200 } } }, async (sb, call) => {
      const t0 = performance.now();
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      assert.equal((await getToken(sb)).status, 200);
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      const r = await call('GET', '/users/getstatus');
      assert.equal(r.status, 429);
      assert.ok(performance.now() - t0 < 200, 'the three calls took under 200 ms');
      assert.equal(r.headers.get('retry-after'), '2', 'seconds until the window frees a slot, rounded up');
      assert.equal((await getToken(sb)).status, 200, 'token endpoint unaffected');
      now.advance(60_000);
      assert.equal((await call('GET', '/users/getstatus')).status, 429, 'the `now` clock does not move the window');
      await sleep(1_410 - (performance.now() - t0)); // (the first hit was within 200 ms of t0)
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      sb.setFaults({ rateLimit: { requests: 0, perMs: 1000, retryAfter: 3 } });
      const r2 = await call('GET', '/users/getstatus');
      assert.equal(r2.status, 429);
      assert.equal(r2.headers.get('retry-after'), '3');
      sb.setFaults({ rateLimit: null });
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
    });
  });

  test('retryAfter: null: no 429 carries Retry-After (bursts and windows), unless a window names its own', async () => {
    const now = fakeClock();
    await withSandbox({ now, faults: { retryAfter: null, burst429: 1, tokenFail429: 1, rateLimit: { requests: 1, perMs: 10_000 }, tokenThrottle: { requests: 0, perMs: 60_000 } } }, async (sb, call) => {
      const tokenRequest = () => fetch(`${sb.baseUrl}/token/get`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: sb.credentials.apiKey, apiSecret: sb.credentials.apiSecret, userName: sb.credentials.userName }),
      });
      const t429 = await tokenRequest();
      assert.equal(t429.status, 429);
      assert.equal(t429.headers.get('retry-after'), null);
      const b = await call('GET', '/users/getstatus');
      assert.equal(b.status, 429);
      assert.equal(b.headers.get('retry-after'), null, 'burst429');
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      const w = await call('GET', '/users/getstatus');
      assert.equal(w.status, 429);
      assert.equal(w.headers.get('retry-after'), null, 'rateLimit');
      const tw = await tokenRequest();
      assert.equal(tw.status, 429);
      assert.equal(tw.headers.get('retry-after'), null, 'tokenThrottle');
      sb.setFaults({ rateLimit: { requests: 0, perMs: 1000, retryAfter: 4 } });
      assert.equal((await call('GET', '/users/getstatus')).headers.get('retry-after'), '4', "a window's own value");
      assert.equal(sb.faults.retryAfter, null);
      sb.setFaults({ retryAfter: 2, rateLimit: null, burst429: 1 });
      assert.equal((await call('GET', '/users/getstatus')).headers.get('retry-after'), '2');
      assert.throws(() => sb.setFaults({ retryAfter: -1 }), /faults\.retryAfter must be a finite number of seconds >= 0, or null for none/);
    });
  });

  test('tokenFail429 and tokenThrottle affect only the token endpoint', async () => {
    const now = fakeClock();
    await withSandbox({ now, faults: { tokenFail429: 1 } }, async (sb, call) => {
      let r = await getToken(sb);
      assert.equal(r.status, 429);
      assert.equal((await getToken(sb)).status, 200);
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      sb.setFaults({ tokenThrottle: { requests: 1, perMs: 60_000 } });
      assert.equal((await getToken(sb)).status, 200);
      const res = await fetch(`${sb.baseUrl}/token/get`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: sb.credentials.apiKey, apiSecret: sb.credentials.apiSecret, userName: sb.credentials.userName }),
      });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '60');
      assert.equal((await call('GET', '/users/getstatus')).status, 200);
      now.advance(60_000);
      assert.equal((await getToken(sb)).status, 429, 'the window runs on real time, not on the `now` clock');
      sb.setFaults({ tokenThrottle: null });
      r = await getToken(sb);
      assert.equal(r.status, 200);
    });
  });

  test('burst5xx cycles through 502/503/504; failureRate=1 fails every non-token call', () => withSandbox({}, async (sb, call) => {
    sb.setFaults({ burst5xx: 3 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call('GET', '/users/getstatus')).status);
    assert.deepEqual(statuses, [502, 503, 504]);
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
    sb.setFaults({ failureRate: 1, failureStatuses: [503] });
    const r = await call('GET', '/users/getstatus');
    assert.equal(r.status, 503);
    assert.equal(r.json.message, 'Service Unavailable');
    assert.equal((await getToken(sb)).status, 200, 'token endpoint is exempt from failureRate');
    sb.setFaults({ failureRate: 0 });
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
  }));

  test('faults combine: a rateLimit with room left does not stop burst5xx; each counts the calls it answers', () => withSandbox({}, async (sb, call) => {
    sb.setFaults({ rateLimit: { requests: 3, perMs: 600_000 }, burst5xx: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', '/users/getstatus')).status);
    assert.deepEqual(statuses, [502, 200, 200, 429]);
  }));

  test('htmlErrors makes 502/504 look like a gateway page', () => withSandbox({ faults: { burst5xx: 1, htmlErrors: true } }, async (sb, call) => {
    const r = await call('GET', '/users/getstatus');
    assert.equal(r.status, 502);
    assert.equal(r.headers.get('content-type'), 'text/html');
    assert.match(r.text, /Bad Gateway/);
    // only 502 and 504 (what a gateway answers for the API); 503, 500 stay the API's JSON
    sb.setFaults({ burst5xx: 4, failureStatuses: [503, 504, 500, 502] });
    const kinds = [];
    for (let i = 0; i < 4; i += 1) {
      const x = await call('GET', '/users/getstatus');
      kinds.push([x.status, x.headers.get('content-type')]);
    }
    assert.deepEqual(Object.fromEntries(kinds), { 500: 'application/json; charset=utf-8', 502: 'text/html', 503: 'application/json; charset=utf-8', 504: 'text/html' });
  }));

  test('failureRate is deterministic with randomSeed', async () => {
    const run = async () => withSandbox({ randomSeed: 42, faults: { failureRate: 0.5 } }, async (sb, call) => {
      const out = [];
      for (let i = 0; i < 20; i += 1) out.push((await call('GET', '/users/getstatus')).status);
      return out;
    });
    const a = await run();
    const b = await run();
    assert.deepEqual(a, b);
    assert.ok(a.some((s) => s === 200) && a.some((s) => s >= 500), a.join(','));
  });

  test('a custom random function can be injected', () => withSandbox({ random: () => 0.99, faults: { failureRate: 0.5 } }, async (sb, call) => {
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
  }));

  test('latencyMs is a lower bound on response time (also for errors)', () => withSandbox({ faults: { latencyMs: 150 } }, async (sb, call) => {
    let t0 = performance.now();
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
    assert.ok(performance.now() - t0 >= 145, `${performance.now() - t0}`);
    t0 = performance.now();
    assert.equal((await call('GET', '/users/getstatus', { token: null })).status, 401);
    assert.ok(performance.now() - t0 >= 145);
    sb.setFaults({ latencyMs: 0 });
    assert.equal(sb.faults.latencyMs, 0);
  }));

  test('hangNext: the request is never answered; close() still finishes promptly', async () => {
    const sb = await startSandbox({ faults: { hangNext: 1 } });
    const call = client(sb);
    const hung = call('GET', '/users/getstatus').then(() => 'answered', (err) => err);
    const timeout = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
    assert.equal(timeout, 'still waiting');
    assert.equal((await call('GET', '/users/getstatus')).status, 200, 'other requests are served meanwhile');
    assert.equal(sb.requests.find((r) => r.hung).path, '/api/v1.2/users/getstatus');
    const t0 = Date.now();
    await sb.close();
    assert.ok(Date.now() - t0 < 1000);
    const result = await hung;
    assert.ok(result instanceof Error, 'the hung request fails once the sandbox closes');
  });

  test('hangRate=1 hangs every non-token call; an AbortSignal timeout gives up on it', () => withSandbox({ faults: { hangRate: 1 } }, async (sb, call) => {
    assert.equal((await getToken(sb)).status, 200);
    await assert.rejects(call('GET', '/users/getstatus', { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
  }));

  test('control endpoint POST /__sandbox/faults merges; GET returns them; invalid → 400', () => withSandbox({}, async (sb) => {
    let res = await fetch(`${sb.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ burst429: 1, latencyMs: 5 }) });
    assert.equal(res.status, 200);
    const faults = await res.json();
    assert.equal(faults.burst429, 1);
    assert.equal(faults.latencyMs, 5);
    assert.equal(sb.faults.burst429, 1);
    res = await fetch(`${sb.origin}/__sandbox/faults`);
    assert.equal((await res.json()).latencyMs, 5);
    res = await fetch(`${sb.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ failureRate: 3 }) });
    assert.equal(res.status, 400);
    res = await fetch(`${sb.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ nonsense: 1 }) });
    assert.equal(res.status, 400);
    assert.equal((await client(sb)('GET', '/users/getstatus')).status, 429);
    assert.throws(() => sb.setFaults({ hangRate: -1 }), TypeError);
    assert.throws(() => sb.setFaults({ rateLimit: { requests: 1 } }), TypeError);
    sb.reset();
    assert.equal(sb.faults.latencyMs, 0, 'reset() restores the start-up faults');
  }));

  test('a fault key given as undefined is not given (setFaults keeps the value in force; startSandbox the default)', () => withSandbox({ faults: { latencyMs: undefined, rateLimit: undefined, burst429: 1 } }, async (sb) => {
    assert.equal(sb.faults.latencyMs, 0);
    assert.equal(sb.faults.rateLimit, null);
    sb.setFaults({ hangRate: 0.5, retryAfter: 3 });
    const all = Object.fromEntries(Object.keys(sb.faults).map((k) => [k, undefined]));
    assert.deepEqual(sb.setFaults(all), sb.faults);
    assert.equal(sb.faults.hangRate, 0.5);
    assert.equal(sb.faults.retryAfter, 3);
    assert.equal(sb.faults.burst429, 1);
    assert.throws(() => sb.setFaults({ latencyMS: undefined }), TypeError, 'a misspelt key still throws');
  }));

  test('sb.faults is a copy (read-only in the types): writing to it changes nothing; setFaults takes it back', () => withSandbox({ faults: { rateLimit: { requests: 5, perMs: 1000 } } }, async (sb) => {
    const f = sb.faults;
    f.latencyMs = 500;
    f.failureStatuses.push(500);
    f.rateLimit.requests = 0;
    assert.equal(sb.faults.latencyMs, 0);
    assert.deepEqual(sb.faults.failureStatuses, [502, 503, 504]);
    assert.equal(sb.faults.rateLimit.requests, 5);
    const saved = sb.faults;
    sb.setFaults({ burst429: 2 });
    assert.deepEqual(sb.setFaults(saved), saved, 'a saved copy restores the faults');
  }));

  test('startSandbox rejects invalid fault options', async () => {
    await assert.rejects(startSandbox({ faults: { failureRate: 2 } }), TypeError);
    await assert.rejects(startSandbox({ faults: { whatever: true } }), TypeError);
    // failureStatuses are 5xx only (a 4xx would be a client error, not the server fault it stands for)
    for (const failureStatuses of [[429], [499], [600], [], [502.5]]) {
      // (one that starts is closed again, so that a failing check cannot keep the process alive)
      await assert.rejects(startSandbox({ faults: { failureStatuses } }).then((sb) => sb.close()), TypeError, JSON.stringify(failureStatuses));
    }
    await withSandbox({ faults: { failureStatuses: [500, 599] } }, async (sb) => assert.deepEqual(sb.faults.failureStatuses, [500, 599]));
  });

  test('reset() empties the rateLimit and tokenThrottle windows: the next test is not throttled by the calls of the one before', () => withSandbox({
    faults: { rateLimit: { requests: 2, perMs: 600_000 }, tokenThrottle: { requests: 1, perMs: 600_000 } },
  }, async (sb, call) => {
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
    assert.equal((await call('GET', '/users/getstatus')).status, 200);
    assert.equal((await call('GET', '/users/getstatus')).status, 429, 'the window is full');
    assert.equal((await getToken(sb)).status, 200);
    assert.equal((await getToken(sb)).status, 429, 'the token window is full');
    sb.reset();
    // (the windows are 10 minutes long: only reset() can have freed them)
    assert.equal((await call('GET', '/users/getstatus')).status, 200, 'a fresh rateLimit window after reset()');
    assert.equal((await getToken(sb)).status, 200, 'a fresh tokenThrottle window after reset()');
  }));
});
