'use strict';
// POST /files/upload (multipart/form-data). Files are served back at GET {origin}/files/{id}/{name}.

const crypto = require('node:crypto');
const { parseMultipart } = require('../multipart.cjs');
const { HttpError, badRequest } = require('../util.cjs');

function upload(ctx) {
  const type = ctx.headers['content-type'] || '';
  if (!/^multipart\/form-data/i.test(type)) {
    if (ctx.rules.wrongContentType === 'accept') throw badRequest('No file was found in the request body (it is not multipart/form-data).');
    throw new HttpError(415, `The request entity's media type '${type.split(';')[0] || '(none)'}' is not supported for this resource; use multipart/form-data.`, { key: 'Message' });
  }
  const parts = parseMultipart(ctx.rawBody, type).filter((p) => p.filename !== null);
  if (!parts.length) throw badRequest('No file was found in the multipart body.');
  const files = parts.map((p) => {
    const id = crypto.randomBytes(12).toString('hex');
    const fileName = p.filename || 'file';
    const record = {
      id, name: fileName, fieldName: p.name, contentType: p.contentType, data: p.data,
      departmentId: ctx.auth.departmentId, createdAt: ctx.state.now(),
    };
    ctx.state.files.set(id, record);
    return {
      name: p.name, fileName, contentType: p.contentType, size: p.data.length, fileIdentifier: id,
      url: `${ctx.origin}/files/${id}/${encodeURIComponent(fileName)}`,
    };
  });
  if (ctx.rules.inventedReplies === 'void') return ctx.done(`${files.length} file(s) uploaded.`);
  return { urls: files.map((f) => f.url), files };
}

module.exports = {
  routes: [{ method: 'POST', path: '/files/upload', body: 'multipart', handler: upload }],
};
