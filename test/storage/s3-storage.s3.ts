// The S3 driver against a real S3 server (Ceph radosgw, test/s3/radosgw.sh): the storage contract, and what
// only a bucket does (presigned URLs, credentials, other people's keys, the parts of an upload).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { S3Client } from '../../src/storage/s3-client.js';
import type { S3Observation } from '../../src/storage/s3-http.js';
import { S3Error } from '../../src/storage/s3-errors.js';
import { S3Storage } from '../../src/storage/s3-storage.js';
import { bucketClient } from '../helpers/stored-files.js';
import { testRadosgw } from '../s3/radosgw.js';
import { chunksOf, describeStorageContract, MIB, readAll } from './storage-contract.js';

let radosgw: { env: Record<string, string> };
before(async () => {
  radosgw = { env: await testRadosgw() };
});

/** An S3Storage on the test server: 5 MiB parts (S3's least) keep test objects small; memstore holds them in RAM. */
function storageOn(env: Record<string, string>, observe?: (observation: S3Observation) => void): S3Storage {
  return new S3Storage(loadConfig([], { ...radosgw.env, STORAGE: 's3', S3_PART_MB: '5', S3_PREFIX: 'moviedash', ...env }), observe);
}

const rawClient = (): S3Client => bucketClient({ storageEnv: radosgw.env });

const fileDir = mkdtempSync(join(tmpdir(), 'moviedash-s3-files-'));
after(() => rmSync(fileDir, { recursive: true, force: true }));

describeStorageContract('S3Storage on radosgw', async () => ({ storage: storageOn({}), fileDir }));

