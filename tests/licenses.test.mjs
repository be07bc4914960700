// What the package may ship, and what it owes and declares for it: its own license (LICENSE, MIT,
// as package.json and Cargo.toml say), the notices of the code compiled into its .wasm
// (THIRD-PARTY-NOTICES.txt) and an SBOM of it (sbom.cdx.json), both made by scripts/notices.mjs,
// and permissive licenses only, in the crates and in the npm packages installed with it; every
// dependency from a registry, pinned by a hash, and no install script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { andTerms, INCLUDED, inventory, licenseAllowed, NOT_COMPILED, notices, NOTICES, sbom, SBOM } from '../scripts/notices.mjs';
import { BUILD_STD, BUILD_STD_FEATURES, NIGHTLY, RELEASE_RUSTFLAGS, WASM_TARGET } from '../scripts/toolchain.mjs';

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
  // the AND terms the notices give a text each, with the licenses each may choose from
  assert.deepEqual(andTerms('MIT'), [['MIT']]);
  assert.deepEqual(andTerms('MIT/Apache-2.0'), [['MIT', 'Apache-2.0']]);
  assert.deepEqual(andTerms('(MIT OR Apache-2.0) AND Unicode-3.0'), [['MIT', 'Apache-2.0'], ['Unicode-3.0']]);
  assert.deepEqual(andTerms('MIT AND Apache-2.0 WITH LLVM-exception AND (MIT OR Apache-2.0)'), [['MIT'], ['Apache-2.0 WITH LLVM-exception'], ['MIT', 'Apache-2.0']]);
  assert.deepEqual(andTerms('0BSD OR MIT OR Apache-2.0'), [['0BSD', 'MIT', 'Apache-2.0']]);
  assert.throws(() => andTerms('MIT OR (Apache-2.0 AND Zlib)'), /AND inside an OR/);
});

