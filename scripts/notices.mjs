// `node scripts/notices.mjs [--check]`: writes what the package owes and declares for the code it
// ships that is not its own, the crates compiled into the .wasm:
//   THIRD-PARTY-NOTICES.txt   their license texts, from each crate's own files
//   sbom.cdx.json             a CycloneDX 1.6 SBOM of the package: those crates as components
//                             (purl, license, Cargo.lock's SHA-256), their graph, the npm packages
//                             it installs, and the tools that build it
// Which crates: the ones cargo compiles for the release wasm, read from cargo's unit graph of
// that very build (the pinned nightly, `-Zbuild-std=std,panic_abort` with std's features, the release RUSTFLAGS:
// scripts/toolchain.mjs), so the standard library's crates are those its features really pull
// in. Proc macros and build scripts run on the host and put nothing into the .wasm. A crate is
// listed whether or not link-time optimisation keeps any of its code. Their metadata comes from
// `cargo metadata` (this crate's, and the toolchain's library/ for the standard library's); the
// standard library's in-tree notices from the toolchain's COPYRIGHT-library.html.
// With --check it writes nothing and fails if either file is stale; tests/licenses.test.mjs does
// the same, so after changing Cargo.lock, the pinned nightly or the build's flags, run it and
// commit both.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STD, BUILD_STD_FEATURES, NIGHTLY, RELEASE_RUSTFLAGS, WASM_TARGET as TARGET } from './toolchain.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NOTICES = 'THIRD-PARTY-NOTICES.txt';
export const SBOM = 'sbom.cdx.json';
const NIGHTLY_ENV = { ...process.env, RUSTUP_TOOLCHAIN: NIGHTLY };

/** License texts a crate's package leaves out (licenses/README.md says where each is from). */
const OVERRIDES = { 'gloo-net': ['licenses/gloo/LICENSE-MIT.md'], 'gloo-utils': ['licenses/gloo/LICENSE-MIT.md'] };
/** Directories (under library/) a standard library crate compiles sources from besides its own
 * (`#[path]`, `include!`), whose notices go with it: compiler_builtins builds libm's math (the
 * musl and Sun notices), core and std parts of stdarch and portable-simd, std the backtrace
 * crate's code. tests/licenses.test.mjs holds this to the files the release build's dep-info
 * lists (a file from another directory, not another listed crate's, fails it). */
export const INCLUDED = {
  core: ['portable-simd/crates/core_simd', 'stdarch/crates/core_arch'],
  std: ['backtrace', 'portable-simd/crates/core_simd', 'portable-simd/crates/std_float', 'stdarch/crates/core_arch'],
  compiler_builtins: ['compiler-builtins/libm'],
};
/** The toolchain's in-tree notices for files no wasm32 build compiles (tests/licenses.test.mjs
 * holds this to the dep-info too): they are listed, marked so, but add no license. */
export const NOT_COMPILED = ['library/std/src/sys/sync/mutex/fuchsia.rs'];

/** Licenses the package may ship code under: permissive ones, whose conditions a notice meets
 * (and Apache-2.0 with LLVM's exception, which only relaxes it). */
