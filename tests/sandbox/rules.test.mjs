// Every unverified behaviour is a named rule (startSandbox({ rules })): each test shows the
// default and the alternative of one rule over HTTP. The last tests check that sandbox/README.md's
// "Verified and unverified behaviour" table names every rule with its default.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSandbox, client, createTicket, getToken, WA, sleep, withSandbox, fakeClock, formatGlassixDate } from './_helpers.mjs';
import { DEFAULT_RULES } from '../../sandbox/index.mjs';

const SECOND = '00000000-0000-4000-8000-000000000002';
const JAN = { since: '01/01/2024 00:00:00:00', until: '31/01/2024 00:00:00:00' };

/** Run `fn(call, sb)` against a fresh sandbox with these rules (and other options). */
const withRules = (rules, fn, options = {}) => withSandbox({ ...options, rules }, fn);

const closedTicket = async (call) => {
  const t = await createTicket(call);
  await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } });
  return t;
};

describe('startSandbox({ rules }) validation', () => {
  test('an unknown rule or a bad value rejects with a TypeError; the handle reports the rules in force', async () => {
    await assert.rejects(startSandbox({ rules: { noSuchRule: true } }), { name: 'TypeError', message: /unknown rule 'noSuchRule'/ });
    await assert.rejects(startSandbox({ rules: { sortAsc: 'sideways' } }), { name: 'TypeError', message: /rules\.sortAsc must be/ });
    await assert.rejects(startSandbox({ rules: { ruleStatus: 200 } }), TypeError);
    // the status rules take a 4xx (the README's "any 4xx"); only invalidStatus may also be 500. A
    // sandbox that starts anyway is closed, so that a failing check cannot keep the process alive.
    for (const rules of [{ ruleStatus: 500 }, { ruleStatus: 503 }, { invalidStatus: 503 }, { invalidStatus: 399 }, { ruleStatus: 409.5 }]) {
      await assert.rejects(startSandbox({ rules }).then((sb) => sb.close()), TypeError, JSON.stringify(rules));
    }
    await withRules({ invalidStatus: 500, ruleStatus: 499 }, async (call, sb) => assert.deepEqual([sb.rules.invalidStatus, sb.rules.ruleStatus], [500, 499]));
    await assert.rejects(startSandbox({ rules: { protocolStatuses: 'Sent' } }), TypeError);
    await assert.rejects(startSandbox({ rules: { statusLogsMaxDays: 0 } }).then((sb) => sb.close()), TypeError, 'statusLogsMaxDays is at least 1');
    // a list rule is copied: changing the caller's array afterwards changes nothing in force
    const statuses = ['Sent'];
    await withRules({ protocolStatuses: statuses }, async (call, sb) => {
      statuses.push('Read');
      assert.deepEqual(sb.rules.protocolStatuses, ['Sent']);
    });
    await assert.rejects(startSandbox({ rules: [] }), TypeError);
    await assert.rejects(startSandbox({ dateFormat: 'unix' }), TypeError);
    await withRules({ sortAsc: 'oldest-first' }, async (call, sb) => {
      assert.deepEqual(sb.rules, { ...DEFAULT_RULES, sortAsc: 'oldest-first' });
      assert.equal(sb.dateFormat, 'dotnet');
    });
    assert.ok(Object.isFrozen(DEFAULT_RULES));
  });
});

describe('replies and errors', () => {
  test("messageKey: 'mixed' (framework errors say Message, the rest message), or one casing everywhere", async () => {
    await withRules({}, async (call) => {
      assert.equal(typeof (await call('GET', '/users/allusers', { token: null })).json.Message, 'string');
      assert.equal(typeof (await call('GET', '/tickets/get/5')).json.message, 'string');
      const t = await createTicket(call);
      assert.equal(typeof (await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'n' } })).json.message, 'string');
    });
    for (const key of ['message', 'Message']) {
      await withRules({ messageKey: key }, async (call, sb) => {
        const t = await createTicket(call);
        for (const r of [await call('GET', '/users/allusers', { token: null }), await call('GET', '/tickets/get/5'),
          await call('GET', '/tickets/frobnicate'), await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'n' } })]) {
          assert.deepEqual(Object.keys(r.json), [key], `${key}: ${r.text}`);
        }
        // Off the API root too: an unknown path, an unknown file or survey page.
        for (const path of ['/nowhere', '/files/0123456789abcdef01234567/x.txt', '/survey/nope']) {
          assert.deepEqual(Object.keys((await call('GET', `${sb.origin}${path}`)).json), [key], path);
        }
      });
    }
    // The carve-out: users/delete answers GlassixSharp's documented model under every messageKey.
    for (const key of ['mixed', 'message', 'Message']) {
      await withRules({ messageKey: key }, async (call) => {
        await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'gone@sandbox.test' }] });
        const r = await call('DELETE', '/users/delete', { query: { userName: 'gone@sandbox.test' } });
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), ['Message', 'DeletedFromDepartments'], key);
      });
    }
  });

  test('invalidStatus, ruleStatus, notFoundStatus, forbiddenStatus choose the status of each kind of refusal', async () => {
    await withRules({}, async (call, sb) => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: 5 } })).status, 400, 'invalid');
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Snoozed' } })).status, 400, 'rule');
      assert.equal((await call('GET', '/tickets/get/5')).status, 404);
      assert.equal((await client(sb, sb.issueToken('alice@sandbox.test'))('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['ReadOnly'] })).status, 403);
    });
    // An unknown participant is not found in setparticipantname and generatesurveylink alike (0 = the
    // client participant, which a ticket of agents only does not have).
    for (const [notFoundStatus, expected] of [[404, 404], [400, 400]]) {
      await withRules({ notFoundStatus }, async (call) => {
        const t = await closedTicket(call);
        const agentsOnly = await createTicket(call, { participants: [{ type: 'User', userName: 'alice@sandbox.test' }], state: 'Closed' });
        for (const [path, body] of [[`/tickets/setparticipantname/${t.id}`, { id: 99, name: 'x' }],
          [`/tickets/generatesurveylink/${t.id}`, { surveyId: 7, participantId: 99 }],
          [`/tickets/generatesurveylink/${agentsOnly.id}`, { surveyId: 7, participantId: 0 }]]) {
          const r = await call(path.includes('setparticipantname') ? 'PUT' : 'POST', path, { body });
          assert.equal(r.status, expected, `${path} ${JSON.stringify(body)} with notFoundStatus ${notFoundStatus}: ${r.text}`);
          assert.match(r.json.message, /participant/i);
        }
      });
    }
    await withRules({ invalidStatus: 500, ruleStatus: 409, notFoundStatus: 400, forbiddenStatus: 401 }, async (call, sb) => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: 5 } })).status, 500);
      assert.equal((await call('GET', '/tickets/get/abc')).status, 500, 'model binding is malformed input too');
      const notJson = await fetch(`${sb.baseUrl}/tickets/send/${t.id}`, { method: 'POST', headers: { authorization: `Bearer ${sb.issueToken()}`, 'content-type': 'application/json' }, body: '{bad' });
      assert.equal(notJson.status, 500, 'a body that is not JSON is malformed input too');
      assert.match((await notJson.json()).Message, /not valid JSON/);
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Snoozed' } })).status, 409);
      assert.equal((await call('GET', '/tickets/list', { query: { since: '01/01/2024 00:00:00:00', until: '01/03/2024 00:00:00:00' } })).status, 409, 'the month limit');
      // A user participant who is not a user of the department is refused like setowner's unknown user.
      assert.equal((await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'carol@sandbox.test' } })).status, 409, 'setowner');
      assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA(), { type: 'User', userName: 'carol@sandbox.test' }] } })).status, 409, 'create');
      assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA(), { type: 'Usr', userName: 'alice@sandbox.test' }] } })).status, 500, 'a bad type is malformed input');
      assert.equal((await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'x@sandbox.test' }, { userName: 'X@sandbox.test' }] })).status, 500, 'a userName twice in one users/add is malformed input');
      assert.equal((await call('GET', '/tickets/get/5')).status, 400);
      assert.equal((await call('GET', '/contacts/get/12345678-1234-4234-8234-123456789012')).status, 400);
      assert.equal((await client(sb, sb.issueToken('alice@sandbox.test'))('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['ReadOnly'] })).status, 401);
    });
  });

  test('wrongMethodStatus: 405 with Allow, or 404 like an unknown route', async () => {
    await withRules({}, async (call) => {
      const r = await call('GET', '/tickets/create');
      assert.equal(r.status, 405);
      assert.equal(r.headers.get('allow'), 'POST');
    });
    await withRules({ wrongMethodStatus: 404 }, async (call) => {
      const r = await call('GET', '/tickets/create');
      assert.equal(r.status, 404);
      assert.equal(r.headers.get('allow'), null);
      assert.match(r.json.Message, /No HTTP resource/);
    });
  });

  test("wrongContentType: 415 for a text/plain JSON body and a non-multipart upload, or 'accept'", async () => {
    const post = (sb, path, body, type) => fetch(`${sb.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${sb.issueToken()}`, ...(type ? { 'content-type': type } : {}) }, body });
    const body = JSON.stringify({ participants: [WA()] });
    await withRules({}, async (call, sb) => {
      assert.equal((await post(sb, '/tickets/create', body)).status, 415);
      assert.equal((await post(sb, '/files/upload', 'x', 'text/plain')).status, 415);
    });
    await withRules({ wrongContentType: 'accept' }, async (call, sb) => {
      assert.equal((await post(sb, '/tickets/create', body)).status, 200, 'text/plain JSON is parsed');
      assert.equal((await post(sb, '/files/upload', 'x', 'text/plain')).status, 400, 'no file in it');
    });
  });

  test("jsonBom: a JSON body after a UTF-8 byte order mark is read (API and request log), or is malformed JSON", async () => {
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
    const withBom = (value) => Buffer.concat([BOM, Buffer.from(JSON.stringify(value))]);
    const post = (sb, path, body, type = 'application/json; charset=utf-8') => fetch(`${sb.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${sb.issueToken()}`, 'content-type': type }, body });
    await withRules({}, async (call, sb) => {
      const r = await post(sb, '/tickets/create', withBom({ field1: 'BOM', participants: [WA()] }));
      assert.equal(r.status, 200, await r.clone().text());
      assert.equal((await r.json()).field1, 'BOM');
      // a bare JSON array (addtags) and the token request too
      const t = await createTicket(call);
      assert.deepEqual(await (await post(sb, `/tickets/addtags/${t.id}`, withBom(['VIP']))).json(), ['VIP']);
      const c = sb.credentials;
      assert.equal((await post(sb, '/token/get', withBom({ apiKey: c.apiKey, apiSecret: c.apiSecret, userName: c.userName }))).status, 200);
      // the log holds the parsed body, as for any JSON
      assert.deepEqual(sb.requests.find((e) => e.path.endsWith(`/tickets/addtags/${t.id}`)).body, ['VIP']);
      // only a leading mark: one after whitespace, or a UTF-16 one, is still malformed
      assert.equal((await post(sb, '/tickets/create', Buffer.concat([Buffer.from(' '), withBom({ participants: [WA()] })]))).status, 400);
      assert.equal((await post(sb, '/tickets/create', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}')]))).status, 400);
      // a body that is only the mark is, read past it, no body: setstate's is optional
      const put = await fetch(`${sb.baseUrl}/tickets/setstate/${t.id}?nextState=Pending`, { method: 'PUT', headers: { authorization: `Bearer ${sb.issueToken()}`, 'content-type': 'application/json' }, body: BOM });
      assert.equal(put.status, 200, await put.clone().text());
      assert.equal(sb.requests.at(-1).body, undefined, 'logged as no body');
    });
    await withRules({ jsonBom: 'reject', invalidStatus: 422 }, async (call, sb) => {
      const r = await post(sb, '/tickets/create', withBom({ participants: [WA()] }));
      assert.equal(r.status, 422);
      assert.match((await r.json()).Message, /not valid JSON/);
      assert.equal(typeof sb.requests.at(-1).body, 'string', 'logged as malformed JSON');
      assert.equal((await post(sb, '/tickets/create', JSON.stringify({ participants: [WA()] }))).status, 200, 'without the mark');
    });
  });

  test("bodyKeyCase: 'any' binds a body key in another casing as ASP.NET does (the reply and what is stored), 'exact' ignores it", async () => {
    const c = (sb) => sb.credentials;
    const shout = { Field1: 'Upper', FIELD2: 'all caps', Participants: [{ Name: 'Luke', ProtocolType: 'WhatsApp', Identifier: '17818469236', TYPE: 'Client' }],
      Details: { Source: { Title: 'From', URI: 'https://x.test/' } }, Transactions: [{ Text: 'hello', FromParticipant: { Identifier: '17818469236' } }] };
    await withRules({}, async (call, sb) => {
      const r = await call('POST', '/tickets/create', { body: shout });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.field1, 'Upper');
      assert.equal(r.json.field2, 'all caps');
      assert.equal(r.json.participants.find((p) => p.type === 'Client').name, 'Luke');
      assert.deepEqual(r.json.details.source, { title: 'From', uri: 'https://x.test/' });
      assert.equal(r.json.transactions.at(-1).text, 'hello');
      const stored = sb.state.tickets.get(r.json.id);
      assert.equal(stored.field1, 'Upper');
      assert.equal('Source' in stored.details, false, 'no key of another casing is stored beside the documented one');
      // of two keys for one field the last wins (Json.NET); a key no model has is kept as sent
      assert.equal((await call('PUT', `/tickets/setfields/${r.json.id}`, { body: { field3: 'first', Field3: 'last', Details: { CustomKey: 1 } } })).status, 200);
      assert.equal(stored.field3, 'last');
      assert.equal(stored.details.CustomKey, 1);
      // the log keeps the body as sent
      assert.deepEqual(sb.requests.at(-1).body, { field3: 'first', Field3: 'last', Details: { CustomKey: 1 } });
      // a bare array of models (users/add), and the token request
      assert.equal((await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ UserName: 'cased@sandbox.test', UniqueArgument: 'u-1' }] })).status, 200);
      assert.equal(sb.state.findUserByName('cased@sandbox.test', c(sb).apiKey).memberships.get(c(sb).apiKey).uniqueArgument, 'u-1');
      assert.equal((await getToken(sb, { apiKey: undefined, ApiKey: c(sb).apiKey, APISECRET: c(sb).apiSecret })).status, 200);
    });
    await withRules({ bodyKeyCase: 'exact' }, async (call, sb) => {
      const r = await call('POST', '/tickets/create', { body: shout });
      assert.equal(r.status, 400, 'Participants is not participants');
      assert.match(r.json.message, /participant is required/);
      const t = await createTicket(call, { field1: 'Subject' });
      const set = await call('PUT', `/tickets/setfields/${t.id}`, { body: { Field1: 'ignored', Details: { Source: { Title: 'x' } } } });
      assert.equal(set.status, 200, 'an unknown key is no error');
      const stored = sb.state.tickets.get(t.id);
      assert.equal(stored.field1, 'Subject', 'Field1 is not field1');
      assert.equal(stored.details.source.title, '');
      assert.equal((await getToken(sb, { apiKey: undefined, ApiKey: c(sb).apiKey })).status, 400);
    });
  });

  test("a details key '__proto__' (tickets/create, setfields) is a key like another: Object.prototype is not touched, under both bodyKeyCase values", async () => {
    for (const bodyKeyCase of ['any', 'exact']) {
      await withRules({ bodyKeyCase }, async (call, sb) => {
        const headers = { 'content-type': 'application/json' };
        const created = await call('POST', '/tickets/create', { headers, rawBody: `{"participants":[${JSON.stringify(WA())}],"details":{"__proto__":{"viaCreate":1}}}` });
        assert.equal(created.status, 200, created.text);
        const set = await call('PUT', `/tickets/setfields/${created.json.id}`, { headers, rawBody: '{"details":{"__proto__":{"viaSetfields":1},"source":{"__proto__":{"deep":1}}}}' });
        assert.equal(set.status, 200, set.text);
        try {
          assert.deepEqual([({}).viaCreate, ({}).viaSetfields, ({}).deep], [undefined, undefined, undefined], `Object.prototype polluted (${bodyKeyCase})`);
        } finally {
          for (const k of ['viaCreate', 'viaSetfields', 'deep']) delete Object.prototype[k];
        }
        const details = sb.state.tickets.get(created.json.id).details;
        assert.equal(Object.getPrototypeOf(details), Object.prototype);
        assert.deepEqual(Object.getOwnPropertyDescriptor(details, '__proto__')?.value, { viaCreate: 1, viaSetfields: 1 }, 'kept as an own key, merged');
      });
    }
  });

  test('bodyKeyCase: every route with a JSON body of objects lists its keys', async () => {
    const { BODY_KEYS } = await import('../../sandbox/bodykeys.cjs');
    const { ROUTES } = await import('../../sandbox/server.cjs');
    // (these take a bare array of strings: no keys to bind)
    const arraysOfStrings = ['/tickets/addtags/:ticketId', '/users/setroles'];
    for (const r of ROUTES.filter((x) => x.body === 'json')) {
      assert.ok(r.path in BODY_KEYS || arraysOfStrings.includes(r.path), r.path);
    }
    for (const path of Object.keys(BODY_KEYS)) assert.ok(ROUTES.some((r) => r.path === path && r.body === 'json'), path);
  });

  test("tokenErrors: 'split' (401 wrong secret, 400 unknown user), 'all-401', 'all-400'", async () => {
    for (const [mode, secret, user] of [['split', 401, 400], ['all-401', 401, 401], ['all-400', 400, 400]]) {
      await withRules({ tokenErrors: mode }, async (call, sb) => {
        assert.equal((await getToken(sb, { apiSecret: 'wrong' })).status, secret, mode);
        assert.equal((await getToken(sb, { userName: 'nobody@x.test' })).status, user, mode);
        assert.equal((await getToken(sb)).status, 200);
      });
    }
  });

  test('cors: CORS headers and 204 preflights, or none (a preflight is then an ordinary unroutable request)', async () => {
    const preflight = (sb) => fetch(`${sb.baseUrl}/tickets/create`, { method: 'OPTIONS', headers: { origin: 'http://x.test', 'access-control-request-method': 'POST' } });
    await withRules({}, async (call, sb) => {
      assert.equal((await preflight(sb)).status, 204);
      assert.equal((await call('GET', '/users/allusers')).headers.get('access-control-allow-origin'), '*');
    });
    await withRules({ cors: false }, async (call, sb) => {
      const p = await preflight(sb);
      assert.equal(p.status, 405);
      assert.equal(p.headers.get('access-control-allow-origin'), null);
      assert.equal((await call('GET', '/users/allusers')).headers.get('access-control-allow-origin'), null);
    });
  });

  test('lenientPaths: any case and a trailing slash, or the exact lower-case path', async () => {
    await withRules({}, async (call, sb) => {
      assert.equal((await call('GET', `${sb.origin}/API/V1.2/Users/AllUsers/`)).status, 200);
      assert.equal((await call('GET', '/users/allusers', { token: null, headers: { authorization: `bearer ${sb.issueToken()}` } })).status, 200);
    });
    await withRules({ lenientPaths: false }, async (call, sb) => {
      assert.equal((await call('GET', `${sb.origin}/API/V1.2/users/allusers`)).status, 404);
      assert.equal((await call('GET', '/Users/AllUsers')).status, 404);
      assert.equal((await call('GET', '/users/allusers/')).status, 404);
      assert.equal((await call('GET', '/users/allusers')).status, 200);
      assert.equal((await call('GET', '/users/allusers', { query: { IGNORED: 1 } })).status, 200);
      assert.equal((await call('GET', '/users/allusers', { token: null, headers: { authorization: `bearer ${sb.issueToken()}` } })).status, 401);
    });
  });

  test("inventedReplies: the sandbox's bodies for replies no source shows, or answered like voidResponses", async () => {
    const form = () => {
      const f = new FormData();
      f.append('0', new Blob(['x']), 'x.txt');
      return f;
    };
    const upload = (sb) => fetch(`${sb.baseUrl}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${sb.issueToken()}` }, body: form() });
    await withRules({}, async (call, sb) => {
      assert.equal((await (await upload(sb)).json()).urls.length, 1);
      const t = await createTicket(call);
      assert.equal((await call('POST', `/interactivedocuments/send/${t.id}`, { body: { baseTemplateId: 'x' } })).json.type, 'Message');
      assert.equal(typeof (await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'T', text: 'x' } })).json.id, 'number');
    });
    await withRules({ inventedReplies: 'void' }, async (call, sb) => {
      assert.deepEqual(Object.keys(await (await upload(sb)).json()), ['message']);
      const t = await createTicket(call);
      assert.deepEqual(Object.keys((await call('POST', `/interactivedocuments/send/${t.id}`, { body: { baseTemplateId: 'x' } })).json), ['message']);
      assert.deepEqual(Object.keys((await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'T', text: 'x' } })).json), ['message']);
    }, { voidResponses: 'message' });
    await withRules({ inventedReplies: 'void' }, async (call, sb) => {
      assert.equal((await upload(sb)).status, 204);
    }, { voidResponses: 'no-content' });
  });

  test('getStatusKey, tagKeys, durations: the casing and formats of undocumented replies', async () => {
    await withRules({}, async (call) => {
      assert.deepEqual((await call('GET', '/users/getstatus')).json, { status: 'Online' });
      assert.deepEqual(Object.keys((await call('GET', '/tenants/gettags')).json[0]), ['Name', 'Color', 'ParentTags', 'IsDeleted']);
      assert.match((await createTicket(call)).durationNet, /^\d{2}:\d{2}:\d{2}$/);
    });
    await withRules({ getStatusKey: 'Status', tagKeys: 'camel', durations: 'seconds' }, async (call) => {
      assert.deepEqual((await call('GET', '/users/getstatus')).json, { Status: 'Online' });
      assert.deepEqual((await call('GET', '/tenants/gettags')).json[0], { name: 'VIP', color: '#e53935', parentTags: [], isDeleted: false });
      const t = await createTicket(call, { open: '2024-01-01T00:00:00Z', state: 'Closed', close: '2024-01-01T01:00:00Z' });
      assert.equal(t.durationNet, 3600);
    });
  });

  test("deniedStatus: no token, a malformed header, an expired token or a departed user answer 401, or the rule's status; an unknown token is always 401", async () => {
    const now = fakeClock();
    for (const [deniedStatus, status] of [[undefined, 401], [403, 403], [400, 400]]) {
      const rules = deniedStatus === undefined ? {} : { deniedStatus };
      await withRules(rules, async (call, sb) => {
        const aliceToken = sb.issueToken('alice@sandbox.test');
        const expiring = sb.issueToken();
        assert.equal((await call('GET', '/users/allusers', { token: null })).status, status, 'no token');
        assert.equal((await call('GET', '/users/allusers', { token: null, headers: { authorization: 'Basic abc' } })).status, status, 'malformed');
        const unknown = await call('GET', '/users/allusers', { token: 'no-such-token' });
        assert.equal(unknown.status, 401, 'a token that matches nothing (the verified row)');
        assert.match(unknown.json.Message, /denied/);
        assert.equal((await call('DELETE', '/users/delete', { query: { userName: 'alice@sandbox.test' } })).status, 200);
        const departed = await call('GET', '/users/getstatus', { token: aliceToken });
        assert.equal(departed.status, status, 'a user who left the department');
        assert.match(departed.json.Message, /denied/);
        now.advance(61_000);
        for (let i = 0; i < 2; i += 1) assert.equal((await call('GET', '/users/allusers', { token: expiring })).status, status, `expired, call ${i + 1}`);
      }, { now, tokenLifetime: 60 });
    }
  });
});

