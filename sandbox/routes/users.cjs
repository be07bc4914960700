'use strict';
// /users/* (spec §4.3). User objects use the capitalised `UserName` key.

const C = require('../constants.cjs');
const {
  HttpError, badRequest, ruleError, notFound, invalidRequest, isGuid, isPlainObject, isNonEmptyString, canonical,
  parseGlassixDate,
} = require('../util.cjs');

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const DAY_MS = 86400000;

function requireObject(body) {
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}

function allUsers(ctx) {
  const users = ctx.state.departmentUsers(ctx.auth.departmentId).map((u) => ctx.state.renderUser(u, ctx.auth.departmentId));
  return ctx.state.inStoredOrder(users);
}

function setStatus(ctx) {
  const body = requireObject(ctx.body);
  const status = canonical(C.USER_STATUSES, body.nextStatus);
  if (!status) throw badRequest(`Invalid 'nextStatus' '${body.nextStatus ?? ''}'. Allowed: ${C.USER_STATUSES.join(', ')}.`);
  ctx.state.setUserStatus(ctx.auth.user, status, ctx.auth.departmentId);
  return ctx.done(`Status changed to ${status}.`);
}

function getStatus(ctx) {
  return { [ctx.rules.getStatusKey]: ctx.auth.user.status };
}

/** `before`: what the time before the user's first status counts as (rules.statusLogsBefore:
 * 'Offline', or null for nothing). */
function statusTotals(log, a, b, before) {
  const totals = Object.fromEntries(C.USER_STATUSES.map((s) => [s, 0]));
  let cur = before;
  let t = a;
  for (const e of log) {
    if (e.t <= a) { cur = e.status; continue; }
    if (e.t >= b) break;
    if (cur) totals[cur] += e.t - t;
    t = e.t;
    cur = e.status;
  }
  if (cur) totals[cur] += Math.max(0, b - t);
  return totals;
}

function statusLogs(ctx) {
  const day = (name) => {
    const v = ctx.q(name);
    if (!isNonEmptyString(v)) throw badRequest(`'${name}' is required (format dd/MM/yyyy).`);
    // (a time after the day is cut off, or refused: rules.statusLogsTime)
    const d = ctx.rules.statusLogsTime === 'reject' ? parseGlassixDate(v, { allowDateOnly: true, dateOnly: true }) : parseGlassixDate(v, { allowDateOnly: true });
    if (!d) throw badRequest(`'${name}' must be in the format dd/MM/yyyy; got '${v}'.`);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  };
  const since = day('since');
  const until = day('until');
  if (until < since && ctx.rules.reversedWindow === 'reject') throw ruleError("'until' must not be earlier than 'since'.");
  const maxDays = ctx.rules.statusLogsMaxDays;
  if ((until - since) / DAY_MS > maxDays) throw ruleError(`The time frame may not exceed ${maxDays} days.`);
  // (in the order `users/allusers` has them: rules.storedOrder)
  let users = ctx.state.inStoredOrder(ctx.state.departmentUsers(ctx.auth.departmentId));
  const userId = ctx.q('userId');
  if (userId !== undefined && userId !== '') {
    if (!isGuid(userId)) throw invalidRequest();
    users = users.filter((u) => u.id === userId.toLowerCase());
    if (!users.length) throw notFound(`User ${userId} was not found in the department.`);
  }
  const now = ctx.state.now();
  return users.map((u) => {
    const dates = [];
    for (let a = since; a <= until && a <= now; a += DAY_MS) {
      const b = Math.min(a + DAY_MS, now);
      const totals = statusTotals(u.statusLog, a, b, ctx.rules.statusLogsBefore === 'none' ? null : 'Offline');
      const entry = { date: ctx.state.dateOf('statusLogs.date', a) };
      for (const s of C.USER_STATUSES) entry[`total${s}Time`] = ctx.state.duration(totals[s]);
      entry.statusLogs = u.statusLog.filter((e) => e.t >= a && e.t < a + DAY_MS)
        .map((e) => ({ dateTime: ctx.state.dateOf('statusLogs.statusLogs.dateTime', e.t), nextStatus: e.status, doNotDisturb: e.dnd }));
      dates.push(entry);
    }
    return { userId: u.id, userName: u.UserName, dates };
  });
}

/** The department's users whose unique argument is `arg` (users/add, setuniqueargument and
 * getbyuniqueargument all look it up the same way). */
