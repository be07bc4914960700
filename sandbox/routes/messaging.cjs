'use strict';
// /protocols/send, /interactivedocuments/send/{ticketId}, /phonecalls/* (spec §4.7).

const C = require('../constants.cjs');
const { normProtocol } = require('../state.cjs');
const { makeAttachment, refuseClosed, refuseClosedEdit, validateUrls, requireObject, loadTicket } = require('./tickets.cjs');
const {
  badRequest, ruleError, isNonEmptyString, isPlainObject, parseGlassixDate, randomGuid, clone,
} = require('../util.cjs');

const T = { ticketId: 'int' };

function protocolsSend(ctx) {
  const state = ctx.state;
  const body = requireObject(ctx.body);
  const protocolType = normProtocol(body.protocolType);
  // (rules.protocolTypes: 'any' sends on any known protocol, not only the documented three)
  if (!protocolType || (!C.NON_TICKET_PROTOCOLS.includes(protocolType) && ctx.rules.protocolTypes === 'documented')) {
    throw badRequest(`Invalid 'protocolType' '${body.protocolType ?? ''}'. Allowed: ${C.NON_TICKET_PROTOCOLS.join(', ')}.`);
  }
  if (!isNonEmptyString(body.from)) throw badRequest("'from' is required.");
  if (!isNonEmptyString(body.to)) throw badRequest("'to' is required.");
  const channels = ctx.auth.department.channels[protocolType];
  const list = Array.isArray(channels) ? channels : channels ? [channels] : [];
  if (list.length && !list.includes(body.from) && ctx.rules.protocolFrom === 'reject') {
    throw ruleError(`'${body.from}' is not a ${protocolType} channel of this department (known: ${list.join(', ')}).`);
  }
  for (const k of ['text', 'html']) if (body[k] != null && typeof body[k] !== 'string') throw badRequest(`'${k}' must be a string.`);
  const files = validateUrls(body.files, 'files', ctx);
  const attachmentUris = validateUrls(body.attachmentUris, 'attachmentUris', ctx);
  if (!isNonEmptyString(body.text) && !isNonEmptyString(body.html) && !files.length && !attachmentUris.length && ctx.rules.contentChecks === 'strict') {
    throw badRequest('The message must have text, html, files or attachmentUris.');
  }
  // Like the recorded real reply: accepted as Pending, unset fields null, a plain GUID id, the API's
  // own serviceProvider (a client's value, such as GlassixSharp's default 0, is not echoed).
  const message = {
    text: body.text ?? null, html: body.html ?? null, protocolType,
    attachmentUris: body.attachmentUris == null ? null : attachmentUris, from: body.from, to: body.to,
    time: state.now(), providerMessageId: randomGuid(), departmentId: ctx.auth.departmentId, status: 'Pending',
    files: body.files == null ? null : files, serviceProvider: ctx.rules.serviceProvider,
  };
  state.nonTicketMessages.push(message);
  const reply = state.renderProtocolMessage(message);
  // The later statuses arrive as NON_TICKET_MESSAGE_STATUS events, after the reply.
  const statuses = [...ctx.rules.protocolStatuses];
  const delay = ctx.rules.protocolStatusDelayMs;
  const deptId = ctx.auth.departmentId;
  const next = () => {
    message.status = statuses.shift();
    state.emit(deptId, { _event: 'NON_TICKET_MESSAGE_STATUS', message: state.renderProtocolMessage(message) });
    if (statuses.length) ctx.sandbox.later(next, delay);
  };
  if (statuses.length) ctx.sandbox.later(next, delay);
  return reply;
}

