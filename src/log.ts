// Access lines go to stdout, errors to stderr; both carry the request id (`rid`, also sent as X-Request-Id)
// so one can be found from the other. LOG_FORMAT=json writes one JSON object per line with the same keys.
import { randomBytes } from 'node:crypto';

export type LogFormat = 'text' | 'json';

let format: LogFormat = 'text';

export function setLogFormat(next: LogFormat): void {
  format = next;
}

// A log stream that cannot be written (nohup.out on a full disk: ENOSPC; a pipe to a program that has ended:
// EPIPE) fails every write after, and unwatched each failure was an uncaught exception, logged to stderr,
// failing again: the loop took the event loop, so the site stopped answering and ignored SIGTERM. A stream that
// failed takes no more lines (Node's stream is finished after an error anyway); the site keeps serving.
const failedStreams = new Set<NodeJS.WriteStream>();

/** Call once at start-up: from a log stream's first failure on, its lines are dropped (said once on stderr). */
export function dropLinesOfFailedStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (failedStreams.has(stream)) return;
      failedStreams.add(stream);
      if (stream === process.stdout) logError('stdout cannot be written: access and info lines are dropped from now on', error);
    });
  }
}

export interface AccessRecord {
  rid: string;
  method: string;
  /** The path only: a query string is the client's and may carry what does not belong in a log. */
  path: string;
  status: number;
  bytes: number;
  ms: number;
  /** The client's address (see http/client-address.ts). */
  client: string;
}

// A random prefix per process and a counter: unique across restarts and workers, and free to make.
const RID_PREFIX = randomBytes(3).toString('hex');
let ridCounter = 0;

export function newRequestId(): string {
  ridCounter = (ridCounter + 1) % 0x1000000;
  return RID_PREFIX + ridCounter.toString(16).padStart(6, '0');
}

// Access lines are gathered and written FLUSH_EVERY_MS after the first of them, or at once when FLUSH_AT_CHARS
// are waiting: stdout redirected to a file (nohup.out) is written synchronously, on the event loop, and a write
// per turn of the loop was ~480 system calls a second under bench C's 64 KiB probes (~20k a second), ~30 now.
// An info line writes the waiting lines first.
const FLUSH_EVERY_MS = 100;
const FLUSH_AT_CHARS = 64 * 1024;
let pendingLines: string[] = [];
let pendingChars = 0;
let flushTimer: NodeJS.Timeout | undefined;

function writeOut(line: string): void {
  pendingLines.push(line);
  pendingChars += line.length;
  if (pendingChars >= FLUSH_AT_CHARS) flushLogs();
  else flushTimer ??= setTimeout(flushLogs, FLUSH_EVERY_MS).unref();
}

/**
 * The waiting lines are encoded into this buffer, reused while stdout takes each write at once (a file, as under
 * nohup, always does). Handed a string, stdout made a new Buffer of it every time: ~0.4 us more per line,
 * about as much as the rest of a line's making and writing (measured in isolation).
 */
let encoded: Buffer | undefined;

/** Writes the access lines waiting now (main.ts calls it when the process exits). */
export function flushLogs(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pendingLines.length === 0) return;
  const text = pendingLines.join('');
  // A UTF-16 code unit takes at most 3 bytes of UTF-8.
  const room = 3 * pendingChars;
  pendingLines = [];
  pendingChars = 0;
  if (failedStreams.has(process.stdout)) return;
  if (!encoded || encoded.length < room) encoded = Buffer.allocUnsafe(Math.max(room, 3 * FLUSH_AT_CHARS));
  const length = encoded.write(text);
  process.stdout.write(encoded.subarray(0, length));
  // A stream that keeps the bytes for later (a pipe the reader has let fill up) keeps this buffer too.
  if (process.stdout.writableLength > 0) encoded = undefined;
}


// Under load many requests end within the same millisecond: format its time once. A new millisecond only
// swaps the last digits: toISOString (about as costly as the rest of the line) runs once a second.
let lastMs = 0;
let lastTime = '';
let lastSecond = -1;
/** `2026-01-02T15:04:05.` of lastSecond. */
let secondPrefix = '';

function accessTime(): string {
  const now = Date.now();
  if (now === lastMs) return lastTime;
  const second = Math.floor(now / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    secondPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  lastMs = now;
  lastTime = `${secondPrefix}${String(now - second * 1000).padStart(3, '0')}Z`;
  return lastTime;
}

export function logAccess(record: AccessRecord): void {
  const time = accessTime();
  const ms = Math.round(record.ms * 10) / 10;
  if (format === 'json') {
    writeOut(`${JSON.stringify({ time, level: 'info', msg: 'request', ...record, ms })}\n`);
    return;
  }
  const { rid, method, path, status, bytes, client } = record;
  // Joined from an array, the line is one flat string: a template literal made a rope of its ~16 parts, which
  // outlived young-generation collections while the line waited (~550 of them), and was slower to make and join.
  writeOut([time, method, path, status, bytes, ms.toFixed(1), `rid=${rid}`, `client=${client}\n`].join(' '));
}

export function logInfo(msg: string, fields: Record<string, unknown> = {}): void {
  flushLogs();
  write(process.stdout, 'info', msg, fields);
}

/** Logs an error with its stack: this is the only place a stack is ever written. */
export function logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(process.stderr, 'error', msg, { ...fields, error: stack });
}

function write(stream: NodeJS.WriteStream, level: string, msg: string, fields: Record<string, unknown>): void {
  if (failedStreams.has(stream)) return;
  const time = new Date().toISOString();
  if (format === 'json') {
    stream.write(`${JSON.stringify({ time, level, msg, ...fields })}\n`);
    return;
  }
  const { error, ...rest } = fields;
  const pairs = Object.entries(rest).map(([key, value]) => ` ${key}=${String(value)}`).join('');
  stream.write(`${time} ${level.toUpperCase()} ${msg}${pairs}${error === undefined ? '' : `\n${String(error)}`}\n`);
}