export const ALLOWED = ['MIT', 'Apache-2.0', 'Apache-2.0 WITH LLVM-exception', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Zlib', 'Unicode-3.0', 'Unicode-DFS-2016', 'Unlicense', '0BSD', 'CC0-1.0', 'BSL-1.0'];

/** Cargo's old `MIT/Apache-2.0` as the SPDX expression it means. */
const spdx = (license) => license.replace(/\s*\/\s*/g, ' OR ');

/** The terms an SPDX expression ANDs, each as the licenses it may choose from (its ORs; a license
 * with an exception as `Apache-2.0 WITH LLVM-exception`), read by spdx-expression-parse. */
export function andTerms(expression) {
  const node = require('spdx-expression-parse')(spdx(expression));
  const alternatives = (n) => (n.conjunction === 'or' ? [...alternatives(n.left), ...alternatives(n.right)] : n.conjunction ? [null] : [n.exception ? `${n.license} WITH ${n.exception}` : n.license]);
  const terms = (n) => (n.conjunction === 'and' ? [...terms(n.left), ...terms(n.right)] : [alternatives(n)]);
  return terms(node).map((t) => {
    if (t.includes(null)) throw new Error(`notices: ${expression}: an AND inside an OR is not read here`);
    return t;
  });
}

/** Whether an SPDX expression (`MIT OR Apache-2.0`, `(MIT OR Apache-2.0) AND Unicode-3.0`, and
 * Cargo's old `MIT/Apache-2.0`) can be met with allowed licenses alone: an OR needs one side, an
 * AND both (spdx-satisfies). Anything that is not an SPDX expression is not allowed. */
export function licenseAllowed(expression) {
  if (typeof expression !== 'string') return false;
  try {
    return require('spdx-satisfies')(spdx(expression), ALLOWED);
  } catch {
    return false;
  }
}

/** `m`'s group 1, or a one-line error saying what was not found where. */
function must(m, what) {
  if (!m) throw new Error(`notices: ${what}`);
  return m[1];
}

const cargoJson = (args, cwd, env = NIGHTLY_ENV) => JSON.parse(execFileSync('cargo', args, { cwd, encoding: 'utf8', env, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }));
const metadata = (cwd) => cargoJson(['metadata', '--format-version', '1', '--all-features', '--locked'], cwd);

/** The pinned nightly: its sysroot (rust-src's library/, the licenses and notices it ships), its
 * version and commit. */
export function toolchain() {
  const dir = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8', env: NIGHTLY_ENV }).trim();
  const library = join(dir, 'lib', 'rustlib', 'src', 'rust', 'library');
  if (!existsSync(join(library, 'Cargo.toml'))) throw new Error(`notices: ${NIGHTLY} with rust-src is not installed (scripts/setup.sh installs it)`);
  const v = execFileSync('rustc', ['-vV'], { encoding: 'utf8', env: NIGHTLY_ENV });
  const [release, commit] = ['release', 'commit-hash'].map((k) => must(v.match(new RegExp(`^${k}: (\\S+)$`, 'm')), `\`rustc -vV\` (${NIGHTLY}) names no ${k}`));
  return { dir, library, release, commit };
}

/** The standard library's in-tree notices (COPYRIGHT-library.html's "In-tree files"): each
 * entry's path (relative to its enclosing entry's when nested), nesting depth, license and
 * copyright lines, in order. */
function inTreeNotices(dir) {
  const html = readFileSync(join(dir, 'share', 'doc', 'rust', 'COPYRIGHT-library.html'), 'utf8');
  const part = html.slice(html.indexOf('id="in-tree-files"'), html.indexOf('id="out-of-tree-dependencies"'));
  const decode = (s) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(n)).replace(/&amp;/g, '&').trim();
  const marker = '<b>File/Directory:</b>';
  const entries = [];
  let at = part.indexOf(marker);
  while (at !== -1) {
    const next = part.indexOf(marker, at + 1);
    const chunk = part.slice(at + marker.length, next === -1 ? undefined : next);
    const before = part.slice(0, at);
    const depth = (before.match(/<div\b/g) ?? []).length - (before.match(/<\/div>/g) ?? []).length - 1;
    entries.push({
      path: decode(chunk.match(/^\s*(?:<code>([^<]*)<\/code>)?/)[1] ?? ''),
      depth,
      license: decode(must(chunk.match(/<b>License:<\/b>([^<]+)</), 'an in-tree entry of COPYRIGHT-library.html has no License')),
      copyrights: [...chunk.matchAll(/<b>Copyright:<\/b>([^<]+)</g)].map((m) => decode(m[1])),
    });
    at = next;
  }
  if (!entries.length || entries[0].path !== '.') throw new Error('notices: COPYRIGHT-library.html is not in the shape notices.mjs reads');
  return entries;
}

/** `name@version` → the SHA-256 a Cargo.lock records for a registry crate's .crate file. */
function cargoLock(file) {
  const sums = new Map();
  for (const block of readFileSync(file, 'utf8').split('[[package]]').slice(1)) {
    const field = (k) => block.match(new RegExp(`^${k} = "([^"]*)"`, 'm'))?.[1];
    if (field('checksum')) sums.set(`${field('name')}@${field('version')}`, field('checksum'));
  }
  return sums;
}

