// The oldest browsers the README names (Browsers, "Which browsers": Chrome and Edge 98, Firefox 97,
// Safari 15.4), held by what the built entries need, since only today's engines run the page
// tests: the .wasm uses no WebAssembly feature but five those versions have (reference types, the
// newest: Chrome 96, Firefox 79, Safari 15), the entries' syntax needs nothing esbuild would
// lower for those versions (top-level await: Chrome 89, Firefox 89, Safari 15), and they call
// none of a list of APIs that came later than those versions (the newest they use: an
// AbortSignal's `reason`, Chrome 98, Firefox 97, Safari 15.4; Object.hasOwn, Firefox 92).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const FLOOR = ['chrome98', 'edge98', 'firefox97', 'safari15.4', 'ios15.4'];
// the entries a browser loads (the Workers entry runs in workerd, always current)
const ENTRIES = ['pkg/browser.mjs', 'pkg/init.mjs'];

/** binaryen's validator over the .wasm with only these WebAssembly features on. */
function validates(...features) {
  const r = spawnSync(bin('wasm-opt'), ['--mvp-features', ...features.map((f) => `--enable-${f}`), join(root, 'pkg', 'glassix_wasm_bg.wasm'), '-o', '/dev/null'], { encoding: 'utf8' });
  return { ok: r.status === 0, said: `${r.stdout}${r.stderr}`.split('\n')[0] };
}

// the WebAssembly features the .wasm uses (Rust's defaults for wasm32), with the first versions of
// Chrome, Firefox and Safari that have each: reference types sets the floor
const WASM_FEATURES = {
  'reference-types': 'Chrome 96, Firefox 79, Safari 15',
  'bulk-memory': 'Chrome 75, Firefox 79, Safari 15',
  'nontrapping-float-to-int': 'Chrome 75, Firefox 64, Safari 15',
  'sign-ext': 'Chrome 74, Firefox 62, Safari 14.1',
  multivalue: 'Chrome 85, Firefox 78, Safari 13.1',
};

test('the .wasm needs the WebAssembly features the README names, each of them, and no other', () => {
  const all = validates(...Object.keys(WASM_FEATURES));
  assert.ok(all.ok, all.said);
  for (const feature of Object.keys(WASM_FEATURES)) {
    const without = validates(...Object.keys(WASM_FEATURES).filter((f) => f !== feature));
    assert.ok(!without.ok, `the .wasm validates without ${feature}: the README need not name it`);
  }
});

/** `file` as esbuild prints it for `targets` (it lowers what those versions lack, or fails). */
function printed(file, targets) {
  const r = spawnSync(bin('esbuild'), [isAbsolute(file) ? file : join(root, file), `--target=${targets.join(',')}`, '--format=esm', '--log-level=error'], { encoding: 'utf8' });
  return { code: r.stdout, errors: r.stderr.split('\n').filter((l) => l.includes('ERROR')) };
}

test("the browser entries' syntax is what the oldest browsers named run as it is: nothing to lower for them", () => {
  for (const file of ENTRIES) {
    const floor = printed(file, FLOOR);
    assert.deepEqual(floor.errors, [], file);
    // what esbuild can lower it does without a word (a class static block for Safari 15.4):
    // for those versions it must print the same code as for the newest
    assert.ok(floor.code === printed(file, ['esnext']).code, `${file}: esbuild rewrites some of it for ${FLOOR.join(', ')}`);
  }
  // and the checks see what they must: a version before top-level await, one before class
  // static blocks
  assert.match(printed('pkg/browser.mjs', ['firefox88']).errors.join('\n'), /Top-level await is not available/);
  const dir = mkdtempSync(join(tmpdir(), 'glassix-support-'));
  try {
    writeFileSync(join(dir, 'static-block.mjs'), 'export class A { static { this.b = 1; } }\n');
    assert.notEqual(printed(join(dir, 'static-block.mjs'), FLOOR).code, printed(join(dir, 'static-block.mjs'), ['esnext']).code);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// APIs later than the oldest browsers named, each with where it came last (MDN's compatibility
// data): an entry that calls one fails there
const LATER = {
  'findLast(': 'Firefox 104',
  'findLastIndex(': 'Firefox 104',
  'toSorted(': 'Chrome 110',
  'toReversed(': 'Chrome 110',
  'toSpliced(': 'Chrome 110',
  'Object.groupBy': 'Chrome 117',
  'Map.groupBy': 'Chrome 117',
  'Promise.withResolvers': 'Chrome 119',
  'Array.fromAsync': 'Chrome 121',
  'isWellFormed(': 'Chrome 111',
  'toWellFormed(': 'Chrome 111',
  'AbortSignal.any': 'Chrome 116',
  'AbortSignal.timeout': 'Chrome 103',
  'throwIfAborted(': 'Chrome 100',
  'Response.json(': 'Chrome 105',
  'URL.canParse': 'Chrome 120',
  'URL.parse': 'Chrome 126',
  'Intl.Segmenter': 'Firefox 125',
  '.union(': 'Chrome 122',
  '.intersection(': 'Chrome 122',
  'Iterator.from': 'Chrome 122',
  'ReadableStream.from': 'Chrome 141',
  'Error.isError': 'Chrome 134',
  'RegExp.escape': 'Chrome 136',
  'Float16Array': 'Chrome 135',
};

test('the browser entries call no API that came after the oldest browsers named', () => {
  for (const file of ENTRIES) {
    const code = readFileSync(join(root, file), 'utf8');
    const found = Object.entries(LATER).filter(([api]) => code.includes(api)).map(([api, since]) => `${api} (${since})`);
    assert.deepEqual(found, [], file);
    // the newest APIs they use, which set the floor, are still used (else it may go down)
    assert.ok(code.includes('Object.hasOwn'), `${file}: Object.hasOwn (Firefox 92, Safari 15.4)`);
    assert.match(code, /=>\w+\.reason\b/, `${file}: an AbortSignal's reason (Chrome 98, Firefox 97, Safari 15.4)`);
  }
});