function holdersOf(ctx, arg) {
  const deptId = ctx.auth.departmentId;
  return ctx.state.departmentUsers(deptId).filter((u) => u.memberships.get(deptId).uniqueArgument === arg);
}

/** The refusal of a unique argument another user has (rules.userArgumentTaken). */
const argumentTaken = (arg) => ruleError(`Another user of the department already has the unique argument '${arg}'.`);

function add(ctx) {
  const state = ctx.state;
  const deptId = ctx.auth.departmentId;
  const rawType = ctx.q('userType');
  const userType = canonical(C.USER_TYPES, rawType);
  if (!userType) throw badRequest(`Invalid or missing 'userType' '${rawType ?? ''}'. Allowed: ${C.USER_TYPES.join(', ')}.`);
  const rawRole = ctx.q('role');
  const missing = rawRole === undefined || rawRole === '';
  if (missing && ctx.rules.addUserRole === 'required') throw badRequest("'role' is required.");
  // rules.addUserRoles: the C# SDK's two roles, or any primary role
  const roles = ctx.rules.addUserRoles === 'sdk' ? C.ADD_USER_ROLES : C.PRIMARY_ROLES;
  const role = missing ? 'SystemUser' : canonical(roles, rawRole);
  if (!role) throw badRequest(`Invalid 'role' '${rawRole}'. Allowed: ${roles.join(', ')}.`);
  const list = ctx.body;
  if (!Array.isArray(list)) throw badRequest('The request body must be a JSON array of { userName, uniqueArgument }.');
  if (list.length === 0 && ctx.rules.addUsersEmpty === 'reject') throw badRequest('The request body must be a non-empty JSON array of { userName, uniqueArgument }.');
  const seen = new Set();
  for (const item of list) {
    if (!isPlainObject(item) || !isNonEmptyString(item.userName)) throw badRequest('Each user needs a userName.');
    if (ctx.rules.addUserNames === 'email' && !EMAIL_RE.test(item.userName)) {
      throw badRequest('Each user needs a valid e-mail address as userName.');
    }
    // (the 50-character limit is the docs' for setuniqueargument: rules.addUniqueArgumentLimit)
    if (item.uniqueArgument != null && (typeof item.uniqueArgument !== 'string' || (item.uniqueArgument.length > 50 && ctx.rules.addUniqueArgumentLimit === 'reject'))) {
      throw badRequest("'uniqueArgument' must be a string of at most 50 characters.");
    }
    const lower = state.userNameKey(item.userName);
    // the same userName twice in one call: refused, or added once (rules.addUserTwice)
    if (seen.has(lower) && ctx.rules.addUserTwice === 'reject') throw badRequest(`User ${item.userName} appears twice.`);
    seen.add(lower);
    // another user's unique argument, as users/setuniqueargument (rules.userArgumentTaken)
    const arg = item.uniqueArgument || '';
    if (arg !== '' && ctx.rules.userArgumentTaken === 'reject') {
      const taken = holdersOf(ctx, arg).some((u) => state.userNameKey(u.UserName) !== lower)
        || list.some((other) => state.userNameKey(String(other.userName)) !== lower && other.uniqueArgument === arg);
      if (taken) throw argumentTaken(arg);
    }
    if (state.findUserByName(item.userName, deptId)) {
      if (ctx.rules.addExistingUser === 'reject') throw ruleError(`User ${item.userName} already exists in the department.`);
    } else if (state.findUserByName(item.userName) && ctx.rules.addOtherDepartmentUser === 'reject') {
      throw ruleError(`User ${item.userName} already exists in another department.`);
    }
  }
  let added = 0;
  for (const item of list) {
    // (rules.addExistingUser: 'ignore', and a second entry of one userName under rules.addUserTwice: 'once')
    if (state.findUserByName(item.userName, deptId)) continue;
    added += 1;
    // A user of another department joins this one as they are (rules.addOtherDepartmentUser: 'reuse').
    const user = state.findUserByName(item.userName) || state.createUser({ userName: item.userName, type: userType });
    user.memberships.set(deptId, { uniqueArgument: item.uniqueArgument || '', roles: [role] });
  }
  return ctx.ack(`${added} user(s) added.`);
}

