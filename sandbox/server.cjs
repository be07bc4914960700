'use strict';
// HTTP plumbing: request log, CORS, body parsing, routing, auth, fault injection,
// the /__sandbox control API, uploaded-file downloads, clean shutdown.

const http = require('node:http');
const { Reply, json, raw, compile, match, JSON_TYPE } = require('./router.cjs');
const { FaultEngine, STATUS_TEXT } = require('./faults.cjs');
const { TokenStore } = require('./auth.cjs');
const { SandboxState } = require('./state.cjs');
const { WebhookDispatcher } = require('./webhooks.cjs');
const { BODY_KEYS, canonicalKeys } = require('./bodykeys.cjs');
const { HttpError, invalidRequest, badRequest, notFound, isPlainObject, isNonEmptyString, clone, pushBounded } = require('./util.cjs');

const ROUTES = compile([
  ...require('./routes/token.cjs').routes,
  ...require('./routes/list.cjs').routes,
  ...require('./routes/tickets.cjs').routes,
  ...require('./routes/users.cjs').routes,
  ...require('./routes/contacts.cjs').routes,
  ...require('./routes/tenants.cjs').routes,
  ...require('./routes/messaging.cjs').routes,
  ...require('./routes/files.cjs').routes,
  ...require('./routes/webhooks.cjs').routes,
]);

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': '*, authorization, content-type, accept',
  'access-control-expose-headers': 'retry-after, content-type, content-length, content-disposition',
};

/** The host names the sandbox answers to: loopback names only, so a page that rebinds its own name
 * to 127.0.0.1 (DNS rebinding: `Host: evil.example:PORT`) is refused, as dev servers do. More
 * names: the `allowedHosts` option. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The host name of a `Host` header or of an origin's authority, lower-case, without its port and
 * trailing dot; null if it is not one. */
function hostName(authority) {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(authority);
  return m ? m[1].toLowerCase().replace(/\.$/, '') : null;
}

/** An entry's body bytes counted against `maxRequestLogBytes` (0 once dropped). */
const LOGGED_BYTES = Symbol('logged body bytes');

const JSON_CT_RE = /^(application\/([\w.+-]*\+)?json|text\/json)\b/i;

/** A JSON body's bytes: past a leading UTF-8 byte order mark when `skipBom` (rules.jsonBom). */
function jsonBytes(rawBody, skipBom) {
  return skipBom && rawBody[0] === 0xef && rawBody[1] === 0xbb && rawBody[2] === 0xbf ? rawBody.subarray(3) : rawBody;
}

