// The handful of S3 calls moviedash makes, over Node's fetch, signed by aws4fetch (SigV4). No checksum headers
// (checksum mode "when required": none of these calls requires one), no ACL, the payload unsigned
// (UNSIGNED-PAYLOAD: parts are streamed, not hashed first); path-style or virtual-host URLs.
import { Readable } from 'node:stream';
import { AwsV4Signer } from 'aws4fetch';
import { codeOfStatus, S3Error } from './s3-errors.js';
import { childrenNamed, childText, parseXml, type XmlElement } from './s3-xml.js';

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
}

export interface ObjectInfo {
  size: number;
  /** Quotes included, as S3 sends it. */
  etag: string;
  lastModifiedMs: number;
}

export interface ListedObject extends ObjectInfo {
  key: string;
}

export interface ObjectBody extends ObjectInfo {
  /** The bytes asked for (the whole object, or the range), with backpressure; destroying it aborts the request. */
  body: Readable;
  /** Bytes in body. */
  length: number;
}

export interface MultipartUploadInfo {
  key: string;
  uploadId: string;
  initiatedMs: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface Page<T, Next = string> {
  items: T[];
  /** Pass back to get the next page; undefined on the last page. */
  next: Next | undefined;
}

export interface UploadsMarker {
  keyMarker: string;
  uploadIdMarker: string;
}

const DEFAULT_ATTEMPTS = 3;
const RETRY_BASE_MS = 100;
// A control request (anything but a transfer of bytes) not answered in this time has hung. Transfers take as
// long as the bytes need: undici's own timeouts (300 s without a byte) bound them.
const CONTROL_TIMEOUT_MS = 60_000;
// Error documents and list pages are small (a page of 1000 keys is ~300 KB); anything far larger is not S3.
const MAX_XML_BYTES = 8 * 1024 * 1024;

interface Call {
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

export class S3Client {
  readonly #options: S3ClientOptions;
  readonly #base: URL;
  readonly #signingKeys = new Map<string, ArrayBuffer>();

  constructor(options: S3ClientOptions) {
    this.#options = options;
    this.#base = new URL(options.endpoint);
  }

  async putObject(key: string, body: Buffer, contentType: string | undefined, signal?: AbortSignal): Promise<string> {
    const headers = contentType === undefined ? undefined : { 'Content-Type': contentType };
    const res = await this.#requestBodiless('PutObject', { method: 'PUT', key, headers, body, signal, isTransfer: true });
    return res.headers.get('etag') ?? '';
  }

  async createMultipartUpload(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<string> {
    const headers = contentType === undefined ? undefined : { 'Content-Type': contentType };
    const xml = await this.#requestXml('CreateMultipartUpload', { method: 'POST', key, query: { uploads: '' }, headers, signal });
    return required(xml, 'UploadId', 'CreateMultipartUpload', key);
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer, signal?: AbortSignal): Promise<string> {
    const query = { partNumber: String(partNumber), uploadId };
    const res = await this.#requestBodiless('UploadPart', { method: 'PUT', key, query, body, signal, isTransfer: true });
    const etag = res.headers.get('etag');
    if (!etag) throw new S3Error('MissingETag', res.status, `part ${partNumber} came back without an ETag`, `UploadPart ${key}`);
    return etag;
  }

  /** S3 may answer 200 and still fail (an Error document in the body): that is thrown too. */
  async completeMultipartUpload(key: string, uploadId: string, parts: readonly CompletedPart[], signal?: AbortSignal): Promise<void> {
    const body = Buffer.from(
      `<CompleteMultipartUpload>${parts
        .map((part) => `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`)
        .join('')}</CompleteMultipartUpload>`,
    );
    await this.#requestXml('CompleteMultipartUpload', { method: 'POST', key, query: { uploadId }, headers: { 'Content-Type': 'application/xml' }, body, signal });
  }

  /** An upload that is already gone counts as aborted. */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.#requestBodiless('AbortMultipartUpload', { method: 'DELETE', key, query: { uploadId }, accept: [404] });
  }

  async listMultipartUploads(prefix: string, next?: UploadsMarker, maxUploads = 1000): Promise<Page<MultipartUploadInfo, UploadsMarker>> {
    const query: Record<string, string> = { uploads: '', prefix, 'max-uploads': String(maxUploads) };
    if (next !== undefined) Object.assign(query, { 'key-marker': next.keyMarker, 'upload-id-marker': next.uploadIdMarker });
    const xml = await this.#requestXml('ListMultipartUploads', { method: 'GET', query });
    const items = childrenNamed(xml, 'Upload').map((upload) => ({
      key: required(upload, 'Key', 'ListMultipartUploads', prefix),
      uploadId: required(upload, 'UploadId', 'ListMultipartUploads', prefix),
      initiatedMs: Date.parse(required(upload, 'Initiated', 'ListMultipartUploads', prefix)),
    }));
    const marker = { keyMarker: childText(xml, 'NextKeyMarker') ?? '', uploadIdMarker: childText(xml, 'NextUploadIdMarker') ?? '' };
    return { items, next: childText(xml, 'IsTruncated') === 'true' ? marker : undefined };
  }

