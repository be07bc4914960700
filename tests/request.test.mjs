// client.request(method, path, options): any endpoint under the API root, with the client's
// token, limits, retries and errors; what it sends is checked before anything goes out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, json, invalid, GlassixError } from './helpers/server.mjs';

test('a GET with a query: the path under the API root, the query written as every method writes it, the token, the JSON body resolved', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/departments/list', (req, res) => json(res, 200, [{ id: 'd1' }]));
  const c = s.client();
  const got = await c.request('GET', '/departments/list', { query: { since: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 60)), state: ['Open', 'Closed'], flag: true, skip: null, n: 7 } });
  assert.deepEqual(got, [{ id: 'd1' }]);
  const [call] = s.calls;
  assert.equal(call.method, 'GET');
  assert.equal(call.url, '/api/v1.2/departments/list?since=02%2F01%2F2026%2003%3A04%3A05%3A06&state=Open%2CClosed&flag=true&n=7');
  assert.equal(call.headers.authorization, 'Bearer token-1');
  assert.equal(s.tokenRequests.length, 1);
  // the same request as the table's method for it
  await c.tickets.get(5);
  await c.request('get', '/tickets/get/5');
  assert.equal(s.calls[2].url, s.calls[1].url);
  assert.equal(s.calls[2].method, 'GET');
});

test('a body: an object or an array as JSON, a FormData as multipart; PUT and DELETE too', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  await c.request('POST', '/tickets/addtags/1', { body: ['vip', 'new'] });
  await c.request('PUT', '/tickets/setfields/1', { body: { field1: 'a', open: undefined } });
  await c.request('DELETE', '/tickets/removetag/1', { query: { tag: 'vip' } });
  const form = new FormData();
  form.append('0', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
  await c.request('POST', '/files/upload', { body: form });
  const [tags, fields, remove, upload] = s.calls;
  assert.equal(tags.text, '["vip","new"]');
  assert.match(tags.headers['content-type'], /^application\/json/);
  assert.equal(fields.method, 'PUT');
  assert.equal(fields.text, '{"field1":"a"}');
  assert.equal(remove.method, 'DELETE');
  assert.equal(remove.url, '/api/v1.2/tickets/removetag/1?tag=vip');
  assert.equal(remove.text, '');
  assert.match(upload.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.match(upload.text, /hello/);
});

test('what it resolves with follows the content type: JSON, text, bytes, null for an empty body', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  s.route('GET', '/a/html', (req, res) => (res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }), res.end('<p>שלום</p>')));
  s.route('GET', '/a/pdf', (req, res) => (res.writeHead(200, { 'content-type': 'application/pdf' }), res.end(Buffer.from('%PDF-1.4'))));
  s.route('GET', '/a/empty', (req, res) => (res.writeHead(204), res.end()));
  const c = s.client();
  assert.equal(await c.request('GET', '/a/html'), '<p>שלום</p>');
  const pdf = await c.request('GET', '/a/pdf');
  assert.ok(pdf instanceof Uint8Array);
  assert.equal(Buffer.from(pdf).toString(), '%PDF-1.4');
  assert.equal(await c.request('GET', '/a/empty'), null);
});

test('failures are GlassixErrors named `request`; a GET is retried after a 503, a POST is not sent again', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  let gets = 0;
  s.route('GET', '/flaky', (req, res) => (++gets === 1 ? json(res, 503, { message: 'busy' }) : json(res, 200, { ok: 1 })));
  s.route('POST', '/flaky', (req, res) => json(res, 503, ''));
  s.route('GET', '/missing', (req, res) => json(res, 404, { message: 'no such thing' }));
  const c = s.client({ maxRetries: 2 });
  assert.deepEqual(await c.request('GET', '/flaky'), { ok: 1 });
  assert.equal(gets, 2);
  await assert.rejects(c.request('POST', '/flaky', { body: {} }), (e) => e instanceof GlassixError && e.kind === 'http' && e.code === 503 && e.message === 'request: Glassix API responded 503 to POST /flaky');
  assert.equal(s.calls.filter((r) => r.method === 'POST').length, 1, 'a POST is not sent again');
  await assert.rejects(c.request('GET', '/missing'), (e) => e instanceof GlassixError && e.status === 404 && e.message === 'no such thing', 'a body\'s own message is kept, as for every method');
});

