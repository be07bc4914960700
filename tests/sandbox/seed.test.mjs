// Seed validation: a seed is checked like every other option, a TypeError naming the path of
// what is wrong (a misspelt key would otherwise leave the default in its place, in silence).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, WA } from './_helpers.mjs';

async function rejects(seed, message) {
  let sb;
  try {
    sb = await startSandbox({ seed });
  } catch (err) {
    assert.ok(err instanceof TypeError, `${err.constructor.name}: ${err.message}`);
    assert.match(err.message, message);
    return;
  }
  await sb.close();
  assert.fail(`started with ${JSON.stringify(seed)}`);
}

describe('seed keys', () => {
  test('an unknown key of the seed is refused, naming it and the known ones', async () => {
    await rejects({ departmens: [{ name: 'Support' }] },
      /^startSandbox: seed\.departmens is not a seed key \(known: credentials, departments, users, contacts, cannedReplies, tickets\)$/);
  });

  test("an unknown key of a seed record is refused with its path (a user's departements, …)", async () => {
    await rejects({ users: [{ UserName: 'a@x.test' }, { UserName: 'b@x.test', departements: ['Support'] }] },
      /^startSandbox: seed\.users\[1\]\.departements is not a seed user key \(known: id, UserName, .*departments\)$/);
    await rejects({ departments: [{ name: 'Support', tag: ['VIP'] }] }, /^startSandbox: seed\.departments\[0\]\.tag is not a seed department key/);
    await rejects({ contacts: [{ name: 'D', identifiers: [{ type: 'PhoneNumber', identifier: '1' }] }] },
      /^startSandbox: seed\.contacts\[0\]\.identifiers\[0\]\.type is not a seed identifier key \(known: identifierType, identifier\)$/);
    await rejects({ cannedReplies: [{ title: 'T', txt: 'x' }] }, /^startSandbox: seed\.cannedReplies\[0\]\.txt is not a seed canned reply key/);
    await rejects({ tickets: [{ participants: [WA()], feild1: 'x' }] }, /^startSandbox: seed\.tickets\[0\]\.feild1 is not a seed ticket key/);
    await rejects({ users: ['alice@x.test'] }, /^startSandbox: seed\.users\[0\] must be an object$/);
  });

  test('every key the README documents is accepted, and so is the default seed', async () => {
    const seed = {
      credentials: { workspace: 'acme' },
      departments: [{ id: '00000000-0000-4000-8000-00000000000a', name: 'Support', online: true, onlineProtocols: { SMS: false }, tags: ['VIP'], channels: { SMS: ['1555'] }, apiSecret: 's' }],
      users: [{ id: '00000000-0000-4000-8000-0000000000aa', UserName: 'alice@acme.test', type: 'AGENT', status: 'Online', fullName: 'A', shortName: 'A', jobTitle: 'J', gender: 'Female', culture: 'en-US', isAnonymous: false, roles: ['SystemUser'], uniqueArgument: 'a-1', departments: ['Support'] }],
      contacts: [{ id: '00000000-0000-4000-8000-0000000000cc', name: 'Dana', uniqueArgument: 'crm-1', tags: [], departmentId: 'Support', identifiers: [{ identifierType: 'PhoneNumber', identifier: '972500000001' }] }],
      cannedReplies: [{ id: 5, title: 'Hi', text: 'Hello', html: '', rank: 1, autoTags: [], categoryName: 'General', culture: 'en-US', isPublished: true, isSuggested: false, isIncludedInAgentSuggestions: false, attachments: [], departmentId: 'Support' }],
      tickets: [{
        id: 1001, departmentId: 'Support', open: '2024-01-05T10:00:00Z', lastActivity: '2024-01-20T08:00:00Z', state: 'Closed', close: '2024-01-06T10:00:00Z',
        participants: [{ protocolType: 'WhatsApp', identifier: '972500000001' }], tags: ['VIP'], owner: 'alice@acme.test', isScrambled: false,
        ticketSummary: { value: 's' }, transactions: [{ fromParticipant: 1, text: 'Hi' }], field1: 'f', culture: 'en-US', uniqueArgument: 'u',
        details: { source: { title: 't' } }, getAvailableUser: false, addIntroductionMessage: false, enableWebhook: false, markAsRead: true,
      }],
    };
    const sb = await startSandbox({ seed });
    await sb.close();
    await (await startSandbox()).close();
  });
});

describe('seed tickets', () => {
  test('a seed ticket the API would refuse is a TypeError naming the ticket, not the HttpError a request gets', async () => {
    await rejects({ departments: [{ name: 'Support', tags: ['VIP'] }], tickets: [{ participants: [WA()], tags: ['VIP'] }, { participants: [WA()], tags: ['NoSuchTag'] }] },
      /^startSandbox: seed\.tickets\[1\]: Tag 'NoSuchTag' does not exist in the department's tag list\.$/);
    await rejects({ tickets: [{ participants: [] }] }, /^startSandbox: seed\.tickets\[0\]: At least one participant is required\.$/);
    await rejects({ tickets: [{ participants: [WA()], departmentId: 'Nowhere' }] }, /^startSandbox: seed\.tickets\[0\]: seed refers to unknown department Nowhere$/);
  });

  test('a seed file is checked the same way', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-seed-'));
    try {
      const file = path.join(dir, 'seed.json');
      fs.writeFileSync(file, JSON.stringify({ departments: [{ name: 'Support', tags: ['A'] }], departements: [] }));
      await assert.rejects(startSandbox({ seed: file }), { name: 'TypeError', message: /seed\.departements is not a seed key/ });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seed contacts', () => {
  test("a seed contact belongs to its departmentId (an id or a name), else to departments[0]: another department's token does not reach it", async () => {
    const seed = {
      departments: [{ name: 'Support' }, { id: '00000000-0000-4000-8000-000000000002', name: 'Sales' }],
      contacts: [
        { id: '11111111-1111-4111-8111-111111111111', name: 'Sales lead', departmentId: 'Sales', identifiers: [{ identifierType: 'PhoneNumber', identifier: '972500000011' }] },
        { id: '22222222-2222-4222-8222-222222222222', name: 'Support client', identifiers: [{ identifierType: 'PhoneNumber', identifier: '972500000022' }] },
      ],
    };
    const sb = await startSandbox({ seed });
    try {
      const get = async (deptId, contactId) => (await fetch(`${sb.baseUrl}/contacts/get/${contactId}`, { headers: { authorization: `Bearer ${sb.issueToken(undefined, deptId)}` } })).status;
      const [support, sales] = [sb.credentials.apiKey, '00000000-0000-4000-8000-000000000002'];
      assert.deepEqual([await get(sales, '11111111-1111-4111-8111-111111111111'), await get(support, '11111111-1111-4111-8111-111111111111')], [200, 404]);
      assert.deepEqual([await get(support, '22222222-2222-4222-8222-222222222222'), await get(sales, '22222222-2222-4222-8222-222222222222')], [200, 404]);
      assert.equal(sb.state.contacts.get('11111111-1111-4111-8111-111111111111').departmentId, sales);
    } finally {
      await sb.close();
    }
  });
});
