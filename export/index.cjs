'use strict';
// glassix-wasm/export: every ticket of a date range to NDJSON or CSV, resumable.
//
// How it works (README "Export tickets" has the user's view):
// - The range is cut into month windows by the same rule as `tickets.iterate` (the API takes at
//   most one calendar month per request); each window is read with the client's public
//   `tickets.iterate`, which follows `paging.next`, retries and keeps to the rate limit.
// - Windows are written in order, in pages of up to PAGE_SIZE tickets. After each page the output
//   is fsync'd, then the checkpoint is replaced atomically. The checkpoint holds the output's
//   length, so a resumed run first cuts the output back to it: a page written but not
//   checkpointed when the process died is dropped and written again, never twice.
// - `tickets/list` returns a ticket in every window where it was active, so the same id comes
//   back in later windows. Each id is written once, the first time it is listed. The ids that can
//   still come back (those whose dates reach a later window) are kept, in the checkpoint too, so
//   a resumed run skips them as well.
// - The checkpoint keeps the URL of the page the last written ticket came from (the iterator's
//   `position`). A resumed run reads the interrupted window on from that page
//   (`tickets.iterate({ next })`), skipping what was written; when the API refuses the page (its
//   tokens expire after 24 hours) it reads the window again from its start, skipping the same.
//
// The client's runtime path never loads this module (nor csv-stringify).

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { GlassixError } = require('../pkg/index.cjs');
const { DAY_MS, MIN_MS, MAX_MS, parseDateString, parseTicketDate, ticketDateSpan, monthWindows, floorHundredth, ceilHundredth } = require('./dates.cjs');
const { DEFAULT_COLUMNS, KNOWN_COLUMNS, csvHeader, csvRows, unwritableColumn } = require('./csv.cjs');
const { VERSION, VERSION_CSV_FLAGS, KIND, checkpointPath, takeLock, SeenIds, encodeSeen, decodeSeen, readCheckpoint, writeCheckpoint, removeStaleTemporaries, fdatasync } = require('./checkpoint.cjs');

const NAME = 'exportTickets';
/** Tickets per written page: the API's own page size. */
const PAGE_SIZE = 100;
/** How far a ticket's dates may be from where the API puts them (zone-less dates, resolution). */
const DATE_SLACK_MS = DAY_MS;
/**
 * Clock difference to the API allowed for. A ticket changed after it was read gets a date after
 * that moment, which no window reaches (the range ends when the export started at the latest),
 * unless the API's clock is behind ours: every id read (not written: a window is read ahead) up
 * to this long after the range's end is kept.
 */
const CLOCK_SKEW_MS = 2 * 60_000;
const STATES = ['Open', 'Closed', 'Pending', 'Snoozed'];
/** How long after the client first gave up on a page refused with 429 and a Retry-After it waits
 * out (60 s at most) a new ask for that page may start (each with the client's retries), before
 * the export stops: `max429Ms`' default. */
const MAX_429_MS = 10 * 60_000;
const OPTION_KEYS = new Set(['client', 'since', 'until', 'format', 'out', 'columns', 'state', 'bom', 'escapeFormulas', 'force', 'concurrency', 'onProgress', 'signal', 'account', 'max429Ms']);

const invalid = (message) => new GlassixError(`${NAME}: ${message}`, { kind: 'invalid_argument' });
const show = (v) => {
  const s = String(v).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
};
const iso = (ms) => new Date(ms).toISOString();

/** `left`: what is on disk or in the stream: 'checkpoint' (an export to a file writes one before
 * its first request; a pre-aborted run may find one from an earlier run), 'stream' (output
 * already went to a stream: a CSV header at least), or nothing. */
function abortError(signal, written, left) {
  const next = left === 'checkpoint' ? 'the checkpoint is saved, run the same export again to continue'
    : left === 'stream' ? 'the output is a stream, so the export cannot be continued'
      : 'nothing was written';
  return new GlassixError(`${NAME}: aborted after ${written} tickets; ${next}`, {
    kind: 'aborted',
    cause: signal && signal.reason,
  });
}

// ───────────────────────────────────────────────────────────────── options

function readDate(name, v) {
  // (a Date of any realm: an iframe's, or under jest one made by Node itself, `fs.statSync(f).mtime`;
  // getTime throws for anything else, a Proxy or an object that only names itself Date included)
  let ms;
  try {
    ms = Date.prototype.getTime.call(v);
  } catch {}
  if (ms !== undefined) {
    if (!Number.isFinite(ms)) throw invalid(`${name} is an invalid Date`);
    return { ms, dateOnly: false };
  }
  if (typeof v !== 'string') throw invalid(`${name} must be a Date or a string like 2025-01-01, 2025-01-01T08:00:00Z or 01/01/2025 08:00:00:00`);
  const r = parseDateString(v);
  if (!r) throw invalid(`${name} ${show(v)} is not a date: use 2025-01-01, 2025-01-01T08:00:00Z (UTC unless an offset is given) or 01/01/2025 08:00:00:00`);
  return r;
}

