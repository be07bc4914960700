// `npm run build`: regenerates the facade from the table (scripts/gen.mjs), compiles the Rust
// crate to wasm once, and writes the package entries around the one `.wasm`:
//   pkg/glassix_wasm_bg.wasm   the wasm (one file, loaded by every entry)
//   pkg/glassix_wasm.js        wasm-bindgen's ES-module glue (browsers, bundlers, workers)
//   pkg/glassix_wasm_node.cjs  wasm-bindgen's CommonJS glue (Node: reads the .wasm synchronously)
//   pkg/index.cjs              Node, require; pkg/index.mjs re-exports it for import
//   pkg/browser.mjs            browsers and bundlers: instantiates with a top-level await
// The release build uses the pinned nightly with `-Zbuild-std` and immediate-abort panics when
// scripts/setup.sh has installed it (the size budget assumes it), else stable.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { NIGHTLY } from './toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
// wasm-pack finds wasm-opt (npm package binaryen) on PATH; without it wasm-pack tries to download
// binaryen, which these machines cannot.
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
if (!existsSync(join(root, 'node_modules', '.bin', 'wasm-opt'))) {
  throw new Error('wasm-opt not found: run `npm install` (devDependency binaryen) first');
}
const run = (cmd, args, extra = {}) => execFileSync(cmd, args, { cwd: root, env: { ...env, ...extra }, stdio: 'inherit' });

run('node', ['scripts/gen.mjs']);

const toolchains = execFileSync('rustup', ['toolchain', 'list'], { encoding: 'utf8' });
const nightly = toolchains.split('\n').some((l) => l.startsWith(NIGHTLY));
if (!nightly) console.error(`build: ${NIGHTLY} is not installed (scripts/setup.sh installs it); building with stable, which is larger`);

// `--js`: rebuild only the entries, from the last wasm build (kept in target/pkg-tmp).
const jsOnly = process.argv.includes('--js') && existsSync(join(root, 'target', 'pkg-tmp', 'web'));
const tmp = join(root, 'target', 'pkg-tmp');
if (!jsOnly) {
rmSync(tmp, { recursive: true, force: true });
run(
  'wasm-pack',
  ['--quiet', 'build', '--release', '--no-pack', '--target', 'web', '--out-dir', join(tmp, 'web'), '.', ...(nightly ? ['--', '-Zbuild-std=std,panic_abort'] : [])],
  nightly ? { RUSTUP_TOOLCHAIN: NIGHTLY, RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort' } : {},
);
// The CommonJS glue for the same wasm (wasm-bindgen emits byte-identical wasm for both targets;
// only the glue differs).
run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', join(tmp, 'node'), join(root, 'target', 'wasm32-unknown-unknown', 'release', 'glassix_wasm.wasm')]);
}

// Each entry is the glue, js/runtime.js and js/generated.js, bundled and minified into one file
// (esbuild; names kept, so stack traces and util.inspect still say GlassixClient, Tickets, …):
// what a user ships is measured, so comments and whitespace stay in the sources, not in pkg/.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
copyFileSync(join(tmp, 'web', 'glassix_wasm_bg.wasm'), join(pkg, 'glassix_wasm_bg.wasm'));
const src = join(tmp, 'src');
rmSync(src, { recursive: true, force: true });
mkdirSync(src);
copyFileSync(join(tmp, 'web', 'glassix_wasm.js'), join(src, 'glue.mjs'));
copyFileSync(join(tmp, 'node', 'glassix_wasm.js'), join(src, 'glue-node.cjs'));
// What every entry binds from the glue, and what it exports besides the default (the class).
const GLUE = ['call', 'Core', '__init', '__wasmMemory', 'formatDate', 'verifyWebhook', 'parseWebhook'];
const EXPORTS = 'export { GlassixClient, GlassixError, formatDate, verifyWebhook, parseWebhook };\nexport default GlassixClient;\n';
const shared = readFileSync(join(root, 'js', 'runtime.js'), 'utf8') + '\n' + readFileSync(join(root, 'js', 'generated.js'), 'utf8');
const entries = {
  // Node, require(): the CommonJS glue reads the .wasm next to it synchronously.
  'index.cjs': `const { ${GLUE.join(', ')} } = require('./glue-node.cjs');\n${shared}\nmodule.exports = finish();\n`,
  // Browsers and bundlers that follow `new URL(…, import.meta.url)` (Vite, webpack, Parcel).
  // Streaming compilation only when the server labels the file application/wasm; otherwise the
  // generated loader would fall back with a console.warn, and the library never prints.
  'browser.mjs':
    `import init, { ${GLUE.join(', ')} } from './glue.mjs';\n${shared}\n` +
    `const response = await fetch(new URL('./glassix_wasm_bg.wasm', import.meta.url));\n` +
    `if (!response.ok) throw new Error('glassix-wasm: could not load its .wasm (' + response.status + ' ' + response.url + ')');\n` +
    `const streamable = (response.headers.get('content-type') || '').split(';')[0].trim() === 'application/wasm';\n` +
    `await init({ module_or_path: streamable ? response : await response.arrayBuffer() });\n` +
    `finish();\n${EXPORTS}`,
};
for (const [name, text] of Object.entries(entries)) {
  const input = join(src, name);
  writeFileSync(input, text);
  await esbuild.build({
    entryPoints: [input],
    outfile: join(pkg, name),
    bundle: true,
    minify: true,
    keepNames: true,
    legalComments: 'none',
    format: name.endsWith('.cjs') ? 'cjs' : 'esm',
    platform: name.endsWith('.cjs') ? 'node' : 'neutral',
    target: 'es2022',
    logLevel: 'warning',
    banner: { js: '// glassix-wasm: generated by scripts/build.mjs from js/ and the wasm-bindgen glue; the sources are in the repository.' },
  });
}
// The glue reads the .wasm from its own directory: it now lives in pkg/ beside the bundle.
writeFileSync(
  join(pkg, 'index.mjs'),
  `import GlassixClient from './index.cjs';\nexport const { GlassixError, formatDate, verifyWebhook, parseWebhook } = GlassixClient;\nexport { GlassixClient };\nexport default GlassixClient;\n`,
);
console.log(`build: pkg/ written (${readdirSync(pkg).join(', ')})`);
