// The browser example page, in Debian's headless Chromium driven by playwright-core: it imports
// the package through its "browser" export, calls the bundled sandbox (another origin, CORS) with
// a token from the page's own server, and renders the result. The redirect check runs in Firefox
// and WebKit too (tests/helpers/engines.mjs); so do the ecosystem suite's pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, mkdir, rm, copyFile, writeFile } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { launchChromium } from './helpers/browser.mjs';
import { ENGINES, launchEngine } from './helpers/engines.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const { startSandbox } = require('../sandbox/index.cjs');
const { build } = require('esbuild');

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves the repository (examples/ and the built package) as a site whose node_modules holds
 * the package: `/node_modules/glassix-wasm/…` is this repository. The example's import map names
 * the file package.json's browser export names. */
async function pageServer(tokenFor, handle) {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const browserEntry = pkg.exports['.'].browser.default.replace(/^\.\//, '/node_modules/glassix-wasm/');
  assert.match(await readFile(join(root, 'examples', 'browser', 'index.html'), 'utf8'), new RegExp(`"glassix-wasm": "${browserEntry}"`), 'the import map names the browser export');
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/node_modules/glassix-wasm/')) url.pathname = url.pathname.slice('/node_modules/glassix-wasm'.length);
    if (handle?.(req, res, url.pathname)) return;
    // a page that loads nothing: the engine tests import the entry into it themselves
    if (url.pathname === '/blank.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
    if (url.pathname === '/glassix-token') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(tokenFor());
    }
    const file = normalize(join(root, url.pathname));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}`, entry: browserEntry };
}

/** Closes servers when the test ends (a browser's keep-alive connections would hold them open). */
const closeAtEnd = (t, ...servers) =>
  t.after(() => Promise.all(servers.map((s) => new Promise((r) => {
    s.close(r);
    s.closeAllConnections();
  }))));

/** Launches Debian's Chromium (tests/helpers/browser.mjs); closed when the test ends. */
async function launch(t) {
  const { browser, close } = await launchChromium();
  t.after(close);
  return browser;
}

/** Opens `path` on the page server and checks what the example renders and what the API saw. */
async function checkExample(t, path, screenshot) {
  const sb = await startSandbox({ port: 0 });
  t.after(() => sb.close());
  const page = await pageServer(() => sb.issueToken());
  closeAtEnd(t, page.server);
  const browser = await launch(t);

  const tab = await browser.newPage();
  tab.setDefaultTimeout(20000);
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(`${page.origin}${path}?api=${encodeURIComponent(sb.baseUrl)}`);
  await tab.waitForFunction(() => document.getElementById('status').textContent !== 'Loading…', null, { timeout: 15000 });

  assert.equal(await tab.textContent('#status'), 'Connected', errors.join('\n'));
  assert.equal(await tab.textContent('[data-field="subject"]'), 'Order #1042 arrived damaged');
  assert.equal(await tab.textContent('[data-field="state"]'), 'Open');
  const ticketId = Number(await tab.textContent('[data-field="id"]'));
  assert.ok(ticketId > 0);
  assert.ok((await tab.$$('#tags li')).length > 0);
  assert.equal(await tab.textContent('#secret-check'), 'apiSecret refused: invalid_argument');
  assert.deepEqual(errors, []);

  // what the API saw: cross-origin calls with the bearer token from the page's server, no token/get
  const api = sb.requests.filter((r) => r.method !== 'OPTIONS');
  assert.deepEqual(api.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\.2/, '')}`), ['POST /tickets/create', `GET /tickets/get/${ticketId}`, 'GET /tenants/gettags']);
  for (const r of api) {
    assert.match(r.headers.authorization, /^Bearer .+/);
    assert.equal(r.headers.origin, page.origin);
  }

  await mkdir(join(root, 'test-results'), { recursive: true });
  await tab.screenshot({ path: join(root, 'test-results', screenshot), fullPage: true });
}

test('the browser example renders data fetched through the browser build (native ES modules)', { timeout: 90000 }, async (t) => {
  await checkExample(t, '/examples/browser/index.html', 'browser-example.png');
});