function readList(name, v) {
  let list;
  if (typeof v === 'string') list = v.split(',').map((s) => s.trim());
  else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) list = v.map((s) => s.trim());
  else throw invalid(`${name} must be an array of strings or a comma-separated string`);
  // an empty name ("id,,state", "Open,") is a slip, not a choice: refused, never dropped
  if (list.length > 1 && list.includes('')) throw invalid(`${name} ${show(v)} has an empty name in it`);
  return list.length === 1 && list[0] === '' ? [] : list;
}

function isWritable(out) {
  return out !== null && typeof out === 'object' && typeof out.write === 'function';
}

/** Validates the options; every bad input is found here, before any file or request is touched. */
function readOptions(options) {
  /** A true-or-false option (null or absent: false). */
  const yes = (name) => {
    const v = options[name];
    if (v != null && typeof v !== 'boolean') throw invalid(`${name} must be true or false, not ${show(v)}`);
    return v === true;
  };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalid('options must be an object like { client, since, until, out }');
  for (const k of Object.keys(options)) if (!OPTION_KEYS.has(k)) throw invalid(`unknown option ${show(k)}`);
  const { client } = options;
  if (!client || typeof client !== 'object' || !client.tickets || typeof client.tickets.iterate !== 'function') {
    throw invalid('client must be a GlassixClient');
  }
  if (options.since === undefined) throw invalid('since is required');
  const since = readDate('since', options.since);
  let until = null;
  let untilEnd = null; // the last instant `until` names (a day on its own: its very end)
  let untilBefore = null; // what a day on its own meant to a checkpoint of 0.1.0: up to 23:59:59.99
  if (options.until !== undefined && options.until !== null) {
    const u = readDate('until', options.until);
    untilEnd = u.dateOnly ? u.ms + DAY_MS - 1 : u.ms;
    // A day on its own means all of that day and nothing of the next: up to its last millisecond.
    // Not 23:59:59.99: the API keeps finer dates than it takes (`open` has 7 fraction digits), so
    // a ticket opened at 23:59:59.995 was missed. The range is sent rounded out to the next
    // midnight, and a ticket listed only for that instant is left out (`outside`).
    until = u.dateOnly ? Math.min(untilEnd, MAX_MS) : u.ms;
    if (u.dateOnly) untilBefore = u.ms + DAY_MS - 10;
  }
  for (const [name, r] of [['since', since.ms], ['until', until]]) {
    if (r !== null && (r < MIN_MS || r > MAX_MS)) throw invalid(`${name} is outside the years 0001-9999`);
  }
  // (as given: the range rounded out to hundredths could hide a since a few ms after until)
  if (untilEnd !== null && since.ms > untilEnd) throw invalid(`since ${iso(since.ms)} is after until ${iso(until)}`);
  const format = options.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') throw invalid(`format must be 'ndjson' or 'csv', not ${show(format)}`);
  let columns = null;
  if (options.columns !== undefined && options.columns !== null) {
    if (format !== 'csv') throw invalid("columns apply to format 'csv' only");
    columns = readList('columns', options.columns);
    if (columns.length === 0) throw invalid('columns must name at least one column');
    const unknown = columns.filter((c) => !KNOWN_COLUMNS.includes(c));
    if (unknown.length) throw invalid(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map(show).join(', ')}; the columns are ${KNOWN_COLUMNS.join(', ')}`);
    const dup = columns.find((c, i) => columns.indexOf(c) !== i);
    if (dup) throw invalid(`column ${show(dup)} is named twice`);
  } else if (format === 'csv') {
    columns = [...DEFAULT_COLUMNS];
  }
  // For Excel (README, Ticket export): a UTF-8 byte order mark, without which it reads the file
  // in the machine's code page (Hebrew as mojibake), and text cells that it would run as formulas
  // written as text. Both CSV only, both off unless asked for: each changes the bytes.
  const flag = (name) => {
    const v = yes(name);
    if (v && format !== 'csv') throw invalid(`${name} applies to format 'csv' only`);
    return v;
  };
  const bom = flag('bom');
  const escapeFormulas = flag('escapeFormulas');
  let states = null;
  if (options.state !== undefined && options.state !== null) {
    const given = readList('state', options.state);
    if (given.length === 0) throw invalid('state must name at least one state');
    states = [...new Set(given.map((s) => {
      const st = STATES.find((x) => x.toLowerCase() === s.toLowerCase());
      if (!st) throw invalid(`unknown state ${show(s)}; the states are ${STATES.join(', ')}`);
      return st;
    }))].sort();
  }
  const { out } = options;
  let file = null;
  if (typeof out === 'string') {
    if (out === '') throw invalid('out must be a file path or a writable stream');
    file = path.resolve(out);
  } else if (!isWritable(out)) {
    throw invalid('out must be a file path or a writable stream');
  }
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalid('concurrency must be an integer 1..64');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw invalid('onProgress must be a function');
  // (a string such as 'false' is no answer: it would overwrite an output)
  const force = yes('force');
  // (whose tickets these are, as a label: one API root holds many departments, each with its own
  // key, and the client shows none of its credentials; the CLI passes a hash of them)
  const account = options.account ?? null;
  if (account !== null && (typeof account !== 'string' || account === '' || account.length > 200)) {
    throw invalid(`account must be a non-empty string of up to 200 characters, not ${show(account)}`);
  }
  const max429Ms = options.max429Ms ?? MAX_429_MS;
  if (!Number.isInteger(max429Ms) || max429Ms < 0 || max429Ms > 2 ** 31 - 1) throw invalid('max429Ms must be an integer 0..2147483647');
  const signal = options.signal ?? undefined;
  if (signal !== undefined && ( typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw invalid('signal must be an AbortSignal');
  }
  return {
    client, since: since.ms, until, untilBefore, format, columns, bom, escapeFormulas, states, out, file, force,
    concurrency, onProgress: options.onProgress, signal, account, max429Ms,
  };
}

/**
 * Whether the checkpoint's until was given, not defaulted to the first run's now. A checkpoint
 * written before `untilGiven` was recorded counts as given.
 */
const untilGivenIn = (cp) => cp.untilGiven !== false;

/**
 * What the checkpoint must agree with; a list of the differences (empty when it fits). Without
 * `until`, a checkpoint whose until defaulted to now is continued up to that first run's now;
 * one whose until was given is of another range (this run's would be now).
 */
function differences(cp, o, api) {
  const diff = [];
  // (as URLs: a checkpoint written when the client kept a workspace's capitals, or a default
  // port, in its root is of the same API)
  const url = (u) => URL.canParse(u) ? new URL(u).href : u;
  if (url(cp.api) !== url(api)) diff.push(`API ${cp.api}`);
  // (known on both sides only: a checkpoint written with an access token, or resumed with one,
  // names no account)
  if (cp.account != null && o.account !== null && cp.account !== o.account) diff.push('another account');
  if (Date.parse(cp.since) !== o.since) diff.push(`since ${cp.since}`);
  // (a day on its own, as a checkpoint of 0.1.0 kept it, is the same day: continued as it began)
  if (o.until !== null && Date.parse(cp.until) !== o.until && Date.parse(cp.until) !== o.untilBefore) {
    diff.push(untilGivenIn(cp) ? `until ${cp.until}` : `until ${cp.until}, the time it started, as it had no until`);
  }
  if (o.until === null && untilGivenIn(cp)) diff.push(`until ${cp.until}, where this one has none and so ends now`);
  // Only what differs, as the options that would continue it: another format says the rest,
  // except the CSV options an NDJSON run was asked to continue (an NDJSON one has none to name).
  // (a checkpoint written before bom and escapeFormulas were recorded had neither)
  const csv = cp.format === 'csv';
  const sameFormat = cp.format === o.format;
  const columns = cp.columns && JSON.stringify(cp.columns) !== JSON.stringify(DEFAULT_COLUMNS) ? cp.columns.join(',') : null;
  if (!sameFormat) diff.push(`format ${cp.format}`);
  if (csv && (sameFormat ? JSON.stringify(cp.columns) !== JSON.stringify(o.columns) : columns)) diff.push(columns ? `columns ${columns}` : 'no columns (every column)');
  if (csv && (cp.bom === true) !== o.bom && (sameFormat || cp.bom)) diff.push(`bom ${cp.bom === true}`);
  if (csv && (cp.escapeFormulas === true) !== o.escapeFormulas && (sameFormat || cp.escapeFormulas)) diff.push(`escapeFormulas ${cp.escapeFormulas === true}`);
  if (JSON.stringify(cp.states) !== JSON.stringify(o.states)) diff.push(cp.states ? `state ${cp.states.join(',')}` : 'no state (every state)');
  return diff;
}

/**
 * Works out where the export starts: fresh, or from the checkpoint beside `file`. Throws
 * `invalid_argument` when the files do not allow either (nothing is changed then).
 */
function plan(o, api, now) {
  let cp = null;
  if (o.file) {
    const cpFile = checkpointPath(o.file);
    let outStat = null;
    try {
      outStat = fs.statSync(o.file);
    } catch (err) {
      if (err.code !== 'ENOENT') throw invalid(`cannot use ${o.file} (${err.code || err.message})`);
    }
    if (outStat && !outStat.isFile()) throw invalid(`${o.file} is not a regular file`);
    if (!outStat) {
      const dir = path.dirname(o.file);
      if (!fs.existsSync(dir)) throw invalid(`the directory ${dir} does not exist`);
    }
    if (!o.force) {
      const read = readCheckpoint(cpFile);
      if (read && read.error) throw invalid(`${read.error}; delete it or pass force to start over`);
      cp = read && read.checkpoint;
      if (cp) {
        const diff = differences(cp, o, api);
        if (diff.length) {
          // only the until left out: say which one continues it
          const again = diff.length === 1 && o.until === null && diff[0].startsWith('until ') ? `pass until ${cp.until} to continue it` : 'run that export again to continue it';
          throw invalid(`${cpFile} is from a different export (${diff.join('; ')}); ${again}, or pass force to start over`);
        }
        const size = outStat ? outStat.size : 0;
        if (!outStat && cp.output.bytes > 0) {
          throw invalid(`${o.file} is missing, though its checkpoint says ${cp.output.bytes} bytes were written; the export cannot continue: pass force to start over`);
        }
        if (size < cp.output.bytes) {
          throw invalid(`${o.file} is shorter (${size} bytes) than its checkpoint says (${cp.output.bytes}); it was changed since, so the export cannot continue: pass force to start over`);
        }
      } else if (outStat) {
        throw invalid(`${o.file} already exists and has no checkpoint (a finished export's is deleted, so it is one, or another file); pass force to overwrite it`);
      }
    }
  }
  const since = floorHundredth(o.since);
  const until = cp ? Date.parse(cp.until) : (o.until ?? now);
  // nothing has happened after now: a later `until` is read up to now (kept for the next run)
  const end = cp ? Date.parse(cp.end) : ceilHundredth(Math.min(until, now));
  if (since > end) {
    throw invalid(o.since > now ? `since ${iso(o.since)} is in the future` : `since ${iso(o.since)} is after until ${iso(until)}`);
  }
  const windows = monthWindows(since, end);
  if (cp && cp.windows.total !== windows.length) {
    throw invalid(`${checkpointPath(o.file)} counts ${cp.windows.total} months where its range has ${windows.length}; pass force to start over`);
  }
  // whether until was given: recorded by the run that wrote the checkpoint, kept by the next ones
  const untilGiven = cp ? untilGivenIn(cp) : o.until !== null;
  // The API counts in hundredths of a second: the windows are rounded outward (since down, end
  // up) so that no ticket of the range is missed, and a ticket listed only because of that
  // rounding is left out (see `outside` in exportTickets). `exactEnd`: the range's real end.
  // (now is capped as `end` rounds it, so a resumed run, which reads `end` from the checkpoint,
  // has the same exact end)
  const exactEnd = Math.min(until, end);
  // whose tickets: recorded by the first run that knew it, kept by the next ones
  const account = cp?.account ?? o.account;
  return { cp, since, until, end, exactEnd, windows, untilGiven, account };
}