/** The crates of the .wasm, from cargo's unit graph of the release build: the units built for
 * wasm32 (not build scripts), each package's dependencies among them, the standard library's
 * `rustc-std-workspace-*` shims (empty crates re-exporting core, alloc or std to its vendored
 * crates) seen through. */
export function inventory() {
  const tc = toolchain();
  const { units } = cargoJson(['build', '--release', '--lib', '--target', TARGET, BUILD_STD, BUILD_STD_FEATURES, '-Zunstable-options', '--unit-graph', '--locked'], root, { ...NIGHTLY_ENV, RUSTFLAGS: RELEASE_RUSTFLAGS });
  const own = metadata(root);
  const packages = new Map([...own.packages, ...metadata(tc.library).packages].map((p) => [p.id, p]));
  const built = (u) => u.platform === TARGET && u.mode === 'build' && !u.target.kind.includes('custom-build');
  const shim = (id) => /^rustc-std-workspace-/.test(packages.get(id)?.name);
  const through = (u) => u.dependencies.map((d) => units[d.index]).filter(built).flatMap((d) => (shim(d.pkg_id) ? through(d) : [d.pkg_id]));
  const deps = new Map();
  for (const u of units.filter(built)) {
    if (!packages.has(u.pkg_id)) throw new Error(`notices: cargo builds ${u.pkg_id} into the .wasm, but cargo metadata does not list it`);
    if (shim(u.pkg_id)) continue;
    deps.set(u.pkg_id, new Set([...(deps.get(u.pkg_id) ?? []), ...through(u)].filter((d) => d !== u.pkg_id)));
  }
  const rootId = [...deps.keys()].find((id) => packages.get(id).manifest_path === join(root, 'Cargo.toml'));
  if (!rootId) throw new Error('notices: the unit graph has no glassix-wasm unit for wasm32');
  const inTree = (p) => p.manifest_path.startsWith(tc.library + sep);
  const listed = [...deps.keys()].filter((id) => id !== rootId).map((id) => packages.get(id));
  const exceptions = inTreeNotices(tc.dir);
  // each crate's license, worked out once: what its manifest declares (`base`), and with the
  // standard library's in-tree terms (`expression`; `concluded` when they added one)
  const licenses = new Map();
  for (const p of listed) {
    const base = baseLicense(p, exceptions, tc);
    const expression = license(p, base, exceptions, tc);
    if (!licenseAllowed(expression)) throw new Error(`notices: ${p.name} ${p.version} is licensed ${expression}, not one tests/licenses.test.mjs allows`);
    licenses.set(p.id, { base, expression, concluded: expression !== base });
  }
  return {
    root: rootId,
    crates: listed.filter((p) => !inTree(p)),
    stdCrates: listed.filter(inTree),
    deps: new Map([...deps].map(([id, ds]) => [id, [...ds].sort()])),
    packages,
    licenses,
    exceptions,
    toolchain: tc,
    // where cargo puts what it builds (its `build-dir`, else the target directory): the release
    // build's dep-info is there
    buildDir: own.build_directory ?? own.target_directory,
    lock: new Map([...cargoLock(join(tc.library, 'Cargo.lock')), ...cargoLock(join(root, 'Cargo.lock'))]),
    npmLock: JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')),
  };
}

/** A standard library crate's directory under library/ (its purl subpath); null for others. */
const libraryPath = (p, tc) => (p.manifest_path.startsWith(tc.library + sep) ? relative(tc.library, dirname(p.manifest_path)).split(sep).join('/') : null);

/** The license a crate's manifest declares; a standard library crate whose manifest has none
 * (proc_macro) is under the license COPYRIGHT-library.html gives the whole tree ("."). */
function baseLicense(p, exceptions, tc) {
  if (p.license) return spdx(p.license);
  if (libraryPath(p, tc) !== null && !p.source) return exceptions[0].license;
  throw new Error(`notices: ${p.name} ${p.version} declares no license`);
}

/** The in-tree exceptions (depth 1, named, compiled for wasm32) whose files a standard library
 * crate compiles: inside its own directory, or one it includes (INCLUDED). */