describe('tickets', () => {
  test('sendToClosed: 400 for tickets/send and interactivedocuments/send to a Closed ticket, or appended', async () => {
    await withRules({}, async (call) => {
      const t = await closedTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: 'late' } })).status, 400);
      assert.equal((await call('POST', `/interactivedocuments/send/${t.id}`, { body: { baseTemplateId: 'x' } })).status, 400);
    });
    await withRules({ sendToClosed: 'allow' }, async (call) => {
      const t = await closedTicket(call);
      const r = await call('POST', `/tickets/send/${t.id}`, { body: { text: 'late' } });
      assert.equal(r.status, 200);
      assert.equal(r.json.text, 'late');
      assert.equal((await call('POST', `/interactivedocuments/send/${t.id}`, { body: { baseTemplateId: 'x' } })).status, 200);
    });
  });

test('surveyIds: a surveyId of 0 or less is refused, or accepted', async () => {
    for (const [rules, status] of [[{}, 400], [{ surveyIds: 'any' }, 200]]) {
      await withRules(rules, async (call) => {
        const t = await closedTicket(call);
        assert.equal((await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 0 } })).status, status, JSON.stringify(rules));
      });
    }
  });

  test('surveyLinkTwice: a second survey link for a ticket is refused (with ruleStatus), or handed out', async () => {
    await withRules({ ruleStatus: 409 }, async (call) => {
      const t = await closedTicket(call);
      assert.equal((await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7 } })).status, 200);
      assert.equal((await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 8 } })).status, 409);
    });
    await withRules({ surveyLinkTwice: 'allow' }, async (call) => {
      const t = await closedTicket(call);
      const a = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7 } });
      const b = await call('POST', `/tickets/generatesurveylink/${t.id}`, { body: { surveyId: 7 } });
      assert.equal(b.status, 200);
      assert.notEqual(a.json.surveyLink, b.json.surveyLink);
    });
  });

  test('tagsOnNotOpen: addtags on a Closed or Pending ticket is refused, or applied', async () => {
    await withRules({}, async (call) => {
      const t = await closedTicket(call);
      assert.equal((await call('POST', `/tickets/addtags/${t.id}`, { body: ['VIP'] })).status, 400);
    });
    await withRules({ tagsOnNotOpen: 'allow' }, async (call) => {
      const t = await closedTicket(call);
      const r = await call('POST', `/tickets/addtags/${t.id}`, { body: ['VIP'] });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, ['VIP']);
    });
  });

  test('unknownTag: a tag not in the list (or deleted) is refused, or dropped', async () => {
    await withRules({}, async (call) => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/addtags/${t.id}`, { body: ['VIP', 'Nope'] })).status, 400);
      assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA()], tags: ['Retired'] } })).status, 400);
    });
    await withRules({ unknownTag: 'ignore' }, async (call) => {
      const t = await createTicket(call, { tags: ['Retired', 'Sales'] });
      assert.deepEqual(t.tags, ['Sales']);
      assert.deepEqual((await call('POST', `/tickets/addtags/${t.id}`, { body: ['VIP', 'Nope'] })).json, ['Sales', 'VIP']);
      const s = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed', getTicket: true }, body: { tags: ['Nope'] } });
      assert.equal(s.status, 200);
    });
  });

  test('tagCase: tags match case-insensitively (stored as the list spells them), or exactly', async () => {
    await withRules({}, async (call) => {
      assert.deepEqual((await createTicket(call, { tags: ['vip'] })).tags, ['VIP']);
    });
    await withRules({ tagCase: 'exact' }, async (call) => {
      assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA()], tags: ['vip'] } })).status, 400);
      const t = await createTicket(call, { tags: ['VIP'] });
      assert.deepEqual(t.tags, ['VIP']);
      assert.deepEqual((await call('DELETE', `/tickets/removetag/${t.id}`, { query: { tag: 'vip' } })).json, ['VIP'], 'removetag is exact too');
    });
  });

  test('detailsUpdate: setfields merges details key by key, or replaces them', async () => {
    for (const [mode, location] of [['merge', 'Here'], ['replace', '']]) {
      await withRules({ detailsUpdate: mode }, async (call) => {
        const t = await createTicket(call, { details: { location: 'Here' } });
        await call('PUT', `/tickets/setfields/${t.id}`, { body: { details: { source: { title: 'T', uri: 'https://x.test' } } } });
        const g = (await call('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(g.details.location, location, mode);
        assert.equal(g.details.source.title, 'T');
      });
    }
  });

  test('setDepartmentOriginal: the original is closed, or kept open', async () => {
    for (const [mode, state] of [['close', 'Closed'], ['keep', 'Open']]) {
      await withRules({ setDepartmentOriginal: mode }, async (call) => {
        const t = await createTicket(call);
        assert.equal((await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).status, 200);
        const orig = (await call('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(orig.state, state, mode);
        assert.ok(orig.movedToTicketId > t.id);
      });
    }
  });

  test("autoAssign: the least busy Online agent, or 'queue' (nobody)", async () => {
    await withRules({}, async (call) => {
      assert.equal((await createTicket(call)).owner.UserName, 'alice@sandbox.test');
    });
    await withRules({ autoAssign: 'queue' }, async (call) => {
      const t = await createTicket(call);
      assert.equal(t.owner, null);
      await call('PUT', `/tickets/assignavailableuser/${t.id}`);
      assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.owner, null);
    });
    // The copy made by setdepartment is assigned the same way (carol is Sales' Online agent).
    for (const [autoAssign, owner] of [['least-busy', 'carol@sandbox.test'], ['queue', null]]) {
      await withRules({ autoAssign }, async (call, sb) => {
        const t = await createTicket(call);
        const { ticketId } = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json;
        const copy = (await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${ticketId}`)).json;
        assert.equal(copy.owner?.UserName ?? null, owner, autoAssign);
      });
    }
  });

  test('systemTransactions: TicketOpened and state-change transactions, or none', async () => {
    await withRules({}, async (call) => {
      const t = await closedTicket(call);
      assert.deepEqual((await call('GET', `/tickets/get/${t.id}`)).json.transactions.map((x) => x.type), ['TicketOpened', 'TicketClosed']);
      // a system transaction's status is Undefined; rules.messageStatus is for Message transactions only
      assert.deepEqual((await call('GET', `/tickets/get/${t.id}`)).json.transactions.map((x) => x.status), ['Undefined', 'Undefined']);
    });
    await withRules({ systemTransactions: false }, async (call) => {
      const t = await closedTicket(call);
      const g = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.deepEqual(g.transactions, []);
      assert.equal(g.transactionsCount, 0);
    });
    // the phone-call transactions too (the rule's row in sandbox/README.md names them)
    const phone = async (call) => {
      const t = await createTicket(call);
      for (const [path, body] of [['started', { dateTime: '01/01/2026 10:00:00:00' }], ['ended', { dateTime: '01/01/2026 10:05:00:00' }], ['audiolink', { audioUri: 'https://example.com/a.mp3' }]]) {
        assert.equal((await call('POST', `/phonecalls/${path}/${t.id}`, { body })).status, 200, path);
      }
      return (await call('GET', `/tickets/get/${t.id}`)).json.transactions.map((x) => x.type).filter((type) => type.startsWith('PhoneCall'));
    };
    await withRules({}, async (call) => assert.deepEqual(await phone(call), ['PhoneCallStarted', 'PhoneCallEnded', 'PhoneCallRecording']));
    await withRules({ systemTransactions: false }, async (call) => assert.deepEqual(await phone(call), []));
  });

  test('messageStatus: the status of a new Message transaction', async () => {
    await withRules({}, async (call) => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: 'x' } })).json.status, 'Delivered');
    });
    await withRules({ messageStatus: 'Read' }, async (call) => {
      const t = await createTicket(call);
      assert.equal((await call('POST', `/tickets/send/${t.id}`, { body: { text: 'x' } })).json.status, 'Read');
    });
  });

  test("transactionIds: one workspace sequence, or 'per-ticket' 1..n", async () => {
    await withRules({ transactionIds: 'per-ticket' }, async (call) => {
      const a = await createTicket(call, { transactions: [{ text: 'a' }] });
      const b = await createTicket(call, { transactions: [{ text: 'b' }] });
      assert.deepEqual(a.transactions.map((x) => x.id), [1, 2]);
      assert.deepEqual(b.transactions.map((x) => x.id), [1, 2]);
    });
  });

  test('createLastActivity: tickets/create takes a past lastActivity, or ignores it', async () => {
    const body = { open: '2024-01-05T10:00:00Z', lastActivity: '2024-01-20T08:00:00Z' };
    await withRules({}, async (call) => {
      assert.equal((await createTicket(call, body)).lastActivity, '2024-01-20T08:00:00');
    });
    await withRules({ createLastActivity: 'ignore' }, async (call) => {
      const t = await createTicket(call, body);
      assert.equal(t.lastActivity, '2024-01-05T10:00:00', 'the open date');
    }, { seed: { tickets: [{ id: 9, open: '2024-01-05T10:00:00Z', lastActivity: '2024-01-20T08:00:00Z', participants: [WA()] }] } });
    await withRules({ createLastActivity: 'ignore' }, async (call) => {
      assert.equal((await call('GET', '/tickets/get/9')).json.lastActivity, '2024-01-20T08:00:00', 'seeds keep it');
    }, { seed: { tickets: [{ id: 9, open: '2024-01-05T10:00:00Z', lastActivity: '2024-01-20T08:00:00Z', participants: [WA()] }] } });
  });

  test('callEndBeforeStart: an end before the start, or with no start at all, is refused (nothing written), or recorded', async () => {
    for (const [mode, status] of [['reject', 400], ['allow', 200]]) {
      await withRules({ callEndBeforeStart: mode }, async (call) => {
        const t = await createTicket(call);
        await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:20:00:00' } });
        assert.equal((await call('POST', `/phonecalls/ended/${t.id}`, { body: { dateTime: '24/12/2020 11:19:00:00' } })).status, status, mode);
        // no phonecalls/started on this ticket: an end before its start
        const u = await createTicket(call);
        const before = (await call('GET', `/tickets/get/${u.id}`)).json;
        assert.equal((await call('POST', `/phonecalls/ended/${u.id}`, { body: { dateTime: '24/12/2020 11:19:00:00' } })).status, status, `${mode}, no start`);
        const after = (await call('GET', `/tickets/get/${u.id}`)).json;
        const ended = after.transactions.filter((x) => x.type === 'PhoneCallEnded').length;
        assert.equal(ended, mode === 'reject' ? 0 : 1, mode);
        if (mode === 'reject') assert.deepEqual(after, before, 'nothing written');
      });
    }
  });

  test('callStartedTwice: a second start starts the call again, or is refused', async () => {
    for (const [mode, status] of [['restart', 200], ['reject', 400]]) {
      await withRules({ callStartedTwice: mode }, async (call) => {
        const t = await createTicket(call);
        assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:20:00:00' } })).status, 200);
        assert.equal((await call('POST', `/phonecalls/ended/${t.id}`, { body: { dateTime: '24/12/2020 11:25:00:00' } })).status, 200);
        assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:30:00:00' } })).status, status, mode);
        // restarted, an end before the new start is refused (callEndBeforeStart); refused, the first call stands
        assert.equal((await call('POST', `/phonecalls/ended/${t.id}`, { body: { dateTime: '24/12/2020 11:26:00:00' } })).status, mode === 'restart' ? 400 : 200, mode);
      });
    }
  });

  test('setDepartmentMoved: a ticket already moved is moved again (another copy), or refused', async () => {
    for (const [mode, status] of [['copy', 200], ['reject', 400]]) {
      await withRules({ setDepartmentMoved: mode }, async (call) => {
        const t = await createTicket(call);
        const first = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json.ticketId;
        const again = await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } });
        assert.equal(again.status, status, `${mode}: ${again.text}`);
        const original = (await call('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(original.movedToTicketId, mode === 'copy' ? again.json.ticketId : first, mode);
        if (mode === 'copy') assert.notEqual(again.json.ticketId, first);
      });
    }
  });

  test("setDepartmentCopyState: the copy is Open, or 'keep' has the original's state", async () => {
    for (const [mode, state] of [['open', 'Open'], ['keep', 'Closed']]) {
      await withRules({ setDepartmentCopyState: mode }, async (call, sb) => {
        const t = await closedTicket(call);
        const { ticketId } = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json;
        const copy = (await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${ticketId}`)).json;
        assert.equal(copy.state, state, mode);
        assert.equal(copy.close === '0001-01-01T00:00:00', state === 'Open', `${mode}: close ${copy.close}`);
      });
    }
  });

  test("setDepartmentCopyOpen: the copy's open is the time of the move, or the original's", async () => {
    for (const mode of ['now', 'original']) {
      await withRules({ setDepartmentCopyOpen: mode }, async (call, sb) => {
        const t = await createTicket(call, { open: '01/01/2024 10:00:00:00' });
        const { ticketId } = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json;
        const copy = (await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${ticketId}`)).json;
        assert.equal(copy.open === t.open, mode === 'original', `${mode}: ${copy.open} vs ${t.open}`);
      });
    }
  });

  test('mergedContact: a contact merged into another is not found, or read as deleted', async () => {
    const merge = async (call) => {
      const a = await createTicket(call, { participants: [WA('972500000001', 'A')] });
      const b = await createTicket(call, { participants: [WA('972500000002', 'B')] });
      const [ca, cb] = [a.participants[0].contactId, b.participants[0].contactId];
      assert.equal((await call('POST', `/contacts/addidentifier/${ca}`, { body: { identifierType: 'PhoneNumber', identifier: '972500000002', forceMerge: true } })).status, 200);
      return call('GET', `/contacts/get/${cb}`);
    };
    await withRules({}, async (call) => assert.equal((await merge(call)).status, 404));
    await withRules({ mergedContact: 'deleted' }, async (call) => {
      const r = await merge(call);
      assert.equal(r.status, 200);
      assert.equal(r.json.isDeleted, true);
    });
  });

  test('queueOwner: a ticket in the queue has owner null, or no owner key', async () => {
    await withRules({}, async (call) => {
      const t = await createTicket(call, { getAvailableUser: false });
      assert.ok('owner' in t && t.owner === null);
    });
    await withRules({ queueOwner: 'omit' }, async (call) => {
      const t = await createTicket(call, { getAvailableUser: false });
      assert.ok(!('owner' in t));
      assert.ok(!('owner' in (await call('GET', `/tickets/get/${t.id}`)).json));
    });
  });

  test('cannedReplyKeys: getall has the write payload keys too, or only the read model', async () => {
    const keys = async (call) => {
      await call('POST', '/cannedreplies/add', { body: { title: 'Hi', text: 'Hello' } });
      return Object.keys((await call('GET', '/cannedreplies/getall')).json[0]).sort();
    };
    await withRules({}, async (call) => assert.ok((await keys(call)).includes('isPublished')));
    await withRules({ cannedReplyKeys: 'model' }, async (call) => assert.deepEqual(await keys(call), ['autoTags', 'categoryName', 'culture', 'html', 'id', 'rank', 'text', 'title']));
  });

  test('isOnlineToken: tenants/isonline ignores a bad token, or refuses it', async () => {
    const ask = (call, sb) => call('GET', '/tenants/isonline', { query: { departmentId: sb.credentials.apiKey }, token: 'garbage' });
    await withRules({}, async (call, sb) => assert.equal((await ask(call, sb)).status, 200));
    await withRules({ isOnlineToken: 'checked' }, async (call, sb) => assert.equal((await ask(call, sb)).status, 401));
  });

  test("setDepartmentCopyTags: tags the target does not allow are dropped from the copy, or the move is refused", async () => {
    await withRules({}, async (call, sb) => {
      const t = await createTicket(call, { tags: ['VIP', 'Urgent'] });
      const r = await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } });
      assert.equal(r.status, 200);
      assert.deepEqual((await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${r.json.ticketId}`)).json.tags, ['VIP']);
    });
    await withRules({ setDepartmentCopyTags: 'reject' }, async (call) => {
      const t = await createTicket(call, { tags: ['VIP', 'Urgent'] });
      const r = await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /Urgent/);
      const orig = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal(orig.movedToTicketId, 0, 'not moved');
      assert.equal(orig.state, 'Open');
      const ok = await createTicket(call, { tags: ['VIP'] });
      assert.equal((await call('PUT', `/tickets/setdepartment/${ok.id}`, { body: { departmentId: SECOND } })).status, 200, 'allowed tags move');
    });
  });

  test("setDepartmentCopyUsers: the copy leaves out the User participants, or 'keep' keeps them", async () => {
    for (const [mode, kept] of [['drop', false], ['keep', true]]) {
      await withRules({ setDepartmentCopyUsers: mode }, async (call, sb) => {
        const t = await createTicket(call);
        assert.equal(t.owner.UserName, 'alice@sandbox.test');
        const { ticketId } = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json;
        const copy = (await client(sb, sb.issueToken(undefined, SECOND))('GET', `/tickets/get/${ticketId}`)).json;
        assert.equal(copy.participants.some((p) => p.userName === 'alice@sandbox.test'), kept, mode);
        assert.ok(copy.participants.some((p) => p.type === 'Client'), 'the client stays');
        assert.equal(copy.owner.UserName, 'carol@sandbox.test');
      });
    }
  });

  test("sameStateChange: setstate to the current state writes nothing, or 'record' adds a transaction and an event", async () => {
    await withRules({}, async (call, sb) => {
      const t = await createTicket(call);
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open' } })).status, 200);
      assert.deepEqual((await call('GET', `/tickets/get/${t.id}`)).json.transactions.map((x) => x.type), ['TicketOpened']);
      assert.deepEqual(sb.events().map((e) => e.changes[0]._event), ['NEW_TICKET']);
    });
    // 'skip' writes nothing, lastActivity included; a tag the body adds is a change of its own
    // (rules.lastActivityOn), and 'record' moves lastActivity like any state change
    for (const [sameStateChange, moves] of [['skip', false], ['record', true]]) {
      const now = fakeClock();
      await withRules({ sameStateChange }, async (call) => {
        const t = await createTicket(call);
        now.advance(3600000);
        assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open' } })).status, 200);
        const after = (await call('GET', `/tickets/get/${t.id}`)).json.lastActivity;
        assert.equal(after === t.lastActivity, !moves, `${sameStateChange}: ${t.lastActivity} → ${after}`);
        now.advance(3600000);
        await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open' }, body: { tags: ['VIP'] } });
        assert.notEqual((await call('GET', `/tickets/get/${t.id}`)).json.lastActivity, after, `${sameStateChange}: the tag moves it`);
      }, { now });
    }
    await withRules({ sameStateChange: 'record' }, async (call, sb) => {
      const t = await closedTicket(call);
      const closed = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' } })).status, 200);
      const again = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.deepEqual(again.transactions.map((x) => x.type), ['TicketOpened', 'TicketClosed', 'TicketStateChanged']);
      assert.equal(again.close, closed.close, 'the close time stays');
      assert.deepEqual(sb.events().map((e) => e.changes[0]._event), ['NEW_TICKET', 'TICKET_STATE_CHANGE', 'TICKET_STATE_CHANGE']);
      // The query parameters still switch each off.
      await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed', sendTicketStateChangedMessage: false, enableWebhook: false } });
      assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.transactions.length, 3);
      assert.equal(sb.events().length, 3);
    });
  });

  test("closedTicketEdits: notes, fields, names, owners, summary, tag removal, phone calls and the scramble of a Closed ticket change, or are refused", async () => {
    const edits = (id) => [
      ['POST', `/tickets/addnote/${id}`, { body: { text: 'n' } }],
      ['PUT', `/tickets/setfields/${id}`, { body: { field1: 'changed' } }],
      ['PUT', `/tickets/setparticipantname/${id}`, { body: { id: 1, name: 'Renamed' } }],
      ['PUT', `/tickets/setowner/${id}`, { query: { nextOwnerUserName: 'bob@sandbox.test' } }],
      ['PUT', `/tickets/assignavailableuser/${id}`, {}],
      ['POST', `/tickets/setsummary/${id}`, { body: { summary: 's' } }],
      ['DELETE', `/tickets/removetag/${id}`, { query: { tag: 'VIP' } }],
      ['POST', `/phonecalls/started/${id}`, { body: { dateTime: '01/01/2026 10:00:00:00' } }],
      ['POST', `/phonecalls/ended/${id}`, { body: { dateTime: '01/01/2026 10:05:00:00' } }],
      ['POST', `/phonecalls/audiolink/${id}`, { body: { audioUri: 'https://example.com/a.mp3' } }],
    ];
    for (const [mode, status] of [['allow', 200], ['reject', 400]]) {
      await withRules({ closedTicketEdits: mode }, async (call) => {
        const t = await closedTicket(call);
        for (const [method, path, opts] of edits(t.id)) assert.equal((await call(method, path, opts)).status, status, `${mode}: ${path}`);
        const g = (await call('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(g.field1 === 'changed', mode === 'allow');
        assert.equal(g.transactions.some((x) => x.type === 'Note'), mode === 'allow');
        assert.equal(g.participants[0].name === 'Renamed', mode === 'allow');
        // the scramble last: it blanks the fields checked above
        assert.equal((await call('DELETE', `/tickets/scramble/${t.id}`)).status, status, `${mode}: scramble`);
        // An open ticket takes them under both values.
        const open = await createTicket(call);
        for (const [method, path, opts] of edits(open.id)) assert.equal((await call(method, path, opts)).status, 200, `${mode}: open ${path}`);
      });
    }
  });

  test('removeMissingTag: removing a tag the ticket does not have answers the tags unchanged, or is refused', async () => {
    for (const [mode, status] of [['ignore', 200], ['reject', 400]]) {
      await withRules({ removeMissingTag: mode }, async (call) => {
        const t = await createTicket(call, { tags: ['VIP'] });
        const r = await call('DELETE', `/tickets/removetag/${t.id}`, { query: { tag: 'Urgent' } });
        assert.equal(r.status, status, mode);
        if (status === 200) assert.deepEqual(r.json, ['VIP']);
        assert.deepEqual((await call('DELETE', `/tickets/removetag/${t.id}`, { query: { tag: 'vip' } })).json, [], `${mode}: a tag it has`);
      });
    }
  });

  test("storedOrder: allusers, gettags, getevents and a ticket's transactions as stored, or reversed", async () => {
    const look = async (call) => {
      const t = await createTicket(call);
      await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'n' } });
      await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Pending' } });
      return {
        users: (await call('GET', '/users/allusers')).json.map((u) => u.UserName),
        tags: (await call('GET', '/tenants/gettags')).json.map((x) => x.Name),
        events: (await call('GET', '/webhooks/getevents')).json.map((e) => e.changes[0]._event),
        transactions: (await call('GET', `/tickets/get/${t.id}`)).json.transactions.map((x) => x.type),
      };
    };
    const stored = {
      users: ['api@sandbox.test', 'alice@sandbox.test', 'bob@sandbox.test', 'bot@sandbox.test'],
      tags: ['VIP', 'Sales', 'Support', 'Billing', 'Urgent', 'Retired'],
      events: ['NEW_TICKET', 'TICKET_STATE_CHANGE'],
      transactions: ['TicketOpened', 'Note', 'TicketStateChanged'],
    };
    await withRules({}, async (call) => assert.deepEqual(await look(call), stored));
    await withRules({ storedOrder: 'reversed' }, async (call) => {
      assert.deepEqual(await look(call), Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, [...v].reverse()])));
    });
  });
});

describe('users and contacts', () => {
  test("contactScope: a contact belongs to the department whose ticket made it ('department': 404 elsewhere), or to the workspace", async () => {
    const SMS = { type: 'Client', protocolType: 'SMS', identifier: '972500000009' };
    const DANA = '972500000001'; // a seed contact of Support
    for (const contactScope of ['department', 'workspace']) {
      // (the default without naming the rule: the reviewer's repro)
      await withRules(contactScope === 'department' ? {} : { contactScope }, async (call, sb) => {
        assert.equal(sb.rules.contactScope, contactScope);
        const own = contactScope === 'department';
        const sales = client(sb, sb.issueToken('carol@sandbox.test', SECOND));
        const t = await createTicket(call, { participants: [SMS] });
        const contactId = t.participants.find((p) => p.type === 'Client').contactId;
        assert.equal((await sales('GET', `/tickets/get/${t.id}`)).status, 404, 'a ticket of Support');
        // every contacts/* call of Sales on Support's contact
        const calls = [
          ['GET', `/contacts/get/${contactId}`, {}],
          ['PUT', `/contacts/setname/${contactId}`, { body: { nextName: 'hijacked' } }],
          ['POST', `/contacts/addidentifier/${contactId}`, { body: { identifierType: 'PhoneNumber', identifier: '972500000123' } }],
          ['PUT', `/contacts/setuniqueargument/${contactId}`, { body: { nextUniqueArgument: 'sales-crm' } }],
          // (an identifier of the contact: the one Sales added, or under 'department' the SMS number)
          ['DELETE', `/contacts/deleteidentifier/${contactId}`, { query: () => ({ contactIdentifierId: identifierId }) }],
        ];
        let identifierId;
        for (const [method, path, opts] of calls) {
          const idents = (await call('GET', `/contacts/get/${contactId}`)).json.identifiers;
          identifierId = idents[idents.length - 1].id;
          const r = await sales(method, path, typeof opts.query === 'function' ? { query: opts.query() } : opts);
          assert.equal(r.status, own ? 404 : 200, `${contactScope}: ${method} ${path} ${r.text}`);
        }
        const seen = (await call('GET', `/contacts/get/${contactId}`)).json;
        assert.equal(seen.name === 'hijacked', !own, `${contactScope}: ${seen.name}`);
        assert.equal(seen.uniqueArgument === 'sales-crm', !own);
        assert.deepEqual(seen.identifiers.map((i) => i.identifier), ['972500000009'], 'added and deleted, or never touched');
        // by identifier: Sales' own ticket for the same number makes a contact of its own, or joins the workspace's
        const st = (await sales('POST', '/tickets/create', { body: { participants: [SMS] } })).json;
        const salesContact = st.participants.find((p) => p.type === 'Client').contactId;
        assert.equal(salesContact === contactId, !own, contactScope);
        assert.equal((await sales('GET', `/contacts/get/${salesContact}`)).status, 200);
        // addidentifier sees no clash with Support's Dana, or is refused as taken (rules.identifierTaken)
        const add = await sales('POST', `/contacts/addidentifier/${salesContact}`, { body: { identifierType: 'PhoneNumber', identifier: DANA } });
        assert.equal(add.status, own ? 200 : 400, `${contactScope}: ${add.text}`);
        // a setdepartment copy's client gets a contact Sales reaches: Sales' own for that number, or the same one
        const moved = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json.ticketId;
        const copy = (await sales('GET', `/tickets/get/${moved}`)).json;
        const copyContact = copy.participants.find((p) => p.type === 'Client').contactId;
        assert.equal(copyContact, own ? salesContact : contactId, contactScope);
        assert.equal((await sales('GET', `/contacts/get/${copyContact}`)).status, 200);
        assert.ok(copy.transactions.every((x) => !x.fromParticipant || x.fromParticipant.type !== 'Client' || x.fromParticipant.contactId === copyContact));
        // Support still reaches its own contact; the snapshot says whose each contact is
        assert.equal((await call('GET', `/contacts/get/${contactId}`)).status, 200);
        assert.equal(sb.state.snapshot().contacts.find((c) => c.id === contactId).departmentId, sb.credentials.apiKey);
      });
    }
  });

  test("a scrambled ticket's setdepartment copy: its client has no identifier left, so no contact (the empty GUID)", async () => {
    await withRules({}, async (call, sb) => {
      const sales = client(sb, sb.issueToken('carol@sandbox.test', SECOND));
      const t = await createTicket(call, { participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000019' }] });
      assert.equal((await call('DELETE', `/tickets/scramble/${t.id}`)).status, 200);
      const moved = (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: SECOND } })).json.ticketId;
      const copy = (await sales('GET', `/tickets/get/${moved}`)).json;
      const p = copy.participants.find((x) => x.type === 'Client');
      assert.equal(p.identifier, '');
      assert.equal(p.contactId, '00000000-0000-0000-0000-000000000000');
    });
  });

  test('addExistingUser: users/add with a user already in the department is refused, or skipped', async () => {
    const add = (call) => call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'alice@sandbox.test' }, { userName: 'new@sandbox.test' }] });
    await withRules({}, async (call) => {
      assert.equal((await add(call)).status, 400);
      assert.ok(!(await call('GET', '/users/allusers')).json.some((u) => u.UserName === 'new@sandbox.test'), 'nothing added');
    });
    await withRules({ addExistingUser: 'ignore' }, async (call) => {
      assert.equal((await add(call)).status, 200);
      const users = (await call('GET', '/users/allusers')).json;
      assert.ok(users.some((u) => u.UserName === 'new@sandbox.test'));
      assert.equal(users.find((u) => u.UserName === 'alice@sandbox.test').uniqueArgument, 'agent-alice', 'alice untouched');
    });
  });

  test('addUserRole: users/add without role adds a SystemUser, or is refused', async () => {
    const add = (call) => call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'new@sandbox.test' }] });
    await withRules({}, async (call) => {
      assert.equal((await add(call)).status, 200);
      assert.deepEqual((await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'new@sandbox.test').roles, ['SystemUser']);
    });
    await withRules({ addUserRole: 'required' }, async (call) => assert.equal((await add(call)).status, 400));
  });

  test('participantType: a create participant without type is a Client, or refused', async () => {
    const untyped = { protocolType: 'WhatsApp', identifier: '972501112233', name: 'No type' };
    await withRules({}, async (call) => {
      const t = await createTicket(call, { participants: [untyped] });
      assert.equal(t.participants[0].type, 'Client');
    });
    await withRules({ participantType: 'required' }, async (call) => {
      assert.equal((await call('POST', '/tickets/create', { body: { participants: [untyped] } })).status, 400);
      await createTicket(call); // with a type, as the docs' samples
    });
  });

  test('getTicketReply: setstate with getTicket=true answers the ticket, or { message }', async () => {
    const close = (call, id) => call('PUT', `/tickets/setstate/${id}`, { query: { nextState: 'Closed', getTicket: 'true' }, body: {} });
    await withRules({}, async (call) => {
      const t = await createTicket(call);
      const r = await close(call, t.id);
      assert.equal(r.json.id, t.id);
      assert.equal(r.json.state, 'Closed');
    });
    await withRules({ getTicketReply: 'message' }, async (call) => {
      const t = await createTicket(call);
      const r = await close(call, t.id);
      assert.equal(r.status, 200);
      assert.equal(r.json.id, undefined);
      assert.equal(typeof (r.json.message ?? r.json.Message), 'string');
    });
  });

  test('contentChecks: content no source requires is refused, or accepted', async () => {
    const cases = async (call) => {
      const t = await createTicket(call);
      return [
        (await call('POST', `/tickets/send/${t.id}`, { body: { quickReplies: [] } })).status,
        (await call('POST', '/cannedreplies/add', { body: { text: 'no title' } })).status,
        (await call('POST', `/interactivedocuments/send/${t.id}`, { body: { fields: [{ type: 'Text' }] } })).status,
        (await call('POST', `/phonecalls/audiolink/${t.id}`, { body: { audioUri: 'recording.mp3' } })).status,
      ];
    };
    await withRules({}, async (call) => assert.deepEqual(await cases(call), [400, 400, 400, 400]));
    await withRules({ contentChecks: 'lenient' }, async (call) => assert.deepEqual(await cases(call), [200, 200, 200, 200]));
  });

  test('addUserRoles: users/add takes SystemUser or ReadOnly only, or any primary role', async () => {
    const add = (call, role, userName) => call('POST', '/users/add', { query: { userType: 'AGENT', role }, body: [{ userName }] });
    await withRules({}, async (call) => {
      assert.equal((await add(call, 'ReadOnly', 'ro@sandbox.test')).status, 200);
      for (const role of ['MasterUser', 'DepartmentAdmin', 'DataControler']) assert.equal((await add(call, role, `${role}@sandbox.test`)).status, 400, role);
    });
    await withRules({ addUserRoles: 'primary' }, async (call) => {
      assert.equal((await add(call, 'MasterUser', 'm@sandbox.test')).status, 200);
      assert.deepEqual((await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'm@sandbox.test').roles, ['MasterUser']);
    });
  });

  test('addUserNames: users/add refuses a userName that is not an e-mail address, or adds it', async () => {
    const add = (call) => call('POST', '/users/add', { query: { userType: 'BOT' }, body: [{ userName: 'just-a-bot' }] });
    await withRules({}, async (call) => assert.equal((await add(call)).status, 400));
    await withRules({ addUserNames: 'any' }, async (call) => {
      assert.equal((await add(call)).status, 200);
      assert.ok((await call('GET', '/users/allusers')).json.some((u) => u.UserName === 'just-a-bot'));
    });
  });

  test('addUsersEmpty: users/add with an empty array is refused, or answered with nobody added', async () => {
    const add = (call) => call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [] });
    await withRules({}, async (call) => assert.equal((await add(call)).status, 400));
    await withRules({ addUsersEmpty: 'accept' }, async (call) => {
      const before = (await call('GET', '/users/allusers')).json.length;
      assert.equal((await add(call)).status, 200);
      assert.equal((await call('GET', '/users/allusers')).json.length, before);
    });
  });

  test("userArgumentTaken: another user's unique argument is refused, or allowed", async () => {
    const set = (call) => call('PUT', '/users/setuniqueargument', { body: { nextUniqueArgument: 'agent-alice' } });
    await withRules({}, async (call) => assert.equal((await set(call)).status, 400));
    await withRules({ userArgumentTaken: 'allow' }, async (call) => assert.equal((await set(call)).status, 200));
    // users/add holds new users to it as well, against the department's and each other
    const add = (call, users) => call('POST', '/users/add', { query: { userType: 'AGENT' }, body: users });
    await withRules({}, async (call) => {
      assert.equal((await add(call, [{ userName: 'new@sandbox.test', uniqueArgument: 'agent-alice' }])).status, 400);
      assert.equal((await add(call, [{ userName: 'a@sandbox.test', uniqueArgument: 'same' }, { userName: 'b@sandbox.test', uniqueArgument: 'same' }])).status, 400);
      assert.equal((await add(call, [{ userName: 'c@sandbox.test', uniqueArgument: 'fresh' }])).status, 200);
    });
    await withRules({ userArgumentTaken: 'allow' }, async (call) => assert.equal((await add(call, [{ userName: 'new@sandbox.test', uniqueArgument: 'agent-alice' }])).status, 200));
  });

  test("identifierTaken: another contact's identifier without forceMerge is refused, or merged", async () => {
    for (const [mode, status] of [['reject', 400], ['merge', 200]]) {
      await withRules({ identifierTaken: mode }, async (call) => {
        const id = (await createTicket(call)).participants[0].contactId;
        const r = await call('POST', `/contacts/addidentifier/${id}`, { body: { identifierType: 'PhoneNumber', identifier: '972500000001' } });
        assert.equal(r.status, status, mode);
        const c = (await call('GET', `/contacts/get/${id}`)).json;
        assert.equal(c.identifiers.some((i) => i.identifier === 'dana@example.com'), mode === 'merge');
      });
    }
  });

  test("cannedReplyOrder: cannedreplies/getall by rank (then id), or 'saved' (the order saved)", async () => {
    const seed = { cannedReplies: [
      { title: 'C', text: 'c', rank: 3 }, { title: 'A', text: 'a', rank: 1 }, { title: 'B', text: 'b', rank: 1 },
    ] };
    const titles = async (call) => (await call('GET', '/cannedreplies/getall')).json.map((c) => c.title);
    await withRules({}, async (call) => {
      assert.deepEqual(await titles(call), ['A', 'B', 'C']);
      await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'Z', text: 'z', rank: 0 } });
      assert.deepEqual(await titles(call), ['Z', 'A', 'B', 'C']);
    }, { seed });
    await withRules({ cannedReplyOrder: 'saved' }, async (call) => {
      assert.deepEqual(await titles(call), ['C', 'A', 'B']);
      await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'Z', text: 'z', rank: 0 } });
      assert.deepEqual(await titles(call), ['C', 'A', 'B', 'Z']);
    }, { seed });
  });

  test('statusLogsMaxDays: the longest users/statuslogs window', async () => {
    const q = { since: '01/01/2024', until: '01/03/2024' };
    await withRules({}, async (call) => assert.equal((await call('GET', '/users/statuslogs', { query: q })).status, 200));
    await withRules({ statusLogsMaxDays: 30 }, async (call) => assert.equal((await call('GET', '/users/statuslogs', { query: q })).status, 400));
  });

  test("addOtherDepartmentUser: users/add with a user of another department adds that user, or is refused", async () => {
    const add = (call) => call('POST', '/users/add', { query: { userType: 'BOT' }, body: [{ userName: 'carol@sandbox.test' }] });
    await withRules({}, async (call) => {
      assert.equal((await add(call)).status, 200);
      const carol = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'carol@sandbox.test');
      assert.equal(carol.fullName, 'Carol Closer', 'the same user');
      assert.equal(carol.type, 'AGENT', 'userType is not applied to an existing user');
    });
    await withRules({ addOtherDepartmentUser: 'reject' }, async (call) => {
      assert.equal((await add(call)).status, 400);
      assert.ok(!(await call('GET', '/users/allusers')).json.some((u) => u.UserName === 'carol@sandbox.test'));
      const fresh = await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'new@sandbox.test' }] });
      assert.equal(fresh.status, 200, 'a new user is still added');
    });
  });

  test("deletedUserTickets: users/delete sends the user's tickets to the queue, or 'keep' leaves their owner", async () => {
    // alice (Support only) deletes bob from Support; bob stays a user of Sales.
    for (const [mode, owner] of [['queue', null], ['keep', 'bob@sandbox.test']]) {
      await withRules({ deletedUserTickets: mode }, async (call, sb) => {
        const t = await createTicket(call);
        await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'bob@sandbox.test' } });
        const r = await client(sb, sb.issueToken('alice@sandbox.test'))('DELETE', '/users/delete', { query: { userName: 'bob@sandbox.test' } });
        assert.equal(r.status, 200);
        assert.equal(r.json.DeletedFromDepartments.length, 1);
        assert.equal((await call('GET', `/tickets/get/${t.id}`)).json.owner?.UserName ?? null, owner, mode);
      });
    }
  });

  test("deletedUserRecord: a user left in no department is removed, or 'keep' brings them back as they were", async () => {
    for (const [mode, fullName, type] of [['remove', '', 'BOT'], ['keep', 'Alice Agent', 'AGENT']]) {
      await withRules({ deletedUserRecord: mode }, async (call, sb) => {
        const id = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'alice@sandbox.test').id;
        const aliceToken = sb.issueToken('alice@sandbox.test');
        assert.equal((await call('DELETE', '/users/delete', { query: { userName: 'alice@sandbox.test' } })).status, 200);
        assert.equal([...sb.state.users.values()].some((u) => u.UserName === 'alice@sandbox.test'), mode === 'keep', `${mode}: in the state`);
        // a record kept is not a membership kept: the deleted user's token is denied either way
        // (deniedStatus: 'a user who left the department'), not only when the record is gone
        const departed = await call('GET', '/users/getstatus', { token: aliceToken });
        assert.equal(departed.status, 401, `${mode}: a departed user's token`);
        assert.equal((await call('POST', '/users/add', { query: { userType: 'BOT' }, body: [{ userName: 'alice@sandbox.test' }] })).status, 200);
        const alice = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'alice@sandbox.test');
        assert.equal(alice.fullName, fullName, mode);
        assert.equal(alice.type, type, mode);
        assert.equal(alice.id, id, 'the id comes from the userName either way');
      });
    }
  });

  test("cannedReplyUpdate: cannedreplies/add with an existing id replaces every field, or 'merge' changes only those sent", async () => {
    for (const [mode, expected] of [['replace', { rank: 0, categoryName: '', autoTags: [] }], ['merge', { rank: 5, categoryName: 'Greetings', autoTags: ['VIP'] }]]) {
      await withRules({ cannedReplyUpdate: mode }, async (call) => {
        const saved = (await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'Hi', text: 'hello', rank: 5, categoryName: 'Greetings', autoTags: ['VIP'] } })).json;
        const r = await call('POST', '/cannedreplies/add', { body: { id: saved.id, title: 'Hello', text: 'hello there' } });
        assert.equal(r.status, 200);
        const got = (await call('GET', '/cannedreplies/getall')).json.find((c) => c.id === saved.id);
        assert.equal(got.title, 'Hello');
        assert.equal(got.text, 'hello there');
        assert.deepEqual({ rank: got.rank, categoryName: got.categoryName, autoTags: got.autoTags }, expected, mode);
        // only the text: 'merge' keeps the title, 'replace' needs a title as a new reply does
        const textOnly = await call('POST', '/cannedreplies/add', { body: { id: saved.id, text: 'changed' } });
        assert.equal(textOnly.status, mode === 'merge' ? 200 : 400, mode);
        if (mode === 'merge') {
          const after = (await call('GET', '/cannedreplies/getall')).json.find((c) => c.id === saved.id);
          assert.deepEqual([after.title, after.text, after.rank], ['Hello', 'changed', 5]);
          // a field sent as null is a field not sent (a C# client writes its unset properties as
          // null): merged over, it keeps its value instead of falling back to the default
          const nulls = await call('POST', '/cannedreplies/add', { body: { id: saved.id, text: 'again', title: null, rank: null, categoryName: null, autoTags: null } });
          assert.equal(nulls.status, 200, nulls.text);
          const kept = (await call('GET', '/cannedreplies/getall')).json.find((c) => c.id === saved.id);
          assert.deepEqual([kept.title, kept.text, kept.rank, kept.categoryName, kept.autoTags], ['Hello', 'again', 5, 'Greetings', ['VIP']]);
        }
      });
    }
  });
});

