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
const KIND = 'glassix-wasm export tickets';

const checkpointPath = (out) => `${out}.checkpoint.json`;

/**
 * Ids as a compact JSON array: sorted, the first as is and each next one as the difference to the
 * one before (ticket ids are close together, so most entries are one to three digits).
 */
function encodeIds(ids) {
  const sorted = [...ids].sort((a, b) => a - b);
  return sorted.map((id, i) => (i === 0 ? id : id - sorted[i - 1]));
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

/** `seen` (Map id → last window the ticket can appear in) as `{ "<window>": [encoded ids] }`. */
function encodeSeen(seen) {
  const groups = new Map();
  for (const [id, w] of seen) {
    if (!groups.has(w)) groups.set(w, []);
    groups.get(w).push(id);
  }
  const out = {};
  for (const w of [...groups.keys()].sort((a, b) => a - b)) out[w] = encodeIds(groups.get(w));
  return out;
}

function decodeSeen(obj) {
  const seen = new Map();
  for (const [w, deltas] of Object.entries(obj)) {
    for (const id of decodeIds(deltas)) seen.set(id, Number(w));
  }
  return seen;
}

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;
const isIso = (s) => typeof s === 'string' && !Number.isNaN(Date.parse(s));

/** Whether `cp` has the shape this version writes (it may come from anywhere). */
function wellFormed(cp) {
  if (!cp || typeof cp !== 'object' || cp.kind !== KIND || cp.version !== VERSION) return false;
  const { windows, output, seen } = cp;
  if (![cp.since, cp.until, cp.end].every(isIso) || !['ndjson', 'csv'].includes(cp.format)) return false;
  if (!(cp.columns === null || (Array.isArray(cp.columns) && cp.columns.every((c) => typeof c === 'string')))) return false;
  if (!(cp.states === null || (Array.isArray(cp.states) && cp.states.every((c) => typeof c === 'string')))) return false;
  if (typeof cp.api !== 'string') return false;
  if (cp.account != null && typeof cp.account !== 'string') return false;
  if (cp.untilGiven !== undefined && typeof cp.untilGiven !== 'boolean') return false;
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
      await fh.sync();
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

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const lockPath = (out) => `${out}.lock`;

/** The locks this process holds (a lock naming this process's pid that is not among them was
 * left by an earlier process with the same pid: a container restarted, say). */
const held = new Set();

/** Who holds `lock`: `{ pid, host, id }`, `null` when it is gone, or `{}` when it cannot be read
 * (empty: its process was killed between creating and writing it). */
function lockHolder(lock) {
  try {
    const h = JSON.parse(fs.readFileSync(lock, 'utf8'));
    return h && typeof h === 'object' ? h : {};
  } catch (err) {
    return err.code === 'ENOENT' ? null : {};
  }
}

/** The lock's one name in this process, however its path was written (relative, through a
 * symbolic link): the key of `held`. */
function heldKey(lock) {
  try {
    return path.join(fs.realpathSync(path.dirname(lock)), path.basename(lock));
  } catch {
    return path.resolve(lock);
  }
}

/** Whether the export that wrote `h` may still be running. One on another machine (a shared
 * folder) cannot be checked, so it is taken to be. */
function running(h, lock) {
  if (!Number.isSafeInteger(h.pid) || h.pid <= 0) {
    // unreadable: being written this instant, or left by a process killed right then
    try {
      return Date.now() - fs.statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (h.host !== os.hostname()) return true;
  if (h.pid === process.pid) return held.has(heldKey(lock));
  return alive(h.pid);
}

/**
 * Takes the lock of the output `out` (`FILE.lock`, holding this process's pid, host name and a
 * random id), so that two exports never write the same file at once. Returns `{ release }`, or
 * `{ error }` naming the process that holds it; throws when the lock cannot be created. A lock left by a process that is gone (killed,
 * or stopped by a second Ctrl+C) is taken over; of two processes taking over the same one, one
 * wins.
 */
function takeLock(out) {
  const lock = lockPath(out);
  const me = { pid: process.pid, host: os.hostname(), id: randomUUID() };
  for (let tries = 0; tries < 5; tries += 1) {
    try {
      const fd = fs.openSync(lock, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        fs.closeSync(fd);
      }
      const key = heldKey(lock);
      held.add(key);
      const release = () => {
        held.delete(key);
        // (only our own: never one another process took over)
        if (lockHolder(lock)?.id === me.id) fs.rmSync(lock, { force: true });
      };
      return { release };
    } catch (err) {
      // (a folder that takes no files is a failure of the output, as a failed write is)
      if (err.code !== 'EEXIST') throw err;
    }
    const h = lockHolder(lock);
    if (h === null) continue;
    if (running(h, lock)) {
      const who = Number.isSafeInteger(h.pid) ? `process ${h.pid}${h.host !== os.hostname() ? ` on ${h.host}` : ''}` : 'a process starting this instant';
      return { error: `${out} is being written by another export (${who}); wait for it to end, or delete ${lock} if none is running` };
    }
    // Gone: claimed by renaming it away (atomic: of two processes taking it over, one gets it),
    // then removed if it is still the one judged gone; a fresh lock grabbed instead is put back.
    const claim = `${lock}.${process.pid}.claim`;
    try {
      fs.renameSync(lock, claim);
    } catch {
      continue;
    }
    if (lockHolder(claim)?.id !== h.id) {
      try {
        fs.linkSync(claim, lock);
      } catch {
        // (someone made another meanwhile: theirs stands)
      }
    }
    fs.rmSync(claim, { force: true });
  }
  return { error: `cannot take ${lock}: other exports keep taking it` };
}

module.exports = { VERSION, KIND, checkpointPath, lockPath, takeLock, encodeSeen, decodeSeen, readCheckpoint, writeCheckpoint, removeStaleTemporaries };
