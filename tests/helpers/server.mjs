// A recording HTTP server on 127.0.0.1 for the client's tests: it logs every request (method,
// path, query, headers, raw and parsed body) and answers from routes the test sets, with a
// token endpoint built in.
import http from 'node:http';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';

const require = createRequire(import.meta.url);
export const GlassixClient = require('../../pkg/index.cjs');
export const { GlassixError } = GlassixClient;

/** An `assert.rejects`/`assert.throws` check: a GlassixError of kind `invalid_argument` whose
 * message is `message` (a string, exactly) or matches it (a RegExp). */
export const invalid = (message) => (e) => e instanceof GlassixError && e.kind === 'invalid_argument' && (typeof message === 'string' ? e.message === message : message.test(e.message));

export const CREDS = { apiKey: 'key-123', apiSecret: 'secret-456', userName: 'api@example.com' };

export function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export async function startServer() {
  const routes = [];
  let tokenCount = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url, 'http://127.0.0.1');
      const text = raw.toString('utf8');
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const rec = {
        method: req.method,
        path: url.pathname,
        url: req.url,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        raw,
        text,
        body: parsed,
        time: Date.now(),
      };
      s.requests.push(rec);
      const route = routes.find((r) => r.method === req.method && (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
      try {
        if (route) return await route.handler(req, res, rec);
        if (url.pathname.endsWith('/token/get')) {
          tokenCount += 1;
          return json(res, 200, { access_token: `token-${tokenCount}`, token_type: 'bearer', expires_in: s.tokenLifetime });
        }
        // (an empty page of tickets: a list's page must be one)
        if (url.pathname.endsWith('/tickets/list')) return json(res, 200, { tickets: [], paging: {} });
        json(res, 200, { ok: true, method: req.method, path: url.pathname });
      } catch (e) {
        if (!res.headersSent) json(res, 500, { message: String(e) });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const s = {
    server,
    origin,
    base: `${origin}/api/v1.2`,
    requests: [],
    tokenLifetime: 10800,
    /** Answers `method path` (string or RegExp on the path) with `handler(req, res, rec)`. */
    route(method, path, handler) {
      routes.unshift({ method, path: typeof path === 'string' ? `/api/v1.2${path}` : path, handler });
      return s;
    },
    /** Answers the first `method path` with 429 and `Retry-After: retryAfter`, every later one with `{ id: 1 }`. */
    first429(method, path, retryAfter = '1') {
      let first = true;
      return s.route(method, path, (req, res) => {
        if (!first) return json(res, 200, { id: 1 });
        first = false;
        json(res, 429, { message: 'Too many requests' }, { 'retry-after': retryAfter });
      });
    },
    /** Requests other than the token endpoint. */
    get calls() {
      return s.requests.filter((r) => !r.path.endsWith('/token/get'));
    },
    get tokenRequests() {
      return s.requests.filter((r) => r.path.endsWith('/token/get'));
    },
    client(options = {}) {
      return new GlassixClient({ baseUrl: s.base, ...CREDS, ...options });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
  return s;
}

/** Runs `code` (an ES module body, with `GlassixClient` and `base` in scope) in a fresh Node
 * process and returns its exit status, stdout and stderr. `node`: options for that Node, which
 * take effect before the package is loaded (an `--import` that changes the globals, say). */
export function runChild(code, base, { timeout = 20000, node = [] } = {}) {
  const prelude = `import { createRequire } from 'node:module';
import { spawn } from 'node:child_process'; const require = createRequire(${JSON.stringify(import.meta.url)}); const GlassixClient = require('../../pkg/index.cjs'); const base = ${JSON.stringify(base)};\n`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...node, '--input-type=module', '-e', prelude + code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const started = Date.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
