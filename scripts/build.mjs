// `npm run build`: regenerates the facade from the table (scripts/gen.mjs), compiles the Rust
// crate to wasm once, and writes the package entries around the one `.wasm`. Each entry is one
// bundled, minified file: wasm-bindgen's glue (ES-module or, for Node, CommonJS), js/runtime.js
// and js/generated.js.
//   pkg/glassix_wasm_bg.wasm   the wasm (one file, loaded by every entry)
//   pkg/index.cjs              Node, require; pkg/index.mjs re-exports it for import
//   pkg/browser.cjs            require() under the browser condition: Jest's jsdom environment
//                              (pkg/node.cjs, the Node entry); in a browser bundle a stand-in whose
//                              use throws a clear error
//   pkg/browser.mjs            browsers and bundlers: instantiates with a top-level await
//   pkg/workerd.mjs            Cloudflare Workers: imports the .wasm as a module, no await
//   pkg/init.mjs               esbuild, bun build: no top-level await, an explicit init(source)
// The release build uses the pinned nightly with `-Zbuild-std` and immediate-abort panics when
// scripts/setup.sh has installed it (the size budget assumes it), else stable.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import * as terser from 'terser';
import { BUILD_STD, BUILD_STD_FEATURES, NIGHTLY, RELEASE_RUSTFLAGS } from './toolchain.mjs';
import { arrowImports, forgetFailedStart, noDeadEncoding, dropFree, finalizationAlways, noAssertClass, noDeadLoader, noWarnings, oneSnippetImport, renameInGlue, renameModules, shortenImports, urlProbe, deferRequest, crossRealmDates, shortProps, mergeImports, inlineSnippet } from './short-imports.mjs';

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
/** binaryen's size passes on `file`, in place, until nothing changes (the wasm's features as
 * rustc emits them). */
