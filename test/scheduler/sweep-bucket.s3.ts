// The bucket's sweeps (STORAGE=s3 on radosgw), run in-process with a clock an hour ahead, as an object's time
// cannot be set back: objects no row names are judged like files in VIDEO_DIR, multipart uploads given up long ago
// are aborted unless their video's upload still runs, and a local file whose row names the bucket is swept.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { closeApp, createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { NO_MEDIA_INFO } from '../../src/media/media-fields.js';
import { Counter } from '../../src/metrics.js';
import { abortStaleUploadsTask, staleObjects, sweepBucketTask, type StaleObject } from '../../src/scheduler/sweep-bucket.js';
import { staleFiles } from '../../src/scheduler/sweeps.js';
import type { S3Client } from '../../src/storage/s3-client.js';
import type { S3Storage } from '../../src/storage/s3-storage.js';
import { ROOT, storageEnvOf } from '../helpers/server.js';
import { bucketClient } from '../helpers/stored-files.js';
import { chunksOf } from '../storage/storage-contract.js';

const HOUR = 60 * 60_000;
const SAMPLE_MP4 = readFileSync(join(ROOT, 'test/fixtures/sample.mp4'));
const NOW_AND_AN_HOUR = () => Date.now() + HOUR;

async function bucketApp(t: TestContext): Promise<{ app: App; bucket: S3Storage; ownerId: number; client: S3Client }> {
  const base = mkdtempSync(join(tmpdir(), 'moviedash-sweep-bucket-'));
  const dataDir = join(base, 'data');
  const storageEnv = await storageEnvOf('s3', dataDir);
  const app = await createApp(loadConfig([], { ...storageEnv, DATA_DIR: dataDir, VIDEO_DIR: join(base, 'videos') }));
  t.after(async () => {
    await closeApp(app);
    rmSync(base, { recursive: true, force: true });
  });
  const ownerId = app.store.users.insert('owner', 'not-a-hash', Date.now()).id;
  return { app, bucket: app.storages.current as S3Storage, ownerId, client: bucketClient({ storageEnv }) };
}

function addVideo(app: App, ownerId: number, status: 'pending' | 'ready'): string {
  const id = randomUUID();
  app.store.videos.insert(id, ownerId, status, Date.now());
  if (status === 'ready') app.store.videos.markReady(id, { size: 5, mime: 'video/mp4', media: NO_MEDIA_INFO });
  return id;
}

async function putObject(bucket: S3Storage, videoId: string, kind: 'video' | 'poster', bytes: Buffer = randomBytes(100)): Promise<string> {
  const key = bucket.keyOf(videoId, kind);
  await bucket.put(key, chunksOf(bytes), { maxBytes: bytes.length });
  return key;
}

describe('staleObjects()', () => {
  it('yields objects no row names once past the grace period: orphans, and unpublished uploads of pending videos', async (t) => {
    const { app, bucket, ownerId } = await bucketApp(t);
    const ready = addVideo(app, ownerId, 'ready');
    const pending = addVideo(app, ownerId, 'pending');
    const migrating = addVideo(app, ownerId, 'ready');
    const recorded = await putObject(bucket, ready, 'video');
    const stored = await bucket.stat(recorded);
    app.store.storedFiles.record({ videoId: ready, kind: 'video', storage: 's3', key: recorded, size: stored!.size, mtimeMs: stored!.mtimeMs });
    const expected = new Map<string, StaleObject['reason']>([
      [await putObject(bucket, randomUUID(), 'video'), 'orphan'],
      [await putObject(bucket, randomUUID(), 'poster'), 'orphan'],
      [await putObject(bucket, ready, 'poster'), 'orphan'],
      [await putObject(bucket, pending, 'video'), 'unpublished upload'],
      [await putObject(bucket, pending, 'poster'), 'orphan'],
    ]);
    // storage migrate has copied this one and not yet recorded it: its local file is still there.
    await putObject(bucket, migrating, 'video');
    writeFileSync(app.videoFiles.finalPath(migrating), 'local copy');

    const found = new Map<string, StaleObject['reason']>();
    for await (const object of staleObjects(app, bucket, NOW_AND_AN_HOUR())) found.set(object.key, object.reason);
    assert.deepEqual(found, expected);
    const fresh = [];
    for await (const object of staleObjects(app, bucket, Date.now())) fresh.push(object);
    assert.deepEqual(fresh, [], 'nothing within the grace period');
  });
});

