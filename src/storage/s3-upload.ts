// A stream into one S3 object: cut into parts of partBytes, at most PARTS_IN_FLIGHT sent at once while the
// next fills, so memory stays at (PARTS_IN_FLIGHT + 1) parts whatever the size. Nothing is asked of S3 until
// the first part is full (a source that fails early, a refused type, leaves no trace); a source shorter than
// one part is one PutObject. On failure the multipart upload is aborted.
import type { CompletedPart, S3Client } from './s3-client.js';
import { limitBytes } from './storage.js';

/** Parts being sent at once: enough to keep a link busy between parts, few enough for a small VPS's memory. */
export const PARTS_IN_FLIGHT = 3;

export interface UploadOptions {
  partBytes: number;
  maxBytes: number;
  signal?: AbortSignal;
  contentType?: () => string;
}

/** Resolves with the bytes sent once the object is complete. */
export async function uploadStream(client: S3Client, key: string, source: AsyncIterable<Buffer>, options: UploadOptions): Promise<number> {
  const upload = new PartSender(client, key, options);
  try {
    let size = 0;
    const pending = new PartCutter(options.partBytes);
    for await (const chunk of limitBytes(source, options.maxBytes)) {
      upload.throwIfStopped();
      size += chunk.length;
      for (const part of pending.push(chunk)) await upload.send(part);
    }
    await upload.finish(pending.rest());
    return size;
  } catch (error) {
    await upload.abort();
    throw error;
  }
}

/** Gathers chunks and hands out parts of exactly partBytes, copying each byte once. */
class PartCutter {
  readonly #partBytes: number;
  #chunks: Buffer[] = [];
  #length = 0;

  constructor(partBytes: number) {
    this.#partBytes = partBytes;
  }

  *push(chunk: Buffer): Generator<Buffer> {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    while (this.#length >= this.#partBytes) {
      const whole = Buffer.concat(this.#chunks, this.#length);
      this.#chunks = [whole.subarray(this.#partBytes)];
      this.#length -= this.#partBytes;
      yield whole.subarray(0, this.#partBytes);
    }
  }

  rest(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }
}

class PartSender {
  readonly #client: S3Client;
  readonly #key: string;
  readonly #options: UploadOptions;
  /** Ends the parts in flight when one fails or the caller aborts. */
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #uploadId: string | undefined;
  #partsStarted = 0;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #done: CompletedPart[] = [];
  #failure: { error: unknown } | undefined;

  constructor(client: S3Client, key: string, options: UploadOptions) {
    this.#client = client;
    this.#key = key;
    this.#options = options;
    this.#signal = options.signal ? AbortSignal.any([options.signal, this.#stop.signal]) : this.#stop.signal;
  }

  /** Waits for room, then starts sending part. */
  async send(part: Buffer): Promise<void> {
    this.#uploadId ??= await this.#client.createMultipartUpload(this.#key, this.#options.contentType?.(), this.#signal);
    while (this.#inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(this.#inFlight);
    this.throwIfStopped();
    const partNumber = ++this.#partsStarted;
    const sending: Promise<void> = this.#client.uploadPart(this.#key, this.#uploadId, partNumber, part, this.#signal).then(
      (etag) => {
        this.#done.push({ partNumber, etag });
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#stop.abort(error);
      },
    );
    this.#inFlight.add(sending);
    void sending.finally(() => this.#inFlight.delete(sending));
  }

  /** Sends the last part (or, when no upload was started, the whole object) and completes the upload. */
  async finish(last: Buffer): Promise<void> {
    if (this.#uploadId === undefined) {
      await this.#client.putObject(this.#key, last, this.#options.contentType?.(), this.#signal);
      return;
    }
    if (last.length > 0) await this.send(last);
    await Promise.all(this.#inFlight);
    this.throwIfStopped();
    const parts = [...this.#done].sort((a, b) => a.partNumber - b.partNumber);
    await this.#client.completeMultipartUpload(this.#key, this.#uploadId, parts, this.#signal);
    this.#uploadId = undefined;
  }

  /** Stops the parts in flight and aborts the upload, if one was started and not completed. */
  async abort(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#inFlight);
    if (this.#uploadId === undefined) return;
    // If even this fails (the bucket is unreachable), the sweep's abortStaleUploads ends the upload later.
    await this.#client.abortMultipartUpload(this.#key, this.#uploadId).catch(() => {});
  }

  /** Throws the first part's failure, or the caller's abort. */
  throwIfStopped(): void {
    if (this.#failure) throw this.#failure.error;
    this.#options.signal?.throwIfAborted();
  }
}