const wasmOpt = (file) => run('wasm-opt', [file, '-o', file, '-Oz', '--converge', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue']);

if (!jsOnly) {
rmSync(tmp, { recursive: true, force: true });
run(
  'wasm-pack',
  ['--quiet', 'build', '--release', '--no-pack', '--target', 'web', '--out-dir', join(tmp, 'web'), '.', ...(nightly ? ['--', BUILD_STD, BUILD_STD_FEATURES] : [])],
  nightly ? { RUSTUP_TOOLCHAIN: NIGHTLY, RUSTFLAGS: RELEASE_RUSTFLAGS } : {},
);
// A second round of binaryen's size passes, run until nothing changes, after wasm-pack's
// pipeline (Cargo.toml): about 0.2 KB gzip that the pipeline's one round leaves.
wasmOpt(join(tmp, 'web', 'glassix_wasm_bg.wasm'));
// The CommonJS glue for the same wasm (wasm-bindgen emits byte-identical wasm for both targets;
// only the glue differs).
// (cargo's output, wherever CARGO_TARGET_DIR puts it: never a stale ./target)
const cargoOut = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target');
run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', join(tmp, 'node'), join(cargoOut, 'wasm32-unknown-unknown', 'release', 'glassix_wasm.wasm')]);
}

// Each entry is the glue, js/runtime.js and js/generated.js, bundled and minified into one file
// (esbuild; the classes users see keep their names through `named()` in js/runtime.js):
// what a user ships is measured, so comments and whitespace stay in the sources, not in pkg/.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
const src = join(tmp, 'src');
rmSync(src, { recursive: true, force: true });
mkdirSync(src);
// short import names in the wasm and both glues (scripts/short-imports.mjs says why)
const { bytes, map, exports, modules, snippet } = shortenImports(readFileSync(join(tmp, 'web', 'glassix_wasm_bg.wasm')));
// each glue (web, node) goes through the same steps: short names, no free(), no _assertClass,
// no fallback for a runtime without FinalizationRegistry, one snippet import,
// gloo-net's URL probe without a Request, Dates of any realm, no console.warn, the imports as arrows, the string
// passing without its dead branches, wasm-bindgen's internal property names short (and the web
// glue's loader without what the entries do themselves)
const glue = (target) => shortProps(noDeadEncoding(arrowImports(finalizationAlways(noWarnings(crossRealmDates(deferRequest(urlProbe(renameModules(inlineSnippet(oneSnippetImport(noAssertClass(dropFree(renameInGlue(readFileSync(join(tmp, target, 'glassix_wasm.js'), 'utf8'), map, exports)))), snippet), modules)))))))));
// (imports whose JS is the same text in both glues made one: mergeImports)
const merged = mergeImports(bytes, [forgetFailedStart(noDeadLoader(glue('web'))), glue('node')]);
writeFileSync(join(pkg, 'glassix_wasm_bg.wasm'), merged.bytes);
// binaryen's size passes once more on the renamed wasm, until nothing changes: the merged imports
// are one import now (duplicate-import-elimination), and the calls through them alike
wasmOpt(join(pkg, 'glassix_wasm_bg.wasm'));
writeFileSync(join(src, 'glue.mjs'), merged.glues[0]);
writeFileSync(join(src, 'glue-node.cjs'), merged.glues[1]);
// the JS snippets the wasm imports (js/exchange.js), where both glues look for them
cpSync(join(tmp, 'web', 'snippets'), join(src, 'snippets'), { recursive: true });
// What every entry binds from the glue, and what it exports besides the default (the class).
const GLUE = ['call', 'Core', '__init', 'formatDate', 'verifyWebhook', 'parseWebhook'];
const FREE = ['formatDate', 'verifyWebhook', 'parseWebhook'];
// The free functions as every entry exports them: a GlassixError they throw has the caller's
// stack (`restack`, js/runtime.js), and where the wasm may not be there when they are called
// (glassix-wasm/init before init(), and the browser entry in a module that WebKit runs before the
// entry's top-level await is over: it does not wait for a module still evaluating, a second
// module script that imports the package runs at once) they refuse as the constructor does, each
// naming itself (by its subject's number, from the table), instead of failing inside the glue.
const glueImports = (as = ' as ') => GLUE.map((n) => (FREE.includes(n) ? `${n}${as}${n}Wasm` : n)).join(', ');
const guardedImports = (loader) => `import ${loader}, { ${glueImports()} } from './glue.mjs';\n`;
const guarded = () =>
  `const guard = (f, at) => {\n  const g = Object.defineProperty((...a) => {\n    try {\n      ready(at);\n      return f(...a);\n    } catch (e) {\n      throw restack(e, g);\n    }\n  }, 'length', { value: f.length });\n  return g;\n};\n` +
  FREE.map((n) => `const ${n} = guard(${n}Wasm, ${Object.keys(TABLE.subjects).find((at) => TABLE.subjects[at] === n)});\n`).join('');
// what the browser entry says there (glassix-wasm/init's words, "call `await init(wasmUrl)` …",
// would name a function its user never called)
const NOT_READY_INIT = 'call `await init(wasmUrl)` from glassix-wasm/init before using the client';
const NOT_READY_BROWSER = "the .wasm is still loading: WebKit ran this module before the package's top-level await ended. Make clients in one module, or use glassix-wasm/init and `await init(wasmUrl)` in each";
function browserWords(text) {
  if (text.split(NOT_READY_INIT).length !== 2) throw new Error(`js/generated.js: expected the message "${NOT_READY_INIT}" once`);
  return text.replace(NOT_READY_INIT, NOT_READY_BROWSER);
}
// js/runtime.js also uses the snippet's `plain` and `isStream` (one definition for Rust and JS)
const [snippetDir] = readdirSync(join(src, 'snippets'));
// (wasm-bindgen copied it at the wasm build: `--js` takes today's)
copyFileSync(join(root, 'js', 'exchange.js'), join(src, 'snippets', snippetDir, 'js', 'exchange.js'));
const SNIPPET = `./snippets/${snippetDir}/js/exchange.js`;
// the endpoint table, for realParams (below)
const BANNER = '// glassix-wasm, built by scripts/build.mjs (sources: the repository)';
const TABLE = JSON.parse(readFileSync(join(root, 'js', 'table.json'), 'utf8'));
const EXPORTS = 'export { GlassixClient, GlassixError, formatDate, verifyWebhook, parseWebhook };\nexport default GlassixClient;\n';
const shared = readFileSync(join(root, 'js', 'runtime.js'), 'utf8') + '\n' + readFileSync(join(root, 'js', 'generated.js'), 'utf8');
/** The shared runtime with `keep` (every call's and page's promise passes through it) also
 * holding a timer while the promise is pending: for the Workers entry only. */
function keepAlive(text) {
  const head = 'function keep(on, r) {\n';
  if (text.split(head).length !== 2) throw new Error('js/runtime.js: expected one `function keep(on, r) {`');
  // (none at module scope, where workerd refuses a timer: the call goes on without one, a promise
  // as in every entry, rather than throwing workerd's error and failing the Worker's start)
  return text.replace(head, head + '  if (r instanceof Promise) {\n    try {\n      const t = setInterval(Object, 9e3);\n      r.then(() => clearInterval(t), () => clearInterval(t));\n    } catch {}\n  }\n');
}
const entries = {
  // Node, require(): the CommonJS glue reads the .wasm next to it synchronously.
  // (a .wasm it cannot read or compile, say one a bundle left behind, is a GlassixError of kind
  // network from the catalog, as in the other entries: the failure as its cause)
  'index.cjs':
    `let glue, failed;\ntry {\n  glue = require('./glue-node.cjs');\n} catch (e) {\n  failed = e;\n}\nconst { ${glueImports(': ')} } = glue || {};\nconst { plain, isStream, hmacSha1 } = require('${SNIPPET}');\n${shared}\n` +
    // (the free functions wrapped once the glue is there)
    `if (failed) throw makeError({ kind: 'network', msg: WASM_LOAD, a: String(failed?.message ?? failed), cause: failed, at: AT_CLIENT });\n${guarded()}setup();\nmodule.exports = finish();\n`,
  // Browsers and bundlers that follow `new URL(…, import.meta.url)` (Vite, webpack, Parcel).
  // Streaming compilation only when the server labels the file application/wasm (the generated
  // loader's slower fallback, whose console.warn the build removes, is then never needed).
  'browser.mjs':
    `${guardedImports('init')}import { plain, isStream, hmacSha1 } from '${SNIPPET}';\n${guarded()}${browserWords(shared)}\nsetup();\n` +
    // (a .wasm it cannot load is a GlassixError of kind network, from the catalog, as in
    // glassix-wasm/init: the failure as its cause)
    `const url = new URL('./glassix_wasm_bg.wasm', import.meta.url);\n` +
    `let response;\n` +
    `try {\n` +
    `  response = await fetch(url);\n` +
    `  if (!response.ok) throw 0;\n` +
    `  const streamable = (response.headers.get('content-type') || '').split(';')[0].trim() === 'application/wasm';\n` +
    `  await init(streamable ? response : await response.arrayBuffer());\n` +
    `} catch (e) {\n` +
    // (the status for a response that is not ok, else why: a compile error, a CSP refusal, a
    // failed fetch; then the URL)
    `  throw makeError({ kind: 'network', msg: WASM_LOAD, a: (e === 0 ? response.status : e?.message ?? e) + ' ' + url, cause: e === 0 ? undefined : e, at: AT_CLIENT });\n` +
    `}\n` +
    `finish();\n${EXPORTS}`,
  // Cloudflare Workers (workerd, wrangler, miniflare): no top-level fetch, no compiling bytes at
  // run time. The .wasm is imported as a module (a WebAssembly.Module) and instantiated at once.
  // A call that waits on another request's call (its place in a maxConcurrency or rateLimit
  // queue, a 429 pause) has nothing of its own pending, and workerd cancels such a request as
  // hung: a timer held while each call's promise is pending keeps its request alive.
  'workerd.mjs':
    `import { initSync, ${glueImports()} } from './glue.mjs';\nimport { plain, isStream, hmacSha1 } from '${SNIPPET}';\nimport module from './glassix_wasm_bg.wasm';\n${guarded()}${keepAlive(shared)}\nsetup();\n` +
    `initSync(module);\nfinish();\n${EXPORTS}`,
  // esbuild, bun build and anything else that does not follow new URL(…, import.meta.url): no
  // top-level await; the app calls init() with the .wasm's URL (from glassix-wasm/wasm), its
  // bytes, a Response or a compiled module, then uses the client.
  'init.mjs':
    // (the free functions refuse, as the constructor does, until init() has resolved: guarded())
    `${guardedImports('load')}import { plain, isStream, hmacSha1 } from '${SNIPPET}';\n${guarded()}${shared}\nsetup();\n` +
    // a relative URL string (what esbuild's and bun's file loaders make of the .wasm) is read
    // against the script's own URL, not the page's, so the page may sit anywhere. Where there is
    // no import.meta.url (below es2020 esbuild empties import.meta; an iife bundle has none), the
    // URL is the first one in a stack trace made here: every engine names the script's URL in it
    `const BASE = import.meta.url || /((?:https?|file|blob):[^\\s()]+?):\\d+:\\d+/.exec(new Error().stack)?.[1];\n` +
    `let loading;\n` +
    `export function init(source) {\n` +
    `  loading ??= start(source).catch((e) => { loading = undefined; throw e; });\n` +
    `  return loading;\n}\n` +
    // (what it could not load from, or why, is a GlassixError: a source of another kind is the
    // caller's mistake, a failed fetch or compile a network one with its error as the cause)
    `const failed = (kind, a, cause) => makeError({ kind, msg: WASM_LOAD, a, cause, at: AT_CLIENT });\n` +
    `async function start(source) {\n` +
    // (bytes and a compiled module are known by their tag, not by class: one from another realm
    // is as good, and Vercel's edge tooling hands its `?module` imports in from the host's)
    // (a promise of a source that rejects, `init(fetch(url))` with the fetch failing, is a failed
    // load like any other)
    `  try {\n` +
    `    let s = await (source === undefined ? new URL('./glassix_wasm_bg.wasm', import.meta.url) : source);\n` +
    `    if (typeof s === 'string' && BASE && !/^([a-z][a-z\\d+.-]*:|\\/)/i.test(s)) s = new URL(s, BASE);\n` +
    `    if (!(typeof s === 'string' || s instanceof URL || s instanceof Response || ArrayBuffer.isView(s) || /^\\[object (ArrayBuffer|WebAssembly\\.Module)]$/.test(Object.prototype.toString.call(s)))) throw failed('invalid_argument', describe(s) + ': pass init() its URL, bytes, a Response or a Module');\n` +
    `    if (typeof s === 'string' || s instanceof URL) s = await fetch(s);\n` +
    // (a Response not labelled application/wasm: the glue's loader compiles its bytes instead)
    `    if (s instanceof Response && !s.ok) throw failed('network', (s.status + ' ' + s.url.split('?')[0]).trim());\n` +
    `    await load(s);\n` +
    `  } catch (e) {\n` +
    `    throw e instanceof GlassixError ? e : failed('network', String(e?.message ?? e), e);\n` +
    `  }\n  finish();\n}\n${EXPORTS}`,
};
for (const [name, text] of Object.entries(entries)) {
  const input = join(src, name);
  writeFileSync(input, text);
  await esbuild.build({
    entryPoints: [input],
    outfile: join(pkg, name),
    bundle: true,
    minify: true,
    legalComments: 'none',
    format: name.endsWith('.cjs') ? 'cjs' : 'esm',
    platform: name.endsWith('.cjs') ? 'node' : 'neutral',
    target: 'es2022',
    logLevel: 'warning',
    banner: { js: BANNER },
    // the one .wasm stays a separate file beside the entries
    external: ['./glassix_wasm_bg.wasm'],
    // Workers with a compatibility date before 2025-05-05 (and no `enable_weak_ref` flag) have no
    // FinalizationRegistry, which the glue makes at load: there it is one that never calls back
    // (the README says what that costs), instead of a worker that cannot start. Not in the global
    // scope: only the glue's references are replaced.
    ...(name === 'workerd.mjs' && { inject: [join(root, 'js', 'weak.mjs')] }),
  });
  // terser after esbuild: one compress pass over the bundle saves about 0.3 KB gzip per entry
  // (more passes save nothing more). Function arguments are kept (`keep_fargs`, its default): the
  // facade's methods report their real `.length`. Statements end with newlines where terser can
  // (`semicolons: false`, +4 B gzip): Node prints the source line of an uncaught error's throw
  // site above the stack, which was the whole one-line bundle (26 KB, and a caret line as wide).
  // Bun prints six lines around the top frame: the Node entry (which Bun and Deno load) keeps its
  // lines to 120 characters (+114 B gzip; the browser entries, which nothing prints, do not).
  const { code } = await terser.minify(readFileSync(join(pkg, name), 'utf8'), {
    module: !name.endsWith('.cjs'),
    ecma: 2022,
    compress: { passes: 1 },
    mangle: { toplevel: true },
    format: { comments: false, preamble: BANNER, semicolons: false, max_line_len: name === 'index.cjs' && 120 },
  });
  const done = classNames(realParams(code));
  writeFileSync(join(pkg, name), name === 'index.cjs' ? withTextCodecs(done) : done);
}
/** The classes users meet, named in the bundle as in the source. esbuild writes a top-level class
 * as `var X=class{…}` and the minifier renames X, so V8, which names a class by where it is made
 * (not by the `name` property `named()` sets), said `Class constructor Ne cannot be invoked without
 * 'new'` to a `GlassixClient(options)` without `new`, and showed `at Te.addNote` in stacks. Each
 * is found by the runtime's `named`/`detachable` call, which keeps its name as a string
 * (`Xe(Te,"Tickets",!0)`), and its class expression is given that name; none refers to itself by
 * name (js/runtime.js), so none has a name of its own to clash with. */
function classNames(code) {
  const names = [...TABLE.groups.map((g) => g.class), 'GlassixError', 'TicketIterator'];
  for (const name of names) {
    const calls = [...code.matchAll(new RegExp(`[\\w$]+\\(([\\w$]+),\n?"${name}"`, 'g'))];
    const made = calls.length === 1 && new RegExp(`(^|[,;\\s])${calls[0][1].replace(/\$/g, '\\$')}=class(?=\\{| extends )`, 'gm');
    if (!made || (code.match(made) || []).length !== 1) throw new Error(`build: the class ${name} is not in the shape classNames expects`);
    code = code.replace(made, (all) => `${all} ${name}`);
  }
  return code;
}
/** The Node entry with TextDecoder and TextEncoder from node:util where the global scope has none:
 * Jest's jsdom environment runs modules on Node with jsdom's globals, which lack both, and loads
 * this entry there (through pkg/browser.cjs). Every use in the bundle (the glue's, js/runtime.js's)
 * is a free name, so a `var` of the module's scope, put after minifying, takes them all. */
function withTextCodecs(code) {
  const [banner, ...rest] = code.split('\n');
  if (banner !== BANNER || /\bvar (TextDecoder|TextEncoder)\b/.test(code)) throw new Error('build: index.cjs is not in the shape withTextCodecs expects');
  return [banner, 'var{TextDecoder,TextEncoder}=globalThis.TextDecoder&&globalThis.TextEncoder?globalThis:require("util")', ...rest].join('\n');
}
/** The minified bundle with each facade method's parameters named as in the table (what
 * `client.tickets.send.toString()` and a debugger show: `send(ticketId,payload,options)`, not
 * `send(t,e,n)`). A method's body only hands its arguments on (`return o(this.#t,5,...arguments)`)
 * and never names a parameter, so renaming them is safe. Costs about 0.1 KB gzip per entry. */
function realParams(code) {
  let renamed = 0;
  const out = code.replace(/([\w$]+)\(([\w$,\n]*)\)\{\n?return ([\w$]+)\(\n?this\.#([\w$]+),\n?(\d+)(,\n?\.\.\.arguments)?\)\}/g, (all, method, params, fn, field, index, spread) => {
    params = params.replace(/\n/g, '');
    spread &&= ',...arguments';
    const row = TABLE.rows[Number(index)];
    const names = [...row.params.map((p) => p.name), ...(row.callOptions ? ['options'] : [])];
    if (row.name !== method || Boolean(spread) !== names.length > 0 || (params ? params.split(',').length : 0) !== names.length || names.some((n) => n.length < 3)) {
      throw new Error(`build: facade method ${method} (row ${index}) is not in the shape realParams expects: ${all}`);
    }
    renamed++;
    return `${method}(${names}){return ${fn}(this.#${field},${index}${spread || ''})}${all.includes('\n') ? '\n' : ''}`;
  });
  if (renamed !== TABLE.rows.length) throw new Error(`build: named the parameters of ${renamed} facade methods, expected ${TABLE.rows.length}`);
  return out;
}

// The glue reads the .wasm from its own directory: it now lives in pkg/ beside the bundle.
writeFileSync(
  join(pkg, 'index.mjs'),
  `import GlassixClient from './index.cjs';\nexport const { GlassixError, formatDate, verifyWebhook, parseWebhook } = GlassixClient;\nexport { GlassixClient };\nexport default GlassixClient;\n`,
);
// require('glassix-wasm') where the browser condition applies (package.json's exports). A browser
// cannot compile the .wasm synchronously, as require() would need (a bundler hands back a promise of
// pkg/browser.mjs, or refuses its top-level await). Jest's jsdom environment applies the condition
// while running on Node: there pkg/node.cjs is the Node entry. Bundlers for the browser map
// pkg/node.cjs to nothing (package.json's "browser" field; Jest does not read it), so a require() in
// browser code gets a stand-in instead, whose every use throws a message saying what to do: a module
// that only requires the package (code shared with a server) still loads. (Not a GlassixError: no
// entry loaded to make one; `instanceof` the stand-in's GlassixError is false, as nothing makes one.)
writeFileSync(join(pkg, 'node.cjs'), `${BANNER}\n// the Node entry, by a name package.json's "browser" field maps to nothing for bundlers (see browser.cjs)\nmodule.exports = require('./index.cjs');\n`);
writeFileSync(
  join(pkg, 'browser.cjs'),
  `${BANNER}\n// require() under the browser condition: the Node entry where there is Node (Jest's jsdom environment);\n// in a browser bundle pkg/node.cjs is nothing (package.json "browser"), and require() cannot wait for the .wasm:\n// a stand-in whose every use says so\n` +
    `const node = require('./node.cjs');\n` +
    `const refuse = () => {\n  throw new Error("glassix-wasm: require('glassix-wasm') cannot give the client in a browser bundle, where its .wasm loads asynchronously: import it (import GlassixClient from 'glassix-wasm'), or use glassix-wasm/init");\n};\n` +
    `function GlassixClient() {\n  refuse();\n}\nfunction GlassixError() {\n  refuse();\n}\n` +
    `module.exports = typeof node === 'function' ? node : Object.assign(GlassixClient, { GlassixClient, default: GlassixClient, GlassixError, formatDate: refuse, verifyWebhook: refuse, parseWebhook: refuse });\n`,
);
console.log(`build: pkg/ written (${readdirSync(pkg).join(', ')})`);