describe('the sweep-bucket task', () => {
  it('removes orphans, publishes a pending video\'s object with its row, and removes one that is no video', async (t) => {
    const { app, bucket, ownerId } = await bucketApp(t);
    const orphan = await putObject(bucket, randomUUID(), 'video');
    const recovered = addVideo(app, ownerId, 'pending');
    const recoveredKey = await putObject(bucket, recovered, 'video', SAMPLE_MP4);
    const notVideo = addVideo(app, ownerId, 'pending');
    const notVideoKey = await putObject(bucket, notVideo, 'video', Buffer.from('not a video at all'));
    const task = sweepBucketTask(app, bucket, new Counter('swept', 'test'), { orphanGraceMs: 0, tempMaxAgeMs: HOUR });
    for await (const object of task.dispatch()) await task.execute(object);

    assert.equal(await bucket.stat(orphan), undefined);
    assert.equal(await bucket.stat(notVideoKey), undefined);
    assert.equal(app.store.videos.byId(notVideo)?.status, 'pending');
    const video = app.store.videos.byId(recovered)!;
    assert.deepEqual([video.status, video.size, video.mime], ['ready', SAMPLE_MP4.length, 'video/mp4']);
    assert.equal(video.media.videoCodec, 'avc1.64000d', 'its media info read from the bucket');
    assert.deepEqual(app.store.storedFiles.one(recovered, 'video')?.key, recoveredKey);
    assert.ok(await bucket.stat(recoveredKey));
  });
});

describe('the abort-stale-uploads task', () => {
  it('aborts multipart uploads started before the age limit, unless their video is being uploaded', async (t) => {
    const { app, bucket, ownerId, client } = await bucketApp(t);
    const idle = addVideo(app, ownerId, 'pending');
    const uploading = addVideo(app, ownerId, 'pending');
    assert.ok(app.store.videos.claimUpload(uploading, 'an upload', Date.now(), HOUR));
    for (const id of [idle, uploading]) await client.createMultipartUpload(bucket.keyOf(id, 'video'), undefined);
    const task = abortStaleUploadsTask(app, bucket, new Counter('swept', 'test'), { orphanGraceMs: 0, tempMaxAgeMs: -HOUR });
    for await (const item of task.dispatch()) await task.execute(item);
    const left = await client.listMultipartUploads(bucket.keys.prefix);
    assert.deepEqual(left.items.map((upload) => upload.key), [bucket.keyOf(uploading, 'video')]);
  });
});

describe('staleFiles() with STORAGE=s3', () => {
  it('sweeps a file in VIDEO_DIR whose row names the bucket (a migration stopped before removing it)', async (t) => {
    const { app, bucket, ownerId } = await bucketApp(t);
    const moved = addVideo(app, ownerId, 'ready');
    const key = await putObject(bucket, moved, 'video');
    app.store.storedFiles.record({ videoId: moved, kind: 'video', storage: 's3', key, size: 100, mtimeMs: Date.now() });
    const local = addVideo(app, ownerId, 'ready');
    for (const id of [moved, local]) writeFileSync(app.videoFiles.finalPath(id), 'bytes');
    const found = [];
    for await (const file of staleFiles(app, NOW_AND_AN_HOUR())) found.push(file);
    assert.deepEqual(found, [{ name: moved, reason: 'orphan' }]);
  });
});
