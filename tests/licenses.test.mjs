// What the package may ship, and what it owes for it: its own license (LICENSE, MIT, as
// package.json and Cargo.toml say), the notices of the code compiled into its .wasm
// (THIRD-PARTY-NOTICES.txt, made by scripts/notices.mjs), and permissive licenses only, in the
// crates and in the npm packages installed with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { licenseAllowed, notices, NOTICES } from '../scripts/notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (f) => readFileSync(join(root, f), 'utf8');

test('licenseAllowed: an OR needs one permissive side, an AND every side; copyleft and nonsense are refused', () => {
  for (const ok of ['MIT', 'MIT OR Apache-2.0', 'MIT/Apache-2.0', '(MIT OR Apache-2.0) AND Unicode-3.0', 'MIT AND Apache-2.0 WITH LLVM-exception AND (MIT OR Apache-2.0)', 'Zlib', 'Unlicense OR MIT', 'MIT OR GPL-3.0-only', 'ISC']) {
    assert.equal(licenseAllowed(ok), true, ok);
  }
  for (const no of ['GPL-3.0-only', 'MIT AND GPL-2.0-only', 'LGPL-2.1-or-later OR MPL-2.0', 'AGPL-3.0-only', 'MIT WITH Classpath-exception-2.0', 'SEE LICENSE IN LICENSE.txt', '', 'MIT OR', '(MIT OR Apache-2.0', 'MIT Apache-2.0', undefined, null]) {
    assert.equal(licenseAllowed(no), false, String(no));
  }
});

test(`${NOTICES} is what scripts/notices.mjs makes from Cargo.lock and the pinned toolchain (run it after changing either)`, () => {
  assert.ok(read(NOTICES) === notices(), `${NOTICES} is stale: run \`node scripts/notices.mjs\` and commit it`);
});

test(`${NOTICES} names every crate Cargo.toml puts into the .wasm, at the version Cargo.lock pins, with its license text`, () => {
  const lock = read('Cargo.lock');
  const pinned = (name) => [...lock.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)].filter((m) => m[1] === name).map((m) => m[2]);
  const manifest = read('Cargo.toml');
  const deps = [...manifest.split(/^\[dependencies\]$/m)[1].split(/^\[/m)[0].matchAll(/^([\w-]+)\s*=/gm)].map((m) => m[1]);
  assert.ok(deps.length >= 8, `Cargo.toml's [dependencies]: ${deps}`);
  const text = read(NOTICES);
  const sections = text.split(/^={100}$/m).slice(1);
  for (const name of deps) {
    const [version] = pinned(name);
    assert.ok(version, `${name} is in Cargo.lock`);
    const section = sections.find((s) => new RegExp(`^${name.replace(/-/g, '\\-')} ${version.replace(/\./g, '\\.')} \\(`, 'm').test(s));
    assert.ok(section, `${name} ${version} has a section in ${NOTICES}`);
    assert.match(section, /Permission is hereby granted/, `${name}'s section carries the MIT text it is used under`);
  }
  // and the standard library the release build compiles in
  for (const name of ['core', 'alloc', 'std', 'panic_abort']) assert.match(text, new RegExp(`^${name} 0\\.0\\.0 \\(MIT OR Apache-2\\.0\\)`, 'm'), name);
  // every license named in the file is one the package may ship
  const heads = [...text.matchAll(/^[\w-]+ \d[\w.+-]* \((.+?)\)(?:  |$)/gm)].map((m) => m[1]);
  assert.ok(heads.length >= 30, `${heads.length} crates`);
  for (const expression of heads) assert.ok(licenseAllowed(expression), expression);
});

test('the npm packages installed with glassix-wasm (dependencies, and theirs) are permissively licensed and carry their own license files', () => {
  const seen = new Map();
  const find = (name, from) => {
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dir === dirname(dir)) throw new Error(`${name} is not installed (from ${from})`);
    }
  };
  const walk = (dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const at = find(name, dir);
      if (seen.has(at)) continue;
      const dep = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8'));
      seen.set(at, dep);
      assert.ok(licenseAllowed(dep.license), `${dep.name}@${dep.version}: ${JSON.stringify(dep.license ?? dep.licenses)}`);
      assert.ok(readdirSync(at).some((f) => /^licen[cs]e/i.test(f)), `${dep.name}@${dep.version} ships a license file`);
      walk(at);
    }
  };
  walk(root);
  const names = [...seen.values()].map((p) => p.name);
  for (const name of Object.keys(JSON.parse(read('package.json')).dependencies)) assert.ok(names.includes(name), name);
});

test('LICENSE is the MIT license package.json and Cargo.toml declare, and npm packs it with the notices', () => {
  assert.equal(JSON.parse(read('package.json')).license, 'MIT');
  assert.match(read('Cargo.toml'), /^license = "MIT"$/m);
  const license = read('LICENSE');
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted, free of charge/);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = packed.files.map((f) => f.path);
  for (const f of ['LICENSE', NOTICES, 'README.md', 'pkg/glassix_wasm_bg.wasm']) assert.ok(files.includes(f), `${f} is in the tarball`);
});
