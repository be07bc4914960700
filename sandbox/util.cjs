'use strict';
// Small shared helpers: dates, ids, errors, validation.

const crypto = require('node:crypto');

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const NOT_SET_DATE = '0001-01-01T00:00:00';
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An error that the router turns into an HTTP response. */
class HttpError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {string} message human-readable message
   * @param {object} [opts] { key: 'message' | 'Message', headers, body, kind }
   *   `kind` ('invalid' | 'rule' | 'notFound' | 'forbidden' | 'denied') lets the rules `invalidStatus`,
   *   `ruleStatus`, `notFoundStatus`, `forbiddenStatus` and `deniedStatus` choose the status; `key` is the casing under `messageKey: 'mixed'`.
   */
  constructor(status, message, opts = {}) {
    super(message);
    this.status = status;
    this.key = opts.key || 'message';
    this.headers = opts.headers || {};
    this.body = opts.body;
    this.kind = opts.kind || null;
  }
}

/** Malformed input: a wrong type, a missing field, a bad enum value or format. */
const badRequest = (msg) => new HttpError(400, msg, { kind: 'invalid' });
/** A refusal by a business rule (closed ticket, tag not allowed, month window, …). */
const ruleError = (msg) => new HttpError(400, msg, { kind: 'rule' });
const notFound = (msg) => new HttpError(404, msg, { kind: 'notFound' });
/** ASP.NET-style 400 (model binding failures), capital `Message`. */
const invalidRequest = (msg = 'The request is invalid.') => new HttpError(400, msg, { key: 'Message', kind: 'invalid' });

/** The longest delay a timer takes (setTimeout fires at once, after a warning, beyond it): the
 * most an option in ms that becomes a timer may be. */
/** Appends `entry` to `log`, keeping only the newest `max` (a long run must not grow without
 * end): the request log and the webhook deliveries. */
