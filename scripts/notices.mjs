// `node scripts/notices.mjs [--check]`: writes what the package owes and declares for the code it
// ships that is not its own: the crates compiled into the .wasm (Cargo.lock's graph for wasm32,
// normal dependencies only: no proc macros, build scripts or dev-dependencies) and the Rust
// standard library the release build compiles with them (`-Zbuild-std=std,panic_abort`, from the
// pinned nightly's rust-src), each read with `cargo metadata`:
//   THIRD-PARTY-NOTICES.txt   their license texts, from each crate's own files
//   sbom.cdx.json             a CycloneDX 1.6 SBOM of the package: those crates as components
//                             (purl pkg:cargo/…, license, Cargo.lock's SHA-256), their graph
// With --check it writes nothing and fails if either is stale; tests/licenses.test.mjs does the
// same, so after changing Cargo.lock or the pinned nightly, run it and commit both.
// The npm packages the export CLI depends on are installed as packages of their own, with their
// own license files: tests/licenses.test.mjs checks their licenses, nothing is copied here.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { NIGHTLY } from './toolchain.mjs';

const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NOTICES = 'THIRD-PARTY-NOTICES.txt';
export const SBOM = 'sbom.cdx.json';

/** Licenses the package may ship code under: permissive ones, whose conditions a notice meets
 * (and Apache-2.0 with LLVM's exception, which only relaxes it). */
