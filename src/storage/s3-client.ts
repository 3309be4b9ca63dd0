// The handful of S3 calls moviedash makes. No checksum headers (checksum mode "when required": none of these
// calls requires one) and no ACL: the bucket's own settings decide who may read.
import { Readable } from 'node:stream';
import { S3Error } from './s3-errors.js';
import { S3Http, type S3ClientOptions, type S3Operation } from './s3-http.js';
import { childrenNamed, childText, type XmlElement } from './s3-xml.js';

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

export class S3Client {
  readonly #http: S3Http;

  constructor(options: S3ClientOptions) {
    this.#http = new S3Http(options);
  }

  async putObject(key: string, body: Buffer, contentType: string | undefined, signal?: AbortSignal): Promise<string> {
    const headers = contentType === undefined ? undefined : { 'Content-Type': contentType };
    const res = await this.#http.requestBodiless('PutObject', { method: 'PUT', key, headers, body, signal, isTransfer: true });
    return res.headers.get('etag') ?? '';
  }

  async createMultipartUpload(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<string> {
    const headers = contentType === undefined ? undefined : { 'Content-Type': contentType };
    const xml = await this.#http.requestXml('CreateMultipartUpload', { method: 'POST', key, query: { uploads: '' }, headers, signal });
    return required(xml, 'UploadId', 'CreateMultipartUpload', key);
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer, signal?: AbortSignal): Promise<string> {
    const query = { partNumber: String(partNumber), uploadId };
    const res = await this.#http.requestBodiless('UploadPart', { method: 'PUT', key, query, body, signal, isTransfer: true });
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
    await this.#http.requestXml('CompleteMultipartUpload', { method: 'POST', key, query: { uploadId }, headers: { 'Content-Type': 'application/xml' }, body, signal });
  }

  /** An upload that is already gone counts as aborted. */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.#http.requestBodiless('AbortMultipartUpload', { method: 'DELETE', key, query: { uploadId }, accept: [404] });
  }

  async listMultipartUploads(prefix: string, next?: UploadsMarker, maxUploads = 1000): Promise<Page<MultipartUploadInfo, UploadsMarker>> {
    const query: Record<string, string> = { uploads: '', prefix, 'max-uploads': String(maxUploads) };
    if (next !== undefined) Object.assign(query, { 'key-marker': next.keyMarker, 'upload-id-marker': next.uploadIdMarker });
    const xml = await this.#http.requestXml('ListMultipartUploads', { method: 'GET', query });
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
    const res = await this.#http.request('GetObject', { method: 'GET', key, headers, signal, isTransfer: true });
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
    const res = await this.#http.requestBodiless('HeadObject', { method: 'HEAD', key, signal, accept: [404] });
    if (res.status === 404) return undefined;
    return {
      size: Number(res.headers.get('content-length')),
      etag: res.headers.get('etag') ?? '',
      lastModifiedMs: Date.parse(res.headers.get('last-modified') ?? ''),
    };
  }

  /** A key that is already gone counts as deleted (S3 itself answers 204 for it; some servers 404). */
  async deleteObject(key: string): Promise<void> {
    await this.#http.requestBodiless('DeleteObject', { method: 'DELETE', key, accept: [404] });
  }

  async listObjects(prefix: string, next?: string, maxKeys = 1000, signal?: AbortSignal): Promise<Page<ListedObject>> {
    const query: Record<string, string> = { 'list-type': '2', prefix, 'max-keys': String(maxKeys) };
    if (next !== undefined) query['continuation-token'] = next;
    const xml = await this.#http.requestXml('ListObjectsV2', { method: 'GET', query, signal });
    const items = childrenNamed(xml, 'Contents').map((entry) => ({
      key: required(entry, 'Key', 'ListObjectsV2', prefix),
      size: Number(required(entry, 'Size', 'ListObjectsV2', prefix)),
      etag: childText(entry, 'ETag') ?? '',
      lastModifiedMs: Date.parse(required(entry, 'LastModified', 'ListObjectsV2', prefix)),
    }));
    return { items, next: childText(xml, 'IsTruncated') === 'true' ? childText(xml, 'NextContinuationToken') : undefined };
  }

  /** The scheme, host and port presigned URLs are on (`bucket.host` in virtual-host style). */
  get bucketOrigin(): string {
    return this.#http.bucketOrigin;
  }

  /** A URL anyone may GET the object with for ttlS seconds (Range included); no request is made. */
  presignGet(key: string, ttlS: number): Promise<string> {
    return this.#http.presignGet(key, ttlS);
  }
}

function required(element: XmlElement, name: string, operation: S3Operation, key: string): string {
  const text = childText(element, name);
  if (text === undefined) throw new S3Error('MalformedAnswer', 0, `no <${name}> in <${element.name}>`, `${operation} ${key}`);
  return text;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
