// A real redis-server for the tests and the bench: started as a child process on 127.0.0.1 on a
// free port, with no persistence and a data dir under a temp folder, and stopped afterwards.
// Plus the two client libraries glassix-wasm/redis accepts, connected to it: the versions the
// repository's devDependencies install, and older majors the peer dependency ranges promise
// (tests/redis/versions, installed into the test cache on first use).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockedInstall } from './cache.mjs';

const require = createRequire(import.meta.url);

/** Whether `redis-server` is on PATH (scripts/setup.sh installs Debian's). */
export const haveRedis = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts redis-server; resolves with `{ url, port, pid, stop(), kill(signal) }` once it accepts
 * connections. `stop()` ends it (SIGTERM, then SIGKILL) and removes its data dir. `args`: more
 * of redis-server's options (`['--requirepass', 'pw']`). */
export async function startRedis({ port, args = [] } = {}) {
  // the tests need it (they fail rather than skip): CI installs it
  if (!haveRedis()) throw new Error('redis-server is not on the PATH: scripts/setup.sh installs it (Debian: apt-get install redis-server)');
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'glassix-wasm-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    const until = Date.now() + 10_000;
    const poll = () => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited: ${output}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => (Date.now() > until ? reject(new Error(`redis-server did not listen on ${port}: ${output}`)) : setTimeout(poll, 20)));
    };
    child.once('error', reject);
    poll();
  });
  const redis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    /** Signals the server (SIGKILL: gone at once, SIGSTOP: hangs); resolves when it exited, for
     * the signals that end it. */
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return signal === 'SIGSTOP' || signal === 'SIGCONT' ? Promise.resolve() : exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return redis;
}

/** The two client libraries, by name, at the versions of the repository's devDependencies. */
export const LIBRARIES = ['ioredis', 'node-redis'];

/** Older majors, by name (`<library> <major>`) and package in tests/redis/versions: the oldest the
 * peer dependency ranges promise (`ioredis >=5`, `redis >=4`) and node-redis 5, the last before
 * the repository's. */
const OLDER = { 'ioredis 5': 'ioredis-5', 'node-redis 4': 'redis-4', 'node-redis 5': 'redis-5' };

/** Every version the store is tested with: LIBRARIES and the older majors. */
export const ALL_LIBRARIES = [...LIBRARIES, ...Object.keys(OLDER)];

/** `ioredis` or `node-redis`, whatever the version. */
export const family = (library) => library.split(' ')[0];

const VERSIONS = fileURLToPath(new URL('../redis/versions/', import.meta.url));
let older;
/** A `require` for tests/redis/versions' packages, `npm ci`'d into the test cache once per
 * lockfile (a few seconds; CI's fresh machine does it once). */
function olderRequire() {
  older ??= lockedInstall(VERSIONS, 'redis-clients').then(({ dir }) => createRequire(join(dir, 'package.json')));
  return older;
}

/** The module of `library` (any of ALL_LIBRARIES): ioredis's class, or node-redis's exports. */
export async function load(library) {
  if (OLDER[library]) return (await olderRequire())(OLDER[library]);
  return require(family(library) === 'ioredis' ? 'ioredis' : 'redis');
}

/** A connected client of `library` (any of ALL_LIBRARIES) for `url`, with the library's default
 * options (the store must bound a Redis that is gone by itself). `close()` ends it whatever state
 * it is in. */
export async function connect(library, url) {
  const lib = await load(library);
  if (family(library) === 'ioredis') {
    const client = new lib(url, { lazyConnect: true });
    client.on('error', () => {}); // reported to the calls, through the store
    await client.connect();
    return { client, close: () => client.disconnect() };
  }
  const client = lib.createClient({ url });
  client.on('error', () => {});
  await client.connect();
  // (node-redis 4 has no `destroy`: its `disconnect` closes at once too)
  return { client, close: () => (client.isOpen ? (client.destroy ? client.destroy() : client.disconnect()) : undefined) };
}
