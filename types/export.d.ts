// Type definitions for glassix-wasm/export: the CommonJS entry (`require('glassix-wasm/export')` →
// export/index.cjs). The ES-module entry (export/index.mjs) is typed by ./export.d.mts, which
// re-exports these. Node only (it writes files).

import GlassixClient = require('./index.js');

/** A date the export accepts: a `Date`, or `2025-01-01`, `2025-01-01T08:00:00Z`, `01/01/2025 08:00:00:00`. */
export type ExportDate = Date | string;

/** What `out` may be besides a file path: anything with a Node-style `write(chunk, callback)`. */
export interface ExportWritable {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): unknown;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** Options of {@link exportTickets}. Unknown keys are refused. */
export interface ExportTicketsOptions {
  /** The client to read with (its retries, timeout, `rateLimit` and `maxConcurrency` apply). */
  client: GlassixClient;
  /** Start of the range. ISO dates are UTC unless they carry an offset. */
  since: ExportDate;
  /**
   * End of the range, inclusive. A date alone (`2025-12-31`) means the whole day, up to
   * 23:59:59.999 (nothing of the next day). @default now (and, when continuing, the `until` of the run that wrote the checkpoint)
   */
  until?: ExportDate | null | undefined;
  /** One JSON ticket per line, or CSV (RFC 4180). @default 'ndjson' */
  format?: 'ndjson' | 'csv' | undefined;
  /**
   * A file path (resumable: a checkpoint `out + '.checkpoint.json'` is kept beside it until the
   * export finishes, and `out + '.checkpoint.lock'` while it runs: a second export to the same file is
   * refused with `invalid_argument`, as is a file with a second name, a hard link) or a writable
   * stream (not resumable), written to and left open (call `end()` yourself); the stream's own
   * errors reject the export as they are.
   */
  out: string | ExportWritable;
  /** CSV only: which columns, in this order (names from {@link KNOWN_COLUMNS}). @default DEFAULT_COLUMNS */
  columns?: readonly string[] | string | null | undefined;
  /**
   * CSV only: start the file with a UTF-8 byte order mark, without which Excel reads it in the
   * machine's code page (Hebrew and other non-ASCII text garbled). Kept in the checkpoint: a
   * resumed export must give the same. @default false
   */
  bom?: boolean | null | undefined;
  /**
   * CSV only: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (a formula
   * to a spreadsheet) is written with a leading `'`, which Excel shows as text. The cell's text
   * then differs from the API's; numbers are never changed. Kept in the checkpoint. @default false
   */
  escapeFormulas?: boolean | null | undefined;
  /** Only tickets in these states (case-insensitive): an array or `'Open,Closed'`. @default all */
  state?: readonly GlassixClient.TicketState[] | readonly string[] | string | null | undefined;
  /** Overwrite an existing output and drop its checkpoint instead of refusing or continuing. @default false */
  force?: boolean | undefined;
  /** Months read at once (each with at most one request in flight). @default 2 */
  concurrency?: number | undefined;
  /** Called after each written page and each finished month. An exception stops the export. */
  onProgress?: ((progress: ExportProgress) => void) | undefined;
  /** Stops the export: the page being read is dropped, the checkpoint stays consistent. */
  signal?: GlassixClient.SignalOption | null | undefined;
  /**
   * Whose tickets these are: any label that tells your accounts apart (not a secret; the CLI
   * passes a hash of the API key and user name). It is kept in the checkpoint, and a checkpoint
   * written for another account is refused instead of continued. The client shows none of its
   * credentials, so without it only the API root is compared. A non-empty string of up to 200
   * characters. @default none
   */
  account?: string | null | undefined;
  /**
   * A page the client gave up on with a 429 whose `Retry-After` it waits out (60 s at most) is
   * the API pacing the export: after that wait (a second at least) it is asked for again, from
   * that page, with the client's `maxRetries` afresh. The export's own waits between such asks
   * add up to at most this many milliseconds (the waits are counted, not a clock: the asks'
   * retries come on top, so the export can reject later than that); then it rejects with that 429. 0: the client's give-up stops it
   * (a 429 without `Retry-After`, or with a longer one, always does). An integer 0..2147483647.
   * @default 600000
   */
  max429Ms?: number | undefined;
}

/** Where an export stands. */
export interface ExportProgress {
  /** Month windows finished, and in all. */
  monthsDone: number;
  monthsTotal: number;
  /** The window being read, or null when all are done. */
  month: { since: Date; until: Date } | null;
  /** Tickets in the output, including those written by earlier runs of a resumed export. */
  ticketsWritten: number;
  /** Tickets written by this run. */
  ticketsThisRun: number;
  /** Tickets listed again in a later month (or again after a resume) and not written twice. */
  duplicatesSkipped: number;
  /** Since this run started. */
  elapsedMs: number;
  /** This run's tickets per second. */
  ticketsPerSecond: number;
  /** Estimated share done, 0…1. */
  fraction: number;
  /** Estimated time left, or null while there is too little to go on. */
  etaMs: number | null;
  /** Whether this run continued from a checkpoint. */
  resumed: boolean;
  /**
   * Whether `until` was given (false: it defaulted to now, and a resumed run keeps the first
   * run's now). Recorded by the run that wrote the checkpoint.
   */
  untilGiven: boolean;
  /** True on the last call of a successful export. */
  done: boolean;
}

/** What a finished export did. */
export interface ExportResult {
  /** Tickets in the output (all runs). */
  ticketsWritten: number;
  /** Tickets written by this run. */
  ticketsThisRun: number;
  duplicatesSkipped: number;
  /** Month windows of the range. */
  months: number;
  resumed: boolean;
  /** Whether `until` was given, or defaulted to now (the first run's now, when resumed). */
  untilGiven: boolean;
  /** Size of the output (for a stream: bytes written by this run). */
  bytes: number;
  /** The range exported, as given (until capped at now; when resumed, the first run's). The requests round it outward to the API's hundredths, and a ticket only that rounding listed is left out. */
  since: Date;
  until: Date;
  elapsedMs: number;
}

/**
 * Writes every ticket with activity (opened, closed or last active) in `[since, until]` to `out`,
 * each ticket id once, reading month window by month window through `client.tickets.iterate`.
 * With a file, the export is resumable: run it again with the same options after a crash, an
 * abort or a kill and it continues from the checkpoint.
 * @throws {GlassixClient.GlassixError} (rejects) `kind: 'invalid_argument'` for bad options, before
 * any request; `'aborted'` when `signal` fires; the client's error when a request fails for good.
 */
export declare function exportTickets(options: ExportTicketsOptions): Promise<ExportResult>;

/** The CSV columns by default: the Ticket model's scalar fields, its arrays and objects, then `otherFields`. */
export declare const DEFAULT_COLUMNS: readonly string[];
/** Every column name `columns` accepts: the defaults (`tickets/list` returns no `transactions`). */
export declare const KNOWN_COLUMNS: readonly string[];
/** The checkpoint file kept beside `out`: `out + '.checkpoint.json'`. */
export declare function checkpointPath(out: string): string;
