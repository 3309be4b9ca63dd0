// S3's error codes as one typed error: `code` is S3's own (NoSuchKey, SignatureDoesNotMatch...), `kind` the
// handful of cases the program decides on. HEAD answers have no body, so their code comes from the status.

export type S3ErrorKind =
  /** The key, the multipart upload or the bucket does not exist. */
  | 'not-found'
  /** Wrong or unknown keys, a bad signature, a clock too far off, or a policy that refuses. */
  | 'denied'
  /** The range starts past the end of the object. */
  | 'invalid-range'
  /** Worth another try: 5xx, throttling, timeouts, a connection that failed. */
  | 'unavailable'
  /** Anything else: a request the server found wrong. */
  | 'rejected';

const KIND_OF_CODE: Record<string, S3ErrorKind> = {
  NoSuchKey: 'not-found',
  NoSuchUpload: 'not-found',
  NoSuchBucket: 'not-found',
  NotFound: 'not-found',
  AccessDenied: 'denied',
  Forbidden: 'denied',
  SignatureDoesNotMatch: 'denied',
  InvalidAccessKeyId: 'denied',
  RequestTimeTooSkewed: 'denied',
  AuthorizationHeaderMalformed: 'denied',
  ExpiredToken: 'denied',
  InvalidToken: 'denied',
  InvalidRange: 'invalid-range',
  SlowDown: 'unavailable',
  RequestTimeout: 'unavailable',
  InternalError: 'unavailable',
  ServiceUnavailable: 'unavailable',
  NetworkError: 'unavailable',
};

export class S3Error extends Error {
  override readonly name = 'S3Error';
  readonly kind: S3ErrorKind;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** What was asked: `GetObject videos/...`. */
    readonly operation: string,
    options?: ErrorOptions,
  ) {
    super(`${operation}: ${code} (${status === 0 ? 'no answer' : status})${message === '' ? '' : `: ${message}`}`, options);
    this.kind = KIND_OF_CODE[code] ?? (status >= 500 || status === 429 ? 'unavailable' : 'rejected');
  }
}

/** The code a bodiless answer (HEAD) implies. */
export function codeOfStatus(status: number): string {
  if (status === 404) return 'NotFound';
  if (status === 403) return 'Forbidden';
  if (status === 416) return 'InvalidRange';
  if (status === 503) return 'ServiceUnavailable';
  return status >= 500 ? 'InternalError' : `Http${status}`;
}
