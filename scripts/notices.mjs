// `node scripts/notices.mjs [--check]`: writes THIRD-PARTY-NOTICES.txt, the licenses of the code
// the package ships that is not its own: the crates compiled into the .wasm (Cargo.lock's graph
// for wasm32, normal dependencies only: no proc macros, build scripts or dev-dependencies) and
// the Rust standard library the release build compiles with them (`-Zbuild-std=std,panic_abort`,
// from the pinned nightly's rust-src). Each is read with `cargo metadata`; each license text
// comes from the crate's own files. With --check it writes nothing and fails if the file is stale;
// tests/licenses.test.mjs does the same, so after changing Cargo.lock or the pinned nightly, run
// it and commit the file.
// The npm packages the export CLI depends on are installed as packages of their own, with their
// own license files: tests/licenses.test.mjs checks their licenses, nothing is copied here.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NIGHTLY } from './toolchain.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NOTICES = 'THIRD-PARTY-NOTICES.txt';

/** Licenses the package may ship code under: permissive ones, whose conditions a notice meets. */
export const ALLOWED = new Set(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Zlib', 'Unicode-3.0', 'Unicode-DFS-2016', 'Unlicense', '0BSD', 'CC0-1.0', 'BSL-1.0']);
/** Exceptions that only relax a license (`Apache-2.0 WITH LLVM-exception`). */
const EXCEPTIONS = new Set(['LLVM-exception']);

/** Whether an SPDX expression (`MIT OR Apache-2.0`, `(MIT OR Apache-2.0) AND Unicode-3.0`, and
 * Cargo's old `MIT/Apache-2.0`) can be met with allowed licenses alone: an OR needs one side, an
 * AND both. Anything unparsable is not allowed. */
export function licenseAllowed(expression) {
  if (typeof expression !== 'string') return false;
  const tokens = expression.replace(/\//g, ' OR ').match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const atom = () => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (!t || /^(AND|OR|WITH|\))$/.test(t)) throw new Error(`unexpected ${t}`);
    let ok = ALLOWED.has(t);
    if (tokens[i] === 'WITH') {
      i++;
      ok = ok && EXCEPTIONS.has(tokens[i++]);
    }
    return ok;
  };
  const and = () => {
    let v = atom();
    while (tokens[i] === 'AND') (i++, (v = atom() && v));
    return v;
  };
  const or = () => {
    let v = and();
    while (tokens[i] === 'OR') (i++, (v = and() || v));
    return v;
  };
  try {
    const v = or();
    return i === tokens.length && v;
  } catch {
    return false;
  }
}

const metadata = (cwd, env = {}) =>
  JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--filter-platform', 'wasm32-unknown-unknown', '--locked'], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 }));

/** The packages reachable from `from` (ids) through normal dependencies, proc macros left out. */
function reachable(meta, from) {
  const packages = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const seen = new Set();
  const todo = [...from];
  while (todo.length) {
    const id = todo.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const d of nodes.get(id).deps) {
      if (!d.dep_kinds.some((k) => k.kind === null)) continue;
      if (packages.get(d.pkg).targets.some((t) => t.kind.includes('proc-macro'))) continue;
      todo.push(d.pkg);
    }
  }
  return [...seen].map((id) => packages.get(id));
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
  const notices = files.filter((f) => /notice/i.test(name(f)));
  const licenses = files.filter((f) => !notices.includes(f));
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
  if (licenses.length && chosen.every(Boolean)) return [...new Set(chosen.flat()), ...notices].map(read);
  if (licenses.length) return files.map(read);
  if (!picked.every((l) => l === 'MIT')) throw new Error(`notices: ${p.name} ${p.version} (${p.license}) has no license file to copy`);
  const holders = std ? 'The Rust Project Developers' : p.authors?.length ? p.authors.map((a) => a.replace(/\s*<[^>]*>/, '')).join(', ') : `the ${p.name} authors`;
  return [mitTemplate.replace('<year> <copyright holders>', holders), ...notices.map(read)];
}

/** The text of THIRD-PARTY-NOTICES.txt. */
export function notices() {
  const own = metadata(root);
  const crates = reachable(own, [own.resolve.root]).filter((p) => p.id !== own.resolve.root);
  const { dir, library } = sysroot();
  const std = metadata(library, { RUSTUP_TOOLCHAIN: NIGHTLY });
  const stdRoots = std.packages.filter((p) => ['std', 'panic_abort'].includes(p.name) && !p.source).map((p) => p.id);
  const stdCrates = reachable(std, stdRoots).filter((p) => !/^rustc-std-workspace-/.test(p.name));
  const mitTemplate = readFileSync(join(dir, 'share', 'doc', 'rust', 'licenses', 'MIT.txt'), 'utf8').trim();
  for (const p of [...crates, ...stdCrates]) if (!licenseAllowed(p.license)) throw new Error(`notices: ${p.name} ${p.version} is licensed ${p.license}, not one tests/licenses.test.mjs allows`);

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
into this package.

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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(root, NOTICES);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const after = notices();
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error(`stale ${NOTICES} (run \`node scripts/notices.mjs\`): Cargo.lock or the pinned toolchain changed`);
      process.exit(1);
    }
    console.log(`${NOTICES} is up to date`);
  } else if (before !== after) {
    writeFileSync(file, after);
    console.log(`wrote ${NOTICES}`);
  }
}
