// Requests to one S3 bucket over Node's fetch, signed by aws4fetch (SigV4), with the payload unsigned
// (UNSIGNED-PAYLOAD: parts are streamed, not hashed first): URLs (path-style or virtual-host), retries of what is
// worth retrying, timeouts, and S3's error documents turned into S3Error.
import { AwsV4Signer } from 'aws4fetch';
import { codeOfStatus, S3Error } from './s3-errors.js';
import { childText, parseXml, type XmlElement } from './s3-xml.js';

export interface S3ClientOptions {
  /** `https://s3.example.com` (a path after the host is kept). */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** endpoint/bucket/key; false: bucket.endpoint/key. */
  forcePathStyle: boolean;
  /** Hears of every request once it is answered or has failed (for /metrics). */
  observe?: (observation: S3Observation) => void;
  /** Tries per request when the error is worth another (5xx, throttling, a failed connection). */
  attempts?: number;
}

export type S3Operation =
  | 'PutObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListMultipartUploads'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'ListObjectsV2';

export interface S3Observation {
  operation: S3Operation;
  /** The HTTP status, 0 when none came (a failed connection, a timeout, an abort). */
  status: number;
  /** Until the response headers (GetObject) or the whole answer (everything else). */
  durationMs: number;
  /** The caller gave up (a viewer left): no answer, but no fault of the bucket's. */
  wasAborted: boolean;
}

const DEFAULT_ATTEMPTS = 3;
const RETRY_BASE_MS = 100;
// A control request (anything but a transfer of bytes) not answered in this time has hung. Transfers take as
// long as the bytes need: undici's own timeouts (300 s without a byte) bound them.
const CONTROL_TIMEOUT_MS = 60_000;
// Error documents and list pages are small (a page of 1000 keys is ~300 KB); anything far larger is not S3.
const MAX_XML_BYTES = 8 * 1024 * 1024;

/** One request: the key (none for the bucket itself), the query, and what else it sends. */
export interface S3Call {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
  /** Statuses that are not errors for this call (besides 2xx). */
  accept?: readonly number[];
  /** Moves object bytes (as long as they need): no CONTROL_TIMEOUT_MS. */
  isTransfer?: boolean;
}

export class S3Http {
  readonly #options: S3ClientOptions;
  readonly #base: URL;
  readonly #signingKeys = new Map<string, ArrayBuffer>();

  constructor(options: S3ClientOptions) {
    this.#options = options;
    this.#base = new URL(options.endpoint);
  }

  /** The scheme, host and port the bucket's URLs (and so presigned ones) are on. */
  get bucketOrigin(): string {
    return this.#url(undefined).origin;
  }

  /** A URL anyone may GET the object with for ttlS seconds (Range included); no request is made. */
  async presignGet(key: string, ttlS: number): Promise<string> {
    const url = this.#url(key, { 'X-Amz-Expires': String(ttlS) });
    const signed = await this.#signer('GET', url, new Headers(), true).sign();
    return signed.url.toString();
  }

  #url(key: string | undefined, query: Record<string, string> = {}): URL {
    const { bucket, forcePathStyle } = this.#options;
    const url = new URL(this.#base);
    const basePath = url.pathname.replace(/\/+$/, '');
    const keyPath = key === undefined ? '' : `/${key.split('/').map(encodeSegment).join('/')}`;
    if (forcePathStyle) {
      url.pathname = `${basePath}/${encodeSegment(bucket)}${keyPath}`;
    } else {
      url.hostname = `${bucket}.${url.hostname}`;
      url.pathname = `${basePath}${keyPath === '' ? '/' : keyPath}`;
    }
    // RFC 3986 encoding (%20, not +) for the query too: the signature covers it encoded that way.
    url.search = Object.entries(query)
      .map(([name, value]) => (value === '' && name === 'uploads' ? name : `${encodeSegment(name)}=${encodeSegment(value)}`))
      .join('&');
    return url;
  }

