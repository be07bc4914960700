'use strict';
// /webhooks/getevents and /webhooks/deleteevents (spec §4.8, polling subscription).

const { badRequest, isPlainObject, isNonEmptyString, clone } = require('../util.cjs');

function getEvents(ctx) {
  const deleteEvents = ctx.qBool('deleteEvents', ctx.rules.deleteEventsDefault);
  const mine = ctx.state.events.filter((e) => e.departmentId === ctx.auth.departmentId);
  if (deleteEvents) ctx.state.events = ctx.state.events.filter((e) => e.departmentId !== ctx.auth.departmentId);
  return mine.map((e) => clone(e.event));
}

function deleteEvents(ctx) {
  const list = ctx.body;
  if (!Array.isArray(list)) throw badRequest('The request body must be a JSON array of events.');
  for (const e of list) {
    if (!isPlainObject(e) || !isNonEmptyString(e.queueReceiptHandle) || !isNonEmptyString(e.queueMessageId)) {
      throw badRequest('Every event needs a non-empty queueReceiptHandle and queueMessageId.');
    }
  }
  const wanted = new Set(list.map((e) => `${e.queueMessageId}\n${e.queueReceiptHandle}`));
  const before = ctx.state.events.length;
  ctx.state.events = ctx.state.events.filter((e) => !(e.departmentId === ctx.auth.departmentId
    && wanted.has(`${e.event.queueMessageId}\n${e.event.queueReceiptHandle}`)));
  return ctx.done(`${before - ctx.state.events.length} event(s) deleted.`);
}

module.exports = {
  routes: [
    { method: 'GET', path: '/webhooks/getevents', handler: getEvents },
    { method: 'POST', path: '/webhooks/deleteevents', body: 'json', handler: deleteEvents },
  ],
};
