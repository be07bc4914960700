'use strict';
// /webhooks/getevents and /webhooks/deleteevents (spec §4.8, polling subscription).

const { badRequest, ruleError, isPlainObject, isNonEmptyString, clone } = require('../util.cjs');

function getEvents(ctx) {
  const deleteEvents = ctx.qBool('deleteEvents', ctx.rules.deleteEventsDefault);
  const mine = ctx.state.events.filter((e) => e.departmentId === ctx.auth.departmentId);
  if (deleteEvents) ctx.state.events = ctx.state.events.filter((e) => e.departmentId !== ctx.auth.departmentId);
  return ctx.state.inStoredOrder(mine).map((e) => clone(e.event));
}

/** What identifies a queued event to `deleteevents`. */
const queueKey = (e) => `${e.queueMessageId}\n${e.queueReceiptHandle}`;

function deleteEvents(ctx) {
  const list = ctx.body;
  if (!Array.isArray(list)) throw badRequest('The request body must be a JSON array of events.');
  for (const e of list) {
    if (!isPlainObject(e) || !isNonEmptyString(e.queueReceiptHandle) || !isNonEmptyString(e.queueMessageId)) {
      throw badRequest('Every event needs a non-empty queueReceiptHandle and queueMessageId.');
    }
  }
  const wanted = new Set(list.map(queueKey));
  const mine = (e) => e.departmentId === ctx.auth.departmentId;
  if (ctx.rules.deleteUnknownEvents === 'reject') {
    const queued = new Set(ctx.state.events.filter(mine).map((e) => queueKey(e.event)));
    if ([...wanted].some((k) => !queued.has(k))) throw ruleError('An event in the list is not in the queue.');
  }
  const before = ctx.state.events.length;
  ctx.state.events = ctx.state.events.filter((e) => !(mine(e) && wanted.has(queueKey(e.event))));
  return ctx.done(`${before - ctx.state.events.length} event(s) deleted.`);
}

module.exports = {
  routes: [
    { method: 'GET', path: '/webhooks/getevents', handler: getEvents },
    { method: 'POST', path: '/webhooks/deleteevents', body: 'json', handler: deleteEvents },
  ],
};