test('the same page bundled with esbuild (browser condition) is ready without an init() call', { timeout: 90000 }, async (t) => {
  const out = join(root, 'test-results', 'bundle');
  await rm(out, { recursive: true, force: true });
  await build({ entryPoints: [join(root, 'examples', 'browser', 'app.mjs')], bundle: true, format: 'esm', platform: 'browser', conditions: ['browser'], target: 'es2022', outdir: out, logLevel: 'silent' });
  // esbuild leaves `new URL('./glassix_wasm_bg.wasm', import.meta.url)` as is (Vite, webpack 5
  // and Parcel emit the file themselves); put the wasm where the bundle will look for it
  await mkdir(out, { recursive: true });
  await copyFile(join(root, 'pkg', 'glassix_wasm_bg.wasm'), join(out, 'glassix_wasm_bg.wasm'));
  const html = (await readFile(join(root, 'examples', 'browser', 'index.html'), 'utf8'))
    .replace(/<script type="importmap">[\s\S]*?<\/script>/, '')
    .replace('./app.mjs', './app.js');
  await writeFile(join(out, 'index.html'), html);
  assert.doesNotMatch(await readFile(join(out, 'app.js'), 'utf8'), /from ["']glassix-wasm["']/, 'the package was bundled in');
  await checkExample(t, '/test-results/bundle/index.html', 'browser-example-bundled.png');
});

/** Starts `engine`, opens the page server's blank page in it (both closed when the test ends),
 * and resolves with the tab and the browser entry's URL on that server (`page.entry`). */
async function openIn(t, engine, page) {
  const browser = await launchEngine(engine);
  let tab;
  try {
    tab = await browser.newTab();
  } catch (e) {
    await browser.close();
    throw e;
  }
  t.after(() => tab.close().finally(() => browser.close()));
  await tab.goto(`${page.origin}/blank.html`);
  return { tab, entry: page.entry };
}

// in each engine: the browser follows nothing itself (redirect: 'manual' gives the page an opaque
// redirect), which is what keeps the token from the other origin
for (const engine of ENGINES) test(`in ${engine} a redirect is refused as an opaque redirect: no token reaches the other origin`, { timeout: 90000 }, async (t) => {
  // the "API": CORS as a browser needs it (a preflight for the authorization header), then a 302
  // to another origin for the call itself
  const stolen = [];
  const other = http.createServer((req, res) => {
    stolen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' }).end('{}');
  });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, accept, content-type', 'access-control-allow-methods': 'GET, POST' };
  const api = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    res.writeHead(302, { ...cors, location: `http://127.0.0.1:${other.address().port}/steal` }).end();
  });
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  const page = await pageServer(() => 'unused');
  closeAtEnd(t, other, api, page.server);
  const { tab, entry } = await openIn(t, engine, page);
  const seen = await tab.evaluate(async ([entry, base]) => {
    const { GlassixClient } = await import(entry);
    const client = new GlassixClient({ baseUrl: base, accessToken: 'secret-token', maxRetries: 0 });
    try {
      return { resolved: await client.tickets.get(1) };
    } catch (e) {
      return { name: e.name, kind: e.kind, status: e.status ?? null, message: e.message };
    }
  }, [entry, `http://127.0.0.1:${api.address().port}/api/v1.2`]);
  assert.equal(seen.name, 'GlassixError', JSON.stringify(seen));
  assert.equal(seen.kind, 'http');
  assert.equal(seen.status, null, 'an opaque redirect has no status to report');
  assert.match(seen.message, /^tickets\.get: .*redirect/i);
  assert.doesNotMatch(seen.message, /secret-token/);
  assert.deepEqual(stolen, [], 'nothing reached the other origin');
});

// Static hosts that do not know `.wasm` (an S3 bucket uploaded without a content type, an old
// nginx `mime.types`) serve it as application/octet-stream, which `instantiateStreaming` refuses:
// the browser entry compiles it from its bytes instead, in each engine, and the client works.
for (const engine of ENGINES) test(`in ${engine} the browser entry works when its .wasm is served as application/octet-stream`, { timeout: 90000 }, async (t) => {
  const served = [];
  const page = await pageServer(() => 'unused', (req, res, path) => {
    if (path === '/pkg/glassix_wasm_bg.wasm') {
      readFile(join(root, 'pkg', 'glassix_wasm_bg.wasm')).then((body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
      served.push(path);
      return true;
    }
    if (!path.startsWith('/api/')) return false;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 7, path }));
    return true;
  });
  closeAtEnd(t, page.server);
  const { tab, entry } = await openIn(t, engine, page);
  const result = await tab.evaluate(async ([entry, base]) => {
    try {
      const { GlassixClient } = await import(entry);
      return await new GlassixClient({ baseUrl: base, accessToken: 't' }).tickets.get(7);
    } catch (e) {
      return { failed: String(e) };
    }
  }, [entry, `${page.origin}/api/v1.2`]);
  assert.deepEqual(result, { id: 7, path: '/api/v1.2/tickets/get/7' });
  assert.deepEqual(served, ['/pkg/glassix_wasm_bg.wasm'], 'the .wasm came from the handler, as octet-stream');
});

