'use strict';
// Signed webhook delivery (POST of each queued event to options.webhookUrl) with retries.
// Never throws into the caller; results are recorded in `deliveries`.

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');
const { pushBounded } = require('./util.cjs');

const hmacHex = (secret, data) => crypto.createHmac('sha1', secret).update(data).digest('hex');

/**
 * Headers Glassix puts on a webhook POST: X-Hub-Signature = sha1=HMAC-SHA1(secret, rawBody),
 * X-Glassix-Auth-Date = date, X-Glassix-Auth-Signature = sha1=HMAC-SHA1(secret, date).
 */
function signWebhook(secret, rawBody, date = new Date().toUTCString()) {
  return {
    'X-Hub-Signature': `sha1=${hmacHex(secret, rawBody)}`,
    'X-Glassix-Auth-Date': date,
    'X-Glassix-Auth-Signature': `sha1=${hmacHex(secret, date)}`,
  };
}

class WebhookDispatcher {
  /**
   * @param {object} o
   * @param {() => string|null} o.url  current target URL (null = disabled)
   * @param {(departmentId) => { apiKey, apiSecret }} o.keysFor
   * @param {number} [o.retries=3]  extra attempts after the first
   * @param {number} [o.retryDelayMs=250]  base delay, doubled per attempt
   * @param {number} [o.timeoutMs=20000]  per-attempt timeout (retries use min(timeoutMs, 5000))
   * @param {boolean} [o.batch=false]  POST `[event]` instead of `event`
   * @param {number} [o.maxLog=Infinity]  how many attempts `deliveries` keeps (the newest)
   * @param {() => number} [o.now=Date.now]  the sandbox's clock, for a delivery's `time`
   */
  constructor(o) {
    this.o = { retries: 3, retryDelayMs: 250, timeoutMs: 20000, batch: false, maxLog: Infinity, now: Date.now, ...o };
    this.deliveries = [];
    this.inflight = new Set();
    this.timers = new Set();
    this.closed = false;
    this.pending = 0;
    this.idleWaiters = [];
    // bumped by reset(): a delivery of an older generation records nothing and retries no more
    this.generation = 0;
  }

  /** Queue delivery of one event. */
  dispatch(event, departmentId) {
    const url = this.o.url();
    if (!url || this.closed) return;
    const { queueReceiptHandle, queueMessageId, ...pushed } = event;
    void queueReceiptHandle; void queueMessageId;
    const rawBody = JSON.stringify(this.o.batch ? [pushed] : pushed);
    this.pending += 1;
    this.attempt(url, rawBody, event.key, departmentId, 1);
  }

  attempt(url, rawBody, key, departmentId, n) {
    if (this.closed) return this.settle();
    // (the sandbox's `now`, as a request's time in the request log; the X-Glassix-Auth-Date
    // header a receiver checks against its own clock stays the real time)
    const record = { key, url, attempt: n, time: this.o.now(), status: null, error: null, ok: false };
    // (the newest `maxLog` attempts, like the request log)
    pushBounded(this.deliveries, record, this.o.maxLog);
    try {
      return this.send(url, rawBody, key, departmentId, n, record);
    } catch (err) {
      // Never let a delivery problem escape (this may run inside a timer).
      record.error = String(err && err.message);
      return this.settle();
    }
  }

  send(url, rawBody, key, departmentId, n, record) {
    const { apiKey, apiSecret } = this.o.keysFor(departmentId);
    let target;
    try {
      target = new URL(url);
    } catch (err) {
      record.error = `invalid webhook URL: ${err.message}`;
      return this.settle();
    }
    const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!lib) {
      record.error = `unsupported webhook URL protocol ${target.protocol}`;
      return this.settle();
    }
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(rawBody),
      'User-Agent': 'glassix-wasm-sandbox',
      'X-Glassix-Api-Key': String(apiKey).toLowerCase(),
      'X-Glassix-Request-Count': String(n),
      ...signWebhook(apiSecret, rawBody),
    };
    const timeout = n === 1 ? this.o.timeoutMs : Math.min(this.o.timeoutMs, 5000);
    const generation = this.generation;
    let done = false;
    const finish = (err, status) => {
      if (done) return;
      done = true;
      // (abandoned by reset(), which has already settled it: the next test must not see it)
      if (generation !== this.generation) return undefined;
      this.inflight.delete(req);
      record.status = status ?? null;
      record.error = err ? String(err.message || err) : null;
      record.ok = !err && status >= 200 && status < 300;
      if (record.ok || this.closed || n > this.o.retries) return this.settle();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.attempt(url, rawBody, key, departmentId, n + 1);
      }, this.o.retryDelayMs * 2 ** (n - 1));
      this.timers.add(timer);
      return undefined;
    };
    const req = lib.request(target, { method: 'POST', headers, agent: false, timeout }, (res) => {
      res.on('error', () => {});
      res.resume();
      res.on('end', () => finish(null, res.statusCode));
      res.on('close', () => finish(null, res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeout} ms`)));
    req.on('error', (err) => finish(err));
    this.inflight.add(req);
    req.end(rawBody);
    return undefined;
  }

  settle() {
    this.pending -= 1;
    if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle() {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /**
   * Forget every delivery (the next test starts clean): retries still to come are cancelled,
   * POSTs in flight are abandoned (their outcome is not recorded), the log is emptied and
   * `idle()` resolves. Unlike close(), new events are delivered as before.
   */
  reset() {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const abandoned = [...this.inflight];
    this.inflight.clear();
    for (const req of abandoned) req.destroy(new Error('sandbox reset'));
    this.deliveries.length = 0;
    this.pending = 0;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  close() {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t);
      this.settle();
    }
    this.timers.clear();
    for (const req of this.inflight) req.destroy(new Error('sandbox closed'));
    this.inflight.clear();
  }
}

module.exports = { WebhookDispatcher, signWebhook };
