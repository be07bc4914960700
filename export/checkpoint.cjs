'use strict';
// The export's checkpoint file (`FILE.checkpoint.json`): read, checked, and written atomically
// (a temporary file, fsync'd, renamed over the old one), so a crash at any instant leaves either
// the previous checkpoint or the next one, never half of one.

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const VERSION = 1;
/** A checkpoint of a CSV export with `bom` or `escapeFormulas`: a release from before those
 * options would take it for one without them and continue the file without, so it is told
 * apart; this release reads both. */
const VERSION_CSV_FLAGS = 2;
const KIND = 'glassix-wasm export tickets';

const checkpointPath = (out) => `${out}.checkpoint.json`;

/** fsync and fdatasync of an open `FileHandle`, through its descriptor: under Yarn's Plug'n'Play,
 * `fs.promises.open` hands back Yarn's own FileHandle, whose `sync()` and `datasync()` throw
 * "Method not implemented". */
const syncOf = (call) => (fh) => new Promise((resolve, reject) => call(fh.fd, (err) => (err ? reject(err) : resolve())));
const fsync = syncOf(fs.fsync);
const fdatasync = syncOf(fs.fdatasync);

/**
 * Ids as a compact JSON array: sorted, the first as is and each next one as the difference to the
 * one before (ticket ids are close together, so most entries are one to three digits).
 */
function encodeIds(sorted) {
  const out = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i += 1) out[i] = i === 0 ? sorted[0] : sorted[i] - sorted[i - 1];
  return out;
}

function decodeIds(deltas) {
  const out = [];
  let prev = 0;
  for (const d of deltas) {
    prev += d;
    out.push(prev);
  }
  return out;
}

/** Sorts a page's few ids (ascending). */
const sortIds = (ids) => ids.sort((a, b) => a - b);