function pushBounded(log, entry, max) {
  log.push(entry);
  if (log.length > max) log.splice(0, log.length - max);
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Format a Date (or epoch ms) as `dd/MM/yyyy HH:mm:ss:ff` in UTC (ff = hundredths of a second). */
function formatGlassixDate(date) {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) throw new TypeError('formatGlassixDate: invalid date');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear(), 4)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}:${pad(Math.floor(d.getUTCMilliseconds() / 10))}`;
}

/** Format a Date as `dd/MM/yyyy` (UTC), the `users/statuslogs` format. */
function formatGlassixDay(date) {
  return formatGlassixDate(date).slice(0, 10);
}

const FULL_RE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}):(\d{2})$/;
const NO_FF_RE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const DAY_RE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

function buildUtc(y, mo, d, h = 0, mi = 0, s = 0, ms = 0) {
  // (a .NET DateTime starts at the year 1)
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  // (`Date.UTC` reads a year 0-99 as 1900-1999: the year is set on its own)
  dt.setUTCFullYear(y, mo - 1, d);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt;
}

/**
 * Parse `dd/MM/yyyy HH:mm:ss:ff` (UTC). With `{ allowDateOnly: true }` also `dd/MM/yyyy`; with
 * `{ allowNoHundredths: true }` also `dd/MM/yyyy HH:mm:ss`.
 * Returns a Date, or null when the string does not match exactly.
 */
function parseGlassixDate(str, opts = {}) {
  if (typeof str !== 'string') return null;
  // (`dateOnly`: only `dd/MM/yyyy`)
  let m = opts.dateOnly ? null : FULL_RE.exec(str);
  if (m) {
    const [, d, mo, y, h, mi, s, ff] = m.map(Number);
    return buildUtc(y, mo, d, h, mi, s, ff * 10);
  }
  if (opts.allowNoHundredths && !opts.dateOnly) {
    m = NO_FF_RE.exec(str);
    if (m) {
      const [, d, mo, y, h, mi, s] = m.map(Number);
      return buildUtc(y, mo, d, h, mi, s);
    }
  }
  if (opts.allowDateOnly) {
    m = DAY_RE.exec(str);
    if (m) {
      const [, d, mo, y] = m.map(Number);
      return buildUtc(y, mo, d);
    }
  }
  return null;
}

/** Parse a date given in a JSON payload: ISO-8601 string, Glassix `dd/MM/yyyy HH:mm:ss:ff`, or
 * epoch ms (`isoOnly`: the ISO-8601 string alone, what a .NET DateTime reads). */
function parseAnyDate(v, options) {
  const d = parseAnyDateUnbounded(v, options);
  // only what a .NET DateTime holds: 0001-01-01 to 9999-12-31 (epoch ms past them, year 0000, or
  // an offset that carries 9999-12-31 into 10000, was stored and written back malformed)
  return d && d.getTime() >= DOTNET_MIN_MS && d.getTime() <= DOTNET_MAX_MS ? d : null;
}
const DOTNET_MIN_MS = new Date('0001-01-01T00:00:00Z').getTime();
const DOTNET_MAX_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

function parseAnyDateUnbounded(v, { isoOnly = false } = {}) {
  if (v == null || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) && !isoOnly ? new Date(v) : null;
  if (typeof v !== 'string') return null;
  const g = isoOnly ? null : parseGlassixDate(v, { allowDateOnly: true });
  if (g) return g;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(v);
  if (!m) return null;
  // a day or time that does not exist (30 Feb, 24:00) is refused, as .NET refuses it, not rolled
  // over to another date as JavaScript's Date would
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > new Date(Date.UTC(+y, +mo, 0)).getUTCDate() || +h > 23 || +mi > 59 || +sec > 59) return null;
  // .NET-style dates without a zone are UTC.
  // (a date alone is read as UTC as it is: with a `Z` after it, V8 read `0001-01-01Z` as 2001)
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(v.slice(10)) || v.length === 10 ? v : `${v}Z`;
  // (V8 reads a year 0-99 in any form but strict ISO-8601, `0001-01-01 10:00:00` say, as 19xx or
  // 20xx: such a date is read 400 years on, where the calendar is the same, and moved back)
  const early = +y < 100;
  const date = new Date(early ? String(+y + 400).padStart(4, '0') + iso.slice(4) : iso);
  if (early) date.setTime(date.getTime() - 146097 * 864e5);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Add calendar months (UTC), clamping the day to the target month's length. */
function addCalendarMonths(ms, n) {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** `hh:mm:ss` / `d.hh:mm:ss` like a .NET TimeSpan (or whole seconds with `rules.durations: 'seconds'`). */
function formatTimeSpan(ms) {
  let s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86400); s -= days * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const mi = Math.floor(s / 60); s -= mi * 60;
  return `${days ? `${days}.` : ''}${pad(h)}:${pad(mi)}:${pad(s)}`;
}

const randomGuid = () => crypto.randomUUID();

/** Deterministic GUID (v4-shaped) derived from a string, for seeded entities. */
function stableGuid(text) {
  const h = crypto.createHash('sha1').update(String(text)).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const isGuid = (s) => typeof s === 'string' && GUID_RE.test(s);
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';

/** Find `value` in `list` case-insensitively; returns the canonical spelling or undefined. */
function canonical(list, value) {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return list.find((x) => x.toLowerCase() === lower);
}

/** mulberry32 PRNG → function returning [0, 1). */
function seededRandom(seed) {
  let a = seed >>> 0;
  return function random() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Sets `obj[key] = value` as an own, enumerable data property, as JSON.parse makes one: a body's
 * `__proto__` key stays a key, never Object.prototype. */
const setOwn = (obj, key, value) => Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });

module.exports = {
  EMPTY_GUID, NOT_SET_DATE, MAX_TIMER_MS, HttpError, badRequest, ruleError, notFound, invalidRequest,
  formatGlassixDate, formatGlassixDay, parseGlassixDate, parseAnyDate, addCalendarMonths,
  formatTimeSpan, randomGuid, stableGuid, isGuid, isPlainObject, isNonEmptyString, canonical, pushBounded,
  seededRandom, clone, setOwn,
};
