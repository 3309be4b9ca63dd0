// The contract's error table: one HttpError class and one factory per code. Handlers throw these;
// only the error edge in server.ts turns them into responses.

export type ErrorCode = '001' | '002' | '003' | '004' | '005' | '006' | '007' | '008' | '009' | '010' | '011' | '012' | '013' | '014';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: string;
  error_code: ErrorCode;
}

export const badJson = (detail: string) => new HttpError(400, '001', `Request body must be a JSON object: ${detail}`);
export const unauthorized = (detail = 'Sign in first') => new HttpError(401, '002', detail);
export const databaseFailure = (options?: ErrorOptions) => new HttpError(500, '003', 'Database failure', {}, options);
export const internalFault = (options?: ErrorOptions) => new HttpError(500, '004', 'Internal server error', {}, options);
/** /healthz: the storage of video files (the S3 bucket, or VIDEO_DIR) does not answer or refuses our keys. */
export const storageUnreachable = (options?: ErrorOptions) => new HttpError(500, '004', 'Video storage is unreachable', {}, options);
export const forbidden = (detail: string) => new HttpError(403, '005', detail);
export const notFound = (what: string) => new HttpError(404, '006', `No such ${what}`);
export const conflict = (detail: string) => new HttpError(409, '007', detail);
export const tooLarge = (detail: string) => new HttpError(413, '008', detail);
export const unsupportedMedia = (detail: string) => new HttpError(415, '009', detail);
export const tooManyStreams = (retryAfterS: number, detail = 'Too many streams at once, try again shortly') =>
  new HttpError(429, '010', detail, { 'Retry-After': String(retryAfterS) });
export const invalidField = (field: string, rule: string) => new HttpError(400, '011', `Invalid ${field}: ${rule}`);
/** The account's quota, the disk's free-space floor (MIN_FREE_DISK_MB), or a disk or database that filled up. */
export const insufficientStorage = (detail: string, options?: ErrorOptions) => new HttpError(507, '013', detail, {}, options);
export const tooManyAttempts = (detail: string, retryAfterS: number) =>
  new HttpError(429, '014', detail, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) });
/** The contract gives 416 no code of its own: 011, as the Range header is a field that fails validation. */
export const rangeNotSatisfiable = (size: number) =>
  new HttpError(416, '011', `Invalid Range: no requested byte is within the video's ${size} bytes`, { 'Content-Range': `bytes */${size}` });
/** tus: a request without the protocol version the server speaks; 011, as Tus-Resumable is a field that fails validation. */
export const unsupportedTusVersion = (got: string | undefined, supported: string) =>
  new HttpError(412, '011', `Invalid Tus-Resumable: must be ${supported}, got ${got === undefined ? 'none' : JSON.stringify(got)}`, {
    'Tus-Version': supported,
  });
export const methodNotAllowed = (allow: readonly string[]) =>
  new HttpError(405, '012', 'Method not allowed', { Allow: allow.join(', ') });
/** Requests node:http cannot parse; 431 and 408 have no code of their own in the contract. */
export const malformedRequest = () => new HttpError(400, '011', 'Invalid request: not well-formed HTTP/1.1');
export const headersTooLarge = () => new HttpError(431, '008', 'Request headers are over their size limit');
export const headersTooSlow = () => new HttpError(408, '011', 'Invalid request: the headers did not arrive in time');
export const bodyTooSlow = (deadlineS: number) =>
  new HttpError(408, '011', `Invalid request: the body did not arrive within ${deadlineS} s`, { Connection: 'close' });
/** A request line the server cannot route at all, like a malformed %-escape in the path. */
export const badRequestPath = () => new HttpError(400, '011', 'Invalid path: malformed percent-encoding');

export function toErrorBody(error: HttpError): ErrorBody {
  return { error: error.message, error_code: error.code };
}
