'use strict';
// The built-in seed and seed loading. See sandbox/README.md "Seed format".

const fs = require('node:fs');
const path = require('node:path');
const { isPlainObject, clone } = require('./util.cjs');

const DEFAULT_API_KEY = '00000000-0000-4000-8000-000000000001';
const SECOND_DEPARTMENT_ID = '00000000-0000-4000-8000-000000000002';

const DEFAULT_CREDENTIALS = Object.freeze({
  workspace: 'sandbox',
  apiKey: DEFAULT_API_KEY,
  apiSecret: 'sandbox-secret',
  userName: 'api@sandbox.test',
});

/** The seed used when `options.seed` is not given. */
const DEFAULT_SEED = Object.freeze({
  departments: [
    {
      // departments[0] always gets the credentials' apiKey as its id.
      name: 'Support',
      online: true,
      tags: [
        { Name: 'VIP', Color: '#e53935' },
        { Name: 'Sales', Color: '#43a047' },
        { Name: 'Support', Color: '#1e88e5' },
        { Name: 'Billing', Color: '#fb8c00', ParentTags: ['Support'] },
        { Name: 'Urgent', Color: '#d81b60' },
        { Name: 'Retired', Color: '#9e9e9e', IsDeleted: true },
      ],
      channels: {
        WhatsApp: ['15550000001'],
        SMS: ['15550000002'],
        AppleBusinessChat: ['sandbox-abc'],
        Mail: ['support@sandbox.test'],
        Web: ['sandbox-web'],
      },
    },
    {
      id: SECOND_DEPARTMENT_ID,
      name: 'Sales',
      online: false,
      tags: [{ Name: 'Lead', Color: '#8e24aa' }, { Name: 'VIP', Color: '#e53935' }],
      channels: { WhatsApp: ['15550000009'] },
    },
  ],
  users: [
    {
      UserName: 'alice@sandbox.test', type: 'AGENT', status: 'Online', gender: 'Female',
      fullName: 'Alice Agent', shortName: 'Alice', jobTitle: 'Support agent',
      roles: ['SystemUser', 'WhatsApp', 'webChat'], uniqueArgument: 'agent-alice', departments: ['Support'],
    },
    {
      UserName: 'bob@sandbox.test', type: 'AGENT', status: 'Offline', gender: 'Male',
      fullName: 'Bob Agent', shortName: 'Bob', jobTitle: 'Sales agent',
      roles: ['SystemUser'], uniqueArgument: 'agent-bob',
    },
    {
      UserName: 'carol@sandbox.test', type: 'AGENT', status: 'Online', gender: 'Female',
      fullName: 'Carol Closer', shortName: 'Carol', jobTitle: 'Sales lead',
      roles: ['DepartmentAdmin'], uniqueArgument: 'agent-carol', departments: ['Sales'],
    },
    {
      UserName: 'bot@sandbox.test', type: 'BOT', status: 'Online', fullName: 'Sandbox Bot', shortName: 'Bot',
      roles: ['SystemUser'],
    },
  ],
  contacts: [
    {
      name: 'Dana Customer', uniqueArgument: 'crm-1001',
      identifiers: [
        { identifierType: 'PhoneNumber', identifier: '972500000001' },
        { identifierType: 'MailAddress', identifier: 'dana@example.com' },
      ],
    },
    { name: 'Eli Customer', identifiers: [{ identifierType: 'PhoneNumber', identifier: '972500000002' }] },
  ],
  cannedReplies: [
    { title: 'Greeting', text: 'Hello! How can I help you today?', categoryName: 'General', rank: 1 },
    { title: 'Closing', text: 'Thanks for contacting us. Have a great day!', categoryName: 'General', rank: 2 },
  ],
  tickets: [],
});

/** The keys a seed, and each record of its lists, may have (sandbox/README.md "Seed format"): a
 * misspelt one (`departmens`, a user's `departements`) would otherwise be dropped in silence,
 * leaving the default in its place. Inside a ticket, `participants`, `transactions` and `details`
 * are a tickets/create payload's, whose unknown keys the API ignores, and are not checked. */
