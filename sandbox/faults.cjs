'use strict';
// Fault injection: latency, random 5xx, rate limits, 429 bursts, hangs, token-endpoint throttling.

const DEFAULT_FAULTS = Object.freeze({
  latencyMs: 0,          // added to every response
  jitterMs: 0,           // plus a random 0..jitterMs
  failureRate: 0,        // 0..1 chance of a 5xx on non-token API calls
  failureStatuses: [502, 503, 504],
  burst5xx: 0,           // the next N non-token API calls get a 5xx (first of failureStatuses… rotating)
  htmlErrors: false,     // 502/504 bodies as text/html like a gateway would send
  rateLimit: null,       // { requests, perMs, retryAfter? } on non-token API calls
  burst429: 0,           // the next N non-token API calls get 429
  retryAfter: 1,         // Retry-After seconds for burst429 / tokenFail429; null: 429s carry none
  hangRate: 0,           // 0..1 chance a non-token API call is never answered (until close)
  hangNext: 0,           // the next N non-token API calls hang
  tokenThrottle: null,   // { requests, perMs, retryAfter? } on POST /token/get
  tokenFail429: 0,       // the next N token calls get 429
});

const { MAX_TIMER_MS } = require('./util.cjs');

function checkRate(name, v) {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new TypeError(`faults.${name} must be a number in 0..1`);
}
function checkCount(name, v) {
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`faults.${name} must be a non-negative integer`);
}
function checkWindow(name, v) {
  if (v === null || v === false) return null;
  const shape = `faults.${name} must be { requests: integer >= 0, perMs: number > 0, retryAfter?: seconds } or null`;
  if (v === undefined || typeof v !== 'object' || Array.isArray(v) || !Number.isSafeInteger(v.requests) || v.requests < 0
    || typeof v.perMs !== 'number' || !(v.perMs > 0) || !Number.isFinite(v.perMs)) {
    throw new TypeError(shape);
  }
  // (a misspelt key, `retryafter`, would otherwise be dropped in silence)
  for (const k of Object.keys(v)) if (!['requests', 'perMs', 'retryAfter'].includes(k)) throw new TypeError(`unknown faults.${name} key '${k}'; ${shape}`);
  if (v.retryAfter != null && !(typeof v.retryAfter === 'number' && v.retryAfter >= 0 && Number.isFinite(v.retryAfter))) {
    throw new TypeError(`faults.${name}.retryAfter must be a finite number of seconds >= 0`);
  }
  return { requests: v.requests, perMs: v.perMs, retryAfter: v.retryAfter ?? null };
}

/** Validate and merge `partial` into `base`; returns a new object. Unknown keys throw. */
function mergeFaults(base, partial) {
  if (partial == null) return { ...base };
  if (typeof partial !== 'object' || Array.isArray(partial)) throw new TypeError('faults must be an object');
  const out = { ...base };
  for (const [k, v] of Object.entries(partial)) {
    // a key given as undefined is not given (as everywhere else in the package: the types'
    // optional keys, `{ latencyMs: flags.latency }`); a misspelt one still throws
    if (v === undefined && Object.hasOwn(DEFAULT_FAULTS, k)) continue;
    switch (k) {
      case 'latencyMs': case 'jitterMs':
        if (typeof v !== 'number' || !(v >= 0 && v <= MAX_TIMER_MS)) throw new TypeError(`faults.${k} must be a number of ms 0..${MAX_TIMER_MS}`);
        out[k] = v; break;
      case 'retryAfter':
        // (null: no Retry-After at all; the API's docs do not say that a 429 carries one)
        if (v !== null && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) throw new TypeError(`faults.${k} must be a finite number of seconds >= 0, or null for none`);
        out[k] = v; break;
      case 'failureRate': case 'hangRate': checkRate(k, v); out[k] = v; break;
      case 'burst5xx': case 'burst429': case 'hangNext': case 'tokenFail429': checkCount(k, v); out[k] = v; break;
      case 'rateLimit': case 'tokenThrottle': out[k] = checkWindow(k, v); break;
      case 'htmlErrors':
        if (typeof v !== 'boolean') throw new TypeError('faults.htmlErrors must be true or false');
        out[k] = v; break;
      case 'failureStatuses':
        if (!Array.isArray(v) || v.length === 0 || v.some((s) => !Number.isInteger(s) || s < 500 || s > 599)) {
          throw new TypeError('faults.failureStatuses must be a non-empty array of 5xx status codes');
        }
        out[k] = [...v]; break;
      default:
        throw new TypeError(`unknown fault option '${k}'`);
    }
  }
  return out;
}