// (cargo and the pinned nightly are needed from here on: read once, when a test first asks)
let inventoried;
const inv = () => (inventoried ??= inventory());
/** The npm packages installed with glassix-wasm, as package-lock.json locks them: [path, entry]. */
const runtimeLocked = () => Object.entries(JSON.parse(read('package-lock.json')).packages).filter(([path, p]) => path && !p.dev && !p.optional && !p.peer);
/** THIRD-PARTY-NOTICES.txt read once: its crates' header lines and its sections. */
let parsedNotices;
const parsed = () => {
  if (parsedNotices) return parsedNotices;
  const text = read(NOTICES);
  const heads = [...text.matchAll(/^([\w-]+) (\d[\w.+-]*) \(((?:[^()]|\([^()]*\))+)\)(?:  (?!library\/)(\S+))?(?:  (library\/\S+))?$/gm)].map((m) => ({ name: m[1], version: m[2], license: m[3], dir: m[5] }));
  return (parsedNotices = { heads, sections: text.split(/^(?:={100}|#{100})$/m).slice(1) });
};
const heads = () => parsed().heads;
/** The notices' section (header and texts) that names crate `name` at `version`. */
const sectionOf = (name, version) => parsed().sections.find((s) => s.split('\n\n')[0].split('\n').some((l) => l.startsWith(`${name} ${version} (`)));
/** The packages a Cargo.lock records: name, version, source and checksum (undefined when none). */
const lockPackages = (file) =>
  readFileSync(file, 'utf8').split('[[package]]').slice(1).map((b) => {
    const field = (k) => b.match(new RegExp(`^${k} = "([^"]*)"$`, 'm'))?.[1];
    return { name: field('name'), version: field('version'), source: field('source'), checksum: field('checksum') };
  });

test(`${NOTICES} and ${SBOM} are what scripts/notices.mjs makes from Cargo.lock and the pinned toolchain (run it after changing either)`, () => {
  assert.ok(read(NOTICES) === notices(inv()), `${NOTICES} is stale: run \`node scripts/notices.mjs\` and commit it`);
  assert.ok(read(SBOM) === sbom(inv()), `${SBOM} is stale: run \`node scripts/notices.mjs\` and commit it`);
});

/** The release build's dep-info for crate `name` (the source files it compiled), newest first:
 * present only after `node scripts/build.mjs` built with the pinned nightly and -Zbuild-std. */
function compiledFiles(name) {
  const release = join(inv().buildDir, WASM_TARGET, 'release', 'build', name);
  const file = (h) => join(release, h, 'out', `${name.replace(/-/g, '_')}-${h}.d`);
  const found = existsSync(release) ? readdirSync(release).map(file).filter(existsSync) : [];
  found.sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs);
  assert.ok(found.length, `no dep-info of ${name} under ${release}: the target directory holds no release build made with ${NIGHTLY} and ${BUILD_STD} ${BUILD_STD_FEATURES} (scripts/setup.sh, then node scripts/build.mjs), the build the notices and the SBOM describe`);
  const [first] = readFileSync(found[0], 'utf8').split('\n');
  return first.replace(/^.*?: /, '').split(/(?<!\\) /).filter(Boolean).map((f) => realpathSync(f.replace(/\\ /g, ' ')));
}

test(`${NOTICES} names every crate the release build compiles into the .wasm: cargo tree's from Cargo.toml, at the versions Cargo.lock pins, and the standard library's from cargo's unit graph`, () => {
  // (a proc macro runs in the compiler: neither it nor what only it uses is in the .wasm)
  const tree = execFileSync('cargo', ['tree', '-e', 'normal', '--target', WASM_TARGET, '--prefix', 'depth', '--no-dedupe', '--locked'], { cwd: root, encoding: 'utf8' });
  const found = new Set();
  let macro = Infinity;
  for (const line of tree.trim().split('\n')) {
    const [, depth, name, version, proc] = line.match(/^(\d+)(\S+) v(\S+)(.*\(proc-macro\))?/);
    if (Number(depth) > macro) continue;
    macro = proc ? Number(depth) : Infinity;
    if (!proc && name !== 'glassix-wasm') found.add(`${name} ${version}`);
  }
  const expected = [...found].sort();
  assert.ok(expected.length >= 20, expected.join(', '));
  assert.deepEqual(heads().filter((h) => !h.dir).map((h) => `${h.name} ${h.version}`).sort(), expected);
  // the standard library: the lib units the release build makes for wasm32 from the toolchain's
  // library/ (its `rustc-std-workspace-*` shims re-export and hold no code)
  const { units } = JSON.parse(execFileSync('cargo', ['build', '--release', '--lib', '--target', WASM_TARGET, BUILD_STD, BUILD_STD_FEATURES, '-Zunstable-options', '--unit-graph', '--locked'], { cwd: root, encoding: 'utf8', env: { ...process.env, RUSTUP_TOOLCHAIN: NIGHTLY, RUSTFLAGS: RELEASE_RUSTFLAGS }, maxBuffer: 64 << 20 }));
  const std = new Set(units.filter((u) => u.platform === WASM_TARGET && u.mode === 'build' && u.is_std).map((u) => u.target.name.replace(/_/g, '-')));
  std.delete('rustc-std-workspace-core');
  std.delete('rustc-std-workspace-alloc');
  std.delete('rustc-std-workspace-std');
  const listed = heads().filter((h) => h.dir).map((h) => h.name.replace(/_/g, '-'));
  assert.deepEqual([...listed].sort(), [...std].sort());
  for (const name of ['core', 'alloc', 'std', 'panic-abort', 'compiler-builtins', 'hashbrown']) assert.ok(std.has(name), name);
  for (const h of heads()) assert.ok(licenseAllowed(h.license), `${h.name}: ${h.license}`);
});

test(`the standard library's sources outside a crate's own directory are the ones ${NOTICES} carries notices for (INCLUDED), and the in-tree notices not compiled for wasm32 (NOT_COMPILED) are not, by the release build's dep-info`, () => {
  const { stdCrates, toolchain: tc, exceptions } = inv();
  const library = realpathSync(tc.library);
  const dirs = new Map(stdCrates.filter((p) => !p.source).map((p) => [p.name, realpathSync(dirname(p.manifest_path))]));
  const all = [];
  for (const [name, dir] of dirs) {
    const files = compiledFiles(name).filter((f) => f.startsWith(library + sep));
    assert.ok(files.length, name);
    all.push(...files);
    const covered = [dir, ...dirs.values(), ...(INCLUDED[name] ?? []).map((d) => join(library, d))];
    const outside = files.filter((f) => !covered.some((d) => f.startsWith(d + sep)));
    assert.deepEqual(outside, [], `${name} compiles these from elsewhere: add their directory's notices to INCLUDED in scripts/notices.mjs`);
    for (const d of INCLUDED[name] ?? []) assert.ok(files.some((f) => f.startsWith(join(library, d) + sep)), `${name} no longer compiles from ${d}: take it out of INCLUDED`);
  }
  const under = (path) => all.filter((f) => f === join(library, '..', path) || f.startsWith(join(library, '..', path) + sep));
  for (const path of NOT_COMPILED) assert.deepEqual(under(path), [], `${path} is compiled for wasm32 now: take it out of NOT_COMPILED`);
  for (const e of exceptions.filter((e) => e.depth === 1 && e.path && !NOT_COMPILED.includes(e.path))) assert.ok(under(e.path).length, `${e.path} is not compiled for wasm32: add it to NOT_COMPILED`);
});

/** What a license's text says, to find it in a section. */
const SIGNATURE = {
  MIT: /Permission is hereby granted, free of charge/,
  'Apache-2.0': /Apache License,?\s+Version 2\.0/,
  'Unicode-3.0': /UNICODE LICENSE V3/,
  'BSD-2-Clause': /Redistribution and use in source and binary forms/,
  'BSD-3-Clause': /Neither the name of/,
  Zlib: /This notice may not be removed or altered/,
  Unlicense: /This is free and unencumbered software/,
  '0BSD': /Permission to use, copy, modify, and\/or distribute this software for any\s+purpose with or without fee is hereby granted\.\s+THE SOFTWARE/,
  ISC: /Permission to use, copy, modify, and\/or distribute this software for any\s+purpose with or without fee is hereby granted, provided that the above\s+copyright notice/,
  'BSL-1.0': /Boost Software License/,
};

test(`each crate's section in ${NOTICES} carries a text for every license its expression ANDs (MIT where it may choose) with every copyright line of the crate's own file for it; no placeholder is left`, () => {
  const { packages } = inv();
  const byNameVersion = new Map([...packages.values()].map((p) => [`${p.name} ${p.version}`, p]));
  const text = read(NOTICES);
  const intro = text.slice(text.search(/^#{100}$/m)).split(/^={100}$/m)[0];
  let copyrights = 0;
  for (const h of heads()) {
    const section = sectionOf(h.name, h.version);
    assert.ok(section, `${h.name} ${h.version}`);
    const p = byNameVersion.get(`${h.name} ${h.version}`);
    const wanted = andTerms(h.license).map((term) => (term.includes('MIT') ? 'MIT' : term[0].split(' WITH ')[0]));
    for (const [i, license] of wanted.entries()) {
      assert.ok(SIGNATURE[license], `${h.name}: add ${license}'s signature to this test`);
      // (the standard library's in-tree licenses, core's Unicode-3.0, are in its introduction)
      const inIntro = h.dir && !p && SIGNATURE[license].test(intro) && !SIGNATURE[license].test(section);
      assert.match(inIntro ? intro : section, SIGNATURE[license], `${h.name}: a ${license} text for ${andTerms(h.license)[i].join(' OR ')}`);
    }
    // every license file of the crate whose text is one of the licenses it is used under: each of
    // its copyright lines is in the section (whichever file the generator picked)
    if (p) {
      const dir = dirname(p.manifest_path);
      const files = readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f));
      const used = files.filter((f) => wanted.some((l) => SIGNATURE[l].test(readFileSync(join(dir, f), 'utf8'))));
      assert.ok(used.length || !files.length, `${h.name}: none of ${files.join(', ')} holds the text of ${wanted.join(', ')}`);
      for (const f of used) {
        for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => /^\s*Copyright\b/i.test(l) && !/\[yyyy\]/.test(l))) {
          assert.ok(section.includes(line.trim()), `${h.name}: "${line.trim()}" from ${f}`);
          copyrights++;
        }
      }
    }
    if (h.dir && !p) assert.match(section, /Copyright \(c\) The Rust Project Developers/, `${h.name}: the holder COPYRIGHT-library.html names`);
  }
  assert.ok(copyrights >= 25, `${copyrights} copyright lines checked`);
  assert.doesNotMatch(text, /<year>|<copyright holders>|<owner>/, 'a license template placeholder is left');
  // the standard library's in-tree notices: core's Unicode data, backtrace's and crossbeam's holders
  for (const s of ['File/Directory: library/core/src/unicode', 'Copyright: 1991-2024 Unicode, Inc', 'Copyright: 2014 Alex Crichton', 'Copyright: 2019 The Crossbeam Project Developers', 'UNICODE LICENSE V3', 'Rich Felker']) assert.ok(text.includes(s), s);
  assert.equal(heads().find((h) => h.name === 'core').license, '(MIT OR Apache-2.0) AND Unicode-3.0');
  assert.equal(heads().find((h) => h.name === 'std').license, 'MIT OR Apache-2.0', 'fuchsia.rs (BSD-2-Clause) is not compiled for wasm32');
  assert.match(sectionOf('std', heads().find((h) => h.name === 'std').version), /Copyright \(c\) 2014 Alex Crichton/, "backtrace's code, compiled into std, with its holder");
  // the bundler's runtime helpers in the JS entries, at the version package-lock.json holds
  const esbuild = JSON.parse(read('package-lock.json')).packages['node_modules/esbuild'].version;
  assert.match(text, new RegExp(`^esbuild ${esbuild.replace(/\./g, '\\.')} \\(MIT\\)  https://github\\.com/evanw/esbuild[^\\n]*\\n\\nMIT License\\n\\nCopyright \\(c\\) 2020 Evan Wallace`, 'm'));
  // a crate published without a license file has its repository's, not one made up
  assert.match(sectionOf('gloo-net', '0.7.0'), /Copyright \(c\) 2021 Muhammad Hamza/);
});

test(`${SBOM} is a valid CycloneDX 1.6 document about this package: the notices' crates with purls, CPEs and Cargo.lock's SHA-256, the npm packages it installs with their sha512, one graph`, async () => {
  const CDX = require('@cyclonedx/cyclonedx-library');
  const text = read(SBOM);
  assert.equal(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text), null);
  const bom = JSON.parse(text);
  const manifest = JSON.parse(read('package.json'));
  assert.equal(bom.metadata.component.purl, `pkg:npm/glassix-wasm@${manifest.version}`);
  assert.deepEqual(bom.metadata.component.licenses, [{ expression: manifest.license, acknowledgement: 'declared' }]);
  assert.equal(bom.serialNumber, undefined, 'no serial number: the same sources make the same file');
  const crates = bom.components.filter((c) => !c.purl.startsWith('pkg:npm/'));
  assert.equal(crates.length, heads().length);
  const sums = new Map([join(root, 'Cargo.lock'), join(inv().toolchain.library, 'Cargo.lock')].flatMap(lockPackages).filter((p) => p.source?.startsWith('registry') && /^[0-9a-f]{64}$/.test(p.checksum ?? '')).map((p) => [`${p.name} ${p.version}`, p.checksum]));
  let hashed = 0;
  for (const h of heads()) {
    const c = crates.find((c) => c.name === h.name && c.version === h.version);
    assert.ok(c, `${h.name} ${h.version} is a component`);
    assert.deepEqual(c.licenses, [{ expression: h.license, acknowledgement: h.name === 'core' ? 'concluded' : 'declared' }], h.name);
    const sum = sums.get(`${h.name} ${h.version}`);
    if (sum) {
      assert.equal(c.purl, `pkg:cargo/${h.name}@${h.version}`);
      assert.deepEqual(c.hashes, [{ alg: 'SHA-256', content: sum }], `${h.name}: Cargo.lock's checksum`);
      hashed++;
    } else {
      // the standard library's own crates: the toolchain's commit, their directory, rust's CPE
      assert.ok(h.dir, `${h.name} is from a registry or in the standard library`);
      assert.equal(c.purl, `pkg:github/rust-lang/rust@${inv().toolchain.commit}#${h.dir}`);
      assert.ok(existsSync(join(inv().toolchain.library, '..', h.dir, 'Cargo.toml')), h.dir);
      if (h.name === 'std') assert.match(c.cpe, /^cpe:2\.3:a:rust-lang:rust:\d+\.\d+\.\d+:nightly:(\*:){5}\*$/);
      else assert.equal(c.cpe, undefined, `${h.name}: Rust's CPE on std alone`);
    }
  }
  assert.ok(hashed >= 30, `${hashed} registry crates checked against their Cargo.lock`);
  // the npm packages it installs, as package-lock.json locks them
  const runtime = runtimeLocked();
  const npm = bom.components.filter((c) => c.purl.startsWith('pkg:npm/'));
  assert.deepEqual(npm.map((c) => `${c.name}@${c.version}`).sort(), runtime.map(([path, p]) => `${path.split('node_modules/').pop()}@${p.version}`).sort());
  for (const [path, p] of runtime) {
    const c = npm.find((c) => c.name === path.split('node_modules/').pop() && c.version === p.version);
    assert.deepEqual(c.hashes, [{ alg: 'SHA-512', content: Buffer.from(p.integrity.slice(7), 'base64').toString('hex') }], path);
  }
  // its tools are what builds pkg/: the wasm-bindgen CLI the crate's pin needs, the npm tools installed
  const tools = Object.fromEntries(bom.metadata.tools.components.map((t) => [t.name, t.version]));
  assert.deepEqual(Object.keys(tools).sort(), ['binaryen', 'esbuild', 'rustc', 'terser', 'wasm-bindgen-cli', 'wasm-pack']);
  assert.equal(tools['wasm-bindgen-cli'], read('Cargo.toml').match(/^wasm-bindgen = "=([^"]+)"/m)[1]);
  for (const name of ['binaryen', 'esbuild', 'terser']) assert.equal(tools[name], require(`${name}/package.json`).version, name);
  // one graph from the package reaches every component
  const edges = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
  const seen = new Set();
  const todo = [bom.metadata.component['bom-ref']];
  while (todo.length) for (const r of edges.get(todo.pop()) ?? []) if (!seen.has(r)) (seen.add(r), todo.push(r));
  assert.deepEqual(bom.components.map((c) => c['bom-ref']).filter((r) => !seen.has(r)), []);
  for (const name of ['wasm-bindgen', 'serde', 'gloo-net', 'js-sys', 'csv-stringify', 'cli-progress']) assert.ok(edges.get(bom.metadata.component['bom-ref']).some((r) => r.includes(`${name}@`)), name);
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
  const runtime = runtimeLocked();
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
  const crates = lockPackages(join(root, 'Cargo.lock'));
  const external = crates.filter((c) => c.source !== undefined);
  assert.ok(external.length > 20, `${external.length} crates from a registry`);
  for (const c of external) {
    assert.equal(c.source, 'registry+https://github.com/rust-lang/crates.io-index', c.name);
    assert.match(c.checksum ?? '', /^[0-9a-f]{64}$/, c.name);
  }
  // the one crate without a source is this one
  assert.deepEqual(crates.filter((c) => c.source === undefined).map((c) => c.name), ['glassix-wasm']);
});