function exceptionsOf(p, exceptions, tc) {
  const path = libraryPath(p, tc);
  if (path === null || p.source) return [];
  const dirs = [path, ...(INCLUDED[p.name] ?? [])].map((d) => `library/${d}`);
  return exceptions.filter((e) => e.depth === 1 && e.path && !NOT_COMPILED.includes(e.path) && dirs.some((d) => e.path === d || e.path.startsWith(`${d}/`) || d.startsWith(`${e.path}/`)));
}

/** A crate's license as an SPDX expression: the one it declares, and for a standard library crate
 * the licenses of the in-tree exceptions it compiles that add a term (core's Unicode data:
 * `(MIT OR Apache-2.0) AND Unicode-3.0`), as the toolchain lists them. */
function license(p, base, exceptions, tc) {
  const key = (t) => [...t].sort().join(' OR ');
  const have = new Set(andTerms(base).map(key));
  const extra = [];
  for (const e of exceptionsOf(p, exceptions, tc)) {
    for (const t of andTerms(e.license)) {
      if (have.has(key(t))) continue;
      have.add(key(t));
      extra.push(t.length > 1 ? `(${t.join(' OR ')})` : t[0]);
    }
  }
  return extra.length ? [/ OR /.test(base) ? `(${base})` : base, ...extra].join(' AND ') : base;
}

const LICENSE_FILE = /^(licen[cs]e|copying|copyright|notice|unlicense)/i;
const readText = (f) => readFileSync(f, 'utf8').replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '').trim();

/** The license files of a crate: its own directory's, else (inside `stop`, the standard library's
 * tree) the nearest parent's that has some. */
function licenseFiles(dir, stop) {
  for (let d = dir; ; d = dirname(d)) {
    const files = readdirSync(d).filter((f) => LICENSE_FILE.test(f)).sort();
    if (files.length || !stop || d === stop || !d.startsWith(stop + sep)) return files.map((f) => join(d, f));
  }
}

/** The texts that meet a crate's license. For each of its AND terms, one license: MIT where the
 * term offers it (`MIT OR Apache-2.0`: the package uses such crates under MIT), else the term's
 * first; the crate's file for that license (`LICENSE-MIT`, `LICENSE-UNICODE`, or its one license
 * file), and every file when none can be told apart. Notice files always, and the notices of code
 * it includes from elsewhere (INCLUDED). A registry crate without license files takes its
 * repository's text from licenses/ (OVERRIDES) or stops the script; the standard library's own
 * crates, which have none, the toolchain's MIT text for The Rust Project Developers (the holder
 * COPYRIGHT-library.html names). */
function texts(p, tc, mitTemplate, base) {
  const std = libraryPath(p, tc) !== null;
  const files = OVERRIDES[p.name]?.map((f) => join(root, f)) ?? licenseFiles(dirname(p.manifest_path), std ? tc.library : null);
  const name = (f) => f.split(sep).pop();
  const noticeFiles = files.filter((f) => /notice/i.test(name(f)));
  const licenses = files.filter((f) => !noticeFiles.includes(f));
  // (an included directory's own MIT text, or its one license file, nearest first)
  const included = (INCLUDED[p.name] ?? []).map((d) => {
    const found = licenseFiles(join(tc.library, d), tc.library);
    const mit = found.filter((f) => /mit/i.test(name(f)));
    return (mit.length ? mit : found).map(readText).join('\n\n');
  });
  const picked = andTerms(base).map((offered) => (offered.includes('MIT') ? 'MIT' : offered[0].split(' WITH ')[0]));
  const fileFor = (l) => {
    const stem = l.split('-')[0].toLowerCase();
    const named = licenses.filter((f) => name(f).toLowerCase().includes(stem));
    return named.length === 1 ? named : licenses.length === 1 ? licenses : null;
  };
  const chosen = picked.map(fileFor);
  if (licenses.length && chosen.every(Boolean)) return [...[...new Set(chosen.flat()), ...noticeFiles].map(readText), ...included];
  if (licenses.length) return [...files.map(readText), ...included];
  if (!std || p.source || !picked.every((l) => l === 'MIT')) throw new Error(`notices: ${p.name} ${p.version} (${base}) has no license file to copy: add its repository's text to licenses/ (see licenses/README.md)`);
  return [mitTemplate.replace('<year> <copyright holders>', 'The Rust Project Developers'), ...noticeFiles.map(readText), ...included];
}

