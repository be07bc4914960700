'use strict';
// /contacts/* (spec §4.5). Contact ids are GUIDs; identifiers have integer ids.

const C = require('../constants.cjs');
const { badRequest, ruleError, notFound, invalidRequest, isPlainObject, isNonEmptyString, canonical } = require('../util.cjs');

const G = { contactId: 'guid' };

function requireObject(body) {
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}

// A contact belongs to the department whose ticket or request made it: another department's is
// not found, unless rules.contactScope is 'workspace' (see state.contact).
function loadContact(ctx) {
  const c = ctx.state.contact(ctx.params.contactId, ctx.auth.departmentId);
  if (!c || c.isDeleted) throw notFound(`Contact ${ctx.params.contactId} was not found.`);
  return c;
}

function get(ctx) {
  // a contact merged into another (forceMerge): not found, or read with isDeleted (rules.mergedContact)
  const c = ctx.state.contact(ctx.params.contactId, ctx.auth.departmentId);
  if (c && c.isDeleted && ctx.rules.mergedContact === 'deleted') return ctx.state.renderContact(c);
  return ctx.state.renderContact(loadContact(ctx));
}

function setName(ctx) {
  const c = loadContact(ctx);
  const { nextName } = requireObject(ctx.body);
  if (!isNonEmptyString(nextName)) throw badRequest("'nextName' is required.");
  if (nextName.length > 25) throw badRequest("'nextName' may be at most 25 characters long.");
  c.name = nextName;
  c.updateDateTime = ctx.state.now();
  return ctx.ack('Contact name updated.');
}

function addIdentifier(ctx) {
  const state = ctx.state;
  const c = loadContact(ctx);
  const body = requireObject(ctx.body);
  const type = canonical(C.ADDABLE_IDENTIFIER_TYPES, body.identifierType);
  if (!type) throw badRequest(`Invalid 'identifierType' '${body.identifierType ?? ''}'. Allowed: ${C.ADDABLE_IDENTIFIER_TYPES.join(', ')}.`);
  if (!isNonEmptyString(body.identifier)) throw badRequest("'identifier' is required.");
  if (body.forceMerge != null && typeof body.forceMerge !== 'boolean') throw badRequest("'forceMerge' must be a boolean.");
  const identifier = ctx.rules.identifierMatch === 'exact' ? body.identifier : body.identifier.trim();
  const owner = state.findContactByIdentifier(identifier, ctx.auth.departmentId);
  if (owner === c) {
    if (ctx.rules.ownIdentifier === 'reject') throw ruleError(`The contact already has the identifier '${identifier}'.`);
    return ctx.ack(`The contact already has the identifier '${identifier}'.`);
  }
  if (owner) {
    if (!body.forceMerge && ctx.rules.identifierTaken === 'reject') {
      throw ruleError(`The identifier '${identifier}' belongs to another contact (${owner.id}); set forceMerge to merge the contacts.`);
    }
    for (const ident of owner.identifiers) {
      if (ident.isDeleted) continue;
      c.identifiers.push({ ...ident, contactId: c.id });
    }
    owner.identifiers = [];
    owner.isDeleted = true;
    for (const t of state.tickets.values()) for (const p of t.participants) if (p.contactId === owner.id) p.contactId = c.id;
    c.updateDateTime = state.now();
    return ctx.ack(`Contact ${owner.id} was merged into ${c.id}.`);
  }
  state.addIdentifierTo(c, type, identifier);
  return ctx.ack('Identifier added.');
}

function setUniqueArgument(ctx) {
  const c = loadContact(ctx);
  const { nextUniqueArgument } = requireObject(ctx.body);
  if (typeof nextUniqueArgument !== 'string') throw badRequest("'nextUniqueArgument' must be a string.");
  if (nextUniqueArgument.length > 50) throw badRequest("'nextUniqueArgument' may be at most 50 characters long.");
  c.uniqueArgument = nextUniqueArgument;
  c.updateDateTime = ctx.state.now();
  return ctx.ack('Unique argument updated.');
}

function deleteIdentifier(ctx) {
  const c = loadContact(ctx);
  const raw = ctx.q('contactIdentifierId');
  if (raw === undefined || raw === '') throw badRequest("'contactIdentifierId' is required.");
  if (!/^\d+$/.test(raw)) throw invalidRequest();
  const id = Number(raw);
  const idx = c.identifiers.findIndex((i) => i.id === id);
  if (idx < 0) throw notFound(`Identifier ${id} was not found on contact ${c.id}.`);
  c.identifiers.splice(idx, 1);
  c.updateDateTime = ctx.state.now();
  return ctx.ack('Identifier deleted.');
}

module.exports = {
  routes: [
    { method: 'GET', path: '/contacts/get/:contactId', params: G, handler: get },
    { method: 'PUT', path: '/contacts/setname/:contactId', params: G, body: 'json', handler: setName },
    { method: 'POST', path: '/contacts/addidentifier/:contactId', params: G, body: 'json', handler: addIdentifier },
    { method: 'PUT', path: '/contacts/setuniqueargument/:contactId', params: G, body: 'json', handler: setUniqueArgument },
    { method: 'DELETE', path: '/contacts/deleteidentifier/:contactId', params: G, handler: deleteIdentifier },
  ],
};
