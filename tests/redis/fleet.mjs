// Drives workers (./worker.mjs), each a child process with its own client on the Redis store:
// the fleet tests and the workers bench share it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export { maxInWindow } from '../../bench/lib.mjs';

/** Forks a worker with `cfg` (see worker.mjs); resolves once it is ready. */
export function startWorker(cfg) {
  const child = fork(WORKER, [], { env: { ...process.env, GLASSIX_WORKER: JSON.stringify(cfg) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code, signal) => reject(new Error(`worker ${cfg.tag} exited (${code ?? signal}) before answering`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const ready = next();
  const worker = {
    tag: cfg.tag,
    pid: child.pid,
    exited,
    /** Sends `n` at once; resolves with `[[i, id] | [i, null, failureJson]]`. */
    send: (n) => {
      const answer = next();
      child.send({ send: n });
      return answer.then((m) => m.results);
    },
    /** Asks it to close its Redis client and exit; resolves with how it exited. */
    stop: () => {
      if (child.exitCode === null && child.signalCode === null && child.connected) child.send({ exit: true });
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      return exited.finally(() => clearTimeout(t));
    },
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
      return exited;
    },
  };
  return ready.then(() => worker);
}
