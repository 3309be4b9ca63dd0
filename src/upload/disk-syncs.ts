// fsync and fdatasync run on libuv's thread pool, where every video read waits too, and on a busy or failing
// disk one can take seconds. A quarter of the pool syncs at once (1 of the default 4 threads) and the other
// syncs wait in line: with password hashing's half, a slow disk leaves streams a quarter of the pool at least.
// Measured with every sync held 1 s (test/upload/slow-disk.slow.ts): five uploads at their fsync made a
// 128 KiB range read wait 800 ms; in line, it does not wait for them.
import type { FileHandle } from 'node:fs/promises';
import { Limiter, loadOf, NEVER_ABORTED } from '../stream/limiter.js';
import { THREAD_POOL_SIZE } from '../thread-pool.js';

const SYNC_SLOTS = Math.max(1, Math.floor(THREAD_POOL_SIZE / 4));
// The longest a timer waits (about 24.8 days): a sync waits in line for as long as the disk takes.
const WAIT_IN_LINE_MS = 2 ** 31 - 1;
const syncs = new Limiter(SYNC_SLOTS);

/** For /metrics: syncs running on the thread pool, and those waiting in line. */
export const diskSyncs = loadOf(syncs);

/** fsync of handle ('data': fdatasync, what reading the bytes back needs), in line with every other. */
export async function syncToDisk(handle: FileHandle, what: 'all' | 'data' = 'all'): Promise<void> {
  let slot = syncs.tryAcquire();
  while (!slot) slot = await syncs.acquire(NEVER_ABORTED, WAIT_IN_LINE_MS);
  try {
    await (what === 'data' ? handle.datasync() : handle.sync());
  } finally {
    slot.release();
  }
}
