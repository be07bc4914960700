'use strict';
// The keys of each JSON request body the sandbox reads, in their documented casing, so that a key
// sent in another casing (`{"Field1": …}`, `{"Participants": […]}`) binds as it does on ASP.NET:
// Json.NET (ASP.NET Web API, and ASP.NET Core's Newtonsoft formatter) always matches property
// names case-insensitively, and so does System.Text.Json with ASP.NET Core's web defaults
// (`PropertyNameCaseInsensitive`). Two keys that match one property: the last one wins, as in
// Json.NET. `rules.bodyKeyCase: 'exact'` reads only the documented casing (the old behaviour).
//
// A schema is an object { canonicalKey: childSchema }, `[schema]` for an array of it, or null for
// a value whose own keys are not a model's (free-form dictionaries, `templates`, …): kept as sent.

const { FIELD_KEYS, defaultDetails } = require('./state.cjs');
const { isPlainObject, setOwn } = require('./util.cjs');

const leaves = (...keys) => Object.fromEntries(keys.map((k) => [k, null]));

/** `details`' tree of models, from the sandbox's own default (an empty object is a dictionary:
 * `identityTokenClaims`). */
function schemaOf(value) {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schemaOf(v)]));
}
const DETAILS = schemaOf(defaultDetails());

const PARTICIPANT = leaves('type', 'subProtocolType', 'protocolType', 'identifier', 'userName', 'name', 'displayName', 'departmentIdentifier');
const TRANSACTION = {
  ...leaves('dateTime', 'text', 'html', 'type'),
  // (an id, an identifier, or a participant object)
  fromParticipant: leaves('id', 'identifier'),
};

/** By route path, as the routes declare it. A route not listed reads no keys (an array of
 * strings, or no body). */
const BODY_KEYS = {
  '/token/get': leaves('apiKey', 'apiSecret', 'userName'),
  '/tickets/create': {
    ...leaves(...FIELD_KEYS, 'culture', 'tags', 'uniqueArgument', 'state', 'open', 'close', 'lastActivity', 'getAvailableUser',
      'addIntroductionMessage', 'enableWebhook', 'markAsRead'),
    participants: [PARTICIPANT], transactions: [TRANSACTION], details: DETAILS,
  },
  '/tickets/send/:ticketId': leaves('text', 'html', 'files', 'quickReplies', 'templates', 'enableFreeTextInput'),
  '/tickets/addnote/:ticketId': leaves('text', 'html'),
  '/tickets/setfields/:ticketId': { ...leaves(...FIELD_KEYS, 'uniqueArgument'), details: DETAILS },
  '/tickets/setparticipantname/:ticketId': leaves('id', 'name'),
  '/tickets/setdepartment/:ticketId': leaves('departmentId'),
  '/tickets/setstate/:ticketId': leaves('summary', 'tags'),
  '/tickets/pdf/:ticketId': leaves('includeDetails', 'includeConversationLink', 'includeNotes', 'fontSizeInPixels', 'replaceContentId', 'showParticipantType'),
  '/tickets/generatesurveylink/:ticketId': leaves('surveyId', 'participantId'),
  '/tickets/setsummary/:ticketId': leaves('summary'),
  '/users/setstatus': leaves('nextStatus'),
  '/users/add': [leaves('userName', 'uniqueArgument')],
  '/users/setuniqueargument': leaves('nextUniqueArgument'),
  '/users/update': leaves('shortName', 'fullName', 'jobTitle'),
  '/contacts/setname/:contactId': leaves('nextName'),
  '/contacts/addidentifier/:contactId': leaves('identifierType', 'identifier', 'forceMerge'),
  '/contacts/setuniqueargument/:contactId': leaves('nextUniqueArgument'),
  '/cannedreplies/add': leaves('id', 'title', 'text', 'html', 'rank', 'autoTags', 'categoryName', 'culture', 'isPublished',
    'isSuggested', 'isIncludedInAgentSuggestions', 'attachments'),
  '/protocols/send': leaves('protocolType', 'from', 'to', 'text', 'html', 'files', 'attachmentUris', 'serviceProvider'),
  '/interactivedocuments/send/:ticketId': { ...leaves('baseTemplateId', 'shouldLockDocument', 'message'), fields: [leaves('name', 'value')] },
  '/phonecalls/started/:ticketId': leaves('dateTime'),
  '/phonecalls/ended/:ticketId': leaves('dateTime'),
  '/phonecalls/audiolink/:ticketId': leaves('audioUri'),
  '/webhooks/deleteevents': [leaves('queueReceiptHandle', 'queueMessageId')],
};
BODY_KEYS['/tickets/html/:ticketId'] = BODY_KEYS['/tickets/pdf/:ticketId'];

/** `value` with every key of `schema`'s models in its documented casing (a new value; the parsed
 * body is not changed). Keys no model has are kept as sent. */
function canonicalKeys(value, schema) {
  if (schema == null) return value;
  if (Array.isArray(schema)) return Array.isArray(value) ? value.map((v) => canonicalKeys(v, schema[0])) : value;
  if (!isPlainObject(value)) return value;
  const byLower = new Map(Object.keys(schema).map((k) => [k.toLowerCase(), k]));
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const key = Object.hasOwn(schema, k) ? k : byLower.get(k.toLowerCase()) ?? k;
    setOwn(out, key, Object.hasOwn(schema, key) ? canonicalKeys(v, schema[key]) : v);
  }
  return out;
}

module.exports = { BODY_KEYS, canonicalKeys };
