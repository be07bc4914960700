// Server-side faults for the resilience, paging and body tests: handlers for `s.route()` that
// answer wrongly on purpose (status sequences, resets, truncated or slow bodies, silence), plus
// small assertion helpers. Everything runs against real sockets on 127.0.0.1.
import assert from 'node:assert/strict';
import { json, GlassixError } from './server.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A handler that answers the n-th request with `handlers[n]` (the last one repeats). */
export function sequence(...handlers) {
  let n = 0;
  const h = (req, res, rec) => handlers[Math.min(n++, handlers.length - 1)](req, res, rec);
  Object.defineProperty(h, 'count', { get: () => n });
  return h;
}

/** Answers `status` with a JSON body (and extra headers, e.g. Retry-After). */
export const status = (code, headers = {}, body = { message: `status ${code}` }) => (req, res) => json(res, code, body, headers);

/** Answers 200 with `body` as JSON. */
export const ok = (body = { ok: true }) => (req, res) => json(res, 200, body);

/** Destroys the connection without answering (after the request body was received). */
export const reset = () => (req) => req.socket.destroy();

/** Never answers; the socket stays open until the client gives up (or the server closes). */
export const hang = () => () => {};

/**
 * Announces `declared` bytes (Content-Length), sends only `body`, then destroys the socket:
 * a body truncated mid-way.
 */
export const truncated = (body = '{"tickets":[1,2,3', declared = 10_000, contentType = 'application/json; charset=utf-8') => (req, res) => {
  const buf = Buffer.from(body);
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(declared) });
  res.write(buf, () => setTimeout(() => req.socket.destroy(), 20));
};

/**
 * Sends `body` (a Buffer or string) in `pieces` chunks, `everyMs` apart; the head goes out at once.
 * The whole body takes about `(pieces - 1) * everyMs`.
 */
export const drip = (body, pieces, everyMs, contentType = 'application/json; charset=utf-8') => (req, res) => {
  const buf = Buffer.from(body);
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(buf.length) });
  const size = Math.ceil(buf.length / pieces);
  let i = 0;
  const timers = new Set();
  const step = () => {
    if (res.destroyed || res.writableEnded) return;
    const chunk = buf.subarray(i * size, (i + 1) * size);
    i += 1;
    if (i >= pieces) return res.end(chunk);
    res.write(chunk);
    const t = setTimeout(() => (timers.delete(t), step()), everyMs);
    timers.add(t);
  };
  res.on('close', () => timers.forEach(clearTimeout));
  step();
};

/** Raw bytes with a content type. */
export const bytes = (buf, contentType, code = 200) => (req, res) => {
  res.writeHead(code, { 'content-type': contentType, 'content-length': String(buf.length) });
  res.end(buf);
};

/** An HTTP-date (RFC 9110 IMF-fixdate) for `ms`. */
export const httpDate = (ms) => new Date(ms).toUTCString();

/**
 * Awaits `promise`, expecting it to reject with a GlassixError; checks `fields` (e.g. kind,
 * status) and returns the error.
 */
export async function rejects(promise, fields = {}) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a rejection with ${JSON.stringify(fields)}, but the call resolved`);
  assert.ok(err instanceof GlassixError, `expected a GlassixError, got ${err && err.stack}`);
  for (const [k, v] of Object.entries(fields)) assert.deepEqual(err[k], v, `error.${k} (message: ${err.message})`);
  if (err.status !== undefined) assert.equal(err.code, err.status, 'code equals status');
  return err;
}

/** Runs `fn` and returns [result or error, elapsed ms]. */
export async function timed(fn) {
  const t0 = Date.now();
  try {
    const v = await fn();
    return [v, Date.now() - t0];
  } catch (e) {
    return [e, Date.now() - t0];
  }
}
