import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, getToken, client, fakeClock } from './_helpers.mjs';

describe('users', () => {
  let sb; let call; let now;
  before(async () => {
    now = fakeClock(Date.UTC(2024, 5, 15, 8, 0, 0));
    sb = await startSandbox({ now });
  });
  after(() => sb.close());
  beforeEach(() => { now.set(Date.UTC(2024, 5, 15, 8, 0, 0)); sb.reset(); call = client(sb); });

  test('allusers returns User objects with the capitalised UserName key', async () => {
    const r = await call('GET', '/users/allusers');
    assert.equal(r.status, 200);
    const names = r.json.map((u) => u.UserName).sort();
    assert.deepEqual(names, ['alice@sandbox.test', 'api@sandbox.test', 'bob@sandbox.test', 'bot@sandbox.test']);
    const alice = r.json.find((u) => u.UserName === 'alice@sandbox.test');
    assert.equal(alice.userName, undefined);
    assert.equal(alice.type, 'AGENT');
    assert.equal(alice.status, 'Online');
    assert.equal(alice.uniqueArgument, 'agent-alice');
    assert.deepEqual(Object.keys(alice).sort(), ['UserName', 'culture', 'fullName', 'gender', 'id', 'isAnonymous', 'jobTitle', 'roles', 'shortName', 'status', 'type', 'uniqueArgument'].sort());
  });

  test('setstatus / getstatus, invalid status → 400', async () => {
    assert.equal((await call('PUT', '/users/setstatus', { body: { nextStatus: 'Sleeping' } })).status, 400);
    assert.equal((await call('PUT', '/users/setstatus', { body: {} })).status, 400);
    assert.equal((await call('PUT', '/users/setstatus', { body: { nextStatus: 'Break2' } })).status, 200);
    assert.deepEqual((await call('GET', '/users/getstatus')).json, { status: 'Break2' });
    assert.equal((await call('PUT', '/users/setstatus', { body: { nextStatus: 'offline' } })).status, 200);
    assert.deepEqual((await call('GET', '/users/getstatus')).json, { status: 'Offline' });
  });

  test('statuslogs: dd/MM/yyyy dates, totals per day and log entries', async () => {
    const alice = client(sb, sb.issueToken('alice@sandbox.test'));
    now.set(Date.UTC(2024, 5, 15, 10, 0, 0));
    await alice('PUT', '/users/setstatus', { body: { nextStatus: 'Break' } });
    now.set(Date.UTC(2024, 5, 15, 10, 30, 0));
    await alice('PUT', '/users/setstatus', { body: { nextStatus: 'Online' } });
    now.set(Date.UTC(2024, 5, 15, 12, 0, 0));
    call = client(sb); // the earlier token expired (3 h lifetime)
    const users = (await call('GET', '/users/allusers')).json;
    const aliceId = users.find((u) => u.UserName === 'alice@sandbox.test').id;
    const r = await call('GET', '/users/statuslogs', { query: { since: '15/06/2024', until: '15/06/2024', userId: aliceId } });
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 1);
    assert.equal(r.json[0].userId, aliceId);
    assert.equal(r.json[0].userName, 'alice@sandbox.test');
    const day = r.json[0].dates[0];
    assert.equal(day.date, '2024-06-15T00:00:00');
    assert.deepEqual(day.statusLogs.map((s) => s.nextStatus), ['Online', 'Break', 'Online']);
    assert.equal(day.totalBreakTime, '00:30:00');
    assert.equal(day.totalOnlineTime, '03:30:00');
    assert.equal(day.totalOfflineTime, '08:00:00');
    const all = await call('GET', '/users/statuslogs', { query: { since: '14/06/2024', until: '15/06/2024' } });
    assert.equal(all.json.length, 4);
    assert.equal(all.json[0].dates.length, 2);
    for (const query of [{}, { since: '2024-06-15', until: '15/06/2024' }, { since: '15/06/2024', until: '14/06/2024' }]) {
      assert.equal((await call('GET', '/users/statuslogs', { query })).status, 400, JSON.stringify(query));
    }
    assert.equal((await call('GET', '/users/statuslogs', { query: { since: '15/06/2024', until: '15/06/2024', userId: 'x' } })).status, 400);
  });

  test('add (query userType/role, body array) and delete', async () => {
    let r = await call('POST', '/users/add', { query: { userType: 'AGENT', role: 'SystemUser' }, body: [{ userName: 'new@sandbox.test', uniqueArgument: 'n-1' }] });
    assert.equal(r.status, 200);
    assert.equal(typeof r.json.message, 'string');
    const users = (await call('GET', '/users/allusers')).json;
    const added = users.find((u) => u.UserName === 'new@sandbox.test');
    assert.equal(added.type, 'AGENT');
    assert.deepEqual(added.roles, ['SystemUser']);
    assert.equal(added.uniqueArgument, 'n-1');
    r = await call('POST', '/users/add', { query: { userType: 'AGENT', role: 'SystemUser' }, body: [{ userName: 'new@sandbox.test' }] });
    assert.equal(r.status, 400, 'duplicate');
    r = await call('POST', '/users/add', { query: { userType: 'ROBOT', role: 'SystemUser' }, body: [{ userName: 'x@sandbox.test' }] });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/add', { query: { userType: 'API', role: 'Boss' }, body: [{ userName: 'x@sandbox.test' }] });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/add', { query: { userType: 'API' }, body: { userName: 'x@sandbox.test' } });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/add', { query: { userType: 'API' }, body: [{ userName: 'not-an-email' }] });
    assert.equal(r.status, 400);

    r = await call('DELETE', '/users/delete', { query: { userName: 'new@sandbox.test' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { Message: 'User deleted.', DeletedFromDepartments: [sb.credentials.apiKey] });
    r = await call('DELETE', '/users/delete', { query: { UserName: 'new@sandbox.test' } });
    assert.equal(r.status, 404);
    assert.equal((await call('DELETE', '/users/delete')).status, 400);
  });

  test('delete removes a user only from the departments shared with the caller', async () => {
    const r = await call('DELETE', '/users/delete', { query: { UserName: 'bob@sandbox.test' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.DeletedFromDepartments.sort(), [sb.credentials.apiKey, '00000000-0000-4000-8000-000000000002'].sort());
    assert.equal((await getToken(sb, { userName: 'bob@sandbox.test' })).status, 400);
  });

  test('setuniqueargument (≤ 50 chars), getbyuniqueargument', async () => {
    assert.equal((await call('PUT', '/users/setuniqueargument', { body: { nextUniqueArgument: 'x'.repeat(51) } })).status, 400);
    assert.equal((await call('PUT', '/users/setuniqueargument', { body: { nextUniqueArgument: 'agent-alice' } })).status, 400, 'taken');
    assert.equal((await call('PUT', '/users/setuniqueargument', { body: { nextUniqueArgument: 'api-1' } })).status, 200);
    let r = await call('GET', '/users/getbyuniqueargument', { query: { uniqueArgument: 'api-1' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.UserName, sb.credentials.userName);
    r = await call('GET', '/users/getbyuniqueargument', { query: { uniqueArgument: 'agent-alice' } });
    assert.equal(r.json.UserName, 'alice@sandbox.test');
    assert.equal((await call('GET', '/users/getbyuniqueargument', { query: { uniqueArgument: 'nope' } })).status, 404);
    assert.equal((await call('GET', '/users/getbyuniqueargument')).status, 400);
  });

  test('update is a POST of { shortName, fullName, jobTitle }', async () => {
    assert.equal((await call('POST', '/users/update', { body: { shortName: 'Robo', fullName: 'Robo Bot', jobTitle: 'Integrations' } })).status, 200);
    const me = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === sb.credentials.userName);
    assert.equal(me.shortName, 'Robo');
    assert.equal(me.fullName, 'Robo Bot');
    assert.equal(me.jobTitle, 'Integrations');
    assert.equal((await call('PUT', '/users/update', { body: {} })).status, 405);
    assert.equal((await call('POST', '/users/update', { body: { shortName: 1 } })).status, 400);
  });

  test('setroles: exactly one primary role, caller must be admin', async () => {
    let r = await call('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['ReadOnly', 'WhatsApp'] });
    assert.equal(r.status, 200);
    const bob = (await call('GET', '/users/allusers')).json.find((u) => u.UserName === 'bob@sandbox.test');
    assert.deepEqual(bob.roles, ['ReadOnly', 'WhatsApp']);
    r = await call('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['WhatsApp'] });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['ReadOnly', 'SystemUser'] });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['Emperor'] });
    assert.equal(r.status, 400);
    r = await call('POST', '/users/setroles', { query: { userName: 'nobody@sandbox.test' }, body: ['ReadOnly'] });
    assert.equal(r.status, 404);
    const alice = client(sb, sb.issueToken('alice@sandbox.test'));
    r = await alice('POST', '/users/setroles', { query: { userName: 'bob@sandbox.test' }, body: ['SystemUser'] });
    assert.equal(r.status, 403);
  });

  test('setstatus queues a USER_STATUS_CHANGE webhook event', async () => {
    await call('GET', '/webhooks/getevents');
    await call('PUT', '/users/setstatus', { body: { nextStatus: 'Online' } });
    const events = (await call('GET', '/webhooks/getevents')).json;
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].changes[0], {
      _event: 'USER_STATUS_CHANGE', userId: (await call('GET', '/users/allusers')).json.find((u) => u.UserName === sb.credentials.userName).id,
      userName: sb.credentials.userName, userStatus: 'Online', doNotDisturb: false,
    });
  });
});