describe('tickets/list and dates sent as parameters', () => {
  const seed = { tickets: [1, 2, 3].map((i) => ({ id: 1000 + i, open: `2024-01-0${i}T10:00:00Z`, participants: [WA(`97250000000${i}`)] })) };
  const ids = async (call, query) => (await call('GET', '/tickets/list', { query: { ...JAN, ...query } })).json.tickets.map((t) => t.id);

  test("sortAsc: ASC (and no sortOrder) newest first as documented, or 'oldest-first'", async () => {
    await withRules({}, async (call) => {
      assert.deepEqual(await ids(call, {}), [1003, 1002, 1001]);
      assert.deepEqual(await ids(call, { sortOrder: 'ASC' }), [1003, 1002, 1001]);
      assert.deepEqual(await ids(call, { sortOrder: 'DESC' }), [1001, 1002, 1003]);
    }, { seed });
    await withRules({ sortAsc: 'oldest-first' }, async (call) => {
      assert.deepEqual(await ids(call, {}), [1001, 1002, 1003]);
      assert.deepEqual(await ids(call, { sortOrder: 'DESC' }), [1003, 1002, 1001]);
    }, { seed });
  });

  test('sortAliases: Ascending/Descending (GlassixSharp) accepted, or refused', async () => {
    await withRules({}, async (call) => {
      assert.deepEqual(await ids(call, { sortOrder: 'Descending' }), [1001, 1002, 1003]);
    }, { seed });
    await withRules({ sortAliases: false }, async (call) => {
      assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, sortOrder: 'Descending' } })).status, 400);
    }, { seed });
  });

  test("lastPaging: the last page's paging is {}, or null", async () => {
    await withRules({}, async (call) => {
      assert.deepEqual((await call('GET', '/tickets/list', { query: JAN })).json.paging, {});
    }, { seed });
    await withRules({ lastPaging: 'null' }, async (call) => {
      const first = (await call('GET', '/tickets/list', { query: JAN })).json;
      assert.ok(first.paging.next, 'a page that is not the last still has next');
      const last = (await call('GET', first.paging.next)).json;
      assert.equal(last.paging, null);
    }, { seed, pageSize: 2 });
  });

  test('listSnapshot: later pages show the tickets selected at the first request, or are selected afresh', async () => {
    for (const snapshot of [true, false]) {
      await withRules({ listSnapshot: snapshot }, async (call) => {
        const first = (await call('GET', '/tickets/list', { query: JAN })).json;
        assert.deepEqual(first.tickets.map((t) => t.id), [1003]);
        // a ticket opened on 1 Jan appears after the first page was served
        const late = await createTicket(call, { open: '2024-01-01T05:00:00Z' });
        const rest = [];
        for (let next = first.paging.next; next;) {
          const page = (await call('GET', next)).json;
          rest.push(...page.tickets.map((t) => t.id));
          next = page.paging && page.paging.next;
        }
        assert.deepEqual(rest, snapshot ? [1002, 1001] : [1002, 1001, late.id], `listSnapshot: ${snapshot}`);
      }, { seed, pageSize: 1 });
    }
  });

  test('listPrecision: the window compares the stored millisecond, or the hundredth', async () => {
    for (const precision of ['millisecond', 'hundredth']) {
      await withRules({ listPrecision: precision }, async (call) => {
        const t = await createTicket(call, { open: '2024-03-05T10:00:00.005Z' });
        const page = (await call('GET', '/tickets/list', { query: { since: '01/03/2024 00:00:00:00', until: '05/03/2024 10:00:00:00' } })).json;
        assert.equal(page.tickets.some((x) => x.id === t.id), precision === 'hundredth', `listPrecision: ${precision}`);
      });
    }
  });

  test('listUnknownParams: unknown parameters on a first request are ignored, or refused', async () => {
    await withRules({}, async (call) => {
      assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, foo: 1 } })).status, 200);
    }, { seed });
    await withRules({ listUnknownParams: 'reject' }, async (call) => {
      assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, foo: 1 } })).status, 400);
      assert.equal((await call('GET', '/tickets/list', { query: { ...JAN, TicketState: 'Open', SORTORDER: 'ASC' } })).status, 200);
    }, { seed });
  });

  test('dateHundredths: dd/MM/yyyy HH:mm:ss without :ff is refused, or read as :00', async () => {
    const noFf = { since: '01/01/2024 00:00:00', until: '31/01/2024 00:00:00' };
    await withRules({}, async (call) => {
      assert.equal((await call('GET', '/tickets/list', { query: noFf })).status, 400);
      const t = await createTicket(call);
      assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:20:00' } })).status, 400);
    }, { seed });
    await withRules({ dateHundredths: 'optional' }, async (call) => {
      assert.deepEqual((await call('GET', '/tickets/list', { query: noFf })).json.tickets.length, 3);
      const t = await createTicket(call);
      assert.equal((await call('POST', `/phonecalls/started/${t.id}`, { body: { dateTime: '24/12/2020 11:20:00' } })).status, 200);
      assert.equal((await call('GET', '/tickets/list', { query: { since: '01/01/2024 00:00', until: '31/01/2024 00:00:00' } })).status, 400, 'still a strict format');
    }, { seed });
  });
});

