// Access lines go to stdout, errors to stderr; both carry the request id (`rid`, also sent as X-Request-Id)
// so one can be found from the other. LOG_FORMAT=json writes one JSON object per line with the same keys.
import { randomBytes } from 'node:crypto';

export type LogFormat = 'text' | 'json';

let format: LogFormat = 'text';

export function setLogFormat(next: LogFormat): void {
  format = next;
}

export interface AccessRecord {
  rid: string;
  method: string;
  /** The path only: a query string is the client's and may carry what does not belong in a log. */
  path: string;
  status: number;
  bytes: number;
  ms: number;
}

export function newRequestId(): string {
  return randomBytes(6).toString('hex');
}

export function logAccess(record: AccessRecord): void {
  const time = new Date().toISOString();
  const ms = Math.round(record.ms * 10) / 10;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ time, level: 'info', msg: 'request', ...record, ms })}\n`);
    return;
  }
  const { rid, method, path, status, bytes } = record;
  process.stdout.write(`${time} ${method} ${path} ${status} ${bytes}B ${ms.toFixed(1)}ms rid=${rid}\n`);
}

export function logInfo(msg: string, fields: Record<string, unknown> = {}): void {
  write(process.stdout, 'info', msg, fields);
}

/** Logs an error with its stack: this is the only place a stack is ever written. */
export function logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(process.stderr, 'error', msg, { ...fields, error: stack });
}

function write(stream: NodeJS.WriteStream, level: string, msg: string, fields: Record<string, unknown>): void {
  const time = new Date().toISOString();
  if (format === 'json') {
    stream.write(`${JSON.stringify({ time, level, msg, ...fields })}\n`);
    return;
  }
  const { error, ...rest } = fields;
  const pairs = Object.entries(rest).map(([key, value]) => ` ${key}=${String(value)}`).join('');
  stream.write(`${time} ${level.toUpperCase()} ${msg}${pairs}${error === undefined ? '' : `\n${String(error)}`}\n`);
}
