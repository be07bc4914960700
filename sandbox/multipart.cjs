'use strict';
// Minimal, binary-safe multipart/form-data parser (RFC 7578) working on Buffers.

const { badRequest } = require('./util.cjs');

/** Extract the boundary parameter from a content-type header, or null. */
function boundaryOf(contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
  return m ? (m[1] || m[2]) : null;
}

function parseParams(value) {
  const out = {};
  // A quoted value: browsers, undici, Deno and Bun percent-encode `"`, CR and LF (HTML's
  // multipart/form-data encoding) and send a backslash as it is; others (curl, workerd) escape `"`
  // and `\` with a backslash. So only `\"` and `\\` are escapes, and a `\"` that ends the
  // parameter is a name's last backslash and the closing quote (`filename="dir\"`).
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:\\"(?!\s*(?:;|$))|[^"])*)"|([^;]*))/g;
  let m;
  while ((m = re.exec(value))) {
    const key = m[1].toLowerCase();
    let v = m[2] !== undefined ? m[2].replace(/\\(["\\])/g, '$1') : m[3].trim();
    if (key.endsWith('*')) {
      // RFC 5987: charset'lang'percent-encoded
      const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
      if (ext) {
        try { v = decodeURIComponent(ext[2]); } catch { /* keep raw */ }
      }
      out[key.slice(0, -1)] = v;
      continue;
    }
    if (!(key in out)) out[key] = v;
  }
  return out;
}

/**
 * Parse a multipart body.
 * @returns {{ name: string, filename: string|null, contentType: string, headers: object, data: Buffer }[]}
 */
function parseMultipart(body, contentType) {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw badRequest('multipart/form-data request without a boundary.');
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const parts = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw badRequest('Malformed multipart body: boundary not found.');
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    // Skip optional transport padding and the CRLF after the boundary.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else throw badRequest('Malformed multipart body: expected CRLF after boundary.');
    const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
    if (headerEnd < 0) throw badRequest('Malformed multipart body: unterminated part headers.');
    const headers = {};
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delim]), dataStart);
    if (next < 0) throw badRequest('Malformed multipart body: missing closing boundary.');
    const disposition = headers['content-disposition'] || '';
    if (!/^form-data/i.test(disposition)) throw badRequest('Malformed multipart body: part without Content-Disposition: form-data.');
    const params = parseParams(disposition.replace(/^form-data/i, ''));
    // Browsers/undici percent-encode quotes and newlines in field names and filenames.
    const unescape = (v) => v.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
    const filename = params.filename !== undefined ? unescape(params.filename) : null;
    parts.push({
      name: unescape(params.name ?? ''),
      filename,
      contentType: headers['content-type'] || (filename !== null ? 'application/octet-stream' : 'text/plain'),
      headers,
      data: Buffer.from(body.subarray(dataStart, next)),
    });
    pos = next + 2;
  }
  return parts;
}

module.exports = { parseMultipart, boundaryOf };