// The README (Retries): a POST that fails before any answer is not sent again by the client,
// since it may have reached Glassix; a browser's own network stack may send it again below
// `fetch` when the keep-alive connection it reused is reset. In each engine: one attempt by the
// client (counted through a rateLimit function), one rejection saying so, and what the server
// saw, which the README reports per engine (Firefox sent it twice on an idle machine, three times
// on a loaded one).
const POSTS_SEEN = { chromium: [2, 3], firefox: [2, 3], webkit: [1] };
for (const engine of ENGINES) test(`in ${engine} a POST whose connection is reset before any answer: one attempt by the client, and the browser's own resends are what the README says`, { timeout: 90000 }, async (t) => {
  const seen = { get: 0, post: 0 };
  const page = await pageServer(() => 'unused', (req, res, path) => {
    if (!path.startsWith('/api/')) return false;
    if (req.method === 'GET') {
      seen.get++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
      return true;
    }
    seen.post++;
    req.resume();
    req.on('end', () => req.socket.destroy());
    return true;
  });
  closeAtEnd(t, page.server);
  const { tab, entry } = await openIn(t, engine, page);
  const result = await tab.evaluate(async ([entry, base]) => {
    const { GlassixClient } = await import(entry);
    let attempts = 0;
    const client = new GlassixClient({ baseUrl: base, accessToken: 'a-token', rateLimit: async () => void attempts++ });
    await client.tickets.get(1); // the connection the POST will reuse
    attempts = 0;
    try {
      await client.tickets.create({ field1: 'once' });
      return { resolved: true };
    } catch (e) {
      return { attempts, name: e.name, kind: e.kind, message: e.message };
    }
  }, [entry, `${page.origin}/api/v1.2`]);
  assert.deepEqual(result, { attempts: 1, name: 'GlassixError', kind: 'network', message: 'tickets.create: POST /tickets/create: network error (not sent again: it may have reached Glassix)' });
  assert.equal(seen.get, 1);
  assert.ok(POSTS_SEEN[engine].includes(seen.post), `${engine}'s network stack sent the POST ${seen.post} times (the README says ${POSTS_SEEN[engine].join(' or ')})`);
});

// The README (Browsers, Web Workers; Errors, across a thread), in each engine: a module worker
// that imports the browser entry at its top loses a message posted while the .wasm loads; one that
// adds its listener first and imports the entry in it answers; and a GlassixError posted back
// arrives as a plain Error, its fields only when posted as `{ ...err, message }`.
for (const engine of ENGINES) test(`in ${engine} a module worker: the entry imported at the top misses an early message, imported in the listener it answers; an error crosses as a plain Error`, { timeout: 90000 }, async (t) => {
  let entry;
  const workers = {
    // the entry at the top: says `ready` once it has loaded, then echoes every message it gets
    '/workers/top.mjs': () => `import { GlassixClient } from '${entry}';\nself.onmessage = (event) => self.postMessage(event.data + ': ' + typeof GlassixClient);\nself.postMessage('ready');\n`,
    // the README's way: the listener first, the entry loaded in it
    '/workers/listener-first.mjs': () =>
      `const loaded = import('${entry}');\nself.onmessage = async (event) => {\n  const { default: GlassixClient } = await loaded;\n  const client = new GlassixClient({ baseUrl: event.data, accessToken: 'a-token' });\n  try {\n    await client.tickets.get(-1);\n  } catch (err) {\n    self.postMessage({ posted: err, fields: { ...err, message: err.message } });\n  }\n};\n`,
  };
  const page = await pageServer(() => 'unused', (req, res, path) => {
    if (!workers[path]) return false;
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(workers[path]());
    return true;
  });
  closeAtEnd(t, page.server);
  const opened = await openIn(t, engine, page);
  entry = opened.entry;
  const result = await opened.tab.evaluate(async (base) => {
    // 'early' is posted at once, 'late' once the worker says it is ready: messages arrive in
    // order, so an answer to 'early', had it found the listener, would come before 'late's
    const top = await new Promise((resolve, reject) => {
      const got = [];
      const w = new Worker('/workers/top.mjs', { type: 'module' });
      w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      w.onmessage = (e) => {
        got.push(e.data);
        if (e.data === 'ready') w.postMessage('late');
        else if (e.data.startsWith('late')) w.terminate(), resolve(got);
      };
      w.postMessage('early');
    });
    const answer = await new Promise((resolve, reject) => {
      const w = new Worker('/workers/listener-first.mjs', { type: 'module' });
      w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      w.onmessage = (e) => (w.terminate(), resolve(e.data));
      w.postMessage(base);
    });
    const p = answer.posted;
    // (undefined fields left out: the drivers differ on them)
    return { top, posted: { isError: p instanceof Error, name: p.name, message: p.message, kind: p.kind ?? null, code: p.code ?? null }, fields: JSON.parse(JSON.stringify(answer.fields)) };
  }, `${page.origin}/api/v1.2`);
  const message = 'tickets.get: ticketId must be a positive integer, not -1';
  assert.deepEqual(result.top, ['ready', 'late: function'], 'the early message found no listener: only the late one was answered');
  assert.deepEqual(result.posted, { isError: true, name: 'Error', message, kind: null, code: null });
  assert.deepEqual(result.fields, { name: 'GlassixError', kind: 'invalid_argument', message });
});

