// `npm run demo`: installs the toolchain if missing, builds if the sources changed since the
// last build, then runs examples/quickstart.mjs against the bundled sandbox.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const newest = (p) => {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(join(p, f))));
};
const built = join(root, 'pkg', 'browser.mjs');
const stale = !existsSync(built) || ['src', 'js', 'Cargo.toml', 'scripts/build.mjs'].some((p) => newest(join(root, p)) > statSync(built).mtimeMs);

run('bash', ['scripts/setup.sh']);
if (stale) run('node', ['scripts/build.mjs']);
run(process.execPath, ['examples/quickstart.mjs']);
