'use strict';
// /tenants/* and /cannedreplies/* (spec §4.4, §4.6).

const { normProtocol } = require('../state.cjs');
const { badRequest, notFound, invalidRequest, isGuid, isPlainObject, isNonEmptyString } = require('../util.cjs');

function isOnline(ctx) {
  const id = ctx.q('departmentId');
  if (!isNonEmptyString(id)) throw badRequest("'departmentId' is required.");
  if (!isGuid(id)) throw invalidRequest();
  const dept = ctx.state.department(id);
  if (!dept) throw notFound(`Department ${id} was not found.`);
  const rawProtocol = ctx.q('protocolType');
  if (rawProtocol !== undefined && rawProtocol !== '') {
    const p = normProtocol(rawProtocol);
    if (!p) throw badRequest(`Invalid 'protocolType' '${rawProtocol}'.`);
    return dept.online && dept.onlineProtocols[p] !== false;
  }
  return dept.online;
}

function getTags(ctx) {
  return ctx.state.inStoredOrder(ctx.auth.department.tags).map((t) => (ctx.rules.tagKeys === 'camel'
    ? { name: t.Name, color: t.Color, parentTags: [...t.ParentTags], isDeleted: t.IsDeleted }
    : { ...t, ParentTags: [...t.ParentTags] }));
}

function getAllCannedReplies(ctx) {
  return [...ctx.state.cannedReplies.values()]
    .filter((r) => r.departmentId === ctx.auth.departmentId)
    // No source gives the order: by rank (then id), or as saved (rules.cannedReplyOrder).
    .sort((a, b) => (ctx.rules.cannedReplyOrder === 'rank' ? a.rank - b.rank : 0) || (a.id - b.id))
    .map((r) => ctx.state.renderCannedReply(r));
}

function addCannedReply(ctx) {
  const body = ctx.body;
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object.');
  // with rules.cannedReplyUpdate 'merge', an update sends only the fields it changes
  const merging = Boolean(body.id) && ctx.rules.cannedReplyUpdate === 'merge';
  const strict = ctx.rules.contentChecks === 'strict';
  if (strict && (merging ? body.title != null && !isNonEmptyString(body.title) : !isNonEmptyString(body.title))) throw badRequest("'title' is required.");
  if (strict && !merging && !isNonEmptyString(body.text) && !isNonEmptyString(body.html)) throw badRequest("'text' or 'html' is required.");
  for (const k of ['text', 'html', 'categoryName', 'culture']) {
    if (body[k] != null && typeof body[k] !== 'string') throw badRequest(`'${k}' must be a string.`);
  }
  if (body.rank != null && !Number.isInteger(body.rank)) throw badRequest("'rank' must be an integer.");
  if (body.autoTags != null && (!Array.isArray(body.autoTags) || body.autoTags.some((t) => typeof t !== 'string'))) {
    throw badRequest("'autoTags' must be an array of strings.");
  }
  if (body.id != null && !Number.isInteger(body.id)) throw badRequest("'id' must be an integer (0 for a new reply).");
  if (body.id) {
    const existing = ctx.state.cannedReplies.get(body.id);
    if (!existing || existing.departmentId !== ctx.auth.departmentId) throw notFound(`Canned reply ${body.id} was not found.`);
  }
  const reply = ctx.state.saveCannedReply(ctx.auth.departmentId, body);
  if (ctx.rules.inventedReplies === 'void') return ctx.done('Canned reply saved.');
  return ctx.state.renderCannedReply(reply);
}

function deleteCannedReply(ctx) {
  const raw = ctx.q('cannedReplyId');
  if (raw === undefined || raw === '') throw badRequest("'cannedReplyId' is required.");
  if (!/^\d+$/.test(raw)) throw invalidRequest();
  const reply = ctx.state.cannedReplies.get(Number(raw));
  if (!reply || reply.departmentId !== ctx.auth.departmentId) throw notFound(`Canned reply ${raw} was not found.`);
  ctx.state.cannedReplies.delete(reply.id);
  // its real reply is unknown (glassix-js only): like the other unknown replies (voidResponses)
  return ctx.done('Canned reply deleted.');
}

module.exports = {
  routes: [
    // C# calls isonline without a token; the sandbox accepts it with or without one.
    { method: 'GET', path: '/tenants/isonline', auth: 'optional', handler: isOnline },
    { method: 'GET', path: '/tenants/gettags', handler: getTags },
    { method: 'GET', path: '/cannedreplies/getall', handler: getAllCannedReplies },
    { method: 'POST', path: '/cannedreplies/add', body: 'json', handler: addCannedReply },
    { method: 'DELETE', path: '/cannedreplies/delete', handler: deleteCannedReply },
  ],
};
