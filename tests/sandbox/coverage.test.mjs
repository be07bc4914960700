// The sandbox serves every row of the client's table of endpoints (js/table.json, generated from
// src/endpoints.rs): each HTTP row's method and path reach a route, never "no such resource"
// (404 with the API's `No HTTP resource` message) or "method not allowed" (405).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSandbox, client } from './_helpers.mjs';

const table = JSON.parse(readFileSync(new URL('../../js/table.json', import.meta.url), 'utf8'));

test('every HTTP row of the table reaches a sandbox route', async (t) => {
  const sb = await startSandbox();
  t.after(() => sb.close());
  const call = client(sb);
  const ticket = (await call('POST', '/tickets/create', { body: { field1: 'coverage', participants: [{ type: 'Client', protocolType: 'SMS', identifier: '972500000077' }] } })).json;
  const contactId = sb.state.contacts.values().next().value.id;
  const rows = table.rows.filter((r) => r.method);
  assert.ok(rows.length >= 45, `${rows.length} rows`);
  const seen = new Set();
  const missing = []; // every row the sandbox does not serve, not only the first
  for (const r of rows) {
    const path = r.path.replace('{ticketId}', String(ticket.id)).replace('{contactId}', contactId);
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const res = await call(r.method, path, r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });
    const noRoute = res.status === 404 && /No HTTP resource/.test(JSON.stringify(res.json));
    if (noRoute || res.status === 405) missing.push(`${r.group}.${r.name}: ${key} → ${res.status} ${JSON.stringify(res.json)}`);
  }
  assert.deepEqual(missing, [], `rows the sandbox does not serve:\n${missing.join('\n')}`);
});