/** A crate's version as the notices and the SBOM give it: the toolchain's for the standard
 * library's own crates whose manifests say 0.0.0 (core, alloc, std, …). */
const versionOf = (p, tc) => (libraryPath(p, tc) !== null && !p.source && p.version === '0.0.0' ? tc.release : p.version);

/** The text of THIRD-PARTY-NOTICES.txt. */
export function notices(inv = inventory()) {
  const { crates, stdCrates, exceptions, licenses, toolchain: tc } = inv;
  const licenseText = (id) => readText(join(tc.dir, 'share', 'doc', 'rust', 'licenses', `${id}.txt`));
  const mitTemplate = licenseText('MIT');
  const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
  const rule = '='.repeat(100);
  const section = (list) => {
    // crates whose texts are the same (one project's crates) share one copy
    const groups = new Map();
    for (const p of [...list].sort(byName)) {
      const body = texts(p, tc, mitTemplate, licenses.get(p.id).base).join('\n\n' + '- '.repeat(20).trim() + '\n\n');
      if (!groups.has(body)) groups.set(body, []);
      groups.get(body).push(p);
    }
    return [...groups].map(([body, ps]) => {
      const head = ps.map((p) => `${p.name} ${versionOf(p, tc)} (${licenses.get(p.id).expression})${p.repository ? `  ${p.repository}` : ''}${libraryPath(p, tc) ? `  library/${libraryPath(p, tc)}` : ''}`);
      return `${rule}\n${head.join('\n')}\n\n${body}\n`;
    });
  };
  const intro = `Third-party software in glassix-wasm
====================================

glassix-wasm itself is under the MIT license (LICENSE). Its .wasm (pkg/glassix_wasm_bg.wasm) is
compiled from its own Rust code, the crates listed below and the Rust standard library, listed
after them; its JavaScript entries (pkg/*.cjs, pkg/*.mjs) contain glue code generated by
wasm-bindgen, whose license is wasm-bindgen's, below, and the bundler's (esbuild's) runtime
helpers, whose license follows the crates. Where a crate offers a choice of licenses
(MIT OR Apache-2.0), glassix-wasm uses it under MIT, and its MIT text is the one copied here.
Every crate cargo compiles for the .wasm is listed, whether or not link-time optimisation keeps
any of its code.

The npm packages the export CLI uses (cli-progress, csv-stringify and their dependencies) are
installed as packages of their own, with their own license files; nothing of theirs is copied
into this package. sbom.cdx.json lists the same crates, and those packages, as a CycloneDX SBOM.

Made by scripts/notices.mjs from cargo's unit graph of the release build, Cargo.lock and
${NIGHTLY}'s rust-src; npm test fails when it is stale.
`;
  const inTree = exceptions.map((e) => {
    const pad = '  '.repeat(e.depth);
    const path = e.path || "(not named in the toolchain's list)";
    return [`${pad}File/Directory: ${path}${NOT_COMPILED.includes(e.path) ? ' (not compiled for wasm32)' : ''}`, `${pad}License: ${e.license}`, ...e.copyrights.map((c) => `${pad}Copyright: ${c}`)].join('\n');
  });
  const compiled = exceptions.filter((e) => !NOT_COMPILED.includes(e.path));
  const named = [...new Set(compiled.flatMap((e) => andTerms(e.license).flat()).map((l) => l.split(' WITH ')[0]))].filter((id) => !['MIT', 'Apache-2.0'].includes(id)).sort();
  const stdIntro = `${'#'.repeat(100)}
The Rust standard library (${NIGHTLY}: rustc ${tc.release}, commit ${tc.commit}),
built into the .wasm with ${BUILD_STD} ${BUILD_STD_FEATURES}: the crates below, from the toolchain's rust-src
(library/), each under its own directory's notices and the in-tree ones inside it.
The toolchain's COPYRIGHT-library.html lists these in-tree notices (an entry inside another is
indented under it, its path relative to that one's):

${inTree.join('\n\n')}

Their MIT text is below, with each crate; compiler_builtins' section has the Apache-2.0 text
with LLVM's exception. The other licenses of those compiled for wasm32 (${named.join(', ')}):

${named.map((id) => `${'- '.repeat(20).trim()}\n${id}\n\n${licenseText(id)}`).join('\n\n')}
`;
  // the bundler's runtime helpers (a few lines of module glue) in the CommonJS entries
  const esbuild = inv.npmLock.packages['node_modules/esbuild'].version;
  const bundler = `${rule}\nesbuild ${esbuild} (MIT)  https://github.com/evanw/esbuild  for its runtime helpers in the bundled JS entries\n\n${readText(join(root, 'node_modules', 'esbuild', 'LICENSE.md'))}\n`;
  return [intro, ...section(crates), bundler, stdIntro, ...section(stdCrates)].join('\n');
}

