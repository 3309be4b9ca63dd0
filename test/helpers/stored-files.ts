// The video files and posters a test server has stored, wherever its STORAGE keeps them: VIDEO_DIR, or (with
// MOVIEDASH_TEST_STORAGE=s3) its bucket. Tests that looked into VIDEO_DIR ask these, and so check the same
// things of both.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { S3Client } from '../../src/storage/s3-client.js';
import { S3Storage } from '../../src/storage/s3-storage.js';
import type { TestServer } from './server.js';

export type FileKind = 'video' | 'poster';

const FINAL_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.poster)?$/;

/** The server's bucket, or undefined when it stores in VIDEO_DIR. */
export function bucketOf(server: TestServer): S3Storage | undefined {
  return server.storageEnv.STORAGE === 's3' ? new S3Storage(loadConfig([], server.storageEnv)) : undefined;
}

/** A client of the whole bucket (every prefix), for what S3Storage does not show: unfinished multipart uploads. */
export function bucketClient(server: Pick<TestServer, 'storageEnv'>): S3Client {
  const env = server.storageEnv;
  return new S3Client({
    endpoint: env.S3_ENDPOINT!,
    region: env.S3_REGION!,
    bucket: env.S3_BUCKET!,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: true,
  });
}

const localName = (videoId: string, kind: FileKind) => (kind === 'video' ? videoId : `${videoId}.poster`);

/** The bytes of the video's file or poster where the server stored it, or undefined when there is none. */
export async function storedFile(server: TestServer, videoId: string, kind: FileKind = 'video'): Promise<Buffer | undefined> {
  const bucket = bucketOf(server);
  if (!bucket) return readIfPresent(join(server.videoDir, localName(videoId, kind)));
  const stream = await bucket.read(bucket.keyOf(videoId, kind));
  return stream && Buffer.concat(await stream.toArray());
}

/** Removes the video's file or poster behind the server's back (a file lost on disk, an object lost in the bucket). */
export async function removeStoredFile(server: TestServer, videoId: string, kind: FileKind = 'video'): Promise<void> {
  const bucket = bucketOf(server);
  if (bucket) await bucket.remove(bucket.keyOf(videoId, kind));
  else rmSync(join(server.videoDir, localName(videoId, kind)));
}

/** The finished files stored, as VIDEO_DIR names them (`<uuid>`, `<uuid>.poster`): in VIDEO_DIR and in the bucket. */
export async function storedFileNames(server: TestServer): Promise<string[]> {
  const names = readdirSync(server.videoDir).filter((name) => FINAL_NAME.test(name));
  const bucket = bucketOf(server);
  if (bucket) for await (const object of bucket.list()) names.push(localName(object.ref.videoId, object.ref.kind));
  return names.sort();
}

/**
 * What an upload left unfinished: files in VIDEO_DIR that are not finished files (temp files, strays), and in the
 * bucket, multipart uploads not completed and objects outside the layout.
 */
export async function unfinishedFiles(server: TestServer): Promise<string[]> {
  const strays = readdirSync(server.videoDir).filter((name) => !FINAL_NAME.test(name));
  const bucket = bucketOf(server);
  if (bucket) {
    const client = bucketClient(server);
    const uploads = await client.listMultipartUploads(bucket.keys.prefix);
    strays.push(...uploads.items.map((upload) => `multipart upload of ${upload.key}`));
    const objects = await client.listObjects(bucket.keys.prefix);
    strays.push(...objects.items.map((object) => object.key).filter((key) => !bucket.keys.refOf(key)));
  }
  return strays;
}

/**
 * Sets the mtime the server knows its video file by (the Last-Modified it sends): the file's own in VIDEO_DIR, the
 * stored_files row's for a bucket (an object's time cannot be set).
 */
export async function setStoredMtime(server: TestServer, videoId: string, mtimeMs: number): Promise<void> {
  if (!bucketOf(server)) {
    utimesSync(join(server.videoDir, videoId), mtimeMs / 1000, mtimeMs / 1000);
    return;
  }
  const db = new Database(join(server.dataDir, 'moviedash.db'));
  try {
    db.prepare("UPDATE stored_files SET mtime_ms = ? WHERE video_id = ? AND kind = 'video'").run(mtimeMs, videoId);
  } finally {
    db.close();
  }
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