// ───────────────────────────────────────────────────────────────── reading

/** Resolves after `ms`, or rejects with the signal's reason when it fires first. */
const pause = (ms, signal) => new Promise((resolve, reject) => {
  if (signal.aborted) return reject(signal.reason);
  const stop = () => { clearTimeout(timer); reject(signal.reason); };
  const timer = setTimeout(() => { signal.removeEventListener('abort', stop); resolve(); }, ms);
  signal.addEventListener('abort', stop, { once: true });
});

/**
 * Reads one window through `client.tickets.iterate` into a bounded buffer, ahead of the writer.
 * `take(n)` resolves with up to n tickets, [] at the end, or rejects with the window's error.
 */
class WindowReader {
  /** `from`: the URL of a page to read on from (a checkpoint's); if that page fails, the window is
   * read from its start instead. So is a window whose later page is refused mid-run (400, 404 or
   * 410: its page token expired, the month having been read for more than a day, or the
   * machine having slept): once, the writer skipping what it wrote.
   * A page the client gave up on with a 429 whose Retry-After it waits out (60 s at most) is the
   * API pacing the export, not a failure: after that wait (a second at least) it is asked for
   * again, from that page (`position`), with the client's retries afresh, as long as the new ask
   * starts within `max429Ms` of the first such give-up; a page that comes ends the streak. */
  constructor(client, params, signal, capacity, from, max429Ms = 0) {
    this.buffer = [];
    this.pages = []; // for each ticket in the buffer, the URL of the page it came from
    this.times = []; // for each ticket in the buffer, when it came (Date.now())
    this.readAt = null; // when the earliest ticket of the last batch taken came
    this.stamp = null; // when the current page came ({ at, page })
    this.position = from ?? null; // the page of the last ticket taken
    this.capacity = capacity;
    this.done = false;
    this.error = null;
    this.closed = false;
    this.wake = null; // resolves the writer waiting for tickets
    this.space = null; // resolves the reader waiting for room
    this.again = () => client.tickets.iterate(params, { signal });
    this.from = (at) => client.tickets.iterate(at ? { next: at } : params, { signal });
    this.signal = signal;
    this.max429Ms = max429Ms;
    this.paced = null; // when the client first gave up on the current page with a 429
    this.resuming = Boolean(from); // the first page asked for is a checkpoint's
    this.paged = false; // a page came
    this.startedAt = from ?? null;
    this.iterator = client.tickets.iterate(from ? { next: from } : params, { signal });
    this.run();
  }

