'use strict';
// GET /tickets/list — spec §5: activity window, ≤ 1 calendar month, state filter, sort,
// pages of at most `pageSize` tickets, `paging.next` = absolute URL with an opaque `page` token.

const C = require('../constants.cjs');
const { badRequest, parseGlassixDate, addCalendarMonths, canonical, randomGuid } = require('../util.cjs');

const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

function parseWindowDate(ctx, name) {
  const v = ctx.q(name);
  if (v === undefined || v === '') throw badRequest(`'${name}' is required (format dd/MM/yyyy HH:mm:ss:ff, UTC).`);
  const d = parseGlassixDate(v);
  if (!d) throw badRequest(`'${name}' must be in the format dd/MM/yyyy HH:mm:ss:ff (UTC); got '${v}'.`);
  return d.getTime();
}

function renderPage(ctx, cursor, pageNo) {
  const size = ctx.sandbox.pageSize;
  const start = (pageNo - 1) * size;
  if (pageNo > 1 && start >= cursor.ids.length) throw badRequest('The page token is invalid or has expired.');
  const slice = cursor.ids.slice(start, start + size);
  const tickets = slice.map((id) => ctx.state.tickets.get(id)).filter(Boolean)
    .map((t) => ctx.state.renderTicket(t, { transactions: false }));
  const paging = {};
  if (start + size < cursor.ids.length) {
    ctx.state.listCursors.set(cursor.id, cursor);
    const token = Buffer.from(`${cursor.id}:${pageNo + 1}`, 'utf8').toString('base64');
    paging.next = `${ctx.baseUrl}/tickets/list?page=${encodeURIComponent(token)}`;
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
      throw badRequest("No other query parameters are allowed together with 'page'; call paging.next as is.");
    }
    // Tolerate a token whose '+' was turned into ' ' by a careless client.
    const decoded = Buffer.from(page.replace(/ /g, '+'), 'base64').toString('utf8');
    const m = /^([0-9a-f-]{36}):(\d+)$/i.exec(decoded);
    const cursor = m && state.listCursors.get(m[1].toLowerCase());
    if (!cursor || cursor.departmentId !== ctx.auth.departmentId || Number(m[2]) < 2) {
      throw badRequest('The page token is invalid or has expired.');
    }
    return renderPage(ctx, cursor, Number(m[2]));
  }

  const since = parseWindowDate(ctx, 'since');
  const until = parseWindowDate(ctx, 'until');
  if (until < since) throw badRequest("'until' must not be earlier than 'since'.");
  if (until > addCalendarMonths(since, 1)) throw badRequest('The maximum time frame allowed is one calendar month.');

  let states = null;
  const rawStates = ctx.q('ticketState');
  if (rawStates !== undefined && rawStates !== '') {
    states = rawStates.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const st = canonical(C.TICKET_STATES, s);
      if (!st) throw badRequest(`Invalid ticket state '${s}'. Allowed: ${C.TICKET_STATES.join(', ')}.`);
      return st;
    });
  }
  let order = 'ASC';
  const rawOrder = ctx.q('sortOrder');
  if (rawOrder !== undefined && rawOrder !== '') {
    order = C.SORT_ORDERS[rawOrder.toLowerCase()];
    if (!order) throw badRequest(`Invalid sortOrder '${rawOrder}'. Allowed: ASC, DESC.`);
  }

  const inWindow = (ms) => ms != null && ms >= since && ms <= until;
  const matches = [...state.tickets.values()].filter((t) => t.departmentId === ctx.auth.departmentId
    && (!states || states.includes(t.state))
    && (inWindow(t.open) || inWindow(t.close) || inWindow(t.lastActivity)));
  matches.sort((a, b) => (a.open - b.open) || (a.id - b.id));
  if (order === 'DESC') matches.reverse();
  const cursor = { id: randomGuid(), departmentId: ctx.auth.departmentId, ids: matches.map((t) => t.id), createdAt: now };
  return renderPage(ctx, cursor, 1);
}

module.exports = { routes: [{ method: 'GET', path: '/tickets/list', handler: list }] };