describe('protocols/send and webhooks', () => {
  const body = { protocolType: 'WhatsApp', from: '15559999999', to: '972500000001', text: 'hi' };

  test("protocolFrom: a 'from' that is not a department channel is refused, or sent", async () => {
    await withRules({}, async (call) => {
      assert.equal((await call('POST', '/protocols/send', { body })).status, 400);
    });
    await withRules({ protocolFrom: 'allow' }, async (call) => {
      const r = await call('POST', '/protocols/send', { body });
      assert.equal(r.status, 200);
      assert.equal(r.json.from, '15559999999');
    });
    // A department without channels for the protocol (Sales has no SMS channel) has nothing to check 'from' against.
    await withRules({}, async (call, sb) => {
      const sales = client(sb, sb.issueToken(undefined, SECOND));
      assert.equal((await sales('POST', '/protocols/send', { body: { ...body, protocolType: 'SMS' } })).status, 200);
      assert.equal((await sales('POST', '/protocols/send', { body })).status, 400, 'its WhatsApp channel is checked');
    });
  });

  test("protocolTypes: a known protocol other than the documented three is refused, or sent", async () => {
    const mail = { protocolType: 'Mail', from: 'support@sandbox.test', to: 'customer@example.com', text: 'hi' };
    await withRules({}, async (call) => {
      const r = await call('POST', '/protocols/send', { body: mail });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /Allowed: WhatsApp, SMS, AppleBusinessChat/);
      assert.equal((await call('POST', '/protocols/send', { body: { ...mail, protocolType: 'Viber' } })).status, 400);
    });
    await withRules({ protocolTypes: 'any' }, async (call) => {
      const r = await call('POST', '/protocols/send', { body: mail });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([r.json.protocolType, r.json.status, r.json.to], ['Mail', 'Pending', 'customer@example.com']);
      assert.equal((await call('POST', '/protocols/send', { body: { ...mail, protocolType: 'Carrier pigeon' } })).status, 400, 'an unknown protocol stays refused');
    });
  });

  test('deleteEventsDefault: getevents without deleteEvents deletes what it returns, or keeps it', async () => {
    await withRules({}, async (call) => {
      await createTicket(call);
      assert.equal((await call('GET', '/webhooks/getevents')).json.length, 1);
      assert.equal((await call('GET', '/webhooks/getevents')).json.length, 0);
    });
    await withRules({ deleteEventsDefault: false }, async (call) => {
      await createTicket(call);
      assert.equal((await call('GET', '/webhooks/getevents')).json.length, 1);
      assert.equal((await call('GET', '/webhooks/getevents')).json.length, 1);
      assert.equal((await call('GET', '/webhooks/getevents', { query: { deleteEvents: true } })).json.length, 1);
      assert.equal((await call('GET', '/webhooks/getevents')).json.length, 0);
    });
  });

  test('eventTypes: every _event is queued, or only the listed ones', async () => {
    await withRules({ eventTypes: ['TICKET_STATE_CHANGE', 'NON_TICKET_MESSAGE_STATUS'] }, async (call, sb) => {
      const t = await closedTicket(call);
      await call('POST', '/protocols/send', { body: { ...body, from: '15550000001' } });
      await sleep(20);
      assert.deepEqual(sb.events().map((e) => e.changes[0]._event), ['TICKET_STATE_CHANGE', 'NON_TICKET_MESSAGE_STATUS', 'NON_TICKET_MESSAGE_STATUS']);
      assert.equal(sb.events()[0].changes[0].ticketId, t.id);
    });
  });

  test('eventTypes filters only the sandbox\'s own events: an event posted to /__sandbox/events is always queued', async () => {
    for (const eventTypes of ['all', ['NEW_TICKET']]) {
      await withRules({ eventTypes }, async (call, sb) => {
        const post = (body) => fetch(`${sb.origin}/__sandbox/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const res = await post({ _event: 'SURVEY_UPDATE', participant: { id: 1 } });
        assert.equal(res.status, 200);
        assert.deepEqual((await res.json()).changes, [{ _event: 'SURVEY_UPDATE', participant: { id: 1 } }], JSON.stringify(eventTypes));
        // one of the sandbox's own types that the filter leaves out, posted on purpose, is queued too
        assert.notEqual(await (await post({ _event: 'TICKET_OWNER_CHANGE', ticketId: 1 })).json(), null);
        await call('PUT', '/users/setstatus', { body: { nextStatus: 'Break' } }); // USER_STATUS_CHANGE: the sandbox's own
        const queued = (await call('GET', '/webhooks/getevents')).json.map((e) => e.changes[0]._event);
        assert.deepEqual(queued, eventTypes === 'all'
          ? ['SURVEY_UPDATE', 'TICKET_OWNER_CHANGE', 'USER_STATUS_CHANGE']
          : ['SURVEY_UPDATE', 'TICKET_OWNER_CHANGE'], JSON.stringify(eventTypes));
      });
    }
  });

  test("deleteUnknownEvents: deleteevents naming an event that is not queued ignores it, or is refused (nothing deleted)", async () => {
    const ghost = { key: '00000000-0000-4000-8000-0000000000ff', queueReceiptHandle: 'nope', queueMessageId: 'nope' };
    for (const [mode, status] of [['ignore', 200], ['reject', 400]]) {
      await withRules({ deleteUnknownEvents: mode }, async (call) => {
        await createTicket(call);
        const [real] = (await call('GET', '/webhooks/getevents', { query: { deleteEvents: false } })).json;
        assert.equal((await call('POST', '/webhooks/deleteevents', { body: [real, ghost] })).status, status, mode);
        assert.equal((await call('GET', '/webhooks/getevents', { query: { deleteEvents: false } })).json.length, status === 200 ? 0 : 1, `${mode}: the real one`);
        if (status === 400) assert.equal((await call('POST', '/webhooks/deleteevents', { body: [real] })).status, 200, 'queued events alone');
      });
    }
  });
});

describe('refusals that can be switched off, and casings and dates no source pins down', () => {
  test("deleteUserKeys: users/delete answers { Message, DeletedFromDepartments }, or camelCase", async () => {
    for (const [rules, keys] of [[{}, ['Message', 'DeletedFromDepartments']], [{ deleteUserKeys: 'camel', messageKey: 'Message' }, ['message', 'deletedFromDepartments']]]) {
      await withRules(rules, async (call) => {
        const r = await call('DELETE', '/users/delete', { query: { userName: 'alice@sandbox.test' } });
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.json), keys);
      });
    }
  });

  test("createDates: tickets/create reads ISO-8601, dd/MM/yyyy HH:mm:ss:ff and epoch ms, or ISO-8601 strings only", async () => {
    const open = Date.UTC(2024, 0, 5, 10, 0, 0);
    await withRules({}, async (call) => {
      for (const v of [open, '05/01/2024 10:00:00:00', '2024-01-05T10:00:00', '2024-01-05T10:00:00Z']) {
        const t = await createTicket(call, { open: v });
        assert.equal(Date.parse(/Z$/.test(t.open) ? t.open : `${t.open}Z`), open, JSON.stringify(v));
      }
    });
    await withRules({ createDates: 'iso' }, async (call) => {
      for (const v of [open, '05/01/2024 10:00:00:00', '5 Jan 2024']) {
        const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open: v } });
        assert.equal(r.status, 400, JSON.stringify(v));
        assert.match(r.json.message, /'open' must be an ISO-8601 date-time string/);
      }
      for (const v of ['2024-01-05T10:00:00Z', '2024-01-05T10:00:00', '2024-01-05 10:00:00', '2024-01-05']) {
        assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA()], open: v } })).status, 200, v);
      }
    });
  });

  test("createTransactions: a create transaction naming no participant, with an unreadable dateTime, an odd type or no content is refused, or repaired", async () => {
    const open = '2024-01-05T10:00:00Z';
    const bad = [
      [{ fromParticipant: 99, text: 'a' }, /'transactions\[0\]\.fromParticipant' is not a participant of the ticket/],
      [{ text: 'a', dateTime: 'garbage' }, /'transactions\[0\]\.dateTime' is not a valid date/],
      [{ text: 'a', type: 'Bogus' }, /'transactions\[0\]\.type' must be Message or Note/],
      [{}, /'transactions\[0\]' must have text or html/],
    ];
    await withRules({}, async (call) => {
      for (const [tr, message] of bad) {
        const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open, transactions: [tr] } });
        assert.equal(r.status, 400, JSON.stringify(tr));
        assert.match(r.json.message, message);
      }
      const t = await createTicket(call, { open, transactions: [{ fromParticipant: 1, text: 'hi', dateTime: '2024-01-05T10:01:00Z' }, { type: 'Note', html: '<b>n</b>' }] });
      assert.deepEqual(t.transactions.filter((x) => x.type !== 'TicketOpened').map((x) => [x.type, x.text || x.html]), [['Message', 'hi'], ['Note', '<b>n</b>']]);
    });
    await withRules({ createDates: 'iso' }, async (call) => {
      const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open, transactions: [{ text: 'a', dateTime: '06/01/2024 10:00:00:00' }] } });
      assert.equal(r.status, 400);
      assert.match(r.json.message, /'transactions\[0\]\.dateTime' must be an ISO-8601 date-time string/);
    });
    await withRules({ createTransactions: 'lenient' }, async (call) => {
      for (const [tr] of bad) {
        const t = await createTicket(call, { open, transactions: [tr] });
        const made = t.transactions.filter((x) => x.type !== 'TicketOpened');
        assert.equal(made.length, 1, JSON.stringify(tr));
        assert.equal(made[0].fromParticipant.id, 1, 'from the first client');
        assert.equal(Date.parse(`${made[0].dateTime}`.replace(/(\d)$/, '$1Z')), Date.parse(open), 'at the ticket\'s open');
      }
    });
  });

  test("createClose: a close for a ticket that is not Closed, or before open, is refused, or dropped and kept", async () => {
    const open = '2024-01-05T10:00:00Z';
    await withRules({}, async (call) => {
      const notClosed = await call('POST', '/tickets/create', { body: { participants: [WA()], open, close: '2024-01-06T10:00:00Z' } });
      assert.equal(notClosed.status, 400);
      assert.match(notClosed.json.message, /'close' is only for a Closed ticket \(the state is Open\)/);
      const early = await call('POST', '/tickets/create', { body: { participants: [WA()], state: 'Closed', open, close: '2023-01-06T10:00:00Z' } });
      assert.equal(early.status, 400);
      assert.match(early.json.message, /'close' is before 'open'/);
      const closed = await createTicket(call, { state: 'Closed', open, close: '2024-01-06T10:00:00Z' });
      assert.match(closed.close, /^2024-01-06T10:00:00/);
      // a Closed ticket without a close is closed now, but never before its own open: one opened
      // in the future (after the sandbox's clock) is closed at its open, not before it
      const future = await createTicket(call, { state: 'Closed', open: '2999-01-05T10:00:00Z' });
      assert.equal(future.close, '2999-01-05T10:00:00Z');
    });
    await withRules({ createClose: 'lenient' }, async (call) => {
      const dropped = await createTicket(call, { open, close: '2024-01-06T10:00:00Z' });
      assert.equal(dropped.state, 'Open');
      assert.equal(dropped.close, '0001-01-01T00:00:00');
      const kept = await createTicket(call, { state: 'Closed', open, close: '2023-01-06T10:00:00Z' });
      assert.match(kept.close, /^2023-01-06T10:00:00/);
    });
  });

  test("unsetContent: a transaction's text or html that was not given is '' or null", async () => {
    for (const [unsetContent, unset] of [[undefined, ''], ['null', null]]) {
      await withRules(unsetContent ? { unsetContent } : {}, async (call, sb) => {
        const t = await createTicket(call);
        const htmlOnly = await call('POST', `/tickets/send/${t.id}`, { body: { html: '<p>x</p>' } });
        assert.equal(htmlOnly.status, 200);
        assert.deepEqual([htmlOnly.json.text, htmlOnly.json.html], [unset, '<p>x</p>']);
        const textOnly = await call('POST', `/tickets/send/${t.id}`, { body: { text: 'x' } });
        assert.deepEqual([textOnly.json.text, textOnly.json.html], ['x', unset]);
        const given = await call('POST', `/tickets/send/${t.id}`, { body: { text: 'x', html: '' } });
        assert.equal(given.json.html, '', 'an empty html that was given stays empty');
        const opened = (await call('GET', `/tickets/get/${t.id}`)).json.transactions.find((x) => x.type === 'TicketOpened');
        assert.deepEqual([opened.text, opened.html], [unset, unset]);
        // a simulated customer message with html only, the same
        const customer = await fetch(`${sb.origin}/__sandbox/tickets/${t.id}/messages`, { method: 'POST', body: JSON.stringify({ html: '<p>c</p>' }) });
        assert.equal(customer.status, 200);
        const said = await customer.json();
        assert.deepEqual([said.text, said.html], [unset, '<p>c</p>']);
        // the PDF and HTML exports still render a transaction without text
        assert.equal((await call('POST', `/tickets/html/${t.id}`, { body: {} })).status, 200);
      });
    }
  });

  test("setStateTags: setstate's tags are added to the ticket's, or replace them", async () => {
    for (const [setStateTags, expected] of [[undefined, ['VIP', 'Sales']], ['replace', ['Sales']]]) {
      await withRules(setStateTags ? { setStateTags } : {}, async (call) => {
        const t = await createTicket(call, { tags: ['VIP'] });
        const r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Pending', getTicket: true }, body: { tags: ['Sales'] } });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual((await call('GET', `/tickets/get/${t.id}`)).json.tags, expected);
        // no tags given: the ticket keeps its own
        await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Open' } });
        assert.deepEqual((await call('GET', `/tickets/get/${t.id}`)).json.tags, expected);
      });
    }
  });

  test('setStateTagsOnClosed: setstate with tags on a ticket that stays Closed is refused like addtags, or applied; closing or reopening with tags never is', async () => {
    await withRules({}, async (call) => {
      const t = await closedTicket(call);
      const before = (await call('GET', `/tickets/get/${t.id}`)).json;
      const r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' }, body: { tags: ['VIP'], summary: 'late' } });
      assert.equal(r.status, 400, r.text);
      assert.match(r.json.message, /Open or Snoozed/);
      // refused whole: neither the tags nor the summary were written, and addtags agrees
      const after = (await call('GET', `/tickets/get/${t.id}`)).json;
      assert.deepEqual(after.tags, []);
      assert.equal(after.ticketSummary, before.ticketSummary);
      assert.equal((await call('POST', `/tickets/addtags/${t.id}`, { body: ['VIP'] })).status, 400);
      // no tags (or none left, an empty list) is no tag addition: the summary alone is applied
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' }, body: { tags: [], summary: 'ok' } })).status, 200);
      // closing with tags, and reopening with tags, are applied
      const u = await createTicket(call);
      assert.equal((await call('PUT', `/tickets/setstate/${u.id}`, { query: { nextState: 'Closed' }, body: { tags: ['VIP'] } })).status, 200);
      assert.deepEqual((await call('GET', `/tickets/get/${u.id}`)).json.tags, ['VIP']);
      assert.equal((await call('PUT', `/tickets/setstate/${u.id}`, { query: { nextState: 'Open' }, body: { tags: ['Sales'] } })).status, 200);
      assert.deepEqual((await call('GET', `/tickets/get/${u.id}`)).json.tags, ['VIP', 'Sales']);
    });
    await withRules({ setStateTagsOnClosed: 'allow' }, async (call) => {
      const t = await closedTicket(call);
      const r = await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed', getTicket: true }, body: { tags: ['VIP'] } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.tags, ['VIP']);
      assert.equal(r.json.state, 'Closed');
    });
    // the refusal's status is ruleStatus
    await withRules({ ruleStatus: 409 }, async (call) => {
      const t = await closedTicket(call);
      assert.equal((await call('PUT', `/tickets/setstate/${t.id}`, { query: { nextState: 'Closed' }, body: { tags: ['VIP'] } })).status, 409);
    });
  });

  test("apiSender: the token's user sending to a ticket joins its participants, or is the sender only", async () => {
    for (const [apiSender, joins] of [[undefined, true], ['detached', false]]) {
      await withRules(apiSender ? { apiSender } : {}, async (call) => {
        const t = await createTicket(call, { getAvailableUser: false });
        const before = t.participants.length;
        const sent = await call('POST', `/tickets/send/${t.id}`, { body: { text: 'hello' } });
        assert.equal(sent.status, 200);
        assert.equal(sent.json.fromParticipant.type, 'User');
        assert.equal(sent.json.fromProtocolType, 'Web');
        assert.equal(sent.json.fromParticipant.id === 0, !joins);
        const note = await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'n' } });
        assert.equal(note.status, 200);
        const after = (await call('GET', `/tickets/get/${t.id}`)).json;
        assert.equal(after.participants.length, before + (joins ? 1 : 0));
        assert.equal(after.transactions.find((x) => x.type === 'Note').fromParticipant.type, 'User');
      });
    }
  });

  test("introductionMessage: addIntroductionMessage adds a Message from the owner, or nothing", async () => {
    for (const [introductionMessage, added] of [[undefined, 1], ['none', 0]]) {
      await withRules(introductionMessage ? { introductionMessage } : {}, async (call) => {
        const t = await createTicket(call, { addIntroductionMessage: true });
        assert.ok(t.owner, 'the ticket has an owner');
        const intro = t.transactions.filter((x) => x.type === 'Message' && x.fromParticipant.type === 'User');
        assert.equal(intro.length, added);
      });
    }
  });

  test("dd/MM/yyyy dates of the years 0001-0099 are read as those years (not as 19xx)", async () => {
    await withRules({}, async (call) => {
      const r = await call('GET', '/tickets/list', { query: { since: '01/01/0002 00:00:00:00', until: '31/01/0002 00:00:00:00' } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.tickets, []);
      // the year 0 is no year of a .NET DateTime
      assert.equal((await call('GET', '/tickets/list', { query: { since: '01/01/0000 00:00:00:00', until: '31/01/0000 00:00:00:00' } })).status, 400);
    });
  });

  test("lastActivityOn: every change moves lastActivity, or only a new transaction", async () => {
    for (const [lastActivityOn, moves] of [[undefined, true], ['transactions', false]]) {
      const now = fakeClock();
      await withRules(lastActivityOn ? { lastActivityOn } : {}, async (call) => {
        const t = await createTicket(call);
        const before = (await call('GET', `/tickets/get/${t.id}`)).json.lastActivity;
        now.advance(60_000);
        assert.equal((await call('PUT', `/tickets/setfields/${t.id}`, { body: { field2: 'x' } })).status, 200);
        const afterEdit = (await call('GET', `/tickets/get/${t.id}`)).json.lastActivity;
        assert.equal(afterEdit !== before, moves, `setfields moved lastActivity: ${before} -> ${afterEdit}`);
        now.advance(60_000);
        assert.equal((await call('POST', `/tickets/addnote/${t.id}`, { body: { text: 'n' } })).status, 200);
        assert.notEqual((await call('GET', `/tickets/get/${t.id}`)).json.lastActivity, afterEdit, 'a note always does');
      }, { now });
    }
  });

  test('sameDepartmentMove, reversedWindow, addUserTwice, ownIdentifier: refused by default, or not', async () => {
    const tryAll = async (call, sb) => {
      const t = await createTicket(call);
      const c = t.participants[0].contactId;
      const ident = t.participants[0].identifier;
      return [
        (await call('PUT', `/tickets/setdepartment/${t.id}`, { body: { departmentId: sb.credentials.apiKey } })).status,
        (await call('GET', '/tickets/list', { query: { since: '31/01/2024 00:00:00:00', until: '01/01/2024 00:00:00:00' } })),
        (await call('GET', '/users/statuslogs', { query: { since: '31/01/2024', until: '01/01/2024' } })),
        (await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'x@sandbox.test' }, { userName: 'X@sandbox.test' }] })).status,
        (await call('POST', `/contacts/addidentifier/${c}`, { body: { identifierType: 'PhoneNumber', identifier: ident } })).status,
        call,
      ];
    };
    await withRules({}, async (call, sb) => {
      const [move, list, logs, add, own] = await tryAll(call, sb);
      assert.deepEqual([move, list.status, logs.status, add, own], [400, 400, 400, 400, 400]);
    });
    await withRules({ sameDepartmentMove: 'allow', reversedWindow: 'empty', addUserTwice: 'once', ownIdentifier: 'ignore' }, async (call, sb) => {
      const [move, list, logs, add, own] = await tryAll(call, sb);
      assert.deepEqual([move, list.status, logs.status, add, own], [200, 200, 200, 200, 200]);
      assert.deepEqual(list.json.tickets, []);
      const users = (await call('GET', '/users/allusers')).json.filter((u) => u.UserName.toLowerCase() === 'x@sandbox.test');
      assert.equal(users.length, 1, 'added once');
      const again = await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'y@sandbox.test' }, { userName: 'y@sandbox.test' }] });
      assert.equal(again.json.message, '1 user(s) added.');
      // the same entry twice, with its unique argument: still one user, not "another user"
      const withArg = await call('POST', '/users/add', { query: { userType: 'AGENT' }, body: [{ userName: 'z@sandbox.test', uniqueArgument: 'z1' }, { userName: 'Z@sandbox.test', uniqueArgument: 'z1' }] });
      assert.equal(withArg.status, 200, withArg.text);
    });
  });

  test('rules: undefined keeps a default; eventTypes names only real _event types', async () => {
    await withRules({ sortAsc: undefined }, async (call, sb) => assert.equal(sb.rules.sortAsc, 'newest-first'));
    await assert.rejects(startSandbox({ rules: { eventTypes: ['BOGUS'] } }), (e) => e instanceof TypeError && /rules\.eventTypes must be 'all' or an array of _event names \(NEW_TICKET, /.test(e.message));
  });
});

describe('rules of this round: created activity, contact names, identifiers, user names, same owner, impossible dates', () => {
  test("createdActivity: a ticket created with a past open is active at its latest date ('dates'), or now too ('now')", async () => {
    const now = fakeClock(Date.UTC(2026, 11, 4, 12));
    const today = { since: '01/12/2026 00:00:00:00', until: '05/12/2026 00:00:00:00' };
    for (const [createdActivity, inToday] of [['dates', false], ['now', true]]) {
      await withRules({ createdActivity }, async (call) => {
        const t = await createTicket(call, { open: '2026-01-10T10:00:00Z' });
        const listed = (await call('GET', '/tickets/list', { query: today })).json.tickets.map((x) => x.id);
        assert.equal(listed.includes(t.id), inToday, createdActivity);
        const january = (await call('GET', '/tickets/list', { query: { since: '01/01/2026 00:00:00:00', until: '31/01/2026 00:00:00:00' } })).json.tickets.map((x) => x.id);
        assert.ok(january.includes(t.id), `${createdActivity}: listed at its open`);
      }, { now });
    }
  });

  test("contactNameOverflow: a created contact's name is cut to 25 ('cut') or kept whole ('keep'); the participant keeps it whole", async () => {
    const name = 'Abcdefghijklmnopqrstuvwxyz0123456789';
    for (const [contactNameOverflow, expected] of [['cut', name.slice(0, 25)], ['keep', name]]) {
      await withRules({ contactNameOverflow }, async (call) => {
        const t = await createTicket(call, { participants: [WA('972500000777', name)] });
        const client = t.participants.find((p) => p.type === 'Client');
        assert.equal(client.name, name);
        assert.equal((await call('GET', `/contacts/get/${client.contactId}`)).json.name, expected, contactNameOverflow);
      });
    }
  });

  test("identifierMatch: contacts are found by identifier trimmed and in any case ('loose'), or exactly ('exact')", async () => {
    for (const [identifierMatch, same] of [['loose', true], ['exact', false]]) {
      await withRules({ identifierMatch }, async (call) => {
        const a = await createTicket(call, { participants: [{ type: 'Client', protocolType: 'Mail', identifier: 'dana@example.com', name: 'Dana' }] });
        const b = await createTicket(call, { participants: [{ type: 'Client', protocolType: 'Mail', identifier: ' DANA@Example.com ', name: 'Dana' }] });
        const contact = (t) => t.participants.find((p) => p.type === 'Client').contactId;
        assert.equal(contact(a) === contact(b), same, identifierMatch);
        const r = await call('POST', `/contacts/addidentifier/${contact(a)}`, { body: { identifierType: 'MailAddress', identifier: 'DANA@example.com' } });
        assert.equal(r.status, same ? 400 : 200, `${identifierMatch}: the same identifier in another case is ${same ? 'a duplicate' : 'another one'}`);
      });
    }
  });

  test("userNameCase: user names match in any case ('any'), or exactly ('exact')", async () => {
    for (const [userNameCase, status] of [['any', 200], ['exact', 400]]) {
      await withRules({ userNameCase }, async (call, sb) => {
        assert.equal((await getToken(sb, { userName: sb.credentials.userName.toUpperCase() })).status, status, `${userNameCase}: token/get`);
        const t = await createTicket(call);
        assert.equal((await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'ALICE@sandbox.test' } })).status, status === 200 ? 200 : 400, `${userNameCase}: setowner`);
        // users/add: a name in another case is the same user, or another one (alice stays)
        const before = (await call('GET', '/users/allusers')).json;
        const added = await call('POST', '/users/add', { query: { userType: 'AGENT', role: 'SystemUser' }, body: [{ userName: 'ALICE@sandbox.test' }, { userName: 'carol@x.test' }, { userName: 'CAROL@x.test' }] });
        const after = (await call('GET', '/users/allusers')).json;
        if (userNameCase === 'exact') {
          assert.equal(added.status, 200, added.text);
          assert.equal(after.length, before.length + 3);
          assert.deepEqual(after.filter((u) => u.UserName.toLowerCase() === 'alice@sandbox.test').map((u) => u.UserName).sort(), ['ALICE@sandbox.test', 'alice@sandbox.test']);
        } else {
          assert.equal(added.status, 400, 'CAROL twice in one call, or ALICE already there');
          assert.equal(after.length, before.length);
        }
      });
    }
  });

  test("sameOwnerChange: setowner to the current owner is recorded like a change ('record'), or writes nothing ('skip')", async () => {
    for (const [sameOwnerChange, events] of [['record', 3], ['skip', 1]]) {
      await withRules({ sameOwnerChange }, async (call, sb) => {
        const t = await createTicket(call);
        const before = sb.events().length;
        // a change (to bob), then bob again twice
        for (let i = 0; i < 3; i++) assert.equal((await call('PUT', `/tickets/setowner/${t.id}`, { query: { nextOwnerUserName: 'bob@sandbox.test' } })).status, 200);
        assert.equal(sb.events().slice(before).filter((e) => e.changes[0]._event === 'TICKET_OWNER_CHANGE').length, events, sameOwnerChange);
      });
    }
  });

  test('a date that does not exist (30 February, 24:00) is refused in every createDates form, never rolled over', async () => {
    for (const createDates of ['any', 'iso']) {
      await withRules({ createDates }, async (call) => {
        for (const open of ['2026-02-30T10:00:00', '2026-01-01T24:00:00Z', '2026-01-01 24:00:00', '2026-13-01T00:00:00']) {
          const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open } });
          assert.equal(r.status, 400, `${createDates} ${open}: ${r.text}`);
        }
        assert.equal((await call('POST', '/tickets/create', { body: { participants: [WA()], open: '2024-02-29T10:00:00' } })).status, 200);
      });
    }
  });

  test('a date outside what a .NET DateTime holds (before 0001-01-01, after 9999-12-31) is refused in every form; the first and last days themselves are taken as written', async () => {
    await withRules({ createDates: 'any' }, async (call) => {
      for (const open of [253402300800000, -62135596800001, 8.64e15, '0000-01-01T00:00:00Z', '9999-12-31T23:00:00-05:00']) {
        const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open } });
        assert.equal(r.status, 400, `${open}: ${r.text}`);
        assert.match(r.text, /'open' is not a valid date/);
      }
      for (const [open, written] of [['0001-01-01', '0001-01-01T00:00:00'], ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59'], ['0001-01-01 10:00:00', '0001-01-01T10:00:00'], ['0050-06-01 10:00', '0050-06-01T10:00:00'], ['0099-12-31 23:59:59 +00:00', '0099-12-31T23:59:59'],
        // the very first and last milliseconds (DateTime.MinValue, MaxValue to the ms): the bounds are inclusive
        [-62135596800000, '0001-01-01T00:00:00'], [253402300799999, '9999-12-31T23:59:59']]) {
        const r = await call('POST', '/tickets/create', { body: { participants: [WA()], open } });
        assert.equal(r.status, 200, `${open}: ${r.text}`);
        assert.equal(r.json.open.slice(0, 19), written);
      }
    });
  });

  test('users/statuslogs lists the users in the order users/allusers has them (rules.storedOrder)', async () => {
    for (const storedOrder of ['stored', 'reversed']) {
      await withRules({ storedOrder }, async (call) => {
        const all = (await call('GET', '/users/allusers')).json.map((u) => u.id);
        const day = formatGlassixDate(new Date()).slice(0, 10);
        const logs = (await call('GET', '/users/statuslogs', { query: { since: day, until: day } })).json.map((u) => u.userId ?? u.id);
        assert.deepEqual(logs, all, storedOrder);
      });
    }
  });
});

describe('more rules of this round: uniqueArgument on add, status logs, canned reply defaults, ties, blank state filter, participant channel', () => {
  test("addUniqueArgumentLimit: users/add with a uniqueArgument over 50 characters is refused ('reject') or taken ('accept')", async () => {
    for (const [addUniqueArgumentLimit, status] of [['reject', 400], ['accept', 200]]) {
      await withRules({ addUniqueArgumentLimit }, async (call) => {
        const r = await call('POST', '/users/add', { query: { userType: 'AGENT', role: 'SystemUser' }, body: [{ userName: `new.${addUniqueArgumentLimit}@sandbox.test`, uniqueArgument: 'a'.repeat(51) }] });
        assert.equal(r.status, status, `${addUniqueArgumentLimit}: ${r.text}`);
      });
    }
  });

  test("statusLogsBefore: the time before a user existed counts as Offline ('offline') or as nothing ('none')", async () => {
    const now = fakeClock(Date.UTC(2026, 11, 4, 12));
    for (const [statusLogsBefore, offline] of [['offline', '1.00:00:00'], ['none', '00:00:00']]) {
      await withRules({ statusLogsBefore }, async (call, sb) => {
        const me = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === sb.credentials.userName);
        const logs = (await call('GET', '/users/statuslogs', { query: { since: '01/12/2026', until: '01/12/2026', userId: me.id } })).json;
        assert.equal(logs[0].dates[0].totalOfflineTime, offline, statusLogsBefore);
      }, { now });
    }
  });

  test("statusLogsTime: a since/until with a time is cut to its day ('cut') or refused ('reject')", async () => {
    for (const [statusLogsTime, status] of [['cut', 200], ['reject', 400]]) {
      await withRules({ statusLogsTime }, async (call) => {
        const day = formatGlassixDate(new Date()).slice(0, 10);
        assert.equal((await call('GET', '/users/statuslogs', { query: { since: `${day} 13:45:00:00`, until: day } })).status, status, statusLogsTime);
        assert.equal((await call('GET', '/users/statuslogs', { query: { since: day, until: day } })).status, 200);
      });
    }
  });

  test("cannedReplyDefaults: fields left out get the sandbox's defaults ('sandbox') or null ('null')", async () => {
    for (const [cannedReplyDefaults, expected] of [['sandbox', { culture: 'en-US', isPublished: true, isSuggested: false }], ['null', { culture: null, isPublished: null, isSuggested: null }]]) {
      await withRules({ cannedReplyDefaults }, async (call) => {
        const r = (await call('POST', '/cannedreplies/add', { body: { id: 0, title: 'T', text: 'x' } })).json;
        assert.deepEqual({ culture: r.culture, isPublished: r.isPublished, isSuggested: r.isSuggested }, expected, cannedReplyDefaults);
      });
    }
  });

  test("sortTies: tickets with the same open follow the list's direction by id ('id') or come by id ascending ('id-ascending')", async () => {
    for (const [sortTies, newestFirstAscending] of [['id', false], ['id-ascending', true]]) {
      await withRules({ sortTies }, async (call) => {
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push((await createTicket(call, { open: '2024-01-10T10:00:00Z' })).id);
        for (const sortOrder of ['ASC', 'DESC']) {
          const got = (await call('GET', '/tickets/list', { query: { ...JAN, sortOrder } })).json.tickets.map((t) => t.id).filter((id) => ids.includes(id));
          const ascending = sortOrder === 'DESC' || newestFirstAscending;
          assert.deepEqual(got, ascending ? ids : [...ids].reverse(), `${sortTies} ${sortOrder}`);
        }
      });
    }
  });

  test("stateFilterBlank: a ticketState of blank items only matches nothing ('none') or is no filter ('all')", async () => {
    for (const [stateFilterBlank, listed] of [['none', false], ['all', true]]) {
      await withRules({ stateFilterBlank }, async (call) => {
        const t = await createTicket(call, { open: '2024-01-10T10:00:00Z' });
        const got = (await call('GET', '/tickets/list', { query: { ...JAN, ticketState: ' , ' } })).json.tickets.map((x) => x.id);
        assert.equal(got.includes(t.id), listed, stateFilterBlank);
      });
    }
  });

  test("participantChannel: a participant without departmentIdentifier gets the department's channel ('channel') or '' ('empty')", async () => {
    for (const participantChannel of ['channel', 'empty']) {
      await withRules({ participantChannel }, async (call) => {
        const t = await createTicket(call);
        const p = t.participants.find((x) => x.type === 'Client');
        if (participantChannel === 'empty') assert.equal(p.departmentIdentifier, '');
        else assert.ok(p.departmentIdentifier.length > 0, JSON.stringify(p));
      });
    }
    // 'channel' is the department's FIRST number or address for the protocol
    await withSandbox({ seed: { departments: [{ name: 'Support', channels: { SMS: ['15550000007', '15550000008'] } }] } }, async (call) => {
      const t = await createTicket(call, { participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000001' }] });
      assert.equal(t.participants.find((x) => x.type === 'Client').departmentIdentifier, '15550000007');
    });
  });
});

describe('sandbox/README.md lists every rule', () => {
  const readme = readFileSync(new URL('../../sandbox/README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Verified and unverified behaviour'));
  const table = section.slice(0, section.indexOf('\n## ', 5));
  const rows = table.split('\n').filter((l) => /^\| /.test(l) && !/^\| (Behaviour|---)/.test(l));

  test('the table exists, and every row is verified (with a source) or unverified (with a rule)', () => {
    assert.ok(rows.length >= Object.keys(DEFAULT_RULES).length, `${rows.length} rows`);
    for (const row of rows) {
      const cells = row.split(' | ');
      assert.equal(cells.length, 3, row);
      const [, status, where] = cells;
      assert.match(status, /^\*\*(verified|unverified)\*\*$/, row);
      if (status.includes('unverified')) assert.match(where, /`(rules\.\w+|voidResponses|dateFormat|maxBodyBytes|webhook(\.\w+)?|pageSize|tokenLifetime)`/, `an unverified row names its option: ${row}`);
      else assert.match(where, /docs\.glassix\.com|glassix-sharp|glassix-js|GlassixSharp|\[(DOC|CS|CS-T|JS|3P)\]/, `a verified row names its source: ${row}`);
    }
  });

  test('every rule appears with its default value, and no row names a rule that does not exist', () => {
    for (const [name, value] of Object.entries(DEFAULT_RULES)) {
      const row = rows.find((r) => r.includes(`\`rules.${name}\``));
      assert.ok(row, `rules.${name} has a row`);
      assert.ok(row.includes(`default \`${JSON.stringify(value).replace(/"/g, "'")}\``), `rules.${name}: the row states the default ${JSON.stringify(value)}: ${row}`);
    }
    for (const m of table.matchAll(/`rules\.(\w+)`/g)) assert.ok(m[1] in DEFAULT_RULES, `rules.${m[1]} exists`);
  });

  test("the Users section agrees with the table on users/add's role (addUserRoles 'sdk': SystemUser or ReadOnly)", () => {
    const line = readme.split('\n').find((l) => l.startsWith('- `POST users/add'));
    assert.ok(line, 'the users/add line');
    assert.equal(DEFAULT_RULES.addUserRoles, 'sdk');
    assert.match(line, /`SystemUser` or `ReadOnly`/, line);
    assert.ok(line.includes('`rules.addUserRoles'), line);
    assert.doesNotMatch(line, /role: a primary role/, line);
  });
});

