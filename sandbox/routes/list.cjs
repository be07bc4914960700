'use strict';
// GET /tickets/list — spec §5: activity window, ≤ 1 calendar month, state filter, sort,
// pages of at most `pageSize` tickets, `paging.next` = absolute URL with an opaque `page` token.

const C = require('../constants.cjs');
const { badRequest, ruleError, parseGlassixDate, addCalendarMonths, canonical, randomGuid } = require('../util.cjs');

const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const FIRST_REQUEST_PARAMS = ['since', 'until', 'ticketstate', 'sortorder'];

function parseWindowDate(ctx, name) {
  const v = ctx.q(name);
  if (v === undefined || v === '') throw badRequest(`'${name}' is required (format dd/MM/yyyy HH:mm:ss:ff, UTC).`);
  const d = parseGlassixDate(v, { allowNoHundredths: ctx.rules.dateHundredths === 'optional' });
  if (!d) throw badRequest(`'${name}' must be in the format dd/MM/yyyy HH:mm:ss:ff (UTC); got '${v}'.`);
  return d.getTime();
}

function renderPage(ctx, cursor, pageNo) {
  const size = ctx.sandbox.pageSize;
  const start = (pageNo - 1) * size;
  if (pageNo > 1 && start >= cursor.ids.length) throw ruleError('The page token is invalid or has expired.');
  const slice = cursor.ids.slice(start, start + size);
  const tickets = slice.map((id) => ctx.state.tickets.get(id)).filter(Boolean)
    .map((t) => ctx.state.renderTicket(t, { transactions: false }));
  // The last page: `paging: {}` (the docs' "empty paging JSON key"), or null with rules.lastPaging.
  let paging = ctx.rules.lastPaging === 'null' ? null : {};
  if (start + size < cursor.ids.length) {
    ctx.state.listCursors.set(cursor.id, cursor);
    const token = Buffer.from(`${cursor.id}:${pageNo + 1}`, 'utf8').toString('base64');
    paging = { next: `${ctx.baseUrl}/tickets/list?page=${encodeURIComponent(token)}` };
  }
  return { tickets, paging };
}

function list(ctx) {
  const state = ctx.state;
  const now = state.now();
  for (const [id, c] of state.listCursors) if (now - c.createdAt > PAGE_TOKEN_TTL_MS) state.listCursors.delete(id);

  const page = ctx.q('page');
  if (page !== undefined) {
    if ([...ctx.searchParams.keys()].length !== 1) {
      throw ruleError("No other query parameters are allowed together with 'page'; call paging.next as is.");
    }
    const decoded = Buffer.from(page, 'base64').toString('utf8');
    const m = /^([0-9a-f-]{36}):(\d+)$/i.exec(decoded);
    const cursor = m && state.listCursors.get(m[1].toLowerCase());
    if (!cursor || cursor.departmentId !== ctx.auth.departmentId || Number(m[2]) < 2) {
      throw ruleError('The page token is invalid or has expired.');
    }
    if (!ctx.rules.listSnapshot) cursor.ids = select(ctx, cursor.query); // rules.listSnapshot: false
    return renderPage(ctx, cursor, Number(m[2]));
  }

  if (ctx.rules.listUnknownParams === 'reject') {
    const unknown = [...new Set(ctx.searchParams.keys())].filter((k) => !FIRST_REQUEST_PARAMS.includes(k.toLowerCase()));
    if (unknown.length) throw badRequest(`Unknown query parameter(s): ${unknown.join(', ')}.`);
  }

  const since = parseWindowDate(ctx, 'since');
  const until = parseWindowDate(ctx, 'until');
  // (rules.reversedWindow: 'empty' answers a window with nothing in it)
  if (until < since && ctx.rules.reversedWindow === 'reject') throw ruleError("'until' must not be earlier than 'since'.");
  if (until > addCalendarMonths(since, 1)) throw ruleError('The maximum time frame allowed is one calendar month.');

  let states = null;
  const rawStates = ctx.q('ticketState');
  if (rawStates !== undefined && rawStates !== '') {
    states = rawStates.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const st = canonical(C.TICKET_STATES, s);
      if (!st) throw badRequest(`Invalid ticket state '${s}'. Allowed: ${C.TICKET_STATES.join(', ')}.`);
      return st;
    });
    // blank items only (`,`): no state matches, or no filter (rules.stateFilterBlank)
    if (states.length === 0 && ctx.rules.stateFilterBlank === 'all') states = null;
  }
  let order = 'ASC';
  const rawOrder = ctx.q('sortOrder');
  if (rawOrder !== undefined && rawOrder !== '') {
    const lower = rawOrder.toLowerCase();
    order = C.SORT_ORDERS[lower];
    if (!ctx.rules.sortAliases && (lower === 'ascending' || lower === 'descending')) order = undefined;
    if (!order) throw badRequest(`Invalid sortOrder '${rawOrder}'. Allowed: ASC, DESC.`);
  }

  const query = { since, until, states, order };
  const cursor = { id: randomGuid(), departmentId: ctx.auth.departmentId, query, ids: select(ctx, query), createdAt: now };
  return renderPage(ctx, cursor, 1);
}

/** The ids of the department's tickets active in the window, in the listing's order. */
function select(ctx, { since, until, states, order }) {
  // (rules.listPrecision: 'hundredth' cuts each date to the hundredth before comparing)
  const cut = ctx.rules.listPrecision === 'hundredth' ? (ms) => Math.floor(ms / 10) * 10 : (ms) => ms;
  const inWindow = (ms) => ms != null && cut(ms) >= since && cut(ms) <= until;
  const matches = [...ctx.state.tickets.values()].filter((t) => t.departmentId === ctx.auth.departmentId
    && (!states || states.includes(t.state))
    && (inWindow(t.open) || inWindow(t.close) || inWindow(t.lastActivity)));
  // The docs: "ASC - will order tickets from newest to oldest opened time. DESC - Will present
  // tickets from oldest to newest opened time. When not supplied, results are automatically in ASC
  // order." The sandbox follows that (rules.sortAsc: 'oldest-first' swaps it).
  const newestFirst = (order === 'ASC') === (ctx.rules.sortAsc === 'newest-first');
  // ties in `open` by id, in the list's direction, or ascending whatever it is (rules.sortTies)
  const ties = newestFirst && ctx.rules.sortTies === 'id' ? -1 : 1;
  matches.sort((a, b) => (newestFirst ? b.open - a.open : a.open - b.open) || ties * (a.id - b.id));
  return matches.map((t) => t.id);
}

module.exports = { routes: [{ method: 'GET', path: '/tickets/list', handler: list }] };
