'use strict';
// POST /token/get (spec §2.1).

const { HttpError, badRequest, isPlainObject, isNonEmptyString, isGuid } = require('../util.cjs');

function getToken(ctx) {
  const body = ctx.body;
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object { apiKey, apiSecret, userName }.');
  const { apiKey, apiSecret, userName } = body;
  // rules.tokenErrors: 'split' (401 for a wrong key or secret, 400 otherwise), 'all-401' or 'all-400'.
  const fail = (split, message) => {
    const status = ctx.rules.tokenErrors === 'all-401' ? 401 : ctx.rules.tokenErrors === 'all-400' ? 400 : split;
    return new HttpError(status, message);
  };
  if (!isNonEmptyString(apiKey) || !isNonEmptyString(apiSecret) || !isNonEmptyString(userName)) {
    throw fail(400, 'apiKey, apiSecret and userName are required.');
  }
  const dept = isGuid(apiKey) ? ctx.state.department(apiKey) : undefined;
  if (!dept || dept.apiSecret !== apiSecret) throw fail(401, 'Invalid apiKey or apiSecret.');
  const user = ctx.state.findUserByName(userName, dept.id);
  if (!user) throw fail(400, `User '${userName}' is not a user of this department.`);
  return ctx.sandbox.tokens.issue(user.id, dept.id);
}

module.exports = {
  routes: [{ method: 'POST', path: '/token/get', auth: false, kind: 'token', body: 'json', handler: getToken }],
};
