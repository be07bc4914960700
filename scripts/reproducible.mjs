// `node scripts/reproducible.mjs` (npm test's `reproducible` step): builds the package a second
// time, from a copy of the repository's files in another directory with a cargo target directory
// of its own, and fails unless every file of pkg/ comes out byte for byte as the first build made
// it. Anyone can then check that a published .wasm is what these sources build (with the tools
// sbom.cdx.json names), and a build that picks up a path, a time or an ordering of this machine's
// fails here. The copy takes the working tree's tracked files (uncommitted changes included, as
// pkg/ was built from them) and shares node_modules through a link.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
if (!existsSync(join(pkg, 'glassix_wasm_bg.wasm'))) throw new Error('reproducible: pkg/ is not built: run `node scripts/build.mjs` first');

const copy = mkdtempSync(join(tmpdir(), 'glassix-wasm-rebuild-'));
try {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of tracked) {
    if (!existsSync(join(root, f))) continue; // (deleted in the working tree)
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    copyFileSync(join(root, f), join(copy, f));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const started = Date.now();
  execFileSync('node', ['scripts/build.mjs'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CARGO_TARGET_DIR: join(copy, 'target') } });
  const seconds = Math.round((Date.now() - started) / 1000);
  const names = readdirSync(pkg).sort();
  const again = readdirSync(join(copy, 'pkg')).sort();
  const differ = names.filter((f) => !again.includes(f) || !readFileSync(join(pkg, f)).equals(readFileSync(join(copy, 'pkg', f))));
  const extra = again.filter((f) => !names.includes(f));
  if (differ.length || extra.length) {
    console.error(`reproducible: a second build in ${copy} differs: ${[...differ, ...extra.map((f) => `${f} (only in the second)`)].join(', ')}`);
    console.error('reproducible: (run `node scripts/build.mjs` first if pkg/ is older than the sources; the copy is kept for a look)');
    process.exitCode = 1;
  } else {
    console.log(`reproducible: a second build from ${tracked.length} files in another directory (${seconds} s) gave the same ${names.length} files of pkg/, byte for byte`);
  }
} finally {
  if (!process.exitCode) rmSync(copy, { recursive: true, force: true });
}
