'use strict';
// POST /token/get (spec §2.1).

const { HttpError, badRequest, isPlainObject, isNonEmptyString, isGuid } = require('../util.cjs');

function getToken(ctx) {
  const body = ctx.body;
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object { apiKey, apiSecret, userName }.');
  const { apiKey, apiSecret, userName } = body;
  if (!isNonEmptyString(apiKey) || !isNonEmptyString(apiSecret) || !isNonEmptyString(userName)) {
    throw badRequest('apiKey, apiSecret and userName are required.');
  }
  const dept = isGuid(apiKey) ? ctx.state.department(apiKey) : undefined;
  if (!dept || dept.apiSecret !== apiSecret) throw new HttpError(401, 'Invalid apiKey or apiSecret.');
  const user = ctx.state.findUserByName(userName, dept.id);
  if (!user) throw badRequest(`User '${userName}' is not a user of this department.`);
  return ctx.sandbox.tokens.issue(user.id, dept.id);
}

module.exports = {
  routes: [{ method: 'POST', path: '/token/get', auth: false, kind: 'token', body: 'json', handler: getToken }],
};