/** What the request log stores as `body`. */
function logBody(rawBody, contentType, skipBom) {
  if (!rawBody || rawBody.length === 0) return undefined;
  const ct = contentType || '';
  if (/^multipart\//i.test(ct)) return rawBody;
  if (JSON_CT_RE.test(ct) || ct === '') {
    const bytes = jsonBytes(rawBody, skipBom);
    if (bytes.length === 0) return undefined;
    const text = bytes.toString('utf8');
    try { return JSON.parse(text); } catch { return ct === '' ? rawBody : text; }
  }
  if (/^text\/|^application\/(x-www-form-urlencoded|xml)/i.test(ct)) return rawBody.toString('utf8');
  return rawBody;
}

/** JSON-friendly copy of a request log entry (Buffers → { base64 }). */
function serialiseEntry(e) {
  const body = Buffer.isBuffer(e.body) ? { base64: e.body.toString('base64'), size: e.body.length } : e.body;
  return { ...e, body };
}

/** The request log as JSON. Written once; only when that fails (a JSON body nested deeper than
 * JSON.stringify goes, which JSON.parse took) is each body tried on its own, so the log stays
 * readable without stringifying every body twice. */
function logReply(entries) {
  try {
    return json(entries);
  } catch {
    return json(entries.map((e) => {
      try {
        JSON.stringify(e.body);
        return e;
      } catch {
        return { ...e, body: { unserialisable: true } };
      }
    }));
  }
}

/** `reset()`'s options, checked as startSandbox's are: a misspelt `token` would leave every
 * issued token valid in silence. */
function resetOptions(options) {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError('reset: options must be an object { tokens }');
  for (const k of Object.keys(options)) {
    if (k !== 'tokens') throw new TypeError(`reset: unknown option '${k}' (known: tokens)`);
  }
  if (options.tokens !== undefined && typeof options.tokens !== 'boolean') throw new TypeError('reset: tokens must be true or false');
  return options;
}

class Sandbox {
  /** @param {object} o normalised options (see index.cjs) */
  constructor(o) {
    this.o = o;
    this.rules = o.rules;
    this.credentials = o.credentials;
    this.apiVersion = o.apiVersion;
    this.pageSize = o.pageSize;
    this.now = o.now;
    this.requests = [];
    this.sockets = new Set();
    this.waits = new Set();
    this.hung = new Set();
    this.laters = new Set();
    this.latersDrained = [];
    // Requests not yet answered, and the reset() generation they arrived in: reset() ends those
    // of an older generation, and a handler checks its own after every wait, so that a request
    // of the previous test never runs against the state the next test starts from.
    this.open = new Set();
    this.generation = 0;
    this.closing = false;
    this.closePromise = null;
    this.webhookUrl = o.webhookUrl;
    this.tokens = new TokenStore({ now: o.now, lifetimeSeconds: o.tokenLifetime });
    this.faults = new FaultEngine(o.faults, { makeRandom: o.makeRandom });
    this.webhooks = new WebhookDispatcher({
      url: () => this.webhookUrl,
      keysFor: (deptId) => {
        const dept = this.state.department(deptId);
        return { apiKey: deptId, apiSecret: dept ? dept.apiSecret : this.credentials.apiSecret };
      },
      ...o.webhook,
      maxLog: o.maxRequestLog,
      now: o.now,
    });
    this.state = new SandboxState({
      seed: o.seed, credentials: o.credentials, now: o.now, firstTicketId: o.firstTicketId,
      rules: o.rules, dateFormat: o.dateFormat,
      onEvent: (event, deptId) => this.webhooks.dispatch(event, deptId),
    });
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  listen() {
    return new Promise((resolve, reject) => {
      const onError = (err) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.o.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.server.on('error', () => {});
        this.port = this.server.address().port;
        this.origin = `http://127.0.0.1:${this.port}`;
        this.baseUrl = `${this.origin}/api/v${this.apiVersion}`;
        resolve(this);
      });
    });
  }

  // ----------------------------------------------------------------- helpers

  /** Keeps the bodies of the request log within `maxRequestLogBytes` in all: the oldest give up
   * theirs first (`{ dropped: true, size }`; the entry stays). Without it, 10,000 entries of up to
   * 50 MiB each (any page may POST a large text/plain body to an API path) ran a long-lived
   * sandbox out of memory. */
  boundLoggedBodies(entry, size) {
    Object.defineProperty(entry, LOGGED_BYTES, { value: size, writable: true });
    // (a request without a body adds nothing: the log's other bodies were within the bound)
    if (size === 0) return;
    let total = 0;
    for (const e of this.requests) total += e[LOGGED_BYTES] || 0;
    for (const e of this.requests) {
      if (total <= this.o.maxRequestLogBytes) break;
      if (e[LOGGED_BYTES]) {
        total -= e[LOGGED_BYTES];
        e.body = { dropped: true, size: e[LOGGED_BYTES] };
        e[LOGGED_BYTES] = 0;
      }
    }
  }

  /** Whether `name` (from hostName) is one the sandbox answers to: loopback names, `*.localhost`,
   * and the `allowedHosts` option's. */
  allowedHost(name) {
    return name !== null && (LOOPBACK_HOSTS.includes(name) || name.endsWith('.localhost') || this.o.allowedHosts.includes(name));
  }

  /** Why a request must be refused before anything else, or null. A `Host` that names another
   * site (DNS rebinding) is refused everywhere; the control API also refuses a page of another
   * site (`Origin` not on an allowed host, `null` included): a cross-origin `text/plain` POST
   * needs no preflight, so CORS alone would not stop it. A request without `Origin` is not from
   * a page's script (curl, Node, a test suite) and passes. */
  refusal(req, lowerPath) {
    const host = req.headers.host;
    if (host !== undefined && !this.allowedHost(hostName(String(host)))) {
      return `Host '${String(host).slice(0, 100)}' is not allowed: the sandbox answers requests made to 127.0.0.1 or localhost (a guard against DNS rebinding); the allowedHosts option adds a name.`;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && (lowerPath === '/__sandbox' || lowerPath.startsWith('/__sandbox/'))) {
      const m = /^https?:\/\/([^/]*)$/i.exec(String(origin));
      if (!m || !this.allowedHost(hostName(m[1]))) {
        return `Origin '${String(origin).slice(0, 100)}' may not use the control API: only pages on 127.0.0.1 or localhost may (the allowedHosts option adds a name).`;
      }
    }
    return null;
  }

  /** The origin a request was made to, from its `Host` (`localhost:PORT` and `127.0.0.1:PORT`
   * reach the same sandbox): the URLs it answers with (`paging.next`, file and survey links)
   * point where the caller is, as a real server's do. A missing or malformed `Host` gives
   * 127.0.0.1. */
  originOf(req) {
    const host = req.headers.host;
    return typeof host === 'string' && /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host) ? `http://${host.toLowerCase()}` : this.origin;
  }

  /** Wait `ms` (the latency fault); resolves false when the request must go no further: the
   * sandbox was closed, or reset since `res` arrived. */
  delay(ms, res) {
    if (!(ms > 0)) return Promise.resolve(this.current(res));
    return new Promise((resolve) => {
      const w = { resolve };
      w.timer = setTimeout(() => { this.waits.delete(w); resolve(this.current(res)); }, ms);
      this.waits.add(w);
    });
  }

  /** Whether the request of `res` may still be served: not closed, and no reset() since it came. */
  current(res) {
    return !this.closing && res.sandboxGeneration === this.generation;
  }

  /**
   * Run `fn` after `ms` (0: right after the current response is written), unless the sandbox is
   * closed or reset first.
   */
  later(fn, ms = 0) {
    if (this.closing) return;
    const item = {};
    const run = () => {
      this.laters.delete(item);
      try {
        if (!this.closing) fn();
      } finally {
        if (this.laters.size === 0) this.drainLaters();
      }
    };
    if (ms > 0) {
      const timer = setTimeout(run, ms);
      item.cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(run);
      item.cancel = () => clearImmediate(immediate);
    }
    this.laters.add(item);
  }

  cancelLaters() {
    for (const item of this.laters) item.cancel();
    this.laters.clear();
    this.drainLaters();
  }

  drainLaters() {
    for (const w of this.latersDrained.splice(0)) w();
  }

  /** Resolves when no webhook event is still to come: no protocol status scheduled (`later`),
   * no delivery in flight or waiting for a retry. */
  async webhooksIdle() {
    while (this.laters.size > 0 || this.webhooks.pending > 0) {
      if (this.laters.size > 0) await new Promise((r) => this.latersDrained.push(r));
      else await this.webhooks.idle();
    }
  }

  /** The text key of a `{ message }` body: `kind` is 'framework' (ASP.NET's `Message`) or 'app'. */
  messageKey(kind = 'app') {
    const k = this.rules.messageKey;
    if (k !== 'mixed') return k;
    return kind === 'framework' ? 'Message' : 'message';
  }

  send(res, entry, reply) {
    if (res.headersSent || res.destroyed) return;
    const body = reply.body || Buffer.alloc(0);
    const headers = { ...(this.rules.cors ? CORS_HEADERS : {}), ...reply.headers };
    if (reply.status !== 204 && reply.status !== 304) headers['content-length'] = body.length;
    res.writeHead(reply.status, headers);
    res.end(reply.status === 204 ? undefined : body);
    // (answered: a reset() from now on must not cut the connection it may be reused on)
    this.open.delete(res);
    if (entry) entry.status = reply.status;
  }

  errorReply(err) {
    if (err instanceof HttpError) {
      const r = this.rules;
      const status = { invalid: r.invalidStatus, rule: r.ruleStatus, notFound: r.notFoundStatus, forbidden: r.forbiddenStatus, denied: r.deniedStatus }[err.kind]
        ?? err.status;
      const key = this.messageKey(err.key === 'Message' ? 'framework' : 'app');
      return json({ [key]: err.message, ...(err.body || {}) }, status, err.headers);
    }
    return json({ [this.messageKey('framework')]: 'An error has occurred.', ExceptionMessage: String(err && err.message) }, 500);
  }

  fail(res, err) {
    try {
      this.send(res, res.sandboxEntry, this.errorReply(err));
    } catch {
      res.destroy();
    }
  }

  readBody(req) {
    const limit = this.o.maxBodyBytes;
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      let settled = false;
      const settle = (fn, v) => { if (!settled) { settled = true; fn(v); } };
      req.on('data', (c) => {
        if (settled) return;
        size += c.length;
        if (size > limit) {
          settle(reject, new HttpError(413, `The request body exceeds ${limit} bytes.`, { headers: { connection: 'close' } }));
          req.resume();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => settle(resolve, Buffer.concat(chunks)));
      req.on('error', (err) => settle(reject, err));
      req.on('close', () => settle(reject, Object.assign(new Error('request aborted'), { aborted: true })));
    });
  }

  makeContext(req, url, rawBody, entry) {
    const sp = url.searchParams;
    const lower = new Map();
    for (const [k, v] of sp) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v);
    const origin = this.originOf(req);
    const ctx = {
      sandbox: this, state: this.state, rules: this.rules, req, entry, method: req.method, path: url.pathname,
      searchParams: sp, query: Object.fromEntries(sp), headers: req.headers, rawBody, body: undefined,
      params: {}, auth: null, origin, baseUrl: `${origin}/api/v${this.apiVersion}`,
      q: (name) => lower.get(name.toLowerCase()),
      qBool: (name, dflt) => {
        const v = lower.get(name.toLowerCase());
        if (v === undefined || v === '') return dflt;
        if (/^true$/i.test(v)) return true;
        if (/^false$/i.test(v)) return false;
        throw invalidRequest(`The value '${v}' is not valid for ${name}.`);
      },
      /** A `{ message }` acknowledgement (`rules.messageKey`). */
      ack: (message) => ({ [this.messageKey()]: message }),
      /** The reply of an endpoint whose real response is unknown (`voidResponses`). */
      done: (message) => {
        switch (this.o.voidResponses) {
          case 'empty': return new Reply(200, Buffer.alloc(0), {});
          case 'no-content': return new Reply(204, undefined, {});
          default: return ctx.ack(message);
        }
      },
    };
    return ctx;
  }

  // ----------------------------------------------------------------- request

  async handle(req, res) {
    let url;
    try {
      url = new URL(req.url, 'http://127.0.0.1');
    } catch {
      req.resume();
      this.send(res, null, json({ [this.messageKey('framework')]: 'The request URI is invalid.' }, this.rules.invalidStatus));
      return;
    }
    const entry = {
      method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers }, body: undefined, time: this.now(), status: undefined,
    };
    res.sandboxEntry = entry;
    res.sandboxGeneration = this.generation;
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    pushBounded(this.requests, entry, this.o.maxRequestLog);

    const refused = this.refusal(req, url.pathname.toLowerCase());
    if (refused) {
      req.resume();
      this.send(res, entry, json({ Message: refused }, 403, { connection: 'close' }));
      return;
    }

    let rawBody;
    try {
      rawBody = await this.readBody(req);
    } catch (err) {
      if (err.aborted) return;
      this.send(res, entry, this.errorReply(err));
      return;
    }
    if (!this.current(res)) return;
    entry.body = logBody(rawBody, req.headers['content-type'], this.rules.jsonBom === 'skip');
    this.boundLoggedBodies(entry, rawBody.length);

    if (req.method === 'OPTIONS' && this.rules.cors) {
      this.send(res, entry, new Reply(204, undefined, {
        'access-control-max-age': '600',
        ...(req.headers['access-control-request-headers']
          ? { 'access-control-allow-headers': `*, authorization, content-type, accept, ${req.headers['access-control-request-headers']}` }
          : {}),
      }));
      return;
    }

    const path = url.pathname;
    const lowerPath = path.toLowerCase();
    if (lowerPath === '/__sandbox' || lowerPath.startsWith('/__sandbox/')) {
      // (answered at once: a POST /__sandbox/reset is not one of the requests it ends)
      this.open.delete(res);
      this.send(res, entry, this.control(req, url, rawBody));
      return;
    }

    const prefix = `/api/v${this.apiVersion}`;
    const underApi = this.rules.lenientPaths ? lowerPath.startsWith(`${prefix.toLowerCase()}/`) : path.startsWith(`${prefix}/`);
    let reply;
    if (!underApi) {
      reply = this.staticRoute(req, path);
      if (!reply) {
        if (!(await this.delay(this.faults.latency(), res))) return;
        reply = json({ [this.messageKey()]: `No resource at ${path}. The API root is ${this.originOf(req)}/api/v${this.apiVersion}.` }, 404);
      }
      this.send(res, entry, reply);
      return;
    }
    reply = await this.api(req, res, url, path.slice(prefix.length), rawBody, entry);
    if (reply) this.send(res, entry, reply);
  }

  /** Returns the Reply to send, or null when the request must hang. */
  async api(req, res, url, subPath, rawBody, entry) {
    let m;
    try {
      m = match(ROUTES, req.method, subPath, { lenient: this.rules.lenientPaths });
    } catch (err) {
      return (await this.delay(this.faults.latency(), res)) ? this.errorReply(err) : null;
    }
    const noRoute = () => json({ [this.messageKey('framework')]: `No HTTP resource was found that matches the request URI '${this.originOf(req)}${url.pathname}${url.search}'.` }, 404);
    if (!m || (m.allowed && this.rules.wrongMethodStatus === 404)) {
      return (await this.delay(this.faults.latency(), res)) ? noRoute() : null;
    }
    if (m.allowed) {
      return (await this.delay(this.faults.latency(), res))
        ? json({ [this.messageKey('framework')]: `The requested resource does not support http method '${req.method}'.` }, 405, { allow: [...new Set(m.allowed)].join(', ') })
        : null;
    }
    const { route, params, bad } = m;
    const fault = this.faults.decide(route.kind);
    if (!(await this.delay(this.faults.latency(), res))) return null;
    if (fault && fault.hang) {
      const item = { req, res };
      this.hung.add(item);
      entry.hung = true;
      res.on('close', () => this.hung.delete(item));
      return null;
    }
    if (fault) return this.faultReply(fault);

    const ctx = this.makeContext(req, url, rawBody, entry);
    ctx.params = params;
    try {
      // rules.authOrder: an unreadable path id before the token, or (by default) after it
      if (bad && this.rules.authOrder === 'path-first') throw bad;
      if (route.auth === true) {
        ctx.auth = this.tokens.authenticate(req.headers.authorization, this.state, { lenient: this.rules.lenientPaths });
      } else if (route.auth === 'optional' && req.headers.authorization) {
        // rules.isOnlineToken: a bad token where none is needed is ignored, or refused
        if (this.rules.isOnlineToken === 'checked') ctx.auth = this.tokens.authenticate(req.headers.authorization, this.state, { lenient: this.rules.lenientPaths });
        else try { ctx.auth = this.tokens.authenticate(req.headers.authorization, this.state, { lenient: this.rules.lenientPaths }); } catch { ctx.auth = null; }
      }
      // an unreadable path id, once the token has passed
      if (bad) throw bad;
      // (a body that is only a byte order mark is, read past it, no body: rules.jsonBom)
      const jsonBody = jsonBytes(rawBody, this.rules.jsonBom === 'skip');
      if (route.body === 'json' && jsonBody.length > 0) {
        const ct = req.headers['content-type'] || '';
        if (!JSON_CT_RE.test(ct) && this.rules.wrongContentType === 'reject') {
          throw new HttpError(415, `The request entity's media type '${ct.split(';')[0] || '(none)'}' is not supported for this resource.`, { key: 'Message' });
        }
        try {
          // (a leading UTF-8 byte order mark: read past, or malformed JSON, rules.jsonBom)
          ctx.body = JSON.parse(jsonBody.toString('utf8'));
        } catch (err) {
          throw new HttpError(400, `The request body is not valid JSON: ${err.message}`, { key: 'Message', kind: 'invalid' });
        }
        // a key in another casing binds as on ASP.NET (rules.bodyKeyCase)
        if (this.rules.bodyKeyCase === 'any') ctx.body = canonicalKeys(ctx.body, BODY_KEYS[route.path]);
      }
      const result = await route.handler(ctx);
      return result instanceof Reply ? result : json(result === undefined ? null : result);
    } catch (err) {
      return this.errorReply(err);
    }
  }

  faultReply(fault) {
    const headers = {};
    if (fault.retryAfter != null) headers['retry-after'] = String(Math.ceil(fault.retryAfter));
    if (this.faults.faults.htmlErrors && (fault.status === 502 || fault.status === 504)) {
      const text = STATUS_TEXT[fault.status];
      return raw(`<html><head><title>${fault.status} ${text}</title></head><body><center><h1>${fault.status} ${text}</h1></center></body></html>\n`,
        'text/html', fault.status, headers);
    }
    return json({ [this.messageKey()]: fault.message }, fault.status, headers);
  }

  /** Non-API resources served by the sandbox: uploaded files and survey pages. */
  staticRoute(req, path) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    let m = /^\/files\/([0-9a-f]{24})(?:\/[^/]*)?$/.exec(path);
    if (m) {
      const f = this.state.files.get(m[1]);
      if (!f) return json({ [this.messageKey()]: 'File not found.' }, 404);
      return raw(f.data, f.contentType, 200, {
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      });
    }
    m = /^\/survey\/([A-Za-z0-9_-]+)$/.exec(path);
    if (m) {
      for (const t of this.state.tickets.values()) {
        if (t.surveyLinks.some((s) => s.token === m[1])) {
          return raw(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Survey</title></head><body><h1>Survey for ticket ${t.id}</h1></body></html>`,
            'text/html; charset=utf-8');
        }
      }
      return json({ [this.messageKey()]: 'Survey not found.' }, 404);
    }
    return null;
  }

  // ------------------------------------------------------------- control API

  control(req, url, rawBody) {
    // (trailing slashes cut by hand: /\/+$/ is quadratic on a path of many '/')
    let end = url.pathname.length;
    while (end > 0 && url.pathname[end - 1] === '/') end -= 1;
    const path = url.pathname.slice(0, end).toLowerCase().slice('/__sandbox'.length) || '/';
    const method = req.method;
    let body;
    try {
      body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
    } catch (err) {
      return json({ Message: `The request body is not valid JSON: ${err.message}` }, 400);
    }
    try {
      if (path === '/faults' && method === 'GET') return json(this.faults.get());
      if (path === '/faults' && method === 'POST') {
        try { return json(this.faults.set(body || {})); } catch (err) { throw badRequest(err.message); }
      }
      if (path === '/requests' && method === 'GET') return logReply(this.requests.map(serialiseEntry));
      if (path === '/requests' && method === 'DELETE') { this.requests.length = 0; return json({ message: 'Request log cleared.' }); }
      if (path === '/reset' && method === 'POST') {
        // (a JSON null is no body; a misspelt `token` is a 400, not a reset that keeps the tokens)
        try { this.reset(body ?? undefined); } catch (err) { throw badRequest(err.message); }
        return json({ message: 'Sandbox reset.' });
      }
      if (path === '/state' && method === 'GET') return json(this.state.snapshot());
      if (path === '/webhooks' && method === 'GET') return json(this.webhooks.deliveries);
      if (path === '/token' && method === 'POST') {
        const b = isPlainObject(body) ? body : {};
        try {
          return json(this.issueTokenResponse(b.userName, b.departmentId));
        } catch (err) { throw badRequest(err.message); }
      }
      if (path === '/events' && method === 'POST') {
        if (!isPlainObject(body) || !isNonEmptyString(body._event)) throw badRequest('Body must be a change object with an _event.');
        const { departmentId, ...change } = body;
        const dept = departmentId ? String(departmentId).toLowerCase() : this.credentials.apiKey;
        // (a mistyped id would queue an event no department can read)
        if (!this.state.department(dept)) throw badRequest(`Unknown departmentId ${JSON.stringify(String(departmentId))}.`);
        // (nested too deep to be written again: queued, it would break getevents and the state
        // until a reset)
        try {
          JSON.stringify(change);
        } catch {
          throw badRequest('The change cannot be written as JSON (nested too deep).');
        }
        // posted on purpose: queued whatever rules.eventTypes keeps of the sandbox's own events
        return json(this.state.emit(dept, change, { custom: true }));
      }
      const msg = /^\/tickets\/(\d+)\/messages$/.exec(path);
      if (msg && method === 'POST') return json(this.customerMessage(Number(msg[1]), isPlainObject(body) ? body : {}));
      return json({ message: `Unknown control endpoint ${method} ${url.pathname}.` }, 404);
    } catch (err) {
      return this.errorReply(err);
    }
  }

  /** Simulate a message written by the ticket's client participant. */
  customerMessage(ticketId, body) {
    const ticket = this.state.ticket(ticketId);
    if (!ticket) throw notFound(`Ticket ${ticketId} was not found.`);
    if (ticket.state === 'Closed') throw badRequest(`Ticket ${ticketId} is closed.`);
    const from = body.participantId
      ? ticket.participants.find((p) => p.id === body.participantId)
      : ticket.participants.find((p) => p.type === 'Client');
    if (!from) throw badRequest('No such client participant.');
    const tr = this.state.renderTransaction(
      this.state.addTransaction(ticket, { type: 'Message', text: body.text, html: body.html, fromParticipant: from }),
    );
    this.state.emit(ticket.departmentId, { _event: 'NEW_MESSAGE', ticketId: ticket.id, transaction: clone(tr) });
    return tr;
  }

  issueTokenResponse(userName = this.credentials.userName, departmentId = this.credentials.apiKey) {
    const dept = this.state.department(String(departmentId));
    if (!dept) throw new Error(`unknown department ${departmentId}`);
    const user = this.state.findUserByName(userName, dept.id);
    if (!user) throw new Error(`user ${userName} is not a user of department ${dept.id}`);
    return this.tokens.issue(user.id, dept.id);
  }

  /**
   * Back to the start: the seed, the start-up faults (and a `randomSeed` generator from its
   * start), the start-up `webhookUrl`. Whatever the previous test left running is ended first:
   * requests not yet answered (waiting on latency, hung, or still sending their body) are cut
   * off, protocol statuses still to come are cancelled, webhook retries are dropped and POSTs in
   * flight abandoned, so none of it reaches the new state or the logs.
   */
  reset(options) {
    const { tokens = false } = resetOptions(options); // (checked before anything is reset)
    this.generation += 1;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.waits.clear();
    for (const res of this.open) res.destroy();
    this.open.clear();
    this.hung.clear();
    this.cancelLaters();
    this.webhooks.reset();
    this.webhookUrl = this.o.webhookUrl;
    this.state.load();
    this.requests.length = 0;
    this.faults.reset();
    if (tokens) this.tokens.clear();
  }

  close() {
    if (this.closePromise) return this.closePromise;
    this.closing = true;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.waits.clear();
    this.cancelLaters();
    this.webhooks.close();
    this.closePromise = new Promise((resolve) => {
      this.server.close(() => resolve());
    });
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.hung.clear();
    return this.closePromise;
  }
}

module.exports = { Sandbox, ROUTES, CORS_HEADERS, JSON_TYPE };