  notify(which) {
    const f = this[which];
    this[which] = null;
    if (f) f();
  }

  async run() {
    try {
      for (;;) {
        let waited = false;
        while (this.buffer.length >= this.capacity && !this.closed) {
          waited = true;
          await new Promise((r) => { this.space = r; });
        }
        if (this.closed) break;
        let step;
        try {
          step = await this.iterator.next();
        } catch (err) {
          const wait = err instanceof GlassixError && err.status === 429 && err.retryAfter >= 0 && err.retryAfter <= 60 ? Math.max(1000, err.retryAfter * 1000) : null;
          // (the page it gave up on; before any page, the one it was started on)
          const at = this.iterator.position ?? (this.paged ? null : this.startedAt);
          if (wait !== null && this.max429Ms > 0 && (at || !this.paged)) {
            // (the waits themselves are what max429Ms counts, not a clock: neither a step of
            // the wall clock nor fake timers that leave one clock real can stretch or cut it)
            this.paced = (this.paced ?? 0) + wait;
            if (this.paced <= this.max429Ms) {
              await pause(wait, this.signal);
              this.iterator = this.from(at);
              continue;
            }
          }
          // The checkpointed page failed (an expired page token is a 400 for Glassix; another API
          // might say 404 or 410), or a later page was refused so: the window from its start,
          // skipping what was written. Once only, and never for an abort.
          const refused = err instanceof GlassixError && [400, 404, 410].includes(err.status);
          if (!this.again || (err instanceof GlassixError && err.kind === 'aborted') || !(this.resuming || (this.paged && refused))) throw err;
          this.iterator = this.again();
          this.again = null;
          this.resuming = this.paged = false;
          continue;
        }
        this.resuming = false;
        this.paged = true;
        this.paced = null;
        if (step.done) break;
        const page = this.iterator.position ?? null;
        // a page's tickets came with it: the rest of a page pushed after waiting for room keeps
        // its time (without a position, the earlier time: the safe side)
        if (!waited || !this.stamp || page !== this.stamp.page) this.stamp = { at: Date.now(), page };
        this.buffer.push(step.value);
        this.pages.push(page);
        this.times.push(this.stamp.at);
        this.notify('wake');
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.done = true;
      this.notify('wake');
    }
    if (this.closed) {
      try {
        await this.iterator.return?.();
      } catch {
        // the window was abandoned; its iterator's own failure changes nothing
      }
    }
  }

  async take(n) {
    while (this.buffer.length < n && !this.done) await new Promise((r) => { this.wake = r; });
    if (this.buffer.length === 0 && this.error) throw this.error;
    const batch = this.buffer.splice(0, n);
    const pages = this.pages.splice(0, batch.length);
    if (pages.length) this.position = pages[pages.length - 1];
    // (the earliest of the batch, for all of it: keeping an id longer is safe, forgetting it
    // early is not)
    const times = this.times.splice(0, batch.length);
    if (times.length) this.readAt = times[0];
    this.notify('space');
    return batch;
  }

  close() {
    this.closed = true;
    this.notify('space');
  }
}

// ───────────────────────────────────────────────────────────────── writing

/** Where the bytes go: a file (positioned writes, fsync) or a stream (no checkpoint). */
async function openFileSink(file, bytes) {
  const fh = await fsp.open(file, fs.existsSync(file) ? 'r+' : 'w');
  await fh.truncate(bytes);
  let length = bytes;
  return {
    get bytes() { return length; },
    async write(buf) {
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await fh.write(buf, off, buf.length - off, length + off);
        off += bytesWritten;
      }
      await fdatasync(fh);
      length += buf.length;
    },
    close: () => fh.close(),
  };
}

