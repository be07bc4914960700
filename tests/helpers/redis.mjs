// A real redis-server for the tests and the bench: started as a child process on 127.0.0.1 on a
// free port, with no persistence and a data dir under a temp folder, and stopped afterwards.
// Plus the two client libraries glassix-wasm/redis accepts, connected to it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** The two client libraries, by name. */
export const LIBRARIES = ['ioredis', 'node-redis'];

/** A connected client of `library` for `url`, with the library's default options (the store
 * must bound a Redis that is gone by itself). `close()` ends it whatever state it is in. */
export async function connect(library, url) {
  if (library === 'ioredis') {
    const Redis = require('ioredis');
    const client = new Redis(url, { lazyConnect: true });
    client.on('error', () => {}); // reported to the calls, through the store
    await client.connect();
    return { client, close: () => client.disconnect() };
  }
  const { createClient } = require('redis');
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return { client, close: () => (client.isOpen ? client.destroy() : undefined) };
}