  /** No body: the payload is UNSIGNED-PAYLOAD, which aws4fetch sets for service s3. */
  #signer(method: string, url: URL, headers: Headers, signQuery: boolean): AwsV4Signer {
    const { accessKeyId, secretAccessKey, region } = this.#options;
    return new AwsV4Signer({ method, url: url.toString(), headers, accessKeyId, secretAccessKey, region, service: 's3', cache: this.#signingKeys, signQuery });
  }

  /** For answers whose body we do not need (an accepted 404 may carry one): it is read to the end, so the connection is reused. */
  async requestBodiless(operation: S3Operation, call: S3Call): Promise<Response> {
    const res = await this.request(operation, call);
    await readText(res, operation);
    return res;
  }

  async requestXml(operation: S3Operation, call: S3Call): Promise<XmlElement> {
    const res = await this.request(operation, call);
    const xml = parseAnswer(await readText(res, operation), operation, call.key);
    // CompleteMultipartUpload may fail after its 200: the error then comes in the body.
    if (xml.name === 'Error') throw errorOf(xml, res.status, describe(operation, call.key));
    return xml;
  }

  /** Sends call, retrying what is worth retrying; resolves with a 2xx (or accepted) response, else throws S3Error. */
  async request(operation: S3Operation, call: S3Call): Promise<Response> {
    const attempts = this.#options.attempts ?? DEFAULT_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#requestOnce(operation, call);
      } catch (error) {
        const isRetryable = error instanceof S3Error && error.kind === 'unavailable' && !call.signal?.aborted;
        if (!isRetryable || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 4 ** (attempt - 1) * (0.5 + Math.random())));
      }
    }
  }

  async #requestOnce(operation: S3Operation, call: S3Call): Promise<Response> {
    const operationName = describe(operation, call.key);
    const url = this.#url(call.key, call.query);
    const signed = await this.#signer(call.method, url, new Headers(call.headers), false).sign();
    if (call.body) signed.headers.set('content-length', String(call.body.length));
    const timeout = new AbortController();
    const timer = call.isTransfer ? undefined : setTimeout(() => timeout.abort(), CONTROL_TIMEOUT_MS);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    const startedAt = performance.now();
    let status = 0;
    try {
      const body = call.body && uncopiedBody(call.body);
      const res = await fetch(signed.url, { method: call.method, headers: signed.headers, body, signal, duplex: 'half' });
      status = res.status;
      if (!res.ok && !call.accept?.includes(res.status)) {
        const text = call.method === 'HEAD' ? '' : await readText(res, operation);
        throw errorOf(text === '' ? undefined : parseAnswer(text, operation, call.key), res.status, operationName);
      }
      return res;
    } catch (error) {
      if (error instanceof S3Error) throw error;
      if (call.signal?.aborted) throw call.signal.reason;
      if (timeout.signal.aborted) throw new S3Error('RequestTimeout', status, `no answer in ${CONTROL_TIMEOUT_MS / 1000} s`, operationName, { cause: error });
      throw new S3Error('NetworkError', status, error instanceof Error ? causeText(error) : String(error), operationName, { cause: error });
    } finally {
      clearTimeout(timer);
      this.#options.observe?.({ operation, status, durationMs: performance.now() - startedAt, wasAborted: call.signal?.aborted === true });
    }
  }
}

function describe(operation: S3Operation, key: string | undefined): string {
  return key === undefined ? operation : `${operation} ${key}`;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED...) is its cause. */
function causeText(error: Error): string {
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function errorOf(xml: XmlElement | undefined, status: number, operation: string): S3Error {
  const code = (xml?.name === 'Error' ? childText(xml, 'Code') : undefined) ?? codeOfStatus(status);
  return new S3Error(code, status, (xml && childText(xml, 'Message')) ?? '', operation);
}

function parseAnswer(text: string, operation: S3Operation, key: string | undefined): XmlElement {
  try {
    return parseXml(text);
  } catch (error) {
    throw new S3Error('MalformedAnswer', 0, (error as Error).message, describe(operation, key), { cause: error });
  }
}

async function readText(res: Response, operation: S3Operation): Promise<string> {
  if (!res.body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    // Leaving the loop by throw cancels the body.
    if (total > MAX_XML_BYTES) throw new S3Error('MalformedAnswer', res.status, `answer over ${MAX_XML_BYTES} bytes`, operation);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/**
 * bytes as a one-chunk stream: fetch copies a Buffer body whole before sending it (a second copy of every part
 * in flight), but passes a stream's chunks to the socket as they are. A new one per attempt: a stream is read once.
 */
function uncopiedBody(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** encodeURIComponent plus the four characters it leaves alone that SigV4 wants encoded. */
function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