export const ALLOWED = ['MIT', 'Apache-2.0', 'Apache-2.0 WITH LLVM-exception', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Zlib', 'Unicode-3.0', 'Unicode-DFS-2016', 'Unlicense', '0BSD', 'CC0-1.0', 'BSL-1.0'];

/** Whether an SPDX expression (`MIT OR Apache-2.0`, `(MIT OR Apache-2.0) AND Unicode-3.0`, and
 * Cargo's old `MIT/Apache-2.0`) can be met with allowed licenses alone: an OR needs one side, an
 * AND both (spdx-satisfies). Anything that is not an SPDX expression is not allowed. */
export function licenseAllowed(expression) {
  if (typeof expression !== 'string') return false;
  try {
    return require('spdx-satisfies')(expression.replace(/\s*\/\s*/g, ' OR '), ALLOWED);
  } catch {
    return false;
  }
}

const metadata = (cwd, env = {}) =>
  JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--filter-platform', 'wasm32-unknown-unknown', '--locked'], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 }));

/** The packages reachable from `from` (ids) through normal dependencies, proc macros left out,
 * and each one's dependencies among them. The standard library's `rustc-std-workspace-*` shims
 * (empty crates that re-export core, alloc or std to its vendored crates) are seen through. */
function reachable(meta, from) {
  const packages = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const shim = (id) => /^rustc-std-workspace-/.test(packages.get(id).name);
  const direct = (id) =>
    nodes.get(id).deps.flatMap((d) => {
      if (!d.dep_kinds.some((k) => k.kind === null)) return [];
      if (packages.get(d.pkg).targets.some((t) => t.kind.includes('proc-macro'))) return [];
      return shim(d.pkg) ? direct(d.pkg) : [d.pkg];
    });
  const deps = new Map();
  const todo = [...from];
  while (todo.length) {
    const id = todo.pop();
    if (deps.has(id)) continue;
    deps.set(id, [...new Set(direct(id))]);
    todo.push(...deps.get(id));
  }
  return { packages: [...deps.keys()].map((id) => packages.get(id)), deps };
}

/** The pinned nightly's sysroot, whose rust-src holds the standard library's sources. */
function sysroot() {
  const dir = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8', env: { ...process.env, RUSTUP_TOOLCHAIN: NIGHTLY } }).trim();
  const library = join(dir, 'lib', 'rustlib', 'src', 'rust', 'library');
  if (!existsSync(join(library, 'Cargo.toml'))) throw new Error(`notices: ${NIGHTLY} with rust-src is not installed (scripts/setup.sh installs it)`);
  return { dir, library };
}

const LICENSE_FILE = /^(licen[cs]e|copying|copyright|notice|unlicense)/i;

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
 * file), and every file when none can be told apart. Notice files always. A crate without
 * license files (gloo-net, gloo-utils, most of the standard library) gets the Rust toolchain's MIT
 * text, with its authors (the standard library's: The Rust Project Developers). */
function texts(p, std, mitTemplate) {
  const files = licenseFiles(dirname(p.manifest_path), std);
  const name = (f) => f.split(sep).pop();
  const read = (f) => readFileSync(f, 'utf8').replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '').trim();
  const noticeFiles = files.filter((f) => /notice/i.test(name(f)));
  const licenses = files.filter((f) => !noticeFiles.includes(f));
  const picked = p.license
    .replace(/\//g, ' OR ')
    .split(/\s+AND\s+(?![^(]*\))/)
    .map((term) => {
      const offered = term.replace(/[()]/g, '').split(/\s+OR\s+/).map((s) => s.trim().split(/\s+WITH\s+/)[0]);
      return offered.includes('MIT') ? 'MIT' : offered[0];
    });
  const fileFor = (license) => {
    const stem = license.split('-')[0].toLowerCase();
    const named = licenses.filter((f) => name(f).toLowerCase().includes(stem));
    return named.length === 1 ? named : licenses.length === 1 ? licenses : null;
  };
  const chosen = picked.map(fileFor);
  if (licenses.length && chosen.every(Boolean)) return [...new Set(chosen.flat()), ...noticeFiles].map(read);
  if (licenses.length) return files.map(read);
  if (!picked.every((l) => l === 'MIT')) throw new Error(`notices: ${p.name} ${p.version} (${p.license}) has no license file to copy`);
  const holders = std ? 'The Rust Project Developers' : p.authors?.length ? p.authors.map((a) => a.replace(/\s*<[^>]*>/, '')).join(', ') : `the ${p.name} authors`;
  return [mitTemplate.replace('<year> <copyright holders>', holders), ...noticeFiles.map(read)];
}

/** The crates of the .wasm: this crate's graph (without itself) and the standard library's. */
export function inventory() {
  const own = metadata(root);
  const mine = reachable(own, [own.resolve.root]);
  const { dir, library } = sysroot();
  const std = metadata(library, { RUSTUP_TOOLCHAIN: NIGHTLY });
  const stdRoots = std.packages.filter((p) => ['std', 'panic_abort'].includes(p.name) && !p.source).map((p) => p.id);
  const theirs = reachable(std, stdRoots);
  const crates = mine.packages.filter((p) => p.id !== own.resolve.root);
  for (const p of [...crates, ...theirs.packages]) if (!licenseAllowed(p.license)) throw new Error(`notices: ${p.name} ${p.version} is licensed ${p.license}, not one tests/licenses.test.mjs allows`);
  return { root: own.resolve.root, crates, stdCrates: theirs.packages, deps: new Map([...mine.deps, ...theirs.deps]), stdRoots, dir, library, lock: { own: cargoLock(join(root, 'Cargo.lock')), std: cargoLock(join(library, 'Cargo.lock')) } };
}

/** `name@version` → the SHA-256 Cargo.lock records for a registry crate's .crate file. */
function cargoLock(file) {
  const sums = new Map();
  for (const block of readFileSync(file, 'utf8').split('[[package]]').slice(1)) {
    const field = (k) => block.match(new RegExp(`^${k} = "([^"]*)"`, 'm'))?.[1];
    if (field('checksum')) sums.set(`${field('name')}@${field('version')}`, field('checksum'));
  }
  return sums;
}

/** The text of THIRD-PARTY-NOTICES.txt. */
export function notices(inv = inventory()) {
  const { crates, stdCrates, dir, library } = inv;
  const mitTemplate = readFileSync(join(dir, 'share', 'doc', 'rust', 'licenses', 'MIT.txt'), 'utf8').trim();

  const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
  const section = (list, stop, label) => {
    // crates whose texts are the same (one project's crates) share one copy
    const groups = new Map();
    for (const p of [...list].sort(byName)) {
      const body = texts(p, stop, mitTemplate).join('\n\n' + '- '.repeat(20).trim() + '\n\n');
      if (!groups.has(body)) groups.set(body, []);
      groups.get(body).push(p);
    }
    return [...groups].map(([body, ps]) => {
      const head = ps.map((p) => `${p.name} ${p.version} (${p.license})${p.repository ? `  ${p.repository}` : ''}${label ? `  ${label}${relative(stop, dirname(p.manifest_path)).split(sep).join('/')}` : ''}`);
      return `${'='.repeat(100)}\n${head.join('\n')}\n\n${body}\n`;
    });
  };
  const intro = `Third-party software in glassix-wasm
====================================

glassix-wasm itself is under the MIT license (LICENSE). Its .wasm (pkg/glassix_wasm_bg.wasm) is
compiled from its own Rust code, the crates listed below and the Rust standard library, listed
after them; its JavaScript entries (pkg/*.cjs, pkg/*.mjs) contain glue code generated by
wasm-bindgen, whose license is wasm-bindgen's, below. Where a crate offers a choice of licenses
(MIT OR Apache-2.0), glassix-wasm uses it under MIT, and its MIT text is the one copied here.

The npm packages the export CLI uses (cli-progress, csv-stringify and their dependencies) are
installed as packages of their own, with their own license files; nothing of theirs is copied
into this package. sbom.cdx.json lists the same crates as a CycloneDX SBOM.

Made by scripts/notices.mjs from Cargo.lock and ${NIGHTLY}'s rust-src; npm test fails when it is
stale.
`;
  const stdIntro = `${'#'.repeat(100)}
The Rust standard library (${NIGHTLY}), built into the .wasm with -Zbuild-std=std,panic_abort:
the crates below, from the toolchain's rust-src (library/). Copyright The Rust Project
Developers and the authors named. compiler_builtins also carries parts of LLVM's compiler-rt
under Apache-2.0 WITH LLVM-exception, whose exception covers them in compiled form.
`;
  return [intro, ...section(crates, null, ''), stdIntro, ...section(stdCrates, library, 'library/')].join('\n');
}

/** The text of sbom.cdx.json: a CycloneDX 1.6 SBOM (made with @cyclonedx/cyclonedx-library) whose
 * subject is this npm package and whose components are the crates compiled into its .wasm: a
 * registry crate as pkg:cargo/NAME@VERSION with Cargo.lock's SHA-256 of its .crate file, the
 * standard library's own crates as pkg:github/rust-lang/rust@COMMIT#library/NAME, each with its
 * license expression and repository, and the graph between them; its tools are the ones that
 * built pkg/ (rustc, wasm-bindgen-cli, wasm-pack, binaryen, esbuild, terser, at the versions the
 * repository pins). No serial number or timestamp:
 * the same sources make the same file. A scanner that reads SBOMs found in a tree (Syft, Trivy)
 * sees what npm's dependency tree cannot: the code inside the .wasm. */
export function sbom(inv = inventory()) {
  const CDX = require('@cyclonedx/cyclonedx-library');
  const { Component, ExternalReference, ExternalReferenceRepository, Hash, HashDictionary, LicenseExpression, LicenseRepository } = CDX.Models;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rustc = execFileSync('rustc', ['-vV'], { encoding: 'utf8', env: { ...process.env, RUSTUP_TOOLCHAIN: NIGHTLY } });
  const [release, commit] = ['release', 'commit-hash'].map((k) => rustc.match(new RegExp(`^${k}: (\\S+)$`, 'm'))[1]);
  const expression = (license) => new LicenseRepository([new LicenseExpression(license.replace(/\s*\/\s*/g, ' OR '))]);
  const inTree = (p) => !p.source;
  const ref = (p) => (inTree(p) ? `rust-lang/${p.name}@${release}` : `${p.name}@${p.version}`);

  const bom = new CDX.Models.Bom();
  const subject = new Component(CDX.Enums.ComponentType.Library, manifest.name, {
    bomRef: `${manifest.name}@${manifest.version}`,
    version: manifest.version,
    description: manifest.description,
    purl: `pkg:npm/${manifest.name}@${manifest.version}`,
    licenses: expression(manifest.license),
  });
  bom.metadata.component = subject;
  // the tools that made pkg/ from these sources, at the versions this repository pins
  const setup = readFileSync(join(root, 'scripts', 'setup.sh'), 'utf8');
  const lockfile = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const tool = (name, version, purl) => new Component(CDX.Enums.ComponentType.Application, name, { bomRef: `tool:${name}@${version}`, version, purl });
  for (const t of [
    tool('rustc', release, `pkg:github/rust-lang/rust@${commit}`),
    ...[['wasm-bindgen-cli', 'WASM_BINDGEN'], ['wasm-pack', 'WASM_PACK']].map(([name, v]) => {
      const version = setup.match(new RegExp(`^${v}=(\\S+)`, 'm'))[1];
      return tool(name, version, `pkg:cargo/${name}@${version}`);
    }),
    ...['binaryen', 'esbuild', 'terser'].map((name) => {
      const { version } = lockfile.packages[`node_modules/${name}`];
      return tool(name, version, `pkg:npm/${name}@${version}`);
    }),
  ]) bom.metadata.tools.components.add(t);
  const components = new Map();
  for (const p of [...inv.crates, ...inv.stdCrates]) {
    if (components.has(p.id)) continue;
    const checksum = (inTree(p) ? null : inv.lock.own.get(`${p.name}@${p.version}`) ?? inv.lock.std.get(`${p.name}@${p.version}`)) ?? null;
    const component = new Component(CDX.Enums.ComponentType.Library, p.name, {
      bomRef: ref(p),
      group: inTree(p) ? 'rust-lang' : undefined,
      version: inTree(p) ? release : p.version,
      description: p.description?.replace(/\s+/g, ' ').trim() || undefined,
      purl: inTree(p) ? `pkg:github/rust-lang/rust@${commit}#library/${relative(inv.library, dirname(p.manifest_path)).split(sep).join('/')}` : `pkg:cargo/${p.name}@${p.version}`,
      licenses: expression(p.license),
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
  for (const id of inv.stdRoots) subject.dependencies.add(components.get(id).bomRef);
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
      console.error(`stale ${stale.map((o) => o.rel).join(', ')} (run \`node scripts/notices.mjs\`): Cargo.lock or the pinned toolchain changed`);
      process.exit(1);
    }
    console.log(`${outputs.map((o) => o.rel).join(' and ')} are up to date`);
  } else {
    for (const o of stale) writeFileSync(join(root, o.rel), o.after);
    console.log(stale.length ? `wrote ${stale.map((o) => o.rel).join(', ')}` : `${outputs.map((o) => o.rel).join(' and ')} were up to date`);
  }
}