/** `a` and `b`, each sorted ascending, as one sorted array: one pass, no comparator calls. */
function mergeSorted(a, b) {
  const out = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/**
 * The ids written that a later window can still list: id → the last window it can appear in, and
 * by window the ids in the order the checkpoint writes them (sorted). A page's ids are sorted on
 * their own and merged in when the checkpoint is next written, and each window's encoded list is
 * kept until that window gains ids: recording a page costs what the page costs (re-sorting the
 * whole month on every page made a month of 80,000 tickets cost about 25 s of CPU), and the
 * checkpoint's text is the same as ever.
 */
class SeenIds {
  constructor() {
    this.windowOf = new Map(); // id → last window
    this.groups = new Map(); // window → { sorted, pending, encoded }
  }

  get size() { return this.windowOf.size; }

  has(id) { return this.windowOf.has(id); }

  /** Records `id` (not already recorded) as listable up to window `w`. */
  add(id, w) {
    this.windowOf.set(id, w);
    let g = this.groups.get(w);
    if (!g) this.groups.set(w, (g = { sorted: [], pending: [], encoded: null }));
    g.pending.push(id);
    g.encoded = null;
  }

  /** Forgets the ids that no window after `w` can list. */
  forgetUpTo(w) {
    for (const [gw, g] of this.groups) {
      if (gw > w) continue;
      for (const id of g.sorted) this.windowOf.delete(id);
      for (const id of g.pending) this.windowOf.delete(id);
      this.groups.delete(gw);
    }
  }

  /** `{ "<window>": [encoded ids] }`, windows ascending. */
  toJSON() {
    const out = {};
    for (const w of [...this.groups.keys()].sort((a, b) => a - b)) {
      const g = this.groups.get(w);
      if (g.pending.length) {
        g.sorted = mergeSorted(g.sorted, sortIds(g.pending));
        g.pending = [];
      }
      g.encoded ??= encodeIds(g.sorted);
      out[w] = g.encoded;
    }
    return out;
  }

  /** The checkpoint's `seen`: an id listed under two windows (an edited file) is kept to the
   * later one. */
  static fromJSON(obj) {
    const windowOf = new Map();
    for (const [w, deltas] of Object.entries(obj)) {
      for (const id of decodeIds(deltas)) windowOf.set(id, Number(w));
    }
    const seen = new SeenIds();
    for (const [id, w] of windowOf) seen.add(id, w);
    return seen;
  }
}

const encodeSeen = (seen) => seen.toJSON();
const decodeSeen = (obj) => SeenIds.fromJSON(obj);

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;
const isIso = (s) => typeof s === 'string' && !Number.isNaN(Date.parse(s));

/** Whether `cp` has the shape this version writes (it may come from anywhere). */
function wellFormed(cp) {
  if (!cp || typeof cp !== 'object' || cp.kind !== KIND || (cp.version !== VERSION && cp.version !== VERSION_CSV_FLAGS)) return false;
  const { windows, output, seen } = cp;
  if (![cp.since, cp.until, cp.end].every(isIso) || !['ndjson', 'csv'].includes(cp.format)) return false;
  if (!(cp.columns === null || (Array.isArray(cp.columns) && cp.columns.every((c) => typeof c === 'string')))) return false;
  if (!(cp.states === null || (Array.isArray(cp.states) && cp.states.every((c) => typeof c === 'string')))) return false;
  if (typeof cp.api !== 'string') return false;
  if (cp.account != null && typeof cp.account !== 'string') return false;
  if ([cp.untilGiven, cp.bom, cp.escapeFormulas].some((b) => b !== undefined && typeof b !== 'boolean')) return false;
  if (!windows || !isCount(windows.total) || !isCount(windows.done) || windows.done > windows.total) return false;
  if (!output || !isCount(output.bytes) || !isCount(output.tickets)) return false;
  if (!seen || typeof seen !== 'object' || Array.isArray(seen)) return false;
  if (cp.current != null && (typeof cp.current !== 'object' || !(cp.current.next == null || typeof cp.current.next === 'string'))) return false;
  return Object.entries(seen).every(([w, ids]) => /^\d+$/.test(w) && Array.isArray(ids) && ids.every(Number.isSafeInteger));
}

/**
 * The checkpoint at `file`: null when there is none; `{ error }` when it cannot be used
 * (unreadable, not JSON, not a checkpoint of this version).
 */
function readCheckpoint(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    return { error: `cannot read ${file} (${err.code || err.message})` };
  }
  let cp;
  try {
    cp = JSON.parse(text);
  } catch {
    return { error: `${file} is not valid JSON` };
  }
  if (!wellFormed(cp)) return { error: `${file} is not a checkpoint of this version of glassix-wasm export` };
  return { checkpoint: cp };
}

/** Writes `cp` to `file` atomically: temporary file, fsync, rename. A failed write removes its
 * temporary file. */
async function writeCheckpoint(file, cp) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(`${JSON.stringify(cp)}\n`);
      await fsync(fh);
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Removes the temporary files (`FILE.checkpoint.json.<pid>.tmp`) that a process killed while
 * writing the checkpoint left behind; one of a process still running is left alone. */
async function removeStaleTemporaries(file) {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names;
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    await fsp.rm(path.join(dir, name), { force: true }).catch(() => {});
  }
}

/** Whether process `pid` is running (one of another user counts as running). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** What marks a lock file as an export's: a file of another kind at that path is never taken over. */
const LOCK_KIND = 'glassix-wasm export lock';

/** The lock of the output `out`: `FILE.checkpoint.lock` beside the file itself, its symbolic links
 * resolved, so that every name of one file (relative, absolute, through a link to it or to its
 * folder) has one lock. */
function lockPath(out) {
  let real;
  try {
    real = fs.realpathSync(out);
  } catch {
    try {
      real = path.join(fs.realpathSync(path.dirname(out)), path.basename(out));
    } catch {
      real = path.resolve(out);
    }
  }
  return `${real}.checkpoint.lock`;
}

/** When this process started (ms since the epoch): with the pid, it tells this process's life
 * from an earlier one with the same pid (a restarted container). Worked out once and kept on
 * `process` (every copy of the package in this thread reads the same): `Date.now() - uptime`
 * moves with the wall clock (an NTP step; a machine that slept, as uptime is monotonic and does
 * not count the sleep), so worked out again later it took this process's own live lock for an
 * earlier life's, and a second export of the file took it over. */