// Two module scripts of one page that both import the package (a page's own code and a widget,
// say). Chromium and Firefox run the second once the entry's top-level await is over; WebKit
// runs it before (a WebKit bug: it does not wait for a module that is still evaluating), and
// there the browser entry's client and free functions cannot work yet: each says so, by name,
// as a GlassixError. glassix-wasm/init, whose init() each module awaits (one load, shared),
// works in all three. The README (Browsers) says so.
const NOT_READY = "the .wasm is still loading: WebKit ran this module before the package's top-level await ended. Make clients in one module, or use glassix-wasm/init and `await init(wasmUrl)` in each";
for (const engine of ENGINES) test(`in ${engine} two module scripts that import the package: each gets a working client, or (WebKit, browser entry) the second is told why not`, { timeout: 90000 }, async (t) => {
  let entry;
  // each module makes a client, formats a date, parses and verifies a webhook body, and keeps what
  // came of each (or the error's name, kind and message) in window[name], and the functions'
  // names and lengths
  const uses = (name) =>
    `const tried = (f) => { try { return f(); } catch (e) { return e.name + ' ' + e.kind + ': ' + e.message; } };\n` +
    `window.${name} = [tried(() => typeof new GlassixClient({ baseUrl: 'https://acme.glassix.com', accessToken: 't' }).tickets.get), tried(() => formatDate(new Date(0))), tried(() => parseWebhook('[]').length), tried(() => verifyWebhook('[]', { 'x-hub-signature': 'sha1=00' }, 'secret')), [formatDate, parseWebhook, verifyWebhook].map((f) => f.name + '/' + f.length).join(' ')];`;
  const pages = {
    '/two/browser.html': () => ['first', 'second'].map((name) => `<script type="module">import { GlassixClient, formatDate, parseWebhook, verifyWebhook } from '${entry}';\n${uses(name)}</script>`).join(''),
    '/two/init.html': () => ['first', 'second'].map((name) => `<script type="module">import { init, GlassixClient, formatDate, parseWebhook, verifyWebhook } from '${entry.replace('browser.mjs', 'init.mjs')}';\nawait init();\n${uses(name)}</script>`).join(''),
  };
  const page = await pageServer(() => 'unused', (req, res, path) => {
    if (!pages[path]) return false;
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>${pages[path]()}`);
    return true;
  });
  closeAtEnd(t, page.server);
  const opened = await openIn(t, engine, page);
  entry = opened.entry;
  const named = 'formatDate/1 parseWebhook/1 verifyWebhook/4';
  const works = ['function', '01/01/1970 00:00:00:00', 0, false, named];
  for (const path of Object.keys(pages)) {
    await opened.tab.goto(`${page.origin}${path}`);
    const [first, second] = await opened.tab.waitFor(() => window.first && window.second && [window.first, window.second]);
    assert.deepEqual(first, works, `${path}: the first module`);
    if (engine === 'webkit' && path === '/two/browser.html') {
      // (should WebKit fix its bug, the second module works as in the other engines)
      const refused = [...['GlassixClient', 'formatDate', 'parseWebhook', 'verifyWebhook'].map((at) => `GlassixError invalid_argument: ${at}: ${NOT_READY}`), named];
      assert.ok([refused, works].some((expected) => JSON.stringify(second) === JSON.stringify(expected)), `${path}: the second module: ${JSON.stringify(second)}`);
    } else {
      assert.deepEqual(second, works, `${path}: the second module`);
    }
  }
});
