'use strict';
// Route table compilation and matching. A route is
//   { method, path: '/tickets/get/:ticketId', params: { ticketId: 'int' }, auth = true,
//     body: 'json' | 'multipart' | 'none', kind: 'api' | 'token', handler(ctx) }
// Paths are matched case-insensitively and a trailing slash is tolerated, as in ASP.NET
// (`rules.lenientPaths: false` matches them exactly).

const { invalidRequest } = require('./util.cjs');

/** A response produced by a handler (anything else a handler returns is sent as JSON 200). */
class Reply {
  constructor(status, body, headers = {}) {
    this.status = status;
    this.body = body; // Buffer | string | undefined
    this.headers = headers;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

function json(value, status = 200, headers = {}) {
  return new Reply(status, Buffer.from(JSON.stringify(value), 'utf8'), { 'content-type': JSON_TYPE, ...headers });
}

function raw(body, contentType, status = 200, headers = {}) {
  return new Reply(status, Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8'), { 'content-type': contentType, ...headers });
}

const PARAM_TYPES = {
  int(v) {
    if (!/^\d{1,10}$/.test(v) || Number(v) > 2147483647) throw invalidRequest();
    return Number(v);
  },
  guid(v) {
    if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v)) throw invalidRequest();
    const h = v.replace(/-/g, '').toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
  string: (v) => v,
};

function compile(routes) {
  return routes.map((r) => {
    const names = [];
    const pattern = r.path.toLowerCase().replace(/\/:([a-z0-9_]+)/gi, (_, name) => {
      names.push(r.path.match(new RegExp(`:(${name})`, 'i'))[1]);
      return '/([^/]+)';
    });
    return {
      auth: true, body: 'none', kind: 'api', params: {}, ...r,
      method: r.method.toUpperCase(), names, regex: new RegExp(`^${pattern}/?$`, 'i'), strictRegex: new RegExp(`^${pattern}$`),
    };
  });
}

/**
 * @returns {{ route, params, bad? } | { allowed: string[] } | null}
 * A path parameter that does not convert is `bad` (400 `{ Message }`), raised by the server only
 * after the token is checked, as ASP.NET's authorization runs before model binding.
 */
function match(compiled, method, path, { lenient = true } = {}) {
  const allowed = [];
  for (const route of compiled) {
    const m = (lenient ? route.regex : route.strictRegex).exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params = {};
    let bad;
    route.names.forEach((name, i) => {
      try {
        params[name] = (PARAM_TYPES[route.params[name] || 'string'])(decodeURIComponent(m[i + 1]));
      } catch (err) {
        bad ??= err.status ? err : invalidRequest();
      }
    });
    return { route, params, bad };
  }
  return allowed.length ? { allowed } : null;
}

module.exports = { Reply, json, raw, compile, match, JSON_TYPE };
