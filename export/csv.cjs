'use strict';
// CSV rows for the ticket export: one row per ticket, RFC 4180 (csv-stringify does the quoting).

const { stringify } = require('csv-stringify/sync');

/** The Ticket model's scalar fields (glassix-api.md §6.1), in the model's order, identity first. */
const SCALAR_COLUMNS = Object.freeze([
  'id', 'state', 'open', 'close', 'lastActivity',
  'field1', 'field2', 'field3', 'field4', 'field5', 'field6', 'field7', 'field8', 'field9', 'field10',
  'departmentId', 'culture', 'ticketType', 'uniqueArgument', 'primaryProtocolType',
  'movedToTicketId', 'movedToDepartmentId', 'movedFromTicketId', 'movedFromDepartmentId',
  'firstCustomerMessageDateTime', 'firstAgentMessageDateTime', 'lastCustomerMessageDateTime',
  'lastAgentMessageDateTime', 'firstAgentAllocationTimestamp', 'lastAgentAllocationTimestamp',
  'firstAgentMessageUserId',
  'agentAssignToResponseTimeGross', 'agentAssignToResponseTimeNet', 'queueTimeGross', 'queueTimeNet',
  'firstAgentResponseTimeGross', 'firstAgentResponseTimeNet', 'agentResponseAverageTimeNet',
  'totalConversationTimeNet', 'durationNet', 'durationGross',
  'agentMediaCount', 'customerMediaCount', 'agentMessagesCount', 'customerMessagesCount',
  'agentCannedRepliesCount', 'transactionsCount',
  'botConversationId', 'isIncoming', 'isScrambled', 'wasClosedAutomatically', 'parentNestedTicketId',
]);

/** The model's arrays and objects: each goes into its cell as JSON text. */
const STRUCTURED_COLUMNS = Object.freeze([
  'participants', 'tags', 'owner', 'details', 'dynamicParameters', 'botConversationSteps',
  'botConversations', 'ticketSummary', 'nestedTicketsIds',
]);

/** The column holding, as a JSON object, every field of a ticket that the model does not name. */
const OTHER_FIELDS = 'otherFields';

/** The columns of a CSV export unless `columns` says otherwise. */
const DEFAULT_COLUMNS = Object.freeze([...SCALAR_COLUMNS, ...STRUCTURED_COLUMNS, OTHER_FIELDS]);

/** Every column name `columns` may use: the defaults. Not `transactions`: `tickets/list` never
 * returns them (a ticket that did carry them would have them in `otherFields`, not lose them). */
const KNOWN_COLUMNS = DEFAULT_COLUMNS;
const MODEL_FIELDS = new Set(KNOWN_COLUMNS.filter((c) => c !== OTHER_FIELDS));

const OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ };

/** A text cell that spreadsheets would run as a formula (OWASP's list: `=`, `+`, `-`, `@`, tab,
 * carriage return first). */
const FORMULA = /^[=+\-@\t\r]/;

/** `v` as cell text; with `escapeFormulas`, text that would run as a formula gets a leading `'`,
 * which Excel and LibreOffice show as text (numbers stay numbers: a negative one is no formula). */
function cell(v, escapeFormulas) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (escapeFormulas && typeof v === 'string' && FORMULA.test(v)) return `'${v}`;
  return String(v);
}

function otherFields(ticket) {
  let extra = null;
  for (const k of Object.keys(ticket)) {
    if (MODEL_FIELDS.has(k)) continue;
    // (a prototype-less object: a field named `__proto__`, which JSON.parse makes an own field,
    // would otherwise set the object's prototype and be left out of the cell)
    extra ??= Object.create(null);
    extra[k] = ticket[k];
  }
  return extra;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first of `columns` whose cell for `ticket` is text with a lone UTF-16 surrogate, else
 * null. UTF-8 cannot hold one: written, it would become U+FFFD without a word. (Arrays and
 * objects go in as JSON text, which escapes it: `\ud800`.) */
function unwritableColumn(ticket, columns) {
  return columns.find((c) => c !== OTHER_FIELDS && typeof ticket[c] === 'string' && LONE_SURROGATE.test(ticket[c])) ?? null;
}

/** The header line. */
function csvHeader(columns) {
  return stringify([columns], OPTIONS);
}

/** One CRLF-terminated record per ticket. */
function csvRows(tickets, columns, escapeFormulas = false) {
  return stringify(tickets.map((t) => columns.map((c) => cell(c === OTHER_FIELDS ? otherFields(t) : t[c], escapeFormulas))), OPTIONS);
}

module.exports = { DEFAULT_COLUMNS, KNOWN_COLUMNS, OTHER_FIELDS, csvHeader, csvRows, unwritableColumn };
