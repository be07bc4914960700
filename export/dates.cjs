'use strict';
// Dates for the ticket export: the range the caller gives (ISO-8601 or the Glassix form), the
// month windows the API's one-month limit needs, and the dates inside ticket bodies.

const DAY_MS = 86_400_000;
// The earliest and latest instants the API's date format can hold (years 0001-9999).
const MIN_MS = -62135596800000;
const MAX_MS = 253402300799990;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const GLASSIX_RE = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2})(?::(\d{1,2}))?)?)?$/;

const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based

/** Epoch ms of the given UTC fields, or null when a field is out of range (31/02, 25:00 …). */
function utc(y, mo, d, h = 0, mi = 0, s = 0, ms = 0) {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // years below 100 stay themselves (Date.UTC would add 1900)
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function offsetMs(zone) {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  const h = Number(m[2]);
  const mi = Number(m[3] || 0);
  if (h > 23 || mi > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi) * 60_000;
}

/**
 * Parses a date the caller gives: `2025-01-01`, `2025-01-01T08:00:00Z`, `2025-01-01T08:00:00.5+02:00`,
 * `01/01/2025 08:00:00:00` (the Glassix form) or `01/01/2025`. UTC unless an offset is given.
 * Fractions below a millisecond are dropped.
 * @returns {{ ms: number, dateOnly: boolean } | null}
 */
function parseDateString(text) {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  let m = ISO_RE.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m;
    const off = offsetMs(zone);
    if (off === null) return null;
    const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    const t = utc(Number(y), Number(mo), Number(d), Number(h || 0), Number(mi || 0), Number(sec || 0), ms);
    if (t === null) return null;
    // The span the date may stand for, [ms, ms + step): sub-millisecond digits are cut; a fraction
    // of one or two digits may be the API's hundredths (it writes `lastActivity` so, cut), though
    // .NET also writes .1200000 as `.12`; a date without one may be cut to the second (the API
    // writes `close` so), to the minute, or to the day.
    const step = h === undefined ? DAY_MS : sec === undefined ? 60_000 : !frac ? 1000 : frac.length < 3 ? 10 : 1;
    return { ms: t - off, dateOnly: h === undefined, step };
  }
  m = GLASSIX_RE.exec(s);
  if (m) {
    const [, d, mo, y, h, mi, sec, ff] = m;
    const t = utc(Number(y), Number(mo), Number(d), Number(h || 0), Number(mi || 0), Number(sec || 0), ff ? Number(ff.padEnd(2, '0')) * 10 : 0);
    if (t === null) return null;
    // (`ff`, hundredths, is the form's last unit: the instant is cut to it)
    const step = h === undefined ? DAY_MS : sec === undefined ? 60_000 : ff ? 10 : 1000;
    return { ms: t, dateOnly: h === undefined, step };
  }
  return null;
}

/**
 * A date found in a ticket body, as epoch ms: ISO-8601 with or without a zone (none = UTC, as the
 * API writes them), any number of fraction digits, the Glassix form, or epoch ms. `null`/`''` →
 * null (not set); anything else unreadable → undefined.
 */
function parseTicketDate(v) {
  const r = ticketDateSpan(v);
  return r && r.ms;
}

/** A date of a ticket's field `key` as the span it may stand for, `{ ms, step }`: the instant is
 * in [ms, ms + step), read by its digits (parseDateString: a whole second may be cut to the
 * second, as the API writes `close` and in some samples `open`; one or two fraction digits to
 * the hundredth), and `lastActivity`, which the API writes in hundredths without a zone, as a
 * hundredth also when no fraction is left (`…:39` is :39.00). A date is never read as narrower
 * than the API may have cut it: a ticket is never lost at the range's start, at worst one from
 * just before it is written. `null` not set, `undefined` unreadable. */
function ticketDateSpan(v, key) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? { ms: v, step: 1 } : undefined;
  const d = parseDateString(String(v));
  if (d && key === 'lastActivity' && d.step === 1000) d.step = 10;
  return d || undefined;
}

/** `ms` plus `n` calendar months (UTC), the day clamped to the target month's length. */
function addMonths(ms, n) {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
  const y = Math.floor(total / 12);
  const mo = total - y * 12 + 1;
  return utc(y, mo, Math.min(d.getUTCDate(), daysIn(y, mo)), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/**
 * `[since, until]` as windows of at most one calendar month, the same rule as the client's
 * `tickets.iterate`: each counted from its own start (31/01 → 29/02 → 29/03 …), each ending exactly
 * where the next starts, so nothing falls between them (a ticket on a seam is in both).
 * @returns {Array<[number, number]>}
 */
function monthWindows(since, until) {
  const out = [];
  let start = since;
  for (;;) {
    const next = addMonths(start, 1);
    if (next >= until) {
      out.push([start, until]);
      return out;
    }
    out.push([start, next]);
    start = next;
  }
}

/** Rounded down / up to the API's resolution, a hundredth of a second. */
const floorHundredth = (ms) => Math.floor(ms / 10) * 10;
const ceilHundredth = (ms) => Math.ceil(ms / 10) * 10;

module.exports = {
  DAY_MS, MIN_MS, MAX_MS, parseDateString, parseTicketDate, ticketDateSpan, addMonths, monthWindows, floorHundredth, ceilHundredth,
};