function streamSink(stream) {
  let failure = null;
  const onError = (err) => { failure ??= err; };
  stream.on?.('error', onError);
  let length = 0;
  return {
    get bytes() { return length; },
    write(buf) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        // (the stream's own error first: one destroyed with it while this write was being made
        // answers the write with ERR_STREAM_DESTROYED, after its error event)
        stream.write(buf, (err) => (err || failure ? reject(failure || err) : resolve()));
      }).then(() => { length += buf.length; });
    },
    async close() { stream.removeListener?.('error', onError); },
  };
}

/** The path of the first integer in `v` beyond 2^53 (JSON.parse has rounded it: written again it
 * would silently differ from what the API sent), else null. */
function roundedNumber(v, path = '') {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? path || '.' : null;
  if (!v || typeof v !== 'object') return null;
  for (const [k, x] of Object.entries(v)) {
    const found = roundedNumber(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

function ticketId(t) {
  const id = t && typeof t === 'object' ? t.id : undefined;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new GlassixError(`${NAME}: the API listed a ticket without a positive integer id (${show(JSON.stringify(id ?? null))}); nothing was written for it`, { kind: 'parse' });
  }
  return id;
}

// ───────────────────────────────────────────────────────────────── the export

/**
 * Exports every ticket active in [since, until] to NDJSON or CSV. See README "Export tickets"
 * and types/export.d.ts.
 */
async function exportTickets(options) {
  const o = readOptions(options);
  const startedAt = Date.now();
  const api = typeof o.client.toJSON === 'function' ? String(o.client.toJSON()?.baseUrl ?? '') : '';
  if (!o.file) return run(o, api, startedAt);
  // One export per file at a time: a second one, started while the first runs, would read the
  // same checkpoint and write the same bytes over each other. The lock comes first, so that is
  // what a second one is told, before anything its options would be refused for. (A folder that
  // does not exist takes no lock: the plan says so.)
  let lock = null;
  try {
    lock = await takeLock(o.file);
  } catch (err) {
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err;
  }
  if (lock?.error) throw invalid(lock.error);
  try {
    // A file with more than one name (a hard link to it): a second export through another name
    // takes its own lock beside that name, and both would write into the one file.
    let links = 1;
    try {
      links = fs.statSync(o.file).nlink;
    } catch {}
    if (links > 1) throw invalid(`${show(o.file)} has ${links} names (hard links): an export through another of them could write into it at the same time; export to a file with one name`);
    return await run(o, api, startedAt);
  } finally {
    lock?.release();
  }
}

/** The export itself, the output's lock (if a file) held: planned now that no other export can
 * change the files. */
async function run(o, api, startedAt) {
  const p = plan(o, api, startedAt);
  if (o.signal?.aborted) throw abortError(o.signal, p.cp ? p.cp.output.tickets : 0, p.cp ? 'checkpoint' : undefined);

  const { windows } = p;
  const starts = windows.map((w) => w[0]);
  const cpFile = o.file && checkpointPath(o.file);
  const cp = p.cp;
  let done = cp ? cp.windows.done : 0;
  let written = cp ? cp.output.tickets : 0;
  const seen = cp ? decodeSeen(cp.seen) : new SeenIds();
  const resumed = Boolean(cp);
  const resumedAt = { done, written };
  // pages written in the current window and its last ticket ({ id, open }), carried over from the
  // checkpoint when this run continues that window
  const carried = cp?.current?.window === done ? cp.current : null;
  let pages = Number.isSafeInteger(carried?.pages) && carried.pages >= 0 ? carried.pages : 0;
  let lastTicket = carried?.lastTicket ?? null;
  // the earliest and latest `open` written in the current window: the part of it read so far,
  // whichever way the API sorts (newest first by default)
  let openSpan = null;
  let skipped = 0;

  /** Whether `t` was listed only because the range was rounded outward to the API's hundredths
   * (`--until 2024-01-31T23:59:59.999Z` is sent as 01/02/2024 00:00:00:00): each of its dates
   * that falls in the rounded range falls outside the exact one. A ticket with no readable date
   * in the rounded range was listed for a reason of the server's: it is kept. A date stands for
   * the span the API may have cut it from (`close` is cut to the second, `lastActivity` to
   * hundredths: ticketDateSpan): one whose span reaches into the exact range keeps the ticket, so
   * a ticket is never lost to the API's rounding, though one just outside may be written. */
  const outside = (t) => {
    if (p.since === o.since && p.end === p.exactEnd) return false;
    let fringe = false;
    for (const key of ['open', 'close', 'lastActivity']) {
      const d = ticketDateSpan(t[key], key);
      if (!d) continue;
      if (d.ms <= p.exactEnd && d.ms + d.step > o.since) return false;
      if (d.ms >= p.since && d.ms <= p.end) fringe = true;
    }
    return fringe;
  };

  /** The last window a ticket can still be listed in: where its latest date falls (with slack).
   * `readAt`: when it was read (its page came), which may be long before it is written (a window
   * read ahead waits for the one before it to finish). */
  const lastWindowOf = (t, w, readAt) => {
    const last = windows.length - 1;
    // a change made after it was read can still land inside the range: keep the id to the end
    if (readAt < p.end + CLOCK_SKEW_MS) return last;
    let max = -Infinity;
    for (const key of ['open', 'close', 'lastActivity']) {
      const ms = parseTicketDate(t[key]);
      if (ms === undefined) return last; // unreadable: keep it to be safe
      if (ms !== null) max = Math.max(max, ms);
    }
    if (max === -Infinity) return last;
    let i = w;
    while (i < last && starts[i + 1] <= max + DATE_SLACK_MS) i += 1;
    return i;
  };

  /** The window readers (the current one and up to `concurrency - 1` ahead), by window. */
  const readers = new Map();

  /** Replaces the checkpoint with where the export stands, the output being `bytes` long. */
  const checkpointNow = (bytes) => writeCheckpoint(cpFile, {
    version: o.bom || o.escapeFormulas ? VERSION_CSV_FLAGS : VERSION,
    kind: KIND,
    api,
    account: p.account,
    since: iso(o.since),
    until: iso(p.until),
    untilGiven: p.untilGiven,
    end: iso(p.end),
    format: o.format,
    columns: o.columns,
    bom: o.bom,
    escapeFormulas: o.escapeFormulas,
    states: o.states,
    windows: { total: windows.length, done },
    output: { bytes, tickets: written },
    current: done < windows.length ? {
      window: done, since: iso(windows[done][0]), until: iso(windows[done][1]), pages, lastTicket,
      // the page the last written ticket came from: a resumed run reads on from there
      next: readers.get(done)?.position ?? null,
    } : null,
    seen: encodeSeen(seen),
    updated: new Date().toISOString(),
  });

  // An async onProgress that rejects stops the export as one that throws does (left unhandled,
  // its rejection ended the whole process): the rejection aborts the reading, and the loop
  // rethrows it at its next step. One after the export's end is ignored.
  let progressFailure = null;
  const failed = () => {
    if (progressFailure) throw progressFailure.err;
  };
  const progress = (finished) => {
    if (!o.onProgress) return;
    const elapsedMs = Date.now() - startedAt;
    let partial = 0;
    if (done < windows.length && openSpan !== null) {
      const [a, b] = windows[done];
      partial = Math.min(1, Math.max(0, (Math.min(b, openSpan[1]) - Math.max(a, openSpan[0])) / Math.max(1, b - a)));
    }
    const fraction = finished ? 1 : (done + partial) / windows.length;
    const start = resumedAt.done / windows.length;
    const etaMs = finished ? 0 : fraction - start > 0.005 ? Math.round(elapsedMs * (1 - fraction) / (fraction - start)) : null;
    const r = o.onProgress({
      monthsDone: done,
      monthsTotal: windows.length,
      month: done < windows.length ? { since: new Date(windows[done][0]), until: new Date(windows[done][1]) } : null,
      ticketsWritten: written,
      ticketsThisRun: written - resumedAt.written,
      duplicatesSkipped: skipped,
      elapsedMs,
      ticketsPerSecond: elapsedMs > 0 ? ((written - resumedAt.written) * 1000) / elapsedMs : 0,
      fraction,
      etaMs,
      resumed,
      untilGiven: p.untilGiven,
      done: finished,
    });
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
      Promise.resolve(r).catch((err) => {
        progressFailure ??= { err };
        inner.abort(err);
      });
    }
  };

  // Files: a fresh start writes its checkpoint before the output exists, so that from here on
  // there is always a checkpoint beside the output until the export has finished.
  if (o.file) await removeStaleTemporaries(cpFile);
  if (o.file && !cp) await checkpointNow(0);
  let sink;
  try {
    sink = o.file ? await openFileSink(o.file, cp ? cp.output.bytes : 0) : streamSink(o.out);
  } catch (err) {
    // (a fresh export whose output cannot be opened, a read-only file or a full disk, leaves no
    // checkpoint of nothing behind: the next run would offer to continue what never started)
    if (o.file && !cp) await fsp.rm(cpFile, { force: true }).catch(() => {});
    throw err;
  }

  const inner = new AbortController();
  const stop = () => inner.abort(o.signal.reason);
  o.signal?.addEventListener('abort', stop, { once: true });
  const params = (w) => ({ since: new Date(windows[w][0]), until: new Date(windows[w][1]), ...(o.states ? { ticketState: o.states } : {}) });
  // the interrupted window of a resumed run reads on from its checkpointed page
  // (only a tickets/list page of this API: a checkpoint edited to point elsewhere is not followed,
  // which would end the month early with nothing to say so)
  const next = cp?.current?.window === done ? cp.current.next : null;
  let resumeAt = typeof next === 'string' && next.startsWith(`${api}/tickets/list?`) ? next : null;
  const ensureReaders = (from) => {
    for (let w = from; w < Math.min(windows.length, from + o.concurrency); w += 1) {
      if (!readers.has(w)) readers.set(w, new WindowReader(o.client, params(w), inner.signal, PAGE_SIZE * 2, w === done ? resumeAt : null, o.max429Ms));
    }
    resumeAt = null;
  };
  let ok = false;
  // A fresh export that fails before it has finished a month or written a ticket leaves nothing
  // behind (no empty output, no checkpoint of nothing): the folder is as it was, and the same
  // command starts over, with a different range too.
  const untouched = () => o.file && !cp && done === 0 && written === 0;
  let discard = false;
  try {
    if (o.format === 'csv' && sink.bytes === 0) {
      await sink.write(Buffer.from((o.bom ? '\ufeff' : '') + csvHeader(o.columns)));
      if (o.file) await checkpointNow(sink.bytes);
    }
    progress(false);
    while (done < windows.length) {
      ensureReaders(done);
      const reader = readers.get(done);
      for (;;) {
        let batch;
        try {
          batch = await reader.take(PAGE_SIZE);
        } catch (err) {
          failed();
          if (o.signal?.aborted) throw abortError(o.signal, written, cpFile ? 'checkpoint' : 'stream');
          throw err;
        }
        failed();
        // aborted while the page was read: it is dropped, the checkpoint stays as it is
        if (o.signal?.aborted) throw abortError(o.signal, written, cpFile ? 'checkpoint' : 'stream');
        if (batch.length === 0) break;
        const fresh = [];
        for (const t of batch) {
          const id = ticketId(t);
          if (outside(t)) continue;
          const rounded = roundedNumber(t);
          if (rounded) {
            throw new GlassixError(`${NAME}: ticket ${id} holds an integer beyond 2^53 at ${show(rounded)}, which JavaScript cannot hold exactly: stopped rather than write it rounded`, { kind: 'parse' });
          }
          const lone = o.format === 'csv' && unwritableColumn(t, o.columns);
          if (lone) {
            throw new GlassixError(`${NAME}: ticket ${id} holds a lone UTF-16 surrogate in ${show(lone)}, which a CSV file (UTF-8) cannot hold: stopped rather than write it replaced (NDJSON keeps it, escaped)`, { kind: 'parse' });
          }
          if (seen.has(id)) {
            skipped += 1;
            continue;
          }
          seen.add(id, lastWindowOf(t, done, reader.readAt));
          fresh.push(t);
        }
        if (fresh.length) {
          const text = o.format === 'csv' ? csvRows(fresh, o.columns, o.escapeFormulas) : fresh.map((t) => `${JSON.stringify(t)}\n`).join('');
          await sink.write(Buffer.from(text));
          written += fresh.length;
          pages += 1;
          const last = fresh[fresh.length - 1];
          lastTicket = { id: last.id, open: last.open ?? null };
          for (const t of fresh) {
            const ms = parseTicketDate(t.open);
            if (typeof ms === 'number') openSpan = openSpan ? [Math.min(openSpan[0], ms), Math.max(openSpan[1], ms)] : [ms, ms];
          }
          if (o.file) await checkpointNow(sink.bytes);
        }
        progress(false);
      }
      // the window is finished: forget the ids that cannot come back in a later one
      readers.delete(done);
      seen.forgetUpTo(done);
      done += 1;
      pages = 0;
      lastTicket = null;
      openSpan = null;
      if (o.file) await checkpointNow(sink.bytes);
      if (done < windows.length) progress(false);
    }
    failed();
    progress(true);
    ok = true;
  } catch (err) {
    discard = untouched();
    throw discard && err instanceof GlassixError && err.kind === 'aborted' ? abortError(o.signal, 0) : err;
  } finally {
    // (a signal-like object may have no removeEventListener)
    if (typeof o.signal?.removeEventListener === 'function') o.signal.removeEventListener('abort', stop);
    inner.abort();
    for (const r of readers.values()) r.close();
    await sink.close();
    // (a file that cannot be removed stays, checkpoint included: the run's own error is the one
    // that counts, and the next run resumes from what is there)
    if (discard) await fsp.rm(o.file, { force: true }).then(() => fsp.rm(cpFile, { force: true })).catch(() => {});
  }
  if (ok && o.file) {
    await fsp.rm(cpFile, { force: true });
    await removeStaleTemporaries(cpFile);
  }
  return {
    ticketsWritten: written,
    ticketsThisRun: written - resumedAt.written,
    duplicatesSkipped: skipped,
    months: windows.length,
    resumed,
    untilGiven: p.untilGiven,
    bytes: sink.bytes,
    // the exact range, as the checkpoint keeps it (what was sent was rounded outward)
    since: new Date(o.since),
    until: new Date(p.exactEnd),
    elapsedMs: Date.now() - startedAt,
  };
}

module.exports = { exportTickets, DEFAULT_COLUMNS, KNOWN_COLUMNS, checkpointPath };
