// The test cache: runtimes, build tools and older client libraries from the npm registry, pinned,
// kept outside the clone so CI's fresh clones and `npm ci` keep them. $GLASSIX_ECOSYSTEM_CACHE,
// else $XDG_CACHE_HOME/glassix-wasm/ecosystem, else ~/.cache/glassix-wasm/ecosystem. Used by
// tests/ecosystem/run.mjs and tests/helpers/redis.mjs.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export const CACHE = process.env.GLASSIX_ECOSYSTEM_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'glassix-wasm', 'ecosystem');

/** The environment for an npm run inside the cache. Under `npm test`, npm puts this repository
 * into the environment (npm_config_local_prefix would make an npm below install into the
 * repository, not the folder it runs in): none of it reaches the commands. The user's npm
 * settings (registry, cache) stay. */
export const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_(config_local_prefix|config_user_agent|package_|lifecycle_|command|execpath|node_execpath)/i.test(k)),
);

// (the export's own check of a lock holder: whether a process runs)
const { alive } = createRequire(import.meta.url)('../../export/checkpoint.cjs');

/** Makes `dir` with `fill(tmp)` unless it is already there: written to a temporary folder and
 * renamed into place when complete, so runs from several worktrees at once share it safely.
 * Returns whether it had to. */
export async function cached(dir, fill) {
  if (existsSync(dir)) return false;
  // what a run killed while filling it left (its process gone): not for ever
  const base = basename(dir);
  for (const name of readdirSync(dirname(dir))) {
    const pid = name.startsWith(`${base}.tmp-`) && Number(name.slice(base.length + 5));
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw e; // else another run finished it first
  }
  return true;
}

/** The packages `from`'s package.json and package-lock.json pin, `npm ci`'d into the cache once per
 * lockfile: `<name>-<hash of the lock>`. Resolves `{ dir, fresh }` (`fresh`: installed now). */
export async function lockedInstall(from, name) {
  const lock = readFileSync(join(from, 'package-lock.json'));
  const dir = join(CACHE, `${name}-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  const fresh = await cached(dir, async (tmp) => {
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(from, f), join(tmp, f));
    await new Promise((resolve, reject) =>
      execFile('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, env: ENV, timeout: 600000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`npm ci in ${tmp} (from ${from}) failed (${err.code ?? err.signal}):\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n')}`)) : resolve(),
      ),
    );
  });
  return { dir, fresh };
}
