// A stream into one S3 object: cut into parts of partBytes, at most PARTS_IN_FLIGHT sent at once while the next
// gathers, each part copied once into a buffer that is reused for a later part. Memory stays near
// (PARTS_IN_FLIGHT + 1) parts whatever the size. Nothing is asked of S3 until the first part is full (a source
// that fails early, a refused type, leaves no trace); a source shorter than one part is one PutObject. On
// failure the multipart upload is aborted.
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
    const pending = new Gathered();
    for await (const chunk of limitBytes(source, options.maxBytes)) {
      upload.throwIfStopped();
      pending.push(chunk);
      while (pending.length >= options.partBytes) await upload.sendPart((part) => pending.moveInto(part, options.partBytes));
    }
    await upload.finish(pending);
    return pending.total;
  } catch (error) {
    await upload.abort();
    throw error;
  }
}

/** Chunks of the source not yet copied into a part (the source's own buffers: no copy until then). */
class Gathered {
  #chunks: Buffer[] = [];
  length = 0;
  total = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
    this.total += chunk.length;
  }

  /** Moves the first `bytes` gathered into target[0..bytes). */
  moveInto(target: Buffer, bytes: number): number {
    let filled = 0;
    while (filled < bytes) {
      const chunk = this.#chunks[0]!;
      const taken = chunk.copy(target, filled, 0, Math.min(chunk.length, bytes - filled));
      filled += taken;
      if (taken === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(taken);
    }
    this.length -= bytes;
    return bytes;
  }

  takeAll(): Buffer {
    const all = Buffer.concat(this.#chunks, this.length);
    this.#chunks = [];
    this.length = 0;
    return all;
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
  /** Part buffers whose upload has finished, ready for the next part. */
  readonly #free: Buffer[] = [];
  #failure: { error: unknown } | undefined;

  constructor(client: S3Client, key: string, options: UploadOptions) {
    this.#client = client;
    this.#key = key;
    this.#options = options;
    this.#signal = options.signal ? AbortSignal.any([options.signal, this.#stop.signal]) : this.#stop.signal;
  }

  /** Waits for room, lets fill copy the part's bytes into a buffer (it returns how many), and starts sending it. */
  async sendPart(fill: (part: Buffer) => number): Promise<void> {
    this.#uploadId ??= await this.#client.createMultipartUpload(this.#key, this.#options.contentType?.(), this.#signal);
    while (this.#inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(this.#inFlight);
    this.throwIfStopped();
    const buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#options.partBytes);
    const part = buffer.subarray(0, fill(buffer));
    const partNumber = ++this.#partsStarted;
    const sending: Promise<void> = this.#client.uploadPart(this.#key, this.#uploadId, partNumber, part, this.#signal).then(
      (etag) => {
        this.#done.push({ partNumber, etag });
        this.#inFlight.delete(sending);
        this.#free.push(buffer);
      },
      (error: unknown) => {
        // The buffer is not reused: the aborted request may not have let go of it yet.
        this.#inFlight.delete(sending);
        this.#failure ??= { error };
        this.#stop.abort(error);
      },
    );
    this.#inFlight.add(sending);
  }

  /** Sends the last part (or, when no upload was started, the whole object) and completes the upload. */
  async finish(rest: Gathered): Promise<void> {
    if (this.#uploadId === undefined) {
      await this.#client.putObject(this.#key, rest.takeAll(), this.#options.contentType?.(), this.#signal);
      return;
    }
    if (rest.length > 0) await this.sendPart((part) => rest.moveInto(part, rest.length));
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
