'use strict';
// Generated tickets, for exports, load tests and demos that need many tickets over many months:
// `startSandbox({ generateTickets: { count, since, until, seed } })` or
// `glassix-wasm sandbox --generate-tickets N --generate-span FROM..TO`.
//
// The tickets are seed tickets (the seed format of sandbox/README.md), appended to the seed's own,
// so `reset()` brings the same ones back. Deterministic: the same options give the same tickets.

const { parseAnyDate, seededRandom, isPlainObject } = require('./util.cjs');

const MAX_COUNT = 1_000_000;
const DAY = 86_400_000;
const KEYS = new Set(['count', 'since', 'until', 'seed']);

const WORDS = ('order refund delivery invoice payment account address password shipping damaged late ' +
  'exchange warranty subscription upgrade cancel receipt discount coupon tracking').split(' ');
// Subjects that exercise CSV quoting and non-ASCII text.
const ODD_SUBJECTS = [
  'Refund "urgent", please',
  'Two lines:\nfirst, then second',
  'החזר כספי להזמנה',
  'Ñandú; «quoted» — and a comma, too',
  '  leading and trailing spaces  ',
  // what a spreadsheet would run as a formula (the export's --escape-formulas)
  '=HYPERLINK("https://example.com/track","לחץ כאן")',
  '+972-50-123-4567 called back',
];
const PROTOCOLS = ['WhatsApp', 'SMS', 'Mail', 'Web'];

function toMs(name, v) {
  const d = v instanceof Date ? v : parseAnyDate(v);
  const ms = d ? d.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`startSandbox: generateTickets.${name} must be a date (Date, epoch ms, ISO-8601 or dd/MM/yyyy HH:mm:ss:ff)`);
  return ms;
}

/** Validates `generateTickets` options; returns `{ count, since, until, seed }` with epoch ms dates. */
function normaliseGenerateOptions(o) {
  if (!isPlainObject(o)) throw new TypeError('startSandbox: generateTickets must be an object like { count, since, until }');
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new TypeError(`startSandbox: unknown generateTickets option '${k}'`);
  }
  // (a missing option is named as missing, not as a bad value: `{ count }` alone is two omissions)
  const missing = ['count', 'since', 'until'].filter((k) => o[k] == null).map((k) => `generateTickets.${k}`);
  if (missing.length) {
    const names = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)} are` : `${missing[0]} is`;
    throw new TypeError(`startSandbox: ${names} required (generateTickets is { count, since, until, seed? })`);
  }
  if (!Number.isInteger(o.count) || o.count < 0 || o.count > MAX_COUNT) {
    throw new TypeError(`startSandbox: generateTickets.count must be an integer 0..${MAX_COUNT}`);
  }
  const since = toMs('since', o.since);
  const until = toMs('until', o.until);
  if (!(since < until)) throw new TypeError('startSandbox: generateTickets.since must be before generateTickets.until');
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new TypeError('startSandbox: generateTickets.seed must be an integer 0..2^32-1');
  return { count: o.count, since, until, seed };
}

/** The AGENT users of the seed's first department (seed-ticket owners), by UserName. */
function agentsOf(seed) {
  const dept = seed.departments[0] || {};
  const refs = [dept.name, dept.id].filter(Boolean).map((r) => String(r).toLowerCase());
  return (seed.users || [])
    .filter((u) => isPlainObject(u) && String(u.type ?? 'AGENT').toUpperCase() === 'AGENT')
    .filter((u) => !Array.isArray(u.departments) || u.departments.some((r) => refs.includes(String(r).toLowerCase())))
    .map((u) => u.UserName ?? u.userName)
    .filter((n) => typeof n === 'string' && n !== '');
}

/** The live tag names of the seed's first department. */
function tagsOf(seed) {
  const dept = seed.departments[0] || {};
  return (dept.tags || [])
    .filter((t) => typeof t === 'string' || (isPlainObject(t) && !(t.IsDeleted ?? t.isDeleted)))
    .map((t) => (typeof t === 'string' ? t : String(t.Name ?? t.name)));
}

/** Every UTC month start (00:00:00.000 on the 1st) within [since, until]. */
function monthStarts(since, until) {
  const out = [];
  const d = new Date(since);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  if (t < since) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  while (t <= until) {
    out.push(t);
    const n = new Date(t);
    t = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
  }
  return out;
}

/**
 * `count` seed tickets of the seed's first department with `open` spread over [since, until]:
 * every state, open/close/last-activity dates (some spanning months, some exactly on a month
 * start), owners from the department's agents or none, tags, one customer message, and subjects
 * with quotes, commas, line breaks and non-ASCII text. No date is after `until`.
 * @param {{ count: number, since: any, until: any, seed?: number }} options
 * @param {object} seed the normalised seed (for agents and tags)
 */
function generateTickets(options, seed) {
  const { count, since, until, seed: rngSeed } = normaliseGenerateOptions(options);
  const random = seededRandom(rngSeed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const agents = agentsOf(seed);
  const tags = tagsOf(seed);
  const seams = monthStarts(since, until);
  const iso = (ms) => new Date(Math.min(ms, until)).toISOString();
  const tickets = [];
  for (let i = 0; i < count; i += 1) {
    const r = random();
    const open = seams.length && r < 0.02 ? pick(seams) : since + Math.floor(random() * (until - since));
    const st = random();
    const state = st < 0.55 ? 'Closed' : st < 0.8 ? 'Open' : st < 0.9 ? 'Pending' : 'Snoozed';
    // most conversations last hours to days; one in ten goes on for months
    const span = random() < 0.1 ? random() * 120 * DAY : random() * random() * 20 * DAY;
    const end = open + Math.floor(span);
    const customer = Math.floor(random() * 500);
    const protocolType = pick(PROTOCOLS);
    const identifier = protocolType === 'Mail' ? `customer${customer}@example.test`
      : protocolType === 'Web' ? `web-visitor-${customer}`
        : `9725${String(10000000 + customer)}`;
    const subject = random() < 0.05 ? pick(ODD_SUBJECTS) : `${pick(WORDS)} ${pick(WORDS)} #${i + 1}`;
    const ticket = {
      field1: subject,
      state,
      open: iso(open),
      lastActivity: iso(end),
      uniqueArgument: `gen-${i + 1}`,
      owner: agents.length && random() < 0.7 ? pick(agents) : null,
      tags: tags.length ? [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(tags)))] : [],
      participants: [{ type: 'Client', protocolType, name: `Customer ${customer}`, identifier }],
      transactions: [{ fromParticipant: 1, text: `About ${subject}`, dateTime: iso(open) }],
    };
    if (state === 'Closed') ticket.close = iso(end);
    tickets.push(ticket);
  }
  return tickets;
}

module.exports = { generateTickets, normaliseGenerateOptions };