/** The text of sbom.cdx.json: a CycloneDX 1.6 SBOM (made with @cyclonedx/cyclonedx-library) whose
 * subject is this npm package. Its components: the crates compiled into the .wasm (a registry
 * crate as pkg:cargo/NAME@VERSION with Cargo.lock's SHA-256 of its .crate file; the standard
 * library's own crates as pkg:github/rust-lang/rust@COMMIT#library/DIR, std with rust's CPE,
 * which advisories use), each with its license expression (`concluded` where the in-tree notices
 * added to the declared one) and repository where it names one, and the npm packages it
 * installs (as its package-lock.json locks them, with their sha512), with the graph between them;
 * its tools, the ones that build pkg/ (rustc, wasm-bindgen-cli, wasm-pack, binaryen, esbuild,
 * terser, at the versions the repository pins). No serial number or timestamp: the same sources
 * make the same file. A scanner that reads SBOMs found in a tree (Syft, Trivy) sees what npm's
 * dependency tree cannot: the code inside the .wasm. */
export function sbom(inv = inventory()) {
  const CDX = require('@cyclonedx/cyclonedx-library');
  const { Component, ExternalReference, ExternalReferenceRepository, HashDictionary, LicenseExpression, LicenseRepository } = CDX.Models;
  const tc = inv.toolchain;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lockfile = inv.npmLock;
  const { PackageURL } = require('packageurl-js');
  const purl = (type, namespace, name, version, subpath) => new PackageURL(type, namespace, name, version, null, subpath).toString();
  const licensed = (expression, how = 'Declared') => {
    const l = new LicenseExpression(expression);
    l.acknowledgement = CDX.Enums.LicenseAcknowledgement[how];
    return new LicenseRepository([l]);
  };
  // Rust's CPE, which advisories about the standard library name (on std alone: one advisory,
  // one finding), a nightly as its update
  const [, numbers, channel] = tc.release.match(/^(\d+\.\d+\.\d+)(?:-(\w+))?/);
  const cpe = `cpe:2.3:a:rust-lang:rust:${numbers}:${channel ?? '*'}:*:*:*:*:*:*`;

  const bom = new CDX.Models.Bom();
  const subject = new Component(CDX.Enums.ComponentType.Library, manifest.name, {
    bomRef: `${manifest.name}@${manifest.version}`,
    version: manifest.version,
    description: manifest.description,
    purl: purl('npm', null, manifest.name, manifest.version),
    licenses: licensed(manifest.license),
  });
  bom.metadata.component = subject;
  // the tools that made pkg/ from these sources, at the versions this repository pins
  const setup = readFileSync(join(root, 'scripts', 'setup.sh'), 'utf8');
  const tool = (name, version, purl, op = {}) => new Component(CDX.Enums.ComponentType.Application, name, { bomRef: `tool:${name}@${version}`, version, purl, ...op });
  for (const t of [
    tool('rustc', tc.release, purl('github', 'rust-lang', 'rust', tc.commit)),
    ...[['wasm-bindgen-cli', 'WASM_BINDGEN'], ['wasm-pack', 'WASM_PACK']].map(([name, v]) => {
      const version = must(setup.match(new RegExp(`^${v}=(\\S+)`, 'm')), `scripts/setup.sh pins no ${v}`);
      return tool(name, version, purl('cargo', null, name, version));
    }),
    ...['binaryen', 'esbuild', 'terser'].map((name) => {
      const { version } = lockfile.packages[`node_modules/${name}`] ?? {};
      if (!version) throw new Error(`notices: package-lock.json has no ${name} (a build tool)`);
      return tool(name, version, purl('npm', null, name, version));
    }),
  ]) bom.metadata.tools.components.add(t);

  // the crates
  const components = new Map();
  for (const p of [...inv.crates, ...inv.stdCrates]) {
    const path = libraryPath(p, tc);
    const own = path !== null && !p.source;
    const checksum = own ? null : inv.lock.get(`${p.name}@${p.version}`) ?? null;
    const component = new Component(CDX.Enums.ComponentType.Library, p.name, {
      bomRef: own ? `rust-lang/${p.name}@${versionOf(p, tc)}` : `${p.name}@${p.version}`,
      group: own ? 'rust-lang' : undefined,
      version: versionOf(p, tc),
      description: p.description?.replace(/\s+/g, ' ').trim() || undefined,
      purl: own ? purl('github', 'rust-lang', 'rust', tc.commit, `library/${path}`) : purl('cargo', null, p.name, p.version),
      cpe: own && p.name === 'std' ? cpe : undefined,
      licenses: licensed(inv.licenses.get(p.id).expression, inv.licenses.get(p.id).concluded ? 'Concluded' : 'Declared'),
      scope: CDX.Enums.ComponentScope.Required,
      hashes: checksum ? new HashDictionary([[CDX.Enums.HashAlgorithm['SHA-256'], checksum]]) : undefined,
      externalReferences: p.repository ? new ExternalReferenceRepository([new ExternalReference(p.repository, CDX.Enums.ExternalReferenceType.VCS)]) : undefined,
    });
    components.set(p.id, component);
    bom.components.add(component);
  }
  for (const [id, deps] of inv.deps) {
    const from = id === inv.root ? subject : components.get(id);
    for (const d of deps) from.dependencies.add(components.get(d).bomRef);
  }

  // the npm packages installed with it (its dependencies and theirs, as locked)
  const npm = new Map();
  const locate = (name, from) => {
    for (let at = from; ; at = at.includes('/node_modules/') ? at.slice(0, at.lastIndexOf('/node_modules/')) : '') {
      const path = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (lockfile.packages[path]) return path;
      if (!at) throw new Error(`notices: ${name} (needed by ${from || 'glassix-wasm'}) is not in package-lock.json`);
    }
  };
  const add = (from, names) => {
    for (const name of names) {
      const path = locate(name, from);
      const entry = lockfile.packages[path];
      const parent = from ? npm.get(from) : subject;
      if (npm.has(path)) {
        parent.dependencies.add(npm.get(path).bomRef);
        continue;
      }
      const hex = Buffer.from(entry.integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
      const [scope, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
      const c = new Component(CDX.Enums.ComponentType.Library, bare, {
        bomRef: `npm:${name}@${entry.version}`,
        group: scope,
        version: entry.version,
        purl: purl('npm', scope ?? null, bare, entry.version),
        licenses: licensed(entry.license),
        scope: CDX.Enums.ComponentScope.Required,
        hashes: new HashDictionary([[CDX.Enums.HashAlgorithm['SHA-512'], hex]]),
      });
      npm.set(path, c);
      bom.components.add(c);
      parent.dependencies.add(c.bomRef);
      add(path, Object.keys(entry.dependencies ?? {}));
    }
  };
  add('', Object.keys(manifest.dependencies ?? {}));

  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const inv = inventory();
  const outputs = [
    [NOTICES, notices(inv)],
    [SBOM, sbom(inv)],
  ].map(([rel, after]) => ({ rel, after, before: existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : null }));
  const stale = outputs.filter((o) => o.before !== o.after);
  if (process.argv.includes('--check')) {
    if (stale.length) {
      console.error(`stale ${stale.map((o) => o.rel).join(', ')} (run \`node scripts/notices.mjs\`): Cargo.lock, package-lock.json, the pinned toolchain or the build's flags changed`);
      process.exit(1);
    }
    console.log(`${outputs.map((o) => o.rel).join(' and ')} are up to date`);
  } else {
    for (const o of stale) writeFileSync(join(root, o.rel), o.after);
    console.log(stale.length ? `wrote ${stale.map((o) => o.rel).join(', ')}` : `${outputs.map((o) => o.rel).join(' and ')} were up to date`);
  }
}