function interactiveDocumentSend(ctx) {
  const state = ctx.state;
  const ticket = loadTicket(ctx);
  const body = requireObject(ctx.body);
  const strict = ctx.rules.contentChecks === 'strict';
  if ((body.baseTemplateId == null || body.baseTemplateId === '') && strict) throw badRequest("'baseTemplateId' is required.");
  if (body.fields != null && (!Array.isArray(body.fields) || body.fields.some((f) => !isPlainObject(f) || (strict && !isNonEmptyString(f.name))))) {
    throw badRequest("'fields' must be an array of objects with a 'name'.");
  }
  if (body.message != null && typeof body.message !== 'string') throw badRequest("'message' must be a string.");
  refuseClosed(ctx, ticket);
  const owner = (ticket.ownerId && state.user(ticket.ownerId)) || ctx.auth.user;
  const documentId = state.nextDocumentId++;
  const doc = {
    id: documentId, ticketId: ticket.id, baseTemplateId: body.baseTemplateId,
    shouldLockDocument: Boolean(body.shouldLockDocument), fields: clone(body.fields || []), status: 'Sent',
    uri: `${ctx.origin}/documents/${documentId}`,
  };
  ticket.documents = ticket.documents || [];
  ticket.documents.push(doc);
  const tr = state.addTransaction(ticket, {
    type: 'Message', text: body.message, fromParticipant: state.userParticipant(ticket, owner),
    attachments: [makeAttachment(state, doc.uri, 'InteractiveDocument')], payload: { interactiveDocumentId: documentId },
  });
  const rendered = state.renderTransaction(tr);
  state.emit(ticket.departmentId, { _event: 'NEW_MESSAGE', ticketId: ticket.id, transaction: clone(rendered) });
  if (ctx.rules.inventedReplies === 'void') return ctx.done('Document sent.');
  return rendered;
}

function callDate(ctx) {
  const b = requireObject(ctx.body);
  if (!isNonEmptyString(b.dateTime)) throw badRequest("'dateTime' is required (format dd/MM/yyyy HH:mm:ss:ff, UTC).");
  const d = parseGlassixDate(b.dateTime, { allowNoHundredths: ctx.rules.dateHundredths === 'optional' });
  if (!d) throw badRequest(`'dateTime' must be in the format dd/MM/yyyy HH:mm:ss:ff (UTC); got '${b.dateTime}'.`);
  return d.getTime();
}

function callStarted(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its phone call');
  const t = callDate(ctx);
  if (ticket.phoneCall?.started != null && ctx.rules.callStartedTwice === 'reject') throw ruleError('The call has already started.');
  ticket.phoneCall = { started: t, ended: null, audioUri: ticket.phoneCall?.audioUri ?? null };
  if (ctx.rules.systemTransactions) ctx.state.addTransaction(ticket, { type: 'PhoneCallStarted', dateTime: t, text: 'Phone call started.' });
  return ctx.done('Phone call started.');
}

function callEnded(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its phone call');
  const t = callDate(ctx);
  // an end with no start at all counts as an end before its start (rules.callEndBeforeStart)
  const started = ticket.phoneCall?.started ?? null;
  if (ctx.rules.callEndBeforeStart === 'reject') {
    if (started == null) throw ruleError('The call has not started (no phonecalls/started for this ticket).');
    if (t < started) throw ruleError('The call cannot end before it started.');
  }
  ticket.phoneCall = { started, ended: t, audioUri: ticket.phoneCall?.audioUri ?? null };
  if (ctx.rules.systemTransactions) ctx.state.addTransaction(ticket, { type: 'PhoneCallEnded', dateTime: t, text: 'Phone call ended.' });
  return ctx.done('Phone call ended.');
}

function callAudioLink(ctx) {
  const ticket = loadTicket(ctx);
  refuseClosedEdit(ctx, ticket, 'its phone call');
  const body = requireObject(ctx.body);
  if (!isNonEmptyString(body.audioUri)) throw badRequest("'audioUri' is required.");
  validateUrls([body.audioUri], 'audioUri', ctx);
  ticket.phoneCall = { started: null, ended: null, ...ticket.phoneCall, audioUri: body.audioUri };
  if (ctx.rules.systemTransactions) {
    ctx.state.addTransaction(ticket, {
      type: 'PhoneCallRecording', text: 'Call recording', attachments: [makeAttachment(ctx.state, body.audioUri, 'Audio')],
    });
  }
  return ctx.done('Audio link saved.');
}

module.exports = {
  routes: [
    { method: 'POST', path: '/protocols/send', body: 'json', handler: protocolsSend },
    { method: 'POST', path: '/interactivedocuments/send/:ticketId', params: T, body: 'json', handler: interactiveDocumentSend },
    { method: 'POST', path: '/phonecalls/started/:ticketId', params: T, body: 'json', handler: callStarted },
    { method: 'POST', path: '/phonecalls/ended/:ticketId', params: T, body: 'json', handler: callEnded },
    { method: 'POST', path: '/phonecalls/audiolink/:ticketId', params: T, body: 'json', handler: callAudioLink },
  ],
};