test('per-call options apply (headers, signal, maxRetries), and the client\'s limits', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client({ maxConcurrency: 1, headers: { 'x-app': 'a' } });
  await c.request('GET', '/tickets/get/1', { headers: { 'x-call': 'b' } });
  assert.equal(s.calls[0].headers['x-app'], 'a');
  assert.equal(s.calls[0].headers['x-call'], 'b');
  await assert.rejects(c.request('GET', '/tickets/get/1', { signal: AbortSignal.abort() }), (e) => e.kind === 'aborted' && e.message === 'request: the call was aborted');
  let inFlight = 0;
  let most = 0;
  s.route('GET', '/slow', async (req, res) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    json(res, 200, {});
  });
  await Promise.all([1, 2, 3].map(() => c.request('GET', '/slow')));
  assert.equal(most, 1, 'maxConcurrency holds');
});

test('bad input is refused by name before any request: the method, a path that is not one under the API root, a body a GET cannot send or JSON cannot hold, an unknown option', async (t) => {
  const s = await startServer();
  t.after(() => s.close());
  const c = s.client();
  for (const method of ['PATCH', 'FOO', 1, undefined, 'GET ']) {
    await assert.rejects(c.request(method, '/tickets/get/1'), invalid(/^request: method must be 'GET', 'POST', 'PUT' or 'DELETE', not /), String(method));
  }
  for (const path of ['tickets/get/1', '', '//evil.example/x', 'http://evil.example/x', 'https://evil.example', '/a?b=1', '/a#f', '/../token/get', '/a/./b', '/a/..', '/a/%2e%2e/b', '/a/%2E./b', '/a/..%2f..%2ftoken', '/..%5C..%5Ctoken', '/a b', '/a\\b', '/a/%zz', '/a/%4', '/שלום', undefined, 5, ['/a']]) {
    await assert.rejects(c.request('GET', path), invalid(/^request: path must be a path under the API root like '\/tickets\/get\/1' \(URL path characters, others encoded; no query, fragment, \. segment, %2e, %2f or %5c\), not /), String(path));
  }
  await assert.rejects(c.request('GET', '/a', { body: {} }), invalid('request: options.body: a GET sends no body'));
  for (const body of ['text', 5, new Map(), new Date()]) {
    await assert.rejects(c.request('POST', '/a', { body }), invalid(/^request: options\.body must be an object, an array or a FormData, not /), String(body));
  }
  await assert.rejects(c.request('POST', '/a', { body: { n: 10n } }), invalid('request: the body cannot be written as JSON'));
  await assert.rejects(c.request('GET', '/a', { qeury: {} }), invalid('request: unknown option `qeury`'));
  await assert.rejects(c.request('GET', '/a', { query: 'a=b' }), invalid(/^request: options\.query must be an object, not /));
  await assert.rejects(c.request('GET', '/a', { query: { d: new Date(NaN) } }), invalid('request: `d` is an invalid Date'));
  await assert.rejects(c.request('GET', '/a', 'x'), invalid(/^request: options must be an object like \{ query, body, signal, timeout, maxRetries, headers \}$/));
  assert.deepEqual(s.requests, [], 'nothing sent, no token request either');
  // what a path may hold: sub-delimiters, `:` and `@`, percent-escapes, dots inside a segment
  await c.request('GET', "/a/b-c_d.e~f!$&'()*+,;=:@/%20x/..x/.y/%D7%A9");
  assert.equal(s.calls[0].url, "/api/v1.2/a/b-c_d.e~f!$&'()*+,;=:@/%20x/..x/.y/%D7%A9");
  // the URL as sent, path and encoded query, is held to 65,536 characters
  await assert.rejects(c.request('GET', `/${'p'.repeat(40_000)}`, { query: { q: 'x'.repeat(30_000) } }), invalid('request: the URL would be longer than 65536 characters'));
  await assert.rejects(c.request('GET', '/a', { query: { q: 'é'.repeat(20_000) } }), invalid('request: the URL would be longer than 65536 characters'));
  await assert.rejects(c.tickets.removeTag(1, { tag: '中'.repeat(21_000) }), invalid('tickets.removeTag: the URL would be longer than 65536 characters'));
  assert.equal(s.calls.length, 1);
});
