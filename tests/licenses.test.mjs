// What the package may ship, and what it owes and declares for it: its own license (LICENSE, MIT,
// as package.json and Cargo.toml say), the notices of the code compiled into its .wasm
// (THIRD-PARTY-NOTICES.txt) and an SBOM of it (sbom.cdx.json), both made by scripts/notices.mjs,
// and permissive licenses only, in the crates and in the npm packages installed with it; every
// dependency from a registry, pinned by a hash, and no install script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { inventory, licenseAllowed, notices, NOTICES, sbom, SBOM } from '../scripts/notices.mjs';

const require = createRequire(import.meta.url);

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

const inv = inventory();

test(`${NOTICES} and ${SBOM} are what scripts/notices.mjs makes from Cargo.lock and the pinned toolchain (run it after changing either)`, () => {
  assert.ok(read(NOTICES) === notices(inv), `${NOTICES} is stale: run \`node scripts/notices.mjs\` and commit it`);
  assert.ok(read(SBOM) === sbom(inv), `${SBOM} is stale: run \`node scripts/notices.mjs\` and commit it`);
});

test(`${SBOM} is a valid CycloneDX 1.6 document about this package, listing every crate of the notices with its license, and each registry crate with its purl and Cargo.lock's SHA-256`, async () => {
  const CDX = require('@cyclonedx/cyclonedx-library');
  const text = read(SBOM);
  assert.equal(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text), null);
  const bom = JSON.parse(text);
  const manifest = JSON.parse(read('package.json'));
  assert.equal(bom.metadata.component.purl, `pkg:npm/glassix-wasm@${manifest.version}`);
  assert.deepEqual(bom.metadata.component.licenses, [{ expression: manifest.license }]);
  assert.equal(bom.serialNumber, undefined, 'no serial number: the same sources make the same file');
  // the same crates as the notices, by name and (for registry crates) version
  const inNotices = [...read(NOTICES).matchAll(/^([\w-]+) (\d[\w.+-]*) \((.+?)\)(?:  |$)/gm)].map((m) => ({ name: m[1], version: m[2], license: m[3] }));
  assert.equal(bom.components.length, inNotices.length);
  const lock = read('Cargo.lock');
  let hashed = 0;
  for (const n of inNotices) {
    const c = bom.components.find((c) => c.name === n.name && (c.group === 'rust-lang' || c.version === n.version));
    assert.ok(c, `${n.name} ${n.version} is a component`);
    assert.deepEqual(c.licenses, [{ expression: n.license.replace(/\//g, ' OR ') }], n.name);
    const sum = lock.match(new RegExp(`^name = "${n.name}"\nversion = "${n.version.replace(/\./g, '\\.')}"\nsource = "registry[^"]*"\nchecksum = "([0-9a-f]{64})"`, 'm'))?.[1];
    if (sum) {
      assert.equal(c.purl, `pkg:cargo/${n.name}@${n.version}`);
      assert.deepEqual(c.hashes, [{ alg: 'SHA-256', content: sum }], `${n.name}: Cargo.lock's checksum`);
      hashed++;
    }
  }
  assert.ok(hashed >= 20, `${hashed} registry crates checked against Cargo.lock`);
  // the graph starts at the package and reaches every component
  const edges = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
  const seen = new Set();
  const todo = [bom.metadata.component['bom-ref']];
  while (todo.length) for (const r of edges.get(todo.pop()) ?? []) if (!seen.has(r)) (seen.add(r), todo.push(r));
  assert.deepEqual(bom.components.map((c) => c['bom-ref']).filter((r) => !seen.has(r)), []);
  // its tools are what builds pkg/: the wasm-bindgen CLI the crate's pin needs, the npm tools installed
  const tools = Object.fromEntries(bom.metadata.tools.components.map((t) => [t.name, t.version]));
  assert.deepEqual(Object.keys(tools).sort(), ['binaryen', 'esbuild', 'rustc', 'terser', 'wasm-bindgen-cli', 'wasm-pack']);
  assert.equal(tools['wasm-bindgen-cli'], read('Cargo.toml').match(/^wasm-bindgen = "=([^"]+)"/m)[1]);
  for (const name of ['binaryen', 'esbuild', 'terser']) assert.equal(tools[name], require(`${name}/package.json`).version, name);
  for (const name of ['wasm-bindgen', 'serde', 'gloo-net', 'js-sys']) assert.ok(edges.get(bom.metadata.component['bom-ref']).some((r) => r.startsWith(`${name}@`)), name);
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

test('LICENSE is the MIT license package.json and Cargo.toml declare, and npm packs it with the notices and the SBOM', () => {
  assert.equal(JSON.parse(read('package.json')).license, 'MIT');
  assert.match(read('Cargo.toml'), /^license = "MIT"$/m);
  const license = read('LICENSE');
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted, free of charge/);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = packed.files.map((f) => f.path);
  for (const f of ['LICENSE', NOTICES, SBOM, 'README.md', 'pkg/glassix_wasm_bg.wasm']) assert.ok(files.includes(f), `${f} is in the tarball`);
});

test('installing glassix-wasm runs nothing: no install scripts in it or in the packages it installs (it works under --ignore-scripts and npm 11\'s install-script approvals)', () => {
  const hooks = ['preinstall', 'install', 'postinstall', 'prepare'];
  const manifest = JSON.parse(read('package.json'));
  assert.deepEqual(hooks.filter((h) => manifest.scripts?.[h]), []);
  assert.equal(manifest.gypfile, undefined);
  assert.ok(!existsSync(join(root, 'binding.gyp')), 'no binding.gyp (npm would run node-gyp for it)');
  for (const name of Object.keys(manifest.dependencies)) {
    const dep = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    assert.deepEqual(hooks.filter((h) => dep.scripts?.[h] && h !== 'prepare'), [], name);
  }
  // npm's own record of the tree: no installed runtime dependency has an install script
  const lock = JSON.parse(read('package-lock.json'));
  const runtime = Object.entries(lock.packages).filter(([path, p]) => path && !p.dev && !p.optional && !p.peer);
  assert.ok(runtime.length >= 2, runtime.map(([p]) => p).join(', '));
  assert.deepEqual(runtime.filter(([, p]) => p.hasInstallScript).map(([path]) => path), []);
});

test('every dependency comes from a registry, pinned by a hash: npm packages by sha512 integrity (no git, tarball-URL or file dependency), crates from crates.io by checksum (no git or path crate)', () => {
  for (const file of ['package-lock.json', 'tests/ecosystem/package-lock.json']) {
    const lock = JSON.parse(read(file));
    const entries = Object.entries(lock.packages).filter(([path, p]) => path && !p.link);
    assert.ok(entries.length > 50, `${file}: ${entries.length} packages`);
    for (const [path, p] of entries) {
      assert.match(p.integrity ?? '', /^sha512-[A-Za-z0-9+/]{86}==$/, `${file}: ${path} has no sha512 integrity`);
      if (p.resolved) assert.match(p.resolved, /^https:\/\/registry\.(npmjs\.org|yarnpkg\.com)\//, `${file}: ${path} resolves to ${p.resolved}`);
    }
    // (a lock made without the registry's URLs: npm fills them from the configured registry)
    const specs = Object.values(lock.packages).flatMap((p) => Object.values({ ...p.dependencies, ...p.devDependencies, ...p.optionalDependencies }));
    assert.deepEqual(specs.filter((s) => /^(git|github|gitlab|bitbucket|file|link|https?):|\//.test(s) && !/^npm:/.test(s)), [], `${file}: dependencies named by URL or path`);
  }
  const blocks = read('Cargo.lock').split('[[package]]').slice(1);
  const external = blocks.filter((b) => /^source = /m.test(b));
  assert.ok(external.length > 20, `${external.length} crates from a registry`);
  for (const b of external) {
    const name = b.match(/^name = "([^"]+)"/m)[1];
    assert.match(b, /^source = "registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index"$/m, name);
    assert.match(b, /^checksum = "[0-9a-f]{64}"$/m, name);
  }
  // the one crate without a source is this one
  assert.deepEqual(blocks.filter((b) => !/^source = /m.test(b)).map((b) => b.match(/^name = "([^"]+)"/m)[1]), ['glassix-wasm']);
});