describe('types/sandbox.d.ts declares every rule', () => {
  test('SandboxRules has exactly the rules of DEFAULT_RULES, each with its @default', () => {
    const dts = readFileSync(new URL('../../types/sandbox.d.ts', import.meta.url), 'utf8');
    const body = dts.slice(dts.indexOf('export interface SandboxRules {'), dts.indexOf('\n}', dts.indexOf('export interface SandboxRules {')));
    const props = [...body.matchAll(/@default (.+?) \*\/\n\s+(\w+)\?:/g)].map(([, dflt, name]) => [name, dflt]);
    assert.deepEqual(props.map(([name]) => name).sort(), Object.keys(DEFAULT_RULES).sort());
    for (const [name, dflt] of props) {
      assert.equal(dflt.replace(/, /g, ','), JSON.stringify(DEFAULT_RULES[name]).replace(/"/g, "'"), `rules.${name}`);
    }
  });
});

test('credentials take only workspace, apiKey, apiSecret and userName: a misspelt key is a TypeError, not the default secret in silence', async () => {
  const apiKey = '11111111-1111-4111-8111-111111111111';
  await assert.rejects(startSandbox({ credentials: { apiKey, apiSecrt: 'typo' } }), { name: 'TypeError', message: /unknown credentials key 'apiSecrt'/ });
  await assert.rejects(startSandbox({ credentials: { username: 'me@x.test' } }), { name: 'TypeError', message: /unknown credentials key 'username'/ });
  await assert.rejects(startSandbox({ seed: { credentials: { apikey: apiKey } } }), { name: 'TypeError', message: /unknown seed\.credentials key 'apikey'/ });
  await assert.rejects(startSandbox({ credentials: 'secret' }), { name: 'TypeError', message: /credentials must be an object/ });
  const sb = await startSandbox({ credentials: { apiKey, apiSecret: 'mine', userName: 'me@x.test', workspace: 'acme' } });
  try {
    assert.deepEqual(sb.credentials, { workspace: 'acme', apiKey, apiSecret: 'mine', userName: 'me@x.test' });
  } finally {
    await sb.close();
  }
});
