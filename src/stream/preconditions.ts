// Validators (ETag, Last-Modified) and the conditional requests that use them: If-None-Match and
// If-Modified-Since (304, RFC 9110 13.1.2-13.1.3) and If-Range (RFC 9110 13.1.5).
import type { IncomingHttpHeaders } from 'node:http';

export interface Validators {
  /** A strong entity-tag, quotes included. */
  etag: string;
  /** Whole seconds, as Last-Modified can say; absent for content that has no file behind it. */
  lastModifiedMs?: number;
}

/** The validators of a file, with Last-Modified already in its HTTP form. */
export interface FileValidators extends Validators {
  lastModifiedMs: number;
  lastModified: string;
}

/** Validators made lately, by mtime: a few hot files are asked for again and again. */
const recent = new Map<number, { size: number; validators: FileValidators }>();
const RECENT_MAX = 256;

/**
 * A file that is replaced now and then (a poster): each new file is written under a new name and renamed into
 * place, so size and mtime to the millisecond name one content.
 */
export function fileValidators(stat: { size: number; mtimeMs: number }): FileValidators {
  const known = recent.get(stat.mtimeMs);
  if (known?.size === stat.size) return known.validators;
  const validators = withLastModified(stat, `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(stat.mtimeMs, { size: stat.size, validators });
  return validators;
}

/**
 * A video's file is written once (temp file, then rename) and never changed, so size and mtime name its
 * content for good: the tag is strong, as If-Range needs. It has the form nginx's static module gives a file
 * ("mtime-size" in hex, mtime in seconds): behind X-Accel-Redirect nginx sends the same ETag for the same
 * file, so a client's If-None-Match and If-Range work whichever of the two answered before.
 */
export function videoValidators(stat: { size: number; mtimeMs: number }): FileValidators {
  return withLastModified(stat, `"${Math.floor(stat.mtimeMs / 1000).toString(16)}-${stat.size.toString(16)}"`);
}

function withLastModified(stat: { mtimeMs: number }, etag: string): FileValidators {
  const lastModifiedMs = Math.floor(stat.mtimeMs / 1000) * 1000;
  return { etag, lastModifiedMs, lastModified: new Date(lastModifiedMs).toUTCString() };
}

export function validatorHeaders(validators: Validators): Record<string, string> {
  const headers: Record<string, string> = { ETag: validators.etag };
  if (validators.lastModifiedMs !== undefined) headers['Last-Modified'] = new Date(validators.lastModifiedMs).toUTCString();
  return headers;
}

/** True when a GET or HEAD may be answered 304. If-None-Match, when sent, decides alone (13.1.3). */
export function isNotModified(headers: IncomingHttpHeaders, validators: Validators): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return ifNoneMatch.trim() === '*' || entityTags(ifNoneMatch).includes(opaque(validators.etag));
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined || validators.lastModifiedMs === undefined) return false;
  const since = parseHttpDate(ifModifiedSince);
  return since !== undefined && validators.lastModifiedMs <= since;
}

/**
 * True when the Range header may be honoured. RFC 9110 13.1.5: an entity-tag must match by strong
 * comparison (a weak tag never does), and a date must equal Last-Modified exactly.
 */
export function isRangeFresh(headers: IncomingHttpHeaders, validators: Validators): boolean {
  const ifRange = headers['if-range'];
  if (ifRange === undefined) return true;
  const value = String(ifRange).trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === validators.etag;
  const date = parseHttpDate(value);
  return date !== undefined && date === validators.lastModifiedMs;
}

/** The opaque-tags of an If-None-Match list; W/ is dropped because 304 uses weak comparison (8.8.3.2). */
function entityTags(list: string): string[] {
  return [...list.matchAll(/(?:W\/)?("[^"]*")/g)].map((match) => match[1]!);
}

function opaque(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** RFC 9110 5.6.7: the three HTTP-date forms, in ms; undefined for anything else (which is then ignored). */
export function parseHttpDate(text: string): number | undefined {
  let parts: [day: string, month: string, year: number, h: string, m: string, s: string] | undefined;
  const imf = IMF_FIXDATE.exec(text);
  if (imf) parts = [imf[1]!, imf[2]!, Number(imf[3]), imf[4]!, imf[5]!, imf[6]!];
  const rfc850 = RFC850_DATE.exec(text);
  if (rfc850) parts = [rfc850[1]!, rfc850[2]!, twoDigitYear(Number(rfc850[3])), rfc850[4]!, rfc850[5]!, rfc850[6]!];
  const asctime = ASCTIME_DATE.exec(text);
  if (asctime) parts = [asctime[2]!, asctime[1]!, Number(asctime[6]), asctime[3]!, asctime[4]!, asctime[5]!];
  if (!parts) return undefined;
  const [day, month, year, h, m, s] = parts;
  const ms = Date.UTC(year, MONTHS.indexOf(month), Number(day), Number(h), Number(m), Number(s));
  // Date.UTC rolls 31 Feb over into March: a date that does not round-trip is not a date.
  return new Date(ms).getUTCDate() === Number(day) && Number(s) < 60 && Number(m) < 60 && Number(h) < 24 ? ms : undefined;
}

/** RFC 9110 5.6.7: a two-digit year more than 50 years ahead means the century before. */
function twoDigitYear(yy: number): number {
  const year = 2000 + yy;
  return year > new Date().getUTCFullYear() + 50 ? year - 100 : year;
}
