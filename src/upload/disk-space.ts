// Room on the video disk: an upload is refused up front when its declared length would leave less than
// MIN_FREE_DISK_MB free, re-checked while its bytes stream in, and a disk that fills up anyway (ENOSPC,
// EDQUOT) is answered 507 by the error edge. Every upload path (video, poster, caption, resumable) uses this.
import { statfs } from 'node:fs/promises';
import { insufficientStorage, type HttpError } from '../http/errors.js';

const MIB = 1024 * 1024;
/** How often a streaming upload asks the filesystem again: one statfs per this many bytes costs nothing. */
export const RECHECK_EVERY_BYTES = 4 * MIB;

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function diskFull(cause: unknown): HttpError {
  return insufficientStorage("The server's disk is full: try again later", { cause });
}

/** Throws 507 (013) when writing bytes more into dir would leave less than minFreeMb free. */
export async function assertRoomFor(dir: string, bytes: number, minFreeMb: number): Promise<void> {
  const { bavail, bsize } = await statfs(dir);
  if (bavail * bsize - bytes < minFreeMb * MIB) {
    throw insufficientStorage('Not enough free disk space on the server for this upload');
  }
}

/**
 * Passes an upload's bytes through, checking every RECHECK_EVERY_BYTES that what is still to come (the
 * rest of declaredBytes; nothing more is known of a chunked body) leaves minFreeMb free.
 */
export async function* withRoomChecks(
  source: AsyncIterable<Buffer>,
  dir: string,
  declaredBytes: number | undefined,
  minFreeMb: number,
): AsyncGenerator<Buffer> {
  let received = 0;
  let checkedAt = 0;
  for await (const chunk of source) {
    received += chunk.length;
    if (received - checkedAt >= RECHECK_EVERY_BYTES) {
      checkedAt = received;
      await assertRoomFor(dir, Math.max(0, (declaredBytes ?? 0) - received), minFreeMb);
    }
    yield chunk;
  }
}
