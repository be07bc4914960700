// `node scripts/reproducible.mjs` (npm test's `reproducible` step): builds the package a second
// time, from a copy of the repository's files in another directory with a cargo target and build
// directory of its own (and no compiler wrapper such as sccache, which could hand back the first
// build's objects), and fails unless every file of pkg/ comes out byte for byte as the first build
// made it, and none names the checkout, the copy, the home folder or the toolchain's folder.
// Anyone can then check that a published .wasm is what these sources build (with the tools
// sbom.cdx.json names), and a build that picks up a path of the checkout, a time or an ordering
// that changes between runs fails here. The copy takes the working tree's files as git lists
// them (tracked and untracked ones not ignored, uncommitted changes included, as pkg/ was built
// from them) and shares node_modules through a link.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolchain } from './notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const fail = (line) => {
  console.error(`reproducible: ${line}`);
  process.exit(1);
};
if (!existsSync(join(pkg, 'glassix_wasm_bg.wasm'))) fail('pkg/ is not built: run `node scripts/build.mjs` first');
let listed;
try {
  listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  fail('needs git and a git checkout (it copies the files git lists)');
}
/** The files under `dir`, as paths relative to it. */
const filesOf = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1)).sort();

const copy = mkdtempSync(join(tmpdir(), 'glassix-wasm-rebuild-'));
let kept = false;
try {
  const files = listed.split('\0').filter((f) => f && existsSync(join(root, f))); // (not deleted in the working tree)
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    copyFileSync(join(root, f), join(copy, f));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const started = Date.now();
  const env = { ...process.env, CARGO_TARGET_DIR: join(copy, 'target'), CARGO_BUILD_BUILD_DIR: join(copy, 'target') };
  delete env.RUSTC_WRAPPER;
  delete env.CARGO_BUILD_RUSTC_WRAPPER;
  execFileSync('node', ['scripts/build.mjs'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'], env });
  const seconds = Math.round((Date.now() - started) / 1000);
  const first = filesOf(pkg);
  const second = filesOf(join(copy, 'pkg'));
  const problems = [
    ...first.filter((f) => !second.includes(f)).map((f) => `${f} (not made by the second build)`),
    ...second.filter((f) => !first.includes(f)).map((f) => `${f} (made by the second build only)`),
    ...first.filter((f) => second.includes(f)).flatMap((f) => {
      const [a, b] = [readFileSync(join(pkg, f)), readFileSync(join(copy, 'pkg', f))];
      return a.equals(b) ? [] : [`${f} (${a.length} B, then ${b.length} B)`];
    }),
  ];
  // a path of this machine in a built file: the same in both builds when it is not the
  // checkout's (the home folder, cargo's registry, the toolchain), so compared above it would pass
  const paths = [root, copy, homedir(), toolchain().dir];
  for (const f of first) {
    const text = readFileSync(join(pkg, f)).toString('latin1');
    for (const path of paths) if (text.includes(path)) problems.push(`${f} names ${path}`);
  }
  if (problems.length) {
    kept = true;
    rmSync(join(copy, 'target'), { recursive: true, force: true });
    console.error(`reproducible: the second build differs: ${problems.join(', ')}`);
    console.error(`reproducible: (if pkg/ is older than the sources, run \`node scripts/build.mjs\` first; the second build's sources and pkg/ are kept in ${copy}: rm -rf it when done)`);
    process.exitCode = 1;
  } else {
    console.log(`reproducible: a second build from ${files.length} files in another directory (${seconds} s) gave the same ${first.length} files of pkg/, byte for byte, naming no path of this machine`);
  }
} finally {
  if (!kept) rmSync(copy, { recursive: true, force: true });
}