const PROCESS_START = Symbol.for('glassix-wasm export process start');
const processStart = () => (process[PROCESS_START] ??= Date.now() - process.uptime() * 1000);

/** What `lock` holds: the export's `{ kind, pid, host, started, id }`; `null` when it is gone;
 * `{}` when it is no export's lock (or cannot be read). */
function lockHolder(lock) {
  try {
    const h = JSON.parse(fs.readFileSync(lock, 'utf8'));
    return h && h.kind === LOCK_KIND && Number.isSafeInteger(h.pid) && h.pid > 0 && typeof h.id === 'string' ? h : {};
  } catch (err) {
    return err.code === 'ENOENT' ? null : {};
  }
}

/** Whether the export that wrote `h` may still be running. One on another machine (a shared
 * folder, or another container: its host name is its own) cannot be checked, so it is taken to
 * be. */
function running(h) {
  if (h.host !== os.hostname()) return true;
  // this pid: this process (any thread, any copy of the package) if it started when this one did
  if (h.pid === process.pid) return Math.abs(h.started - processStart()) < 2000;
  return alive(h.pid);
}

/** Removes the lock `stale` judged gone, under a second lock (`FILE.checkpoint.lock.takeover`,
 * made with `wx`): of two processes taking it over, one removes it and both try again, so a lock
 * made meanwhile is never removed. A takeover lock older than 10 s was left by a process killed
 * in the middle: removed, and tried again. */
function takeOver(lock, stale) {
  const guard = `${lock}.takeover`;
  try {
    fs.closeSync(fs.openSync(guard, 'wx'));
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > 10_000) fs.rmSync(guard, { force: true });
    } catch {}
    return;
  }
  try {
    if (lockHolder(lock)?.id === stale.id) fs.rmSync(lock, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Takes the lock of the output `out` (see `lockPath`; it holds this process's pid, host name and
 * start, and a random id), so that two exports never write one file at once. Resolves with
 * `{ release }`, or with `{ error }` naming what holds it; rejects when the lock cannot be made
 * (a folder that takes no files). A lock left by an export that is gone (killed, or stopped by a
 * second Ctrl+C) is taken over; a file there that is no export's lock is left alone.
 */
async function takeLock(out) {
  const lock = lockPath(out);
  const me = { kind: LOCK_KIND, pid: process.pid, host: os.hostname(), started: Math.round(processStart()), id: randomUUID() };
  for (let tries = 0; tries < 50; tries += 1) {
    try {
      const fd = fs.openSync(lock, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify(me)}\n`);
      } catch (err) {
        // (a full disk: the lock is made but cannot be written; left empty, it would refuse every
        // later export of this file as "no export's lock")
        fs.closeSync(fd);
        fs.rmSync(lock, { force: true });
        throw err;
      }
      fs.closeSync(fd);
      // (only our own: never one another export took over; one that cannot be removed is left to
      // be taken over, and the export's own outcome stands)
      const release = () => {
        try {
          if (lockHolder(lock)?.id === me.id) fs.rmSync(lock, { force: true });
        } catch {}
      };
      return { release };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const h = lockHolder(lock);
    if (h === null) continue;
    if (!h.id) return { error: `${lock} is in the way and is no export's lock (or one being made this instant, or left by an export killed while making it); delete it if no export of ${out} is running` };
    if (running(h)) return { error: `${out} is being written by another export (process ${h.pid}${h.host !== os.hostname() ? ` on ${h.host}` : ''}); wait for it to end, or delete ${lock} if none is running` };
    takeOver(lock, h);
    // (another process's takeover may be under way: a moment for it)
    if (tries > 0) await new Promise((r) => setTimeout(r, 20));
  }
  return { error: `cannot take ${lock}: other exports keep taking it` };
}

module.exports = { SeenIds, VERSION, VERSION_CSV_FLAGS, KIND, checkpointPath, takeLock, encodeSeen, decodeSeen, readCheckpoint, writeCheckpoint, removeStaleTemporaries, fdatasync, alive };