class FaultEngine {
  /**
   * @param {object} initial  the start-up faults
   * @param {object} o
   * @param {() => () => number} o.makeRandom  the generator for failureRate, hangRate and jitterMs,
   *   asked for again by every reset() (a seeded one starts over)
   * @param {() => number} [o.clock]  the windows' clock in ms: real, monotonic time, as latency is,
   *   not the `now` option's (a frozen test clock would never free a window, and Retry-After is
   *   waited out in real time)
   */
  constructor(initial, { makeRandom, clock = () => performance.now() }) {
    this.initial = mergeFaults(DEFAULT_FAULTS, initial);
    this.makeRandom = makeRandom;
    this.now = clock;
    this.reset();
  }

  reset() {
    this.random = this.makeRandom();
    this.faults = { ...this.initial };
    this.apiHits = [];
    this.tokenHits = [];
    this.burstIndex = 0;
  }

  set(partial) {
    this.faults = mergeFaults(this.faults, partial);
    return this.get();
  }

  get() { return JSON.parse(JSON.stringify(this.faults)); }

  latency() {
    const f = this.faults;
    return f.latencyMs + (f.jitterMs ? this.random() * f.jitterMs : 0);
  }

  /** Sliding-window limiter. Returns the 429 when over the limit (its Retry-After seconds: the
   * window's own, else none when `retryAfter` is null, else until a place frees), else null (and
   * records the hit). */
  window(hits, limit, message) {
    const t = this.now();
    while (hits.length && hits[0] <= t - limit.perMs) hits.shift();
    if (hits.length >= limit.requests) {
      const wait = hits.length ? hits[0] + limit.perMs - t : limit.perMs;
      const retryAfter = limit.retryAfter ?? (this.faults.retryAfter === null ? null : Math.max(1, Math.ceil(wait / 1000)));
      return { status: 429, retryAfter, message };
    }
    hits.push(t);
    return null;
  }

  /**
   * Decide what happens to a request of `kind` ('token' or 'api').
   * @returns {null | { hang: true } | { status, retryAfter?, message }}
   */
  decide(kind) {
    const f = this.faults;
    if (kind === 'token') {
      if (f.tokenFail429 > 0) {
        f.tokenFail429 -= 1;
        return { status: 429, retryAfter: f.retryAfter, message: 'Too many token requests.' };
      }
      if (f.tokenThrottle) {
        const over = this.window(this.tokenHits, f.tokenThrottle, 'Too many token requests.');
        if (over) return over;
      }
      return null;
    }
    if (f.hangNext > 0) { f.hangNext -= 1; return { hang: true }; }
    if (f.hangRate > 0 && this.random() < f.hangRate) return { hang: true };
    if (f.burst429 > 0) {
      f.burst429 -= 1;
      return { status: 429, retryAfter: f.retryAfter, message: 'Too many requests.' };
    }
    if (f.rateLimit) {
      const over = this.window(this.apiHits, f.rateLimit, 'Too many requests.');
      if (over) return over;
    }
    if (f.burst5xx > 0) {
      f.burst5xx -= 1;
      const status = f.failureStatuses[this.burstIndex++ % f.failureStatuses.length];
      return { status, message: STATUS_TEXT[status] || 'Server error.' };
    }
    if (f.failureRate > 0 && this.random() < f.failureRate) {
      const status = f.failureStatuses[Math.floor(this.random() * f.failureStatuses.length)];
      return { status, message: STATUS_TEXT[status] || 'Server error.' };
    }
    return null;
  }
}

const STATUS_TEXT = { 500: 'An error has occurred.', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

module.exports = { DEFAULT_FAULTS, FaultEngine, mergeFaults, STATUS_TEXT };
