// tus 1.0.0 (https://tus.io/protocols/resumable-upload): the version and extensions this server speaks,
// and the parsers of the protocol's own request headers. Every parser returns a discriminated union.
import type { IncomingMessage } from 'node:http';
import { unsupportedTusVersion } from '../http/errors.js';

export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,creation-with-upload,termination,expiration';
/** The Content-Type of every PATCH body (and of a POST that carries the first bytes). */
export const OFFSET_OCTET_STREAM = 'application/offset+octet-stream';

/** Every response on a tus route carries it, errors and 405s included. */
export const TUS_RESPONSE_HEADERS: Readonly<Record<string, string>> = { 'Tus-Resumable': TUS_VERSION };

export type UploadNumber =
  | { kind: 'number'; value: number }
  | { kind: 'missing' }
  /** Digits, but more than a double holds exactly: always over any limit of ours. */
  | { kind: 'too-large' }
  | { kind: 'invalid' };

const DIGITS = /^[0-9]+$/;

/** Upload-Length and Upload-Offset: a non-negative integer in decimal digits, nothing else (no sign, no space). */
export function parseUploadNumber(header: string | undefined): UploadNumber {
  if (header === undefined) return { kind: 'missing' };
  if (!DIGITS.test(header)) return { kind: 'invalid' };
  const value = Number(header);
  return Number.isSafeInteger(value) ? { kind: 'number', value } : { kind: 'too-large' };
}

/** The tus spec's 412 for a request without `Tus-Resumable: 1.0.0` (OPTIONS needs none). */
export function requireTusVersion(req: IncomingMessage): void {
  const version = headerOf(req, 'tus-resumable');
  if (version !== TUS_VERSION) throw unsupportedTusVersion(version, TUS_VERSION);
}

/** A request header node:http keeps as one string (it joins repeated unknown headers with ", "). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Upload-Expires is an RFC 9110 HTTP-date (IMF-fixdate): `Wed, 25 Nov 2026 14:31:26 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