describe('S3Storage on radosgw', () => {
  it('puts a 12 MiB stream as one multipart upload of three parts, then checks its size with HeadObject', async () => {
    const calls: string[] = [];
    const storage = storageOn({}, ({ operation }) => calls.push(operation));
    const key = storage.keyOf(randomUUID(), 'video');
    await storage.put(key, chunksOf(randomBytes(12 * MIB)), { maxBytes: 64 * MIB });
    assert.deepEqual(calls.sort(), ['CompleteMultipartUpload', 'CreateMultipartUpload', 'HeadObject', 'UploadPart', 'UploadPart', 'UploadPart']);
    await storage.remove(key);
  });

  it('puts a stream shorter than one part with a single PutObject', async () => {
    const calls: string[] = [];
    const storage = storageOn({}, ({ operation }) => calls.push(operation));
    const key = storage.keyOf(randomUUID(), 'poster');
    await storage.put(key, chunksOf(randomBytes(1000)), { maxBytes: 64 * MIB });
    assert.deepEqual(calls, ['PutObject', 'HeadObject']);
    await storage.remove(key);
  });

  it('asks nothing of the bucket when the source fails before the first part is full', async () => {
    const calls: string[] = [];
    const storage = storageOn({}, ({ operation }) => calls.push(operation));
    async function* refused(): AsyncGenerator<Buffer> {
      yield randomBytes(4096);
      throw new Error('not a video');
    }
    await assert.rejects(storage.put(storage.keyOf(randomUUID(), 'video'), refused(), { maxBytes: 64 * MIB }), /not a video/);
    assert.deepEqual(calls, []);
  });

  it('serves a presigned URL that fetch can GET a range of (206) with the content type given at put', async () => {
    const storage = storageOn({});
    const key = storage.keyOf(randomUUID(), 'video');
    const bytes = randomBytes(6 * MIB);
    await storage.put(key, chunksOf(bytes), { maxBytes: 64 * MIB, contentType: () => 'video/webm' });
    const url = await storage.downloadUrl(key);
    assert.match(url, /X-Amz-Expires=600&/);
    const res = await fetch(url, { headers: { Range: 'bytes=5242870-5242889' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 5242870-5242889/${bytes.length}`);
    assert.equal(res.headers.get('content-type'), 'video/webm');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(5242870, 5242890)));
    await storage.remove(key);
  });

  it('presigns for S3_PRESIGN_TTL_S seconds, and refuses a URL whose signature was changed', async () => {
    const storage = storageOn({ S3_PRESIGN_TTL_S: '30' });
    const key = storage.keyOf(randomUUID(), 'poster');
    await storage.put(key, chunksOf(randomBytes(10)), { maxBytes: 10 });
    const url = new URL(await storage.downloadUrl(key));
    assert.equal(url.searchParams.get('X-Amz-Expires'), '30');
    url.searchParams.set('X-Amz-Expires', '3000');
    assert.equal((await fetch(url)).status, 403);
    await storage.remove(key);
  });

  it('gives S3_PUBLIC_URL + key instead of a presigned URL when set', async () => {
    const storage = storageOn({ S3_PUBLIC_URL: 'https://cdn.example.com/media/' });
    const videoId = randomUUID();
    assert.equal(await storage.downloadUrl(storage.keyOf(videoId, 'video')), `https://cdn.example.com/media/moviedash/videos/${videoId}`);
  });

  it('refuses a wrong secret key with a typed error, and stores nothing', async () => {
    const storage = storageOn({ S3_SECRET_ACCESS_KEY: 'not-the-secret' });
    const denied = (error: unknown) => error instanceof S3Error && error.kind === 'denied' && error.code === 'SignatureDoesNotMatch';
    await assert.rejects(storage.ping(), denied);
    const key = storage.keyOf(randomUUID(), 'video');
    await assert.rejects(storage.put(key, chunksOf(randomBytes(6 * MIB)), { maxBytes: 64 * MIB }), denied);
    assert.equal(await storageOn({}).stat(key), undefined);
    assert.equal(await storageOn({}).abortStaleUploads(Date.now() + 60_000), 0);
  });

  it('refuses an unknown access key with a typed error', async () => {
    await assert.rejects(storageOn({ S3_ACCESS_KEY_ID: 'NOSUCHKEY' }).ping(), (error: unknown) => error instanceof S3Error && error.kind === 'denied');
  });

  it('lists and aborts only what lies under its prefix and fits its layout', async () => {
    const client = rawClient();
    const foreignKeys = ['moviedash/notes.txt', `other/videos/${randomUUID()}`, `moviedash/videos/${randomUUID()}.bak`];
    for (const key of foreignKeys) await client.putObject(key, Buffer.from('x'), undefined);
    const foreignUpload = await client.createMultipartUpload(`other/videos/${randomUUID()}`, undefined);
    const storage = storageOn({});
    for await (const object of storage.list()) assert.ok(!foreignKeys.includes(object.key), object.key);
    assert.equal(await storage.abortStaleUploads(Date.now() + 60_000), 0);
    const uploads = await client.listMultipartUploads('other/');
    assert.deepEqual(uploads.items.map((upload) => upload.uploadId), [foreignUpload]);
    await client.abortMultipartUpload(uploads.items[0]!.key, foreignUpload);
  });

  it('pages through more objects than one list answer holds', async () => {
    const storage = storageOn({ S3_PREFIX: `paging-${randomUUID()}` });
    const client = rawClient();
    const keys = Array.from({ length: 5 }, () => storage.keyOf(randomUUID(), 'poster'));
    for (const key of keys) await client.putObject(key, Buffer.from('x'), undefined);
    const pages = [];
    let next: string | undefined;
    do {
      const page = await client.listObjects(storage.keys.prefix, next, 2);
      pages.push(page.items.map((item) => item.key));
      next = page.next;
    } while (next !== undefined);
    assert.equal(pages.length, 3);
    const listed = [];
    for await (const object of storage.list()) listed.push(object.key);
    assert.deepEqual(listed.sort(), [...keys].sort());
  });
});

describe('S3Client on radosgw', () => {
  it('pages through more multipart uploads than one list answer holds', async () => {
    const client = rawClient();
    const prefix = `uploads-${randomUUID()}/`;
    const started = [];
    for (let i = 0; i < 3; i++) started.push(await client.createMultipartUpload(`${prefix}${i}`, undefined));
    const seen: string[] = [];
    const first = await client.listMultipartUploads(prefix, undefined, 2);
    seen.push(...first.items.map((upload) => upload.uploadId));
    assert.ok(first.next);
    const second = await client.listMultipartUploads(prefix, first.next, 2);
    seen.push(...second.items.map((upload) => upload.uploadId));
    assert.equal(second.next, undefined);
    assert.deepEqual(seen.sort(), started.sort());
    for (let i = 0; i < 3; i++) await client.abortMultipartUpload(`${prefix}${i}`, started[i]!);
  });

  it('reads a key with spaces and signs it right', async () => {
    const client = rawClient();
    const key = `odd keys/${randomUUID()} (1) it's +&=.txt`;
    await client.putObject(key, Buffer.from('odd'), 'text/plain');
    assert.equal((await readAll((await client.getObject(key, undefined)).body)).toString(), 'odd');
    const listed = await client.listObjects('odd keys/');
    assert.ok(listed.items.some((item) => item.key === key));
    await client.deleteObject(key);
  });
});