const SEED_KEYS = {
  seed: ['credentials', 'departments', 'users', 'contacts', 'cannedReplies', 'tickets'],
  departments: ['id', 'name', 'online', 'onlineProtocols', 'channels', 'tags', 'apiSecret'],
  users: [
    'id', 'UserName', 'userName', 'type', 'status', 'gender', 'culture', 'fullName', 'shortName', 'jobTitle',
    'isAnonymous', 'roles', 'uniqueArgument', 'departments',
  ],
  contacts: ['id', 'name', 'uniqueArgument', 'tags', 'departmentId', 'identifiers'],
  identifiers: ['identifierType', 'identifier'],
  cannedReplies: [
    'id', 'departmentId', 'title', 'text', 'html', 'rank', 'autoTags', 'categoryName', 'culture', 'isPublished',
    'isSuggested', 'isIncludedInAgentSuggestions', 'attachments',
  ],
  tickets: [
    // a tickets/create payload …
    'participants', 'field1', 'field2', 'field3', 'field4', 'field5', 'field6', 'field7', 'field8', 'field9', 'field10',
    'culture', 'tags', 'uniqueArgument', 'state', 'open', 'close', 'getAvailableUser', 'addIntroductionMessage',
    'enableWebhook', 'markAsRead', 'details', 'transactions',
    // … and what only a seed ticket has
    'id', 'departmentId', 'owner', 'lastActivity', 'isScrambled', 'ticketSummary',
  ],
};

/** Throw a TypeError naming the path of the first unknown key of `obj` (`where`: its path). */
function checkKeys(obj, known, where, what) {
  if (!isPlainObject(obj)) throw new TypeError(`startSandbox: ${where} must be an object`);
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) throw new TypeError(`startSandbox: ${where}.${k} is not a ${what} key (known: ${known.join(', ')})`);
  }
}

function checkSeedKeys(seed) {
  checkKeys(seed, SEED_KEYS.seed, 'seed', 'seed');
  const record = { departments: 'department', users: 'user', contacts: 'contact', cannedReplies: 'canned reply', tickets: 'ticket' };
  for (const [list, what] of Object.entries(record)) {
    (seed[list] || []).forEach((item, i) => {
      checkKeys(item, SEED_KEYS[list], `seed.${list}[${i}]`, `seed ${what}`);
      if (list !== 'contacts' || item.identifiers == null) return;
      if (!Array.isArray(item.identifiers)) throw new TypeError(`startSandbox: seed.contacts[${i}].identifiers must be an array`);
      item.identifiers.forEach((ident, j) => checkKeys(ident, SEED_KEYS.identifiers, `seed.contacts[${i}].identifiers[${j}]`, 'seed identifier'));
    });
  }
}

/** Resolve `options.seed`: undefined → default seed; string → JSON file; object → as is (deep-copied). */
function loadSeed(seed) {
  if (seed === undefined || seed === null) return clone(DEFAULT_SEED);
  if (typeof seed === 'string') {
    const file = path.resolve(seed);
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      // (a `seed` that names no readable file is an invalid value, like any other: a TypeError)
      throw new TypeError(`glassix sandbox: cannot read seed file ${file}: ${err.message}`);
    }
    try {
      seed = JSON.parse(text);
    } catch (err) {
      throw new TypeError(`glassix sandbox: seed file ${file} is not valid JSON: ${err.message}`);
    }
  }
  if (!isPlainObject(seed)) throw new TypeError('glassix sandbox: seed must be an object or a path to a JSON file');
  const out = clone(seed);
  for (const key of ['departments', 'users', 'contacts', 'cannedReplies', 'tickets']) {
    if (out[key] !== undefined && !Array.isArray(out[key])) {
      throw new TypeError(`glassix sandbox: seed.${key} must be an array`);
    }
  }
  checkSeedKeys(out);
  // A seed that omits departments still needs one department.
  if (!out.departments || out.departments.length === 0) out.departments = [{ name: 'Support' }];
  return out;
}

module.exports = { DEFAULT_SEED, DEFAULT_CREDENTIALS, DEFAULT_API_KEY, SECOND_DEPARTMENT_ID, SEED_KEYS, loadSeed };
