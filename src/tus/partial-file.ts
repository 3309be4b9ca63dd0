// A resumable upload's bytes so far, appended at explicit positions. Only the recorded offset counts: the
// file is cut back to it when opened, so bytes written after the last record (a crash, a PATCH cut off) are
// never counted twice or left torn. Writes are batched, with one batch on its way to disk while the next
// fills, and fsynced in the background as they go (`durable` says how far).
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncToDisk } from '../upload/disk-syncs.js';
import { syncPath } from '../upload/temp-file.js';

const WRITE_BATCH_BYTES = 1024 * 1024;
// Every PATCH is fsynced once it has been answered; a long one also in the background every EAGER_SYNC_BYTES,
// so that what it records mid-way is on disk. Each fsync costs a journal commit and a disk-cache flush on top
// of the bytes: syncing every 2 MiB made 64 MiB PATCHes 0.7x of a plain upload's rate on a VM disk shared with
// other writers, every 16 MiB 0.8-0.9x (bench scenario R).
const EAGER_SYNC_BYTES = 16 * 1024 * 1024;

export interface KeptBytes {
  /** Where the written bytes end (in the file, fsynced or not). */
  offset: number;
  /** The write that failed (ENOSPC, say), if one did: the bytes before it are kept all the same. */
  failure?: unknown;
}

/** The file holds fewer bytes than its upload's recorded offset: they were lost or moved away (a crash mid-publish). */
export class LostBytesError extends Error {}

export class PartialFile {
  readonly #handle: FileHandle;
  /** Bytes before this position are written. */
  #written: number;
  #batch: Buffer[] = [];
  #batchBytes = 0;
  /** Bytes handed to the write in flight and not yet written. */
  #inFlightBytes = 0;
  #writing: Promise<void> = Promise.resolve();
  /** The background fsync in flight, if any; its failure is left to the fsync of keep() to report. */
  #syncing: Promise<void> | undefined;
  /** Bytes written since the last fsync was started. */
  #unsynced = 0;
  /** Bytes before this position are written and fsynced. */
  #durable: number;

  private constructor(handle: FileHandle, offset: number) {
    this.#handle = handle;
    this.#written = offset;
    this.#durable = offset;
  }

  /** Opens (or creates, for offset 0) the file and cuts it back to offset. */
  static async open(path: string, offset: number): Promise<PartialFile> {
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    try {
      const { size } = await handle.stat();
      if (size < offset) throw new LostBytesError(`${path} holds ${size} bytes, fewer than the ${offset} recorded`);
      if (size > offset) await handle.truncate(offset);
      // A file just created: its name must survive a power cut before any offset in it is recorded.
      if (offset === 0) await syncPath(dirname(path));
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new PartialFile(handle, offset);
  }

  /** Where the bytes known to be on disk end: a crash now loses none before it. */
  get durable(): number {
    return this.#durable;
  }

  /** Every byte appended so far, written or not. */
  get end(): number {
    return this.#written + this.#inFlightBytes + this.#batchBytes;
  }

  /** Rejects with a failed earlier write; resolves once chunk is queued (waiting only while a full batch is written). */
  async append(chunk: Buffer): Promise<void> {
    this.#batch.push(chunk);
    this.#batchBytes += chunk.length;
    if (this.#batchBytes >= WRITE_BATCH_BYTES) await this.#writeBatch();
  }

  /** The first bytes of the file, up to `bytes` (everything appended is written first). */
  async readHead(bytes: number): Promise<Buffer> {
    await this.#writeBatch();
    await this.#writing;
    const head = Buffer.alloc(Math.min(bytes, this.#written));
    const { bytesRead } = await this.#handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  }

  /** Writes what is queued, without fsync. Resolves even when a write failed: the bytes before it are kept. */
  async flush(): Promise<KeptBytes> {
    try {
      await this.#writeBatch();
      await this.#writing;
      return { offset: this.#written };
    } catch (failure) {
      return { offset: this.#written, failure };
    }
  }

  /** Makes every written byte durable: waits for the background fsync, and fsyncs what it did not cover. */
  async sync(): Promise<void> {
    await this.#syncing;
    if (this.#durable < this.#written) {
      const covering = this.#written;
      this.#unsynced = 0;
      await syncToDisk(this.#handle, 'data');
      this.#durable = Math.max(this.#durable, covering);
    }
  }

  async close(): Promise<void> {
    await this.#writing.catch(() => {});
    await this.#syncing;
    await this.#handle.close();
  }

  /** Waits for the batch in flight (rethrowing its failure), then sends the queued one on its way. */
  async #writeBatch(): Promise<void> {
    await this.#writing;
    if (this.#batchBytes === 0) return;
    const buffers = this.#batch;
    this.#inFlightBytes = this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#writing = this.#writeAll(buffers);
    // Awaited by the next append, readHead or keep; until then its failure is not unhandled.
    this.#writing.catch(() => {});
  }

  async #writeAll(buffers: Buffer[]): Promise<void> {
    let pending = buffers;
    try {
      while (pending.length > 0) {
        // writev may write fewer bytes than asked (a disk filling up, more buffers than IOV_MAX): go on from there.
        const { bytesWritten } = await this.#handle.writev(pending, this.#written);
        if (bytesWritten === 0) throw new Error('writev wrote nothing');
        this.#written += bytesWritten;
        this.#inFlightBytes -= bytesWritten;
        this.#unsynced += bytesWritten;
        if (this.#unsynced >= EAGER_SYNC_BYTES && this.#syncing === undefined) this.#syncInBackground();
        pending = dropBytes(pending, bytesWritten);
      }
    } finally {
      this.#inFlightBytes = 0;
    }
  }

  #syncInBackground(): void {
    this.#unsynced = 0;
    // What was written before the fsync starts is on disk when it ends.
    const covering = this.#written;
    this.#syncing = syncToDisk(this.#handle, 'data').then(
      () => {
        this.#durable = Math.max(this.#durable, covering);
        this.#syncing = undefined;
      },
      () => (this.#syncing = undefined),
    );
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  let index = 0;
  while (index < buffers.length && left >= buffers[index]!.length) left -= buffers[index++]!.length;
  const rest = buffers.slice(index);
  if (left > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(left);
  return rest;
}
