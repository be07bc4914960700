'use strict';
// Hand-built minimal PDF 1.4 (one or more pages, Helvetica, WinAnsi text) with a correct xref table.

/** Escape a line for a PDF literal string; characters outside Latin-1 become '?'. */
function pdfString(text) {
  let out = '';
  for (const ch of String(text)) {
    const code = ch.codePointAt(0);
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20) out += ' ';
    else if (code < 0x7f) out += ch;
    else if (code >= 0xa0 && code <= 0xff) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `(${out})`;
}

function wrap(line, width) {
  const out = [];
  let rest = String(line);
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

/**
 * Build a PDF document.
 * @param {{ title: string, lines: string[], fontSize?: number }} doc
 * @returns {Buffer}
 */
function buildPdf({ title, lines, fontSize = 11 }) {
  const size = Math.min(Math.max(Number(fontSize) || 11, 6), 36);
  const leading = Math.round(size * 1.4);
  const perPage = Math.max(1, Math.floor((792 - 72 - 72) / leading));
  const width = Math.max(20, Math.floor(468 / (size * 0.5)));
  const all = [];
  for (const l of lines) all.push(...String(l).split(/\r?\n/).flatMap((x) => wrap(x, width)));
  const pages = [];
  for (let i = 0; i < Math.max(all.length, 1); i += perPage) pages.push(all.slice(i, i + perPage));

  // Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then (page, contents) pairs.
  const objects = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title ${pdfString(title)} /Producer (glassix-wasm sandbox) >>`;
  pages.forEach((pageLines, i) => {
    const pageId = pageIds[i];
    const ops = ['BT', `/F1 ${size} Tf`, `${leading} TL`, '72 720 Td'];
    for (const l of pageLines) ops.push(`${pdfString(l)} Tj T*`);
    ops.push('ET');
    const stream = Buffer.from(`${ops.join('\n')}\n`, 'latin1');
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} >>\nstream\n`, 'latin1'), stream, Buffer.from('endstream', 'latin1'),
    ]);
  });

  // Header with a binary comment (bytes ≥ 0x80) as recommended by the PDF spec.
  const chunks = [Buffer.from('%PDF-1.4\n%', 'latin1'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from('\n', 'latin1')];
  let offset = chunks.reduce((n, b) => n + b.length, 0);
  const offsets = [];
  for (let n = 1; n < objects.length; n += 1) {
    offsets[n] = offset;
    const body = Buffer.isBuffer(objects[n]) ? objects[n] : Buffer.from(objects[n], 'latin1');
    const buf = Buffer.concat([Buffer.from(`${n} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(buf);
    offset += buf.length;
  }
  const xrefAt = offset;
  let xref = `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n += 1) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xrefAt}\n%%EOF`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

module.exports = { buildPdf, pdfString };
