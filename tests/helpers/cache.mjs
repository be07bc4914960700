// The test cache: runtimes, build tools and older client libraries from the npm registry, pinned,
// kept outside the clone so CI's fresh clones and `npm ci` keep them. $GLASSIX_ECOSYSTEM_CACHE,
// else $XDG_CACHE_HOME/glassix-wasm/ecosystem, else ~/.cache/glassix-wasm/ecosystem. Used by
// tests/ecosystem/run.mjs and tests/helpers/redis.mjs.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CACHE = process.env.GLASSIX_ECOSYSTEM_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'glassix-wasm', 'ecosystem');

/** The environment for an npm run inside the cache. Under `npm test`, npm puts this repository
 * into the environment (npm_config_local_prefix would make an npm below install into the
 * repository, not the folder it runs in): none of it reaches the commands. The user's npm
 * settings (registry, cache) stay. */
export const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_(config_local_prefix|config_user_agent|package_|lifecycle_|command|execpath|node_execpath)/i.test(k)),
);

/** Makes `dir` with `fill(tmp)` unless it is already there: written to a temporary folder and
 * renamed into place when complete, so runs from several worktrees at once share it safely.
 * Returns whether it had to. */
export async function cached(dir, fill) {
  if (existsSync(dir)) return false;
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