function del(ctx) {
  const state = ctx.state;
  const userName = ctx.q('userName');
  if (!isNonEmptyString(userName)) throw badRequest("'userName' is required.");
  const caller = ctx.auth.user;
  const user = state.findUserByName(userName);
  const shared = user ? [...user.memberships.keys()].filter((d) => caller.memberships.has(d)) : [];
  if (!user || !shared.length) throw notFound(`User '${userName}' was not found in your departments.`);
  for (const d of shared) user.memberships.delete(d);
  if (ctx.rules.deletedUserTickets === 'queue') {
    for (const t of state.tickets.values()) {
      if (t.ownerId === user.id && shared.includes(t.departmentId)) t.ownerId = null;
    }
  }
  if (user.memberships.size === 0 && ctx.rules.deletedUserRecord === 'remove') state.users.delete(user.id);
  // GlassixSharp's DeleteUserResponse, whatever rules.messageKey says; its JSON casing is
  // rules.deleteUserKeys (C# reads either)
  if (ctx.rules.deleteUserKeys === 'camel') return { message: 'User deleted.', deletedFromDepartments: shared };
  return { Message: 'User deleted.', DeletedFromDepartments: shared };
}

function setUniqueArgument(ctx) {
  const body = requireObject(ctx.body);
  const v = body.nextUniqueArgument;
  if (typeof v !== 'string') throw badRequest("'nextUniqueArgument' must be a string.");
  if (v.length > 50) throw badRequest("'nextUniqueArgument' may be at most 50 characters long.");
  const deptId = ctx.auth.departmentId;
  if (v !== '') {
    const other = holdersOf(ctx, v).find((u) => u !== ctx.auth.user);
    if (other && ctx.rules.userArgumentTaken === 'reject') throw argumentTaken(v);
  }
  ctx.auth.user.memberships.get(deptId).uniqueArgument = v;
  return ctx.done('Unique argument updated.');
}

function update(ctx) {
  const body = requireObject(ctx.body);
  for (const k of ['shortName', 'fullName', 'jobTitle']) {
    if (body[k] != null && typeof body[k] !== 'string') throw badRequest(`'${k}' must be a string.`);
  }
  for (const k of ['shortName', 'fullName', 'jobTitle']) if (body[k] != null) ctx.auth.user[k] = body[k];
  return ctx.done('User updated.');
}

function getByUniqueArgument(ctx) {
  const v = ctx.q('uniqueArgument');
  if (!isNonEmptyString(v)) throw badRequest("'uniqueArgument' is required.");
  const [user] = holdersOf(ctx, v);
  if (!user) throw notFound(`No user with unique argument '${v}'.`);
  return ctx.state.renderUser(user, ctx.auth.departmentId);
}

function setRoles(ctx) {
  const deptId = ctx.auth.departmentId;
  const userName = ctx.q('userName');
  if (!isNonEmptyString(userName)) throw badRequest("'userName' is required.");
  const roles = ctx.body;
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) throw badRequest('The request body must be a JSON array of role names.');
  const canon = roles.map((r) => {
    const c = canonical(C.ROLES, r);
    if (!c) throw badRequest(`Unknown role '${r}'.`);
    return c;
  });
  const primaries = canon.filter((r) => C.PRIMARY_ROLES.includes(r));
  if (primaries.length !== 1) throw badRequest(`Exactly one primary role is required (${C.PRIMARY_ROLES.join(', ')}).`);
  const callerRoles = ctx.auth.user.memberships.get(deptId).roles;
  if (!callerRoles.some((r) => C.ADMIN_ROLES.includes(r))) throw new HttpError(403, 'Only department admins can set roles.', { kind: 'forbidden' });
  const user = ctx.state.findUserByName(userName, deptId);
  if (!user) throw notFound(`User '${userName}' was not found in the department.`);
  user.memberships.get(deptId).roles = [...new Set(canon)];
  return ctx.done('Roles updated.');
}

module.exports = {
  routes: [
    { method: 'GET', path: '/users/allusers', handler: allUsers },
    { method: 'PUT', path: '/users/setstatus', body: 'json', handler: setStatus },
    { method: 'GET', path: '/users/getstatus', handler: getStatus },
    { method: 'GET', path: '/users/statuslogs', handler: statusLogs },
    { method: 'POST', path: '/users/add', body: 'json', handler: add },
    { method: 'DELETE', path: '/users/delete', handler: del },
    { method: 'PUT', path: '/users/setuniqueargument', body: 'json', handler: setUniqueArgument },
    { method: 'POST', path: '/users/update', body: 'json', handler: update },
    { method: 'GET', path: '/users/getbyuniqueargument', handler: getByUniqueArgument },
    { method: 'POST', path: '/users/setroles', body: 'json', handler: setRoles },
  ],
};