  /**
   * range is an HTTP byte range (`bytes=0-99`, `bytes=100-`, `bytes=-100`) or undefined for the whole object.
   * Aborting signal (the viewer left) ends the request and destroys body.
   */
  async getObject(key: string, range: string | undefined, signal?: AbortSignal): Promise<ObjectBody> {
    const headers = range === undefined ? undefined : { Range: range };
    const res = await this.#request('GetObject', { method: 'GET', key, headers, signal, isTransfer: true });
    const expected = range === undefined ? 200 : 206;
    if (res.status !== expected || !res.body) {
      await res.body?.cancel();
      throw new S3Error(`Http${res.status}`, res.status, `expected ${expected}`, `GetObject ${key}`);
    }
    const length = Number(res.headers.get('content-length'));
    const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
    return {
      body: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
      length,
      size: total === undefined ? length : Number(total),
      etag: res.headers.get('etag') ?? '',
      lastModifiedMs: Date.parse(res.headers.get('last-modified') ?? ''),
    };
  }

  /** Undefined when there is no such object. */
  async headObject(key: string, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
    const res = await this.#requestBodiless('HeadObject', { method: 'HEAD', key, signal, accept: [404] });
    if (res.status === 404) return undefined;
    return {
      size: Number(res.headers.get('content-length')),
      etag: res.headers.get('etag') ?? '',
      lastModifiedMs: Date.parse(res.headers.get('last-modified') ?? ''),
    };
  }

  /** A key that is already gone counts as deleted (S3 itself answers 204 for it; some servers 404). */
  async deleteObject(key: string): Promise<void> {
    await this.#requestBodiless('DeleteObject', { method: 'DELETE', key, accept: [404] });
  }

  async listObjects(prefix: string, next?: string, maxKeys = 1000, signal?: AbortSignal): Promise<Page<ListedObject>> {
    const query: Record<string, string> = { 'list-type': '2', prefix, 'max-keys': String(maxKeys) };
    if (next !== undefined) query['continuation-token'] = next;
    const xml = await this.#requestXml('ListObjectsV2', { method: 'GET', query, signal });
    const items = childrenNamed(xml, 'Contents').map((entry) => ({
      key: required(entry, 'Key', 'ListObjectsV2', prefix),
      size: Number(required(entry, 'Size', 'ListObjectsV2', prefix)),
      etag: childText(entry, 'ETag') ?? '',
      lastModifiedMs: Date.parse(required(entry, 'LastModified', 'ListObjectsV2', prefix)),
    }));
    return { items, next: childText(xml, 'IsTruncated') === 'true' ? childText(xml, 'NextContinuationToken') : undefined };
  }

  /** A URL anyone may GET the object with for ttlS seconds (Range included); no request is made. */
  async presignGet(key: string, ttlS: number): Promise<string> {
    const url = this.#url(key, { 'X-Amz-Expires': String(ttlS) });
    const signed = await this.#signer('GET', url, new Headers(), undefined, true).sign();
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

  #signer(method: string, url: URL, headers: Headers, body: Buffer | undefined, signQuery: boolean): AwsV4Signer {
    const { accessKeyId, secretAccessKey, region } = this.#options;
    return new AwsV4Signer({ method, url: url.toString(), headers, body, accessKeyId, secretAccessKey, region, service: 's3', cache: this.#signingKeys, signQuery });
  }

  /** For answers whose body says nothing we need (a 404 we accept may still carry one): it is read to the end, so the connection can serve the next request. */
  async #requestBodiless(operation: S3Operation, call: Call): Promise<Response> {
    const res = await this.#request(operation, call);
    await readText(res, operation);
    return res;
  }

  async #requestXml(operation: S3Operation, call: Call): Promise<XmlElement> {
    const res = await this.#request(operation, call);
    const xml = parseAnswer(await readText(res, operation), operation, call.key);
    // CompleteMultipartUpload may fail after its 200: the error then comes in the body.
    if (xml.name === 'Error') throw errorOf(xml, res.status, describe(operation, call.key));
    return xml;
  }

  /** Sends call, retrying what is worth retrying; resolves with a 2xx (or accepted) response, else throws S3Error. */
  async #request(operation: S3Operation, call: Call): Promise<Response> {
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

  async #requestOnce(operation: S3Operation, call: Call): Promise<Response> {
    const operationName = describe(operation, call.key);
    const url = this.#url(call.key, call.query);
    const signed = await this.#signer(call.method, url, new Headers(call.headers), undefined, false).sign();
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
      this.#options.observe?.({ operation, status, durationMs: performance.now() - startedAt });
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

function required(element: XmlElement, name: string, operation: S3Operation, key: string): string {
  const text = childText(element, name);
  if (text === undefined) throw new S3Error('MalformedAnswer', 0, `no <${name}> in <${element.name}>`, describe(operation, key));
  return text;
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

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
