// The S3 driver: objects in S3_BUCKET under the layout of object-keys.ts. A put streams into a multipart
// upload (s3-upload.ts) and counts as done only once HeadObject reports the size that was sent.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { removeIfPresent, type VideoFileKind } from '../video-files.js';
import { ObjectKeys } from './object-keys.js';
import { S3Client, type UploadsMarker } from './s3-client.js';
import type { S3Observation } from './s3-http.js';
import { S3Error } from './s3-errors.js';
import { uploadStream } from './s3-upload.js';
import { checkRange, type ByteRange, type FileOptions, type ListedObject, type PutOptions, type Storage, type StoredObject } from './storage.js';

export type S3Settings = Pick<
  Config,
  | 's3Endpoint'
  | 's3Region'
  | 's3Bucket'
  | 's3Prefix'
  | 's3AccessKeyId'
  | 's3SecretAccessKey'
  | 's3ForcePathStyle'
  | 's3PublicUrl'
  | 's3PresignTtlS'
  | 's3PartMb'
>;

const MIB = 1024 * 1024;
/** S3's limit on the parts of one upload. */
const MAX_PARTS = 10_000;

export class S3Storage implements Storage {
  readonly name = 's3';
  readonly keys: ObjectKeys;
  readonly #client: S3Client;
  readonly #settings: S3Settings;

  constructor(settings: S3Settings, observe?: (observation: S3Observation) => void) {
    this.#settings = settings;
    this.keys = new ObjectKeys(settings.s3Prefix);
    this.#client = new S3Client({
      endpoint: settings.s3Endpoint,
      region: settings.s3Region,
      bucket: settings.s3Bucket,
      accessKeyId: settings.s3AccessKeyId,
      secretAccessKey: settings.s3SecretAccessKey,
      forcePathStyle: settings.s3ForcePathStyle,
      observe,
    });
  }

  keyOf(videoId: string, kind: VideoFileKind): string {
    return this.keys.keyOf(videoId, kind);
  }

  async put(key: string, source: AsyncIterable<Buffer>, options: PutOptions): Promise<StoredObject> {
    const partBytes = partBytesFor(this.#settings.s3PartMb, options.maxBytes);
    const sent = await uploadStream(this.#client, key, source, { partBytes, ...options });
    // Some servers (radosgw) complete a multipart upload with an empty ETag: HeadObject tells what is stored.
    const stored = await this.stat(key);
    if (stored?.size !== sent) {
      await this.remove(key);
      throw new Error(`${key}: ${sent} bytes were sent, but the bucket holds ${stored ? `${stored.size} bytes` : 'nothing'}`);
    }
    return stored;
  }

  async putFile(key: string, path: string, options: FileOptions): Promise<StoredObject> {
    const { size } = await stat(path);
    const { contentType } = options;
    const stored = await this.put(key, createReadStream(path), { maxBytes: size, contentType: contentType === undefined ? undefined : () => contentType });
    await removeIfPresent(path);
    return stored;
  }

  async read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable | undefined> {
    if (range) checkRange(range);
    try {
      return (await this.#client.getObject(key, range && rangeHeader(range), signal)).body;
    } catch (error) {
      if (error instanceof S3Error && error.kind === 'not-found') return undefined;
      if (error instanceof S3Error && error.kind === 'invalid-range') {
        throw new RangeError(`Range ${JSON.stringify(range)} starts past the end of ${key}`, { cause: error });
      }
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const info = await this.#client.headObject(key);
    return info && { size: info.size, mtimeMs: info.lastModifiedMs };
  }

  async remove(key: string): Promise<void> {
    await this.#client.deleteObject(key);
  }

  async *list(): AsyncGenerator<ListedObject> {
    let next: string | undefined;
    do {
      const page = await this.#client.listObjects(this.keys.prefix, next);
      for (const object of page.items) {
        const ref = this.keys.refOf(object.key);
        if (ref) yield { key: object.key, ref, size: object.size, mtimeMs: object.lastModifiedMs };
      }
      next = page.next;
    } while (next !== undefined);
  }

  async abortStaleUploads(before: number, isUploading: (videoId: string) => boolean = () => false): Promise<number> {
    let aborted = 0;
    let next: UploadsMarker | undefined;
    do {
      const page = await this.#client.listMultipartUploads(this.keys.prefix, next);
      for (const upload of page.items) {
        const ref = this.keys.refOf(upload.key);
        if (upload.initiatedMs >= before || !ref || isUploading(ref.videoId)) continue;
        await this.#client.abortMultipartUpload(upload.key, upload.uploadId);
        aborted++;
      }
      next = page.next;
    } while (next !== undefined);
    return aborted;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.#client.listObjects(this.keys.prefix, undefined, 1, signal);
  }

  /** The origin of downloadUrl's URLs: S3_PUBLIC_URL's, else the bucket's. */
  get downloadOrigin(): string {
    const { s3PublicUrl } = this.#settings;
    return s3PublicUrl === '' ? this.#client.bucketOrigin : new URL(s3PublicUrl).origin;
  }

  /** S3_PUBLIC_URL + key when set (a CDN in front of the bucket), else a URL presigned for S3_PRESIGN_TTL_S. */
  async downloadUrl(key: string): Promise<string> {
    const { s3PublicUrl, s3PresignTtlS } = this.#settings;
    if (s3PublicUrl === '') return this.#client.presignGet(key, s3PresignTtlS);
    return `${s3PublicUrl.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}

/** S3_PART_MB, or larger when maxBytes would take more than S3's 10,000 parts. */
export function partBytesFor(partMb: number, maxBytes: number): number {
  return Math.max(partMb, Math.ceil(maxBytes / MAX_PARTS / MIB)) * MIB;
}

/** The HTTP Range header for range: bytes=0-99, bytes=100-, bytes=-100. */
function rangeHeader(range: ByteRange): string {
  if ('suffix' in range) return `bytes=-${range.suffix}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}
