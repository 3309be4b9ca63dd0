// Where video and poster bytes live: one small interface with two drivers, the local disk (local-storage.ts)
// and an S3 bucket (s3-storage.ts), chosen once at start-up (open-storages.ts).
import type { Readable } from 'node:stream';
import type { VideoFileKind } from '../video-files.js';
import type { FileRef } from './object-keys.js';

export type StorageName = 'local' | 's3';

/** Bytes start..end (inclusive; no end: to the end of the object), or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export interface StoredObject {
  size: number;
  /** Last modified, ms since the epoch (whole seconds on S3). */
  mtimeMs: number;
}

export interface ListedObject extends StoredObject {
  key: string;
  /** The video file or poster the key names. */
  ref: FileRef;
}

export interface PutOptions {
  /** A source longer than this fails the put with a RangeError. */
  maxBytes: number;
  signal?: AbortSignal;
  /** The object's Content-Type, asked once the first bytes go out (so after the caller has sniffed them). */
  contentType?: () => string;
}

export interface FileOptions {
  contentType?: string;
}

export interface Storage {
  readonly name: StorageName;
  /** The key a video's file or poster is stored under here. */
  keyOf(videoId: string, kind: VideoFileKind): string;
  /**
   * Streams source into the object at key (replacing it whole, never in part) with backpressure, never holding
   * it all in memory. Resolves once the object is complete and durable, with its size as the storage reports it.
   * On any failure (the source throws, signal aborts, more than maxBytes) it rejects and leaves no object and
   * no unfinished upload behind; a key that held an object before keeps it.
   */
  put(key: string, source: AsyncIterable<Buffer>, options: PutOptions): Promise<StoredObject>;
  /**
   * Moves the complete file at path (in VIDEO_DIR: a resumable upload's bytes) into the object at key: the local
   * disk renames it, a bucket is sent a copy and the file is removed once the object is complete. Resolves like
   * put; on failure the file stays where it was and no object is left.
   */
  putFile(key: string, path: string, options: FileOptions): Promise<StoredObject>;
  /**
   * The bytes of the object, or of range; undefined when there is no such object. Rejects with a RangeError
   * when range starts at or after the end. Aborting signal (the reader left) ends the transfer.
   */
  read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable | undefined>;
  stat(key: string): Promise<StoredObject | undefined>;
  /**
   * The object's file on this machine (the local disk only), for a reader that needs a few small reads at
   * random places: on a descriptor each costs one round trip to the threadpool, where read() opens a stream.
   */
  pathOf?(key: string): string;
  /** A key that holds nothing counts as removed. */
  remove(key: string): Promise<void>;
  /** Every video file and poster stored here, in no particular order; other names are skipped. */
  list(): AsyncIterable<ListedObject>;
  /**
   * Gives up puts that were started (S3) or last written to (local disk) before the time `before` and never
   * finished: their parts or temporary files are removed. Resolves with how many. A put for a video that
   * isUploading says is still being uploaded (a long upload over a slow link) is left alone.
   */
  abortStaleUploads(before: number, isUploading?: (videoId: string) => boolean): Promise<number>;
  /** Rejects when the storage cannot be reached or refuses our credentials. */
  ping(signal?: AbortSignal): Promise<void>;
  /** A URL a browser can GET (with Range) the object from without us (S3 only: presigned, or the CDN's). */
  downloadUrl?(key: string): Promise<string>;
  /** The origin (`https://host:port`) of every URL downloadUrl gives, for the pages' Content-Security-Policy. */
  readonly downloadOrigin?: string;
}

/**
 * Throws a RangeError for a range no object can satisfy: negative or fractional bounds, an end before its
 * start, an empty suffix (RFC 9110 14.1.3: bytes=-0 selects nothing).
 */
export function checkRange(range: ByteRange): void {
  const isValid =
    'suffix' in range
      ? isByteCount(range.suffix) && range.suffix > 0
      : isByteCount(range.start) && (range.end === undefined || (isByteCount(range.end) && range.end >= range.start));
  if (!isValid) throw new RangeError(`Not a byte range: ${JSON.stringify(range)}`);
}

function isByteCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Passes source through, and throws a RangeError as soon as more than maxBytes have come. */
export async function* limitBytes(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw new RangeError(`The source is over ${maxBytes} bytes`);
    yield chunk;
  }
}
