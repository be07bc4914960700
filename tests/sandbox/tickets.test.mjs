import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, getToken, client, createTicket, WA, apiDate, FORM, fakeClock } from './_helpers.mjs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECOND = '00000000-0000-4000-8000-000000000002';

describe('tickets', () => {
  let sb; let call;
  before(async () => { sb = await startSandbox(); });
  after(() => sb.close());
  beforeEach(() => { sb.reset(); call = client(sb); });

  describe('create / get', () => {
    test('a refused create leaves nothing behind: no contact, no id used up', async () => {
      const before = sb.state.snapshot().contacts.length;
      const refused = [
        { participants: [WA('972599999991', 'Left behind'), { type: 'Client', protocolType: 'NoSuchProtocol', identifier: 'x' }] },
        { participants: [WA('972599999992', 'Also left')], transactions: [{ text: '' }] },
        { participants: [WA('972599999993'), { type: 'User', userName: 'nobody@sandbox.test' }] },
      ];
      for (const body of refused) assert.equal((await call('POST', '/tickets/create', { body })).status, 400);
      assert.equal(sb.state.snapshot().contacts.length, before, 'no contact made by a refused create');
      const t = await createTicket(call, { participants: [WA('972599999991', 'Kept')] });
      assert.equal(t.id, 160000001, 'the first ticket after refusals is still firstTicketId');
      assert.deepEqual(t.transactions.map((tr) => tr.id), [1000001]);
      const contact = (await call('GET', `/contacts/get/${t.participants[0].contactId}`)).json;
      assert.equal(contact.name, 'Kept', 'the contact is the successful create\'s, not the refused one\'s');
    });

    test('create returns a full Ticket', async () => {
      const t = await createTicket(call, {
        field1: 'Caribbean vacation', tags: ['VIP'], uniqueArgument: 'JX867641', culture: 'he-IL',
        details: { source: { title: 'Landing', uri: 'https://example.com' } },
        participants: [WA('17818469236', 'Luke Long'), { name: 'Ann', protocolType: 'Mail', identifier: 'ann@example.com', subProtocolType: 'MailCc' }],
        transactions: [{ fromParticipant: 1, text: 'first message', type: 'Message' }],
      });
      assert.equal(t.id, 160000001);
      assert.equal(t.departmentId, sb.credentials.apiKey);
      assert.equal(t.field1, 'Caribbean vacation');
      assert.equal(t.field2, '');
      assert.equal(t.culture, 'he-IL');
      assert.deepEqual(t.tags, ['VIP']);
      assert.equal(t.state, 'Open');
      assert.equal(t.close, '0001-01-01T00:00:00');
      assert.match(t.open, FORM.ticks);
      assert.match(t.lastActivity, FORM.unzoned);
      // lastActivity is written to the hundredth (and truncated), open to the tick
      assert.ok(apiDate(t.lastActivity) >= Math.floor(apiDate(t.open) / 10) * 10);
      assert.equal(t.uniqueArgument, 'JX867641');
      assert.equal(t.details.source.uri, 'https://example.com');
      assert.equal(t.primaryProtocolType, 'WhatsApp');
      assert.equal(t.owner.UserName, 'alice@sandbox.test', 'assigned to the Online agent');
      assert.deepEqual(Object.keys(t.owner), ['id', 'gender', 'UserName', 'culture', 'isAnonymous', 'uniqueArgument', 'type'],
        'the 7-key owner of the docs, not the full User');
      const clients = t.participants.filter((p) => p.type === 'Client');
      assert.deepEqual(clients.map((p) => p.id), [1, 2]);
      for (const p of clients) assert.match(p.contactId, GUID);
      assert.equal(clients[1].subProtocolType, 'MailCc');
      const agent = t.participants.find((p) => p.type === 'User');
      assert.equal(agent.userName, 'alice@sandbox.test');
      assert.equal(agent.contactId, '00000000-0000-0000-0000-000000000000');
      assert.deepEqual(t.transactions.map((x) => x.type), ['TicketOpened', 'Message']);
      assert.equal(t.transactions[1].text, 'first message');
      assert.equal(t.transactions[1].fromParticipant.id, 1);
      assert.equal(t.customerMessagesCount, 1);
      assert.equal(t.transactionsCount, 2);
      assert.equal(t.movedToDepartmentId, '00000000-0000-0000-0000-000000000000');
      assert.equal(t.ticketSummary, null);
    });

    test('ids increase; contacts are created on demand and reused per identifier', async () => {
      const a = await createTicket(call);
      const b = await createTicket(call);
      assert.equal(b.id, a.id + 1);
      assert.equal(a.participants[0].contactId, b.participants[0].contactId);
      const c = await call('GET', `/contacts/get/${a.participants[0].contactId}`);
      assert.equal(c.status, 200);
      assert.equal(c.json.identifiers[0].identifier, '17818469236');
      assert.equal(c.json.identifiers[0].identifierType, 'PhoneNumber');
      // Seeded contact is found by identifier.
      const d = await createTicket(call, { participants: [WA('972500000001')] });
      const dc = await call('GET', `/contacts/get/${d.participants[0].contactId}`);
      assert.equal(dc.json.name, 'Dana Customer');
    });

    test('create validation', async () => {
      for (const body of [
        {}, { participants: [] }, { participants: 'x' },
        { participants: [{ name: 'x', protocolType: 'Carrier pigeon', identifier: '1' }] },
        { participants: [{ name: 'x', protocolType: 'WhatsApp' }] },
        { participants: [WA()], tags: ['NotATag'] },
        { participants: [WA()], tags: ['Retired'] },
        { participants: [WA()], state: 'Bogus' },
        { participants: [WA()], open: 'yesterday' },
        { participants: [WA()], field1: 5 },
      ]) {
        const r = await call('POST', '/tickets/create', { body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(typeof r.json.message, 'string');
      }
      const arr = await call('POST', '/tickets/create', { body: [] });
      assert.equal(arr.status, 400);
    });

    test('getAvailableUser=false leaves the ticket in the queue; open/close dates are accepted', async () => {
      const t = await createTicket(call, {
        getAvailableUser: false, state: 'Closed', open: '2024-01-10T10:00:00Z', close: '10/01/2024 11:00:00:00',
      });
      assert.equal(t.owner, null);
      assert.equal(t.state, 'Closed');
      assert.equal(t.open, '2024-01-10T10:00:00Z', 'ticks: a whole second has no fraction, as .NET writes it');
      assert.equal(t.close, '2024-01-10T11:00:00Z');
      assert.equal(t.lastActivity, '2024-01-10T11:00:00');
    });

    test('get returns transactions; unknown → 404 { message }; non-integer id → 400 { Message }', async () => {
      const t = await createTicket(call);
      const g = await call('GET', `/tickets/get/${t.id}`);
      assert.equal(g.status, 200);
      assert.ok(Array.isArray(g.json.transactions));
      assert.deepEqual(g.json, t);
      const nf = await call('GET', '/tickets/get/999');
      assert.equal(nf.status, 404);
      assert.match(nf.json.message, /999/);
      const bad = await call('GET', '/tickets/get/abc');
      assert.equal(bad.status, 400);
      assert.equal(typeof bad.json.Message, 'string');
      // the id is a C# int: its largest value binds (an unknown ticket, 404), one more does not (400)
      assert.equal((await call('GET', '/tickets/get/2147483647')).status, 404, 'int.MaxValue');
      assert.equal((await call('GET', '/tickets/get/2147483648')).status, 400, 'int.MaxValue + 1');
      // a path id is percent-decoded before it is read, as ASP.NET routing does (`%31` is `1`)
      const encoded = await call('GET', `/tickets/get/%${String(t.id).charCodeAt(0).toString(16)}${String(t.id).slice(1)}`);
      assert.equal(encoded.status, 200, 'a percent-encoded digit');
      assert.equal(encoded.json.id, t.id);
    });
  });

  describe('messages and notes', () => {
    test('first and last message dates are the earliest and latest, whatever order the transactions come in', async () => {
      const t = await createTicket(call, {
        open: '2024-01-01T00:00:00Z', participants: [WA()],
        transactions: [{ text: 'later', dateTime: '2024-01-10T00:00:00Z' }, { text: 'earlier', dateTime: '2024-01-05T00:00:00Z' }],
      });
      assert.equal(t.firstCustomerMessageDateTime, '2024-01-05T00:00:00Z');
      assert.equal(t.lastCustomerMessageDateTime, '2024-01-10T00:00:00Z');
      // the agent's side the same way, and the first agent message's user is the earliest one's
      const a = await createTicket(call, {
        open: '2024-01-01T00:00:00Z', getAvailableUser: false,
        participants: [WA(), { type: 'User', userName: 'bob@sandbox.test' }, { type: 'User', userName: 'alice@sandbox.test' }],
        transactions: [{ fromParticipant: 2, text: 'later', dateTime: '2024-01-10T00:00:00Z' }, { fromParticipant: 3, text: 'earlier', dateTime: '2024-01-05T00:00:00Z' }],
      });
      assert.equal(a.firstAgentMessageDateTime, '2024-01-05T00:00:00Z');
      assert.equal(a.lastAgentMessageDateTime, '2024-01-10T00:00:00Z');
      assert.equal(a.firstAgentMessageUserId, a.participants.find((p) => p.userName === 'alice@sandbox.test').identifier);
    });

    test('send appends a Message transaction from the token user and returns it', async () => {
      const t = await createTicket(call);
      const r = await call('POST', `/tickets/send/${t.id}`, {
        body: { text: 'Hello there', files: ['https://example.com/a.png'], quickReplies: [{ title: 'Yes' }] },
      });
      assert.equal(r.status, 200);
      assert.equal(r.json.type, 'Message');
      assert.equal(r.json.text, 'Hello there');
      assert.equal(r.json.fromParticipant.type, 'User');
      assert.equal(r.json.fromParticipant.userName, sb.credentials.userName);
      assert.equal(r.json.attachments[0].type, 'Image');
      assert.equal(r.json.attachments[0].uri, 'https://example.com/a.png');
      assert.deepEqual(r.json.payload.quickReplies, [{ title: 'Yes' }]);
      const g = await call('GET', `/tickets/get/${t.id}`);
      assert.equal(g.json.transactions.at(-1).id, r.json.id);
      assert.equal(g.json.agentMessagesCount, 1);
      assert.match(r.json.dateTime, FORM.millis);
      assert.equal(apiDate(g.json.lastActivity), Math.floor(apiDate(r.json.dateTime) / 10) * 10, 'the message moved lastActivity');
    });

    test('send validation: empty → 400, bad file URL → 400, closed ticket → 400, unknown ticket → 404', async () => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: {} })).status, 400);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: '' } })).status, 400);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { files: ['not a url'] } })).status, 400);
      await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
      const closed = await call('POST', `/tickets/send/${t.id}`, { body: { text: 'hi' } });
      assert.equal(closed.status, 400);
      assert.match(closed.json.message, /closed/i);
      assert.equal((await call('POST', '/tickets/send/1', { body: { text: 'hi' } })).status, 404);
    });

    test('addNote requires text or html', async () => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/addnote/${t.id}`, { body: {} })).status, 400);
      assert.equal((await call('POST', `/tickets/addnote/${t.id}`, { body: { text: ' ' } })).status, 400);
      const r = await call('POST', `/tickets/addnote/${t.id}`, { body: { html: '<b>internal</b>' } });
      assert.equal(r.status, 200);
      assert.equal(typeof r.json.message, 'string');
      const g = await call('GET', `/tickets/get/${t.id}`);
      const note = g.json.transactions.at(-1);
      assert.equal(note.type, 'Note');
      assert.equal(note.html, '<b>internal</b>');
    });
  });

  describe('fields, participants, owner', () => {
    test('setFields updates fields, uniqueArgument and merges details', async () => {
      const t = await createTicket(call, { details: { location: 'Here' } });
      const r = await call('PUT', `/tickets/setfields/${t.id}`, {
        body: { field2: 'two', uniqueArgument: 'CRM-1', details: { source: { title: 'T', uri: 'https://x.test' } } },
      });
      assert.equal(r.status, 200);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.field1, 'Subject');
      assert.equal(g.field2, 'two');
      assert.equal(g.uniqueArgument, 'CRM-1');
      assert.equal(g.details.location, 'Here');
      assert.equal(g.details.source.title, 'T');
      assert.equal((await call('PUT', `/tickets/setfields/${t.id}`, { body: { field3: 3 } })).status, 400);
    });

    test('setParticipantName', async () => {
      const t = await createTicket(call);
      assert.equal((await call('PUT', `/tickets/setparticipantname/${t.id}`, { body: { id: 1, name: 'Lucas' } })).status, 200);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.participants[0].name, 'Lucas');
      assert.equal((await call('PUT', `/tickets/setparticipantname/${t.id}`, { body: { id: 42, name: 'x' } })).status, 404);
      assert.equal((await call('PUT', `/tickets/setparticipantname/${t.id}`, { body: { name: 'x' } })).status, 400);
    });

    test('firstAgentAllocationTimestamp stays at the first assignment; lastAgentAllocationTimestamp moves with each', async () => {
      const now = fakeClock(Date.UTC(2024, 5, 15, 12, 0, 0));
      const sb2 = await startSandbox({ now });
      try {
        const call2 = client(sb2);
        const t = await createTicket(call2);
        assert.equal(t.owner.UserName, 'alice@sandbox.test');
        now.advance(60_000);
        assert.equal((await call2('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'bob@sandbox.test' } })).status, 200);
        const g = (await call2('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(apiDate(g.firstAgentAllocationTimestamp), Date.UTC(2024, 5, 15, 12, 0, 0), 'the first, at create');
        assert.equal(apiDate(g.lastAgentAllocationTimestamp), Date.UTC(2024, 5, 15, 12, 1, 0), 'the latest, at setowner');
      } finally {
        await sb2.close();
      }
    });

    test('setOwner (query parameters), unknown user → 400', async () => {
      const t = await createTicket(call);
      assert.equal(t.owner.UserName, 'alice@sandbox.test');
      let r = await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'nobody@x.test' }, body: {} });
      assert.equal(r.status, 400);
      r = await call('PUT', `/tickets/setowner/${t.id}`, { body: {} });
      assert.equal(r.status, 400);
      r = await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'bob@sandbox.test', keepCurrentOwnerInConversation: false }, body: {} });
      assert.equal(r.status, 200);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.owner.UserName, 'bob@sandbox.test');
      const alice = g.participants.find((p) => p.userName === 'alice@sandbox.test');
      assert.equal(alice.isActive, false);
      // keepCurrentOwnerInConversation=true keeps bob active when moving to alice
      await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'alice@sandbox.test', keepCurrentOwnerInConversation: true } });
      const g2 = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g2.participants.find((p) => p.userName === 'bob@sandbox.test').isActive, true);
      // carol is not in this department
      r = await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'carol@sandbox.test' } });
      assert.equal(r.status, 400);
      // invalid boolean → ASP.NET-style 400
      r = await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'bob@sandbox.test', keepCurrentOwnerInConversation: 'maybe' } });
      assert.equal(r.status, 400);
      assert.equal(typeof r.json.Message, 'string');
    });

    test('assignAvailableUser picks an Online agent, else leaves the ticket in the queue', async () => {
      const t = await createTicket(call, { getAvailableUser: false });
      assert.equal(t.owner, null);
      assert.equal((await call('PUT', `/tickets/assignavailableuser/${t.id}`, { body: {} })).status, 200);
      assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.owner.UserName, 'alice@sandbox.test');
      const alice = client(sb, (await getToken(sb, { userName: 'alice@sandbox.test' })).json.access_token);
      assert.equal((await alice('PUT', '/users/setstatus', { body: { nextStatus: 'Offline' } })).status, 200);
      const t2 = await createTicket(call);
      assert.equal(t2.owner, null, 'nobody online → queue');
      const r = await call('PUT', `/tickets/assignavailableuser/${t2.id}`);
      assert.equal(r.status, 200);
      assert.equal((await call('GET', `/tickets/get/${t2.id}`)).json.owner, null);
    });

    test('create: the primary protocol is the first Client\'s (not a User participant\'s), tags once each, durations since open', async () => {
      const now = fakeClock(Date.UTC(2024, 5, 15, 12, 0, 0));
      const sb2 = await startSandbox({ now });
      try {
        const t = await createTicket(client(sb2), {
          open: '2024-06-15T10:00:00Z',
          participants: [{ type: 'User', userName: 'bob@sandbox.test' }, { type: 'Client', protocolType: 'SMS', identifier: '972500000001' }],
          tags: ['VIP', 'vip', 'VIP'],
        });
        assert.equal(t.primaryProtocolType, 'SMS');
        assert.deepEqual(t.tags, ['VIP'], 'a tag given twice (in any case) is on the ticket once');
        // an open ticket has lasted from its open until now (its lastActivity is its open here)
        assert.equal(t.durationNet, '02:00:00');
        assert.equal(t.durationGross, '02:00:00');
      } finally {
        await sb2.close();
      }
    });

    test('least-busy counts open tickets only: closed ones are no load', async () => {
      // ann has closed two tickets, ben has one open: the next ticket goes to ann, who has none open
      const users = ['ann', 'ben'].map((n) => ({ UserName: `${n}@sandbox.test`, type: 'AGENT', status: 'Online' }));
      const own = (owner, state) => ({ participants: [WA()], owner: `${owner}@sandbox.test`, ...(state ? { state } : {}) });
      const sb2 = await startSandbox({ seed: { departments: [{ name: 'Support' }], users, tickets: [own('ann', 'Closed'), own('ann', 'Closed'), own('ben')] } });
      try {
        const call2 = client(sb2);
        assert.equal((await createTicket(call2)).owner.UserName, 'ann@sandbox.test', 'no open tickets beats one open ticket');
      } finally {
        await sb2.close();
      }
    });
  });

  describe('setDepartment', () => {
    test('creates a copy with a new id in the target department', async () => {
      const t = await createTicket(call, { tags: ['VIP', 'Sales'] });
      const r = await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } });
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.json), ['ticketId']);
      assert.notEqual(r.json.ticketId, t.id);
      const copy = sb.state.tickets.get(r.json.ticketId);
      assert.equal(copy.departmentId, SECOND);
      assert.equal(copy.movedFromTicketId, t.id);
      assert.deepEqual(copy.tags, ['VIP'], 'only tags allowed in the target department survive');
      const orig = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(orig.movedToTicketId, r.json.ticketId);
      assert.equal(orig.movedToDepartmentId, SECOND);
      assert.equal(orig.state, 'Closed');
      // The copy lives in the other department.
      assert.equal((await call('GET', `/tickets/get/${r.json.ticketId}`)).status, 404);
      const other = client(sb, sb.issueToken(undefined, SECOND));
      const g = await other('GET', `/tickets/get/${r.json.ticketId}`);
      assert.equal(g.status, 200);
      assert.equal(g.json.owner.UserName, 'carol@sandbox.test');
      assert.equal(g.json.participants[0].identifier, '17818469236');
    });

    test('validation', async () => {
      const t = await createTicket(call);
      assert.equal((await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: 'x' } })).status, 400);
      assert.equal((await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: '12345678-1234-4234-8234-123456789012' } })).status, 400);
      assert.equal((await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: sb.credentials.apiKey } })).status, 400);
    });
  });

  describe('setState', () => {
    test('Closed sets close; getTicket=false → { message }; reopen resets close', async () => {
      const t = await createTicket(call);
      let r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed', getTicket: false } });
      assert.equal(r.status, 200);
      assert.equal(typeof r.json.message, 'string');
      let g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.state, 'Closed');
      assert.notEqual(g.close, '0001-01-01T00:00:00');
      assert.equal(g.transactions.at(-1).type, 'TicketClosed');
      r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open', getTicket: true } });
      assert.equal(r.status, 200);
      assert.equal(r.json.id, t.id);
      assert.equal(r.json.state, 'Open');
      assert.equal(r.json.close, '0001-01-01T00:00:00');
      assert.ok(Array.isArray(r.json.transactions));
      r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'pending', sendTicketStateChangedMessage: false, getTicket: true } });
      assert.equal(r.json.state, 'Pending');
      assert.equal(r.json.transactions.at(-1).type, 'TicketReopened', 'no state-change transaction when sendTicketStateChangedMessage=false');
    });

    test('body summary and tags are applied', async () => {
      const t = await createTicket(call);
      const r = await call('PUT', `/tickets/setstate/${t.id}`, {
        query: { nextState: 'Closed', getTicket: true }, body: { summary: 'Solved', tags: ['Billing'] },
      });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.tags, ['Billing']);
      assert.equal(r.json.ticketSummary.value, 'Solved');
      const bad = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open' }, body: { tags: ['Nope'] } });
      assert.equal(bad.status, 400);
    });

    test('Snoozed, unknown and missing states are refused with 400', async () => {
      const t = await createTicket(call);
      for (const query of [{ nextState: 'Snoozed' }, { nextState: 'Sleeping' }, {}]) {
        const r = await call('PUT', `/tickets/setstate/${t.id}`, { query });
        assert.equal(r.status, 400, JSON.stringify(query));
        assert.equal(typeof r.json.message, 'string');
      }
      assert.equal((await call('PUT', '/tickets/setstate/5', { query: { nextState: 'Open' } })).status, 404);
    });
  });

  describe('tags', () => {
    test('addTags takes a bare array, only allowed tags, returns the tag array', async () => {
      const t = await createTicket(call, { tags: ['VIP'] });
      let r = await call('POST', `/tickets/addtags/${t.id}`, { body: ['Sales', 'urgent', 'VIP'] });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, ['VIP', 'Sales', 'Urgent']);
      r = await call('POST', `/tickets/addtags/${t.id}`, { body: ['Unknown'] });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /Unknown/);
      r = await call('POST', `/tickets/addtags/${t.id}`, { body: { tags: ['VIP'] } });
      assert.equal(r.status, 400);
      r = await call('POST', `/tickets/addtags/${t.id}`, { body: [1] });
      assert.equal(r.status, 400);
      r = await call('DELETE', `/tickets/removetag/${t.id}`, { query: { tag: 'Sales' } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, ['VIP', 'Urgent']);
      assert.equal((await call('DELETE', `/tickets/removetag/${t.id}`)).status, 400);
    });

    test('only Open or Snoozed tickets accept tags', async () => {
      const closed = await createTicket(call, { state: 'Closed' });
      let r = await call('POST', `/tickets/addtags/${closed.id}`, { body: ['VIP'] });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /Open or Snoozed/);
      const pending = await createTicket(call, { state: 'Pending' });
      assert.equal((await call('POST', `/tickets/addtags/${pending.id}`, { body: ['VIP'] })).status, 400);
      const snoozed = await createTicket(call, { state: 'Snoozed' });
      r = await call('POST', `/tickets/addtags/${snoozed.id}`, { body: ['VIP'] });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, ['VIP']);
    });
  });

  describe('survey, summary, scramble', () => {
    test('generateSurveyLink only for closed tickets', async () => {
      const t = await createTicket(call);
      let r = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7, participantId: 1 } });
      assert.equal(r.status, 400);
      await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
      r = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7, participantId: 1 } });
      assert.equal(r.status, 200);
      assert.ok(r.json.surveyLink.startsWith(`${sb.origin}/survey/`));
      const page = await fetch(r.json.surveyLink);
      assert.equal(page.status, 200);
      assert.equal((await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { participantId: 1 } })).status, 400);
      // An unknown participant is not found (404, rules.notFoundStatus), like setparticipantname's.
      r = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7, participantId: 99 } });
      assert.equal(r.status, 404);
      assert.deepEqual(Object.keys(r.json), ['message']);
      // one link per ticket: a survey was sent (rules.surveyLinkTwice)
      r = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7, participantId: 1 } });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /survey was already sent/);
      // participantId defaults to the client
      const other = await createTicket(call, { state: 'Closed' });
      assert.equal((await call('POST', `/tickets/generatesurveylink/${other.id}`, { body: { surveyId: 7 } })).status, 200);
    });

    test('setsummary sets ticketSummary { userId, lastUpdateTimestamp, value }', async () => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/setsummary/${t.id}`, { body: { summary: 'Customer wants a refund' } })).status, 200);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.ticketSummary.value, 'Customer wants a refund');
      assert.match(g.ticketSummary.userId, GUID);
      assert.ok(!Number.isNaN(Date.parse(g.ticketSummary.lastUpdateTimestamp)));
      assert.equal((await call('POST', `/tickets/setsummary/${t.id}`, { body: {} })).status, 400);
    });

    test('scramble wipes text and names and sets isScrambled', async () => {
      const t = await createTicket(call, { transactions: [{ text: 'my secret card number' }] });
      assert.equal((await call('DELETE', `/tickets/scramble/${t.id}`)).status, 200);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(g.isScrambled, true);
      assert.equal(g.field1, '');
      assert.equal(g.participants[0].name, '');
      assert.equal(g.participants[0].identifier, '');
      assert.ok(g.transactions.every((tr) => tr.text === ''));
    });
  });

  describe('pdf and html', () => {
    test('pdf is a valid binary PDF with a correct xref table', async () => {
      const t = await createTicket(call, { transactions: [{ text: 'Hello (PDF) world' }] });
      const r = await call('POST', `/tickets/pdf/${t.id}`, { body: { includeNotes: true, fontSizeInPixels: 14 } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      const pdf = r.buf;
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(pdf.subarray(-5).toString('latin1'), '%%EOF');
      assert.deepEqual([...pdf.subarray(10, 14)], [0xe2, 0xe3, 0xcf, 0xd3], 'binary comment survives');
      const text = pdf.toString('latin1');
      assert.ok(text.includes(`Glassix ticket #${t.id}`));
      assert.ok(text.includes('Hello \\(PDF\\) world'));
      // xref: every in-use entry points at "N 0 obj"
      const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(text)[1]);
      assert.equal(text.slice(startxref, startxref + 4), 'xref');
      const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref));
      const entries = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
      entries.slice(1).forEach((line, i) => {
        const off = Number(line.slice(0, 10));
        assert.equal(text.slice(off, off + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`);
      });
      assert.equal(Number(first), 0);
      assert.equal((await call('POST', `/tickets/pdf/${t.id}`, { body: { fontSizeInPixels: 'big' } })).status, 400);
      assert.equal((await call('POST', '/tickets/pdf/12', {})).status, 404);
    });

    test('pdf without a body works (render options are optional)', async () => {
      const t = await createTicket(call);
      const r = await call('POST', `/tickets/pdf/${t.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.buf.subarray(0, 4).toString(), '%PDF');
    });

    test('html is text/html and escapes content', async () => {
      const t = await createTicket(call, { transactions: [{ text: '<script>x</script> & more' }] });
      await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'agent-only note' } });
      let r = await call('POST', `/tickets/html/${t.id}`, { body: {} });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.ok(r.text.includes(`Ticket #${t.id}`));
      assert.ok(r.text.includes('&lt;script&gt;x&lt;/script&gt; &amp; more'));
      assert.ok(r.text.includes('agent-only note'));
      r = await call('POST', `/tickets/html/${t.id}`, { body: { includeNotes: false } });
      assert.ok(!r.text.includes('agent-only note'));
    });
  });
});
