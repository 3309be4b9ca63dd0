// One contract for every storage driver, run against the local disk (local-storage.test.ts) and a real S3
// server, Ceph's radosgw (s3-storage.s3.ts): what the rest of moviedash may rely on, whichever is configured.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Readable } from 'node:stream';
import type { ByteRange, Storage } from '../../src/storage/storage.js';

export const MIB = 1024 * 1024;
/** Larger than two parts of S3_PART_MB=5 (the suite runs S3 with 5 MiB parts). */
const LARGE_BYTES = 12 * MIB + 12345;
const LIMIT = 64 * MIB;
const HOUR_MS = 60 * 60_000;

export interface ContractSetup {
  storage: Storage;
  /** Where a complete file for putFile may lie (VIDEO_DIR for the local disk, which renames it into place). */
  fileDir: string;
}

export async function* chunksOf(bytes: Buffer, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

/** The first bytes of `bytes`, then a stop: resolves `asked` when the storage wants more, then throws `failure`. */
function sourceCutAfter(bytes: Buffer, failure: Error): { source: AsyncGenerator<Buffer>; asked: Promise<void>; cut: () => void } {
  let markAsked!: () => void;
  let cut!: () => void;
  const asked = new Promise<void>((resolve) => (markAsked = resolve));
  const cutNow = new Promise<void>((resolve) => (cut = resolve));
  async function* source(): AsyncGenerator<Buffer> {
    yield* chunksOf(bytes);
    markAsked();
    await cutNow;
    throw failure;
  }
  return { source: source(), asked, cut };
}

export async function readAll(stream: Readable | undefined): Promise<Buffer> {
  assert.ok(stream, 'expected an object');
  return Buffer.concat(await stream.toArray());
}

export function describeStorageContract(name: string, setUp: () => Promise<ContractSetup>): void {
  describe(`${name}: the storage contract`, () => {
    let storage: Storage;
    let fileDir: string;
    const small = randomBytes(100_000);
    let smallKey: string;

    before(async () => {
      ({ storage, fileDir } = await setUp());
      smallKey = storage.keyOf(randomUUID(), 'video');
      await storage.put(smallKey, chunksOf(small), { maxBytes: LIMIT });
    });

    it('reports the size and a recent mtime of what was put', async () => {
      const stat = await storage.stat(smallKey);
      assert.equal(stat?.size, small.length);
      assert.ok(Math.abs(Date.now() - stat.mtimeMs) < HOUR_MS, `mtime ${stat.mtimeMs}`);
    });

    it('reads back the whole object byte for byte', async () => {
      assert.ok((await readAll(await storage.read(smallKey))).equals(small));
    });

    const ranges: { what: string; range: ByteRange; start: number; end: number }[] = [
      { what: 'bytes 0-0', range: { start: 0, end: 0 }, start: 0, end: 0 },
      { what: 'a middle range', range: { start: 1000, end: 54321 }, start: 1000, end: 54321 },
      { what: 'an open end', range: { start: 99_000 }, start: 99_000, end: 99_999 },
      { what: 'an end past the size (clamped)', range: { start: 99_990, end: 5_000_000 }, start: 99_990, end: 99_999 },
      { what: 'the last 500 bytes', range: { suffix: 500 }, start: 99_500, end: 99_999 },
      { what: 'a suffix longer than the object (all of it)', range: { suffix: 200_000 }, start: 0, end: 99_999 },
    ];
    for (const { what, range, start, end } of ranges) {
      it(`reads ${what} byte for byte`, async () => {
        assert.ok((await readAll(await storage.read(smallKey, range))).equals(small.subarray(start, end + 1)));
      });
    }

    const unsatisfiable: { what: string; range: ByteRange }[] = [
      { what: 'a start at the size', range: { start: 100_000 } },
      { what: 'a start past the size', range: { start: 100_001, end: 100_010 } },
      { what: 'an empty suffix', range: { suffix: 0 } },
      { what: 'an end before the start', range: { start: 10, end: 9 } },
      { what: 'a negative start', range: { start: -1 } },
    ];
    for (const { what, range } of unsatisfiable) {
      it(`rejects ${what} with a RangeError`, async () => {
        await assert.rejects(storage.read(smallKey, range), RangeError);
      });
    }

    it('answers undefined for a key that holds nothing', async () => {
      const key = storage.keyOf(randomUUID(), 'poster');
      assert.equal(await storage.stat(key), undefined);
      assert.equal(await storage.read(key), undefined);
      assert.equal(await storage.read(key, { start: 0, end: 10 }), undefined);
    });

    it('ends a read when its signal aborts', async () => {
      const controller = new AbortController();
      const stream = await storage.read(smallKey, undefined, controller.signal);
      assert.ok(stream);
      controller.abort();
      await assert.rejects(readAll(stream), { name: 'AbortError' });
    });

    it('stores an object of more than two parts byte for byte, and reads a range across parts', async () => {
      const large = randomBytes(LARGE_BYTES);
      const key = storage.keyOf(randomUUID(), 'video');
      const stored = await storage.put(key, chunksOf(large), { maxBytes: LIMIT });
      assert.equal(stored.size, large.length);
      assert.ok((await readAll(await storage.read(key))).equals(large));
      const across = { start: 5 * MIB - 10, end: 10 * MIB + 10 };
      assert.ok((await readAll(await storage.read(key, across))).equals(large.subarray(across.start, across.end + 1)));
      await storage.remove(key);
    });

    const cutOffs = [
      { what: 'the source fails after one byte', bytes: 1 },
      { what: 'the source fails within the first part', bytes: 2 * MIB },
      { what: 'the source fails after more than a part', bytes: 6 * MIB },
    ];
    for (const { what, bytes } of cutOffs) {
      it(`leaves no object and no unfinished upload when ${what}`, async () => {
        const key = storage.keyOf(randomUUID(), 'video');
        const { source, cut } = sourceCutAfter(randomBytes(bytes), new Error('client went away'));
        cut();
        await assert.rejects(storage.put(key, source, { maxBytes: LIMIT }), /client went away/);
        assert.equal(await storage.stat(key), undefined);
        assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 0);
      });
    }

    it('leaves no object and no unfinished upload when its signal aborts midway', async () => {
      const key = storage.keyOf(randomUUID(), 'video');
      const controller = new AbortController();
      const { source, asked, cut } = sourceCutAfter(randomBytes(6 * MIB), new Error('not reached'));
      const putting = storage.put(key, source, { maxBytes: LIMIT, signal: controller.signal });
      await asked;
      controller.abort();
      cut();
      await assert.rejects(putting);
      assert.equal(await storage.stat(key), undefined);
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 0);
    });

    it('refuses a source over maxBytes with a RangeError and stores nothing', async () => {
      const key = storage.keyOf(randomUUID(), 'video');
      await assert.rejects(storage.put(key, chunksOf(randomBytes(6 * MIB)), { maxBytes: 5 * MIB + 1 }), RangeError);
      assert.equal(await storage.stat(key), undefined);
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 0);
    });

    it('keeps the object a key held when a put over it fails, and replaces it whole when one succeeds', async () => {
      const key = storage.keyOf(randomUUID(), 'poster');
      const first = randomBytes(1000);
      await storage.put(key, chunksOf(first), { maxBytes: LIMIT });
      const { source, cut } = sourceCutAfter(randomBytes(2000), new Error('cut'));
      cut();
      await assert.rejects(storage.put(key, source, { maxBytes: LIMIT }), /cut/);
      assert.ok((await readAll(await storage.read(key))).equals(first));
      const second = randomBytes(500);
      assert.equal((await storage.put(key, chunksOf(second), { maxBytes: LIMIT })).size, 500);
      assert.ok((await readAll(await storage.read(key))).equals(second));
      await storage.remove(key);
    });

    it('aborts an unfinished upload started before the given time, and only those', async () => {
      const key = storage.keyOf(randomUUID(), 'video');
      const { source, asked, cut } = sourceCutAfter(randomBytes(6 * MIB), new Error('cut'));
      const putting = storage.put(key, source, { maxBytes: LIMIT });
      putting.catch(() => {});
      await asked;
      assert.equal(await storage.abortStaleUploads(Date.now() - HOUR_MS), 0);
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 1);
      cut();
      await assert.rejects(putting);
      assert.equal(await storage.stat(key), undefined);
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 0);
    });

    it('moves a complete file into an object of more than two parts with putFile: the file is gone after', async () => {
      const videoId = randomUUID();
      const bytes = randomBytes(LARGE_BYTES);
      const path = join(fileDir, `.${videoId}.${randomBytes(16).toString('hex')}.resumable`);
      writeFileSync(path, bytes);
      const key = storage.keyOf(videoId, 'video');
      assert.equal((await storage.putFile(key, path, { contentType: 'video/mp4' })).size, bytes.length);
      assert.equal(existsSync(path), false);
      assert.ok((await readAll(await storage.read(key))).equals(bytes));
      await storage.remove(key);
    });

    it('leaves the unfinished upload of a video that is still being uploaded, however old', async () => {
      const videoId = randomUUID();
      const key = storage.keyOf(videoId, 'video');
      const { source, asked, cut } = sourceCutAfter(randomBytes(6 * MIB), new Error('cut'));
      const putting = storage.put(key, source, { maxBytes: LIMIT });
      putting.catch(() => {});
      await asked;
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS, (id) => id === videoId), 0);
      cut();
      await assert.rejects(putting);
      assert.equal(await storage.abortStaleUploads(Date.now() + HOUR_MS), 0);
    });

    it('removes an object, and counts a key that holds nothing as removed', async () => {
      const key = storage.keyOf(randomUUID(), 'video');
      await storage.put(key, chunksOf(small), { maxBytes: LIMIT });
      await storage.remove(key);
      assert.equal(await storage.stat(key), undefined);
      await storage.remove(key);
      await storage.remove(storage.keyOf(randomUUID(), 'poster'));
    });

    it('lists every video file and poster with its kind, size and mtime', async () => {
      const videoId = randomUUID();
      const keys = { video: storage.keyOf(videoId, 'video'), poster: storage.keyOf(videoId, 'poster') };
      await storage.put(keys.video, chunksOf(small.subarray(0, 300)), { maxBytes: LIMIT });
      await storage.put(keys.poster, chunksOf(small.subarray(0, 200)), { maxBytes: LIMIT });
      const listed = [];
      for await (const object of storage.list()) if (object.ref.videoId === videoId) listed.push(object);
      listed.sort((a, b) => a.ref.kind.localeCompare(b.ref.kind));
      assert.deepEqual(
        listed.map(({ key, ref, size }) => ({ key, ref, size })),
        [
          { key: keys.poster, ref: { videoId, kind: 'poster' }, size: 200 },
          { key: keys.video, ref: { videoId, kind: 'video' }, size: 300 },
        ],
      );
      for (const object of listed) assert.ok(Math.abs(Date.now() - object.mtimeMs) < HOUR_MS);
      await storage.remove(keys.video);
      await storage.remove(keys.poster);
    });

    it('makes keys only from video ids', () => {
      assert.throws(() => storage.keyOf('../../etc/passwd', 'video'), TypeError);
      assert.notEqual(storage.keyOf(randomUUID(), 'video'), storage.keyOf(randomUUID(), 'video'));
    });

    it('answers a ping', async () => {
      await storage.ping();
    });
  });
}
