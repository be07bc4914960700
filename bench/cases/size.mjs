// Size: the files a user ships, raw, gzip -9 and brotli (max quality), beside axios's ESM build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT, budget, kb, runCase } from '../lib.mjs';

// each entry is one bundled JS file (glue, runtime and facade) beside the one .wasm
const BUILDS = {
  node: ['pkg/glassix_wasm_bg.wasm', 'pkg/index.cjs'],
  web: ['pkg/glassix_wasm_bg.wasm', 'pkg/browser.mjs'],
};
const AXIOS = ['node_modules/axios/dist/esm/axios.min.js', 'node_modules/axios/dist/esm/axios.js'];
// issue 18: the browser and the Node entry, wasm + JS, at most 60 KB gzip -9, in the issue's
// units (1 KB = 1,000 B: its "wasm 68.5 KB" was the 68,520-byte build)
const BUDGET_GZIP = 60_000;

function measure(file) {
  const buf = readFileSync(join(ROOT, file));
  return {
    file,
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}

const sum = (rows, file) => ({ file, ...Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, rows.reduce((s, r) => s + r[k], 0)])) });

/** The wasm's sections (code, data, custom names...) by size: where the bytes are. */
function wasmSections(file) {
  const b = readFileSync(join(ROOT, file));
  const names = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const leb = (p) => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const x = b[p.i++];
      v += (x & 0x7f) * 2 ** s;
      if (x < 0x80) return v;
    }
  };
  const out = {};
  for (const p = { i: 8 }; p.i < b.length; ) {
    const id = b[p.i++];
    const size = leb(p);
    let name = names[id] ?? `id${id}`;
    if (id === 0) {
      const q = { i: p.i };
      const len = leb(q);
      name = `custom:${b.subarray(q.i, q.i + len).toString()}`;
    }
    out[name] = (out[name] ?? 0) + size;
    p.i += size;
  }
  return out;
}

runCase(async () => {
  const rows = [];
  const budgets = [];
  const totals = {};
  for (const [build, files] of Object.entries(BUILDS)) {
    const measured = files.map(measure);
    totals[build] = sum(measured, `glassix-wasm ${build} total`);
    rows.push(...measured, totals[build]);
    budgets.push(budget(`${build}: wasm + glue, gzip`, totals[build].gzip, BUDGET_GZIP, (b) => `${b.toLocaleString('en')} B`));
  }
  const axiosFile = AXIOS.find((f) => existsSync(join(ROOT, f)));
  const axios = axiosFile ? measure(axiosFile) : null;
  if (axios) rows.push({ ...axios, file: `axios ESM (${axiosFile.split('/').pop()})` });
  const sections = wasmSections(BUILDS.web[0]);
  return {
    id: 'size',
    title: 'Size: what a user ships (each file compressed on its own, then summed)',
    table: {
      head: ['file', 'raw', 'gzip -9', 'brotli 11'],
      rows: rows.map((r) => [r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)]),
    },
    budgets,
    notes: [
      axios
        ? `glassix-wasm web total ÷ axios: ${(totals.web.gzip / axios.gzip).toFixed(2)}× gzip, ${(totals.web.brotli / axios.brotli).toFixed(2)}× brotli`
        : 'axios ESM build not found in node_modules',
      `wasm sections (bytes): ${Object.entries(sections).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ],
    data: { files: rows, totals, axios, wasmSections: sections },
  };
});
