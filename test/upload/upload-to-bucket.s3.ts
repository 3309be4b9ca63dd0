// Uploads into a bucket (STORAGE=s3 on radosgw, 5 MiB parts) beyond what every upload test checks in both modes:
// bodies of several parts cut off or refused midway leave no object and no multipart upload, a refused type asks
// nothing of the bucket, a resumable upload ends up in the bucket, and /metrics tells of the bucket's requests.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createVideo, operatorGet, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { bucketClient, bucketOf, storedFile } from '../helpers/stored-files.js';
import { createUpload, fakeMp4, patchBytes } from '../helpers/tus.js';
import { assertOnlyFinalFiles, chunk, putRaw, RawConnection, requestHead, waitUntil } from '../helpers/upload.js';

const MIB = 1024 * 1024;
const MAX_UPLOAD_MB = 16;

let server: TestServer;
let owner: TestUser;

before(async () => {
  server = await startServer({ storage: 's3', env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) } });
  owner = await signUp(server);
});
after(() => server.close());

const multipartUploads = async () => (await bucketClient(server).listMultipartUploads(bucketOf(server)!.keys.prefix)).items;
const statusOf = async (id: string) => (await request(server, 'GET', `/user/${owner.name}/videos/${id}`)).body.status;

/** The sum of the server's moviedash_storage_requests_total samples whose labels match. */
async function storageRequests(labels = ''): Promise<number> {
  const text = (await operatorGet(server, '/metrics')).body as string;
  return text
    .split('\n')
    .filter((line) => line.startsWith('moviedash_storage_requests_total{') && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Requests that begin storing a file: a body refused on its first bytes must make none. Other requests are not
 * counted, since an earlier test's cut-off upload may still have a part or its abort on the way. */
async function storeRequests(): Promise<number> {
  return (await storageRequests('operation="PutObject"')) + (await storageRequests('operation="CreateMultipartUpload"'));
}

describe('PUT /upload/:vid-id into a bucket', () => {
  it('aborts the multipart upload of a client cut off after two parts: no object, no parts; a retry succeeds', async () => {
    const { id } = await createVideo(server, owner);
    const file = fakeMp4(14 * MIB);
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('PUT', `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Content-Length': file.length }));
    await conn.write(file.subarray(0, 11 * MIB));
    await waitUntil('the multipart upload to begin', async () => (await multipartUploads()).length === 1, 15_000);
    conn.destroy();
    await waitUntil('the multipart upload to be aborted', async () => (await multipartUploads()).length === 0, 15_000);
    assert.equal(await storedFile(server, id), undefined);
    assert.equal(await statusOf(id), 'pending');

    assert.equal((await putRaw(server, `/upload/${id}`, file, owner.sid)).status, 201);
    assert.ok((await storedFile(server, id))?.equals(file));
    await assertOnlyFinalFiles(server);
  });

  it(`answers 413 to a chunked body past MAX_UPLOAD_MB=${MAX_UPLOAD_MB} after parts went out, and leaves no parts`, async () => {
    const { id } = await createVideo(server, owner);
    const body = fakeMp4((MAX_UPLOAD_MB + 1) * MIB);
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('PUT', `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Transfer-Encoding': 'chunked' }));
    for (let at = 0; at < body.length && conn.text === ''; at += 256 * 1024) await conn.write(chunk(body.subarray(at, at + 256 * 1024)));
    const res = await conn.response(15_000);
    conn.destroy();
    assert.deepEqual([res.status, res.body.error_code], [413, '008']);
    await waitUntil('the multipart upload to be aborted', async () => (await multipartUploads()).length === 0, 15_000);
    assert.equal(await storedFile(server, id), undefined);
    await assertOnlyFinalFiles(server);
  });

  it('asks nothing of the bucket for a body that is not a video (415 on its first bytes)', async () => {
    const { id } = await createVideo(server, owner);
    const before = await storeRequests();
    const res = await putRaw(server, `/upload/${id}`, Buffer.alloc(7 * MIB, 'not a video '), owner.sid);
    assert.deepEqual([res.status, res.body.error_code], [415, '009']);
    assert.equal(await storeRequests(), before);
  });
});

describe('a resumable upload into a bucket', () => {
  it('puts its bytes together in VIDEO_DIR, then moves them into the bucket whole and removes them locally', async () => {
    const { id } = await createVideo(server, owner);
    const file = fakeMp4(6 * MIB + 123);
    const path = await createUpload(server, owner, id, file.length);
    assert.equal((await patchBytes(server, owner, path, 0, file.subarray(0, 3 * MIB))).status, 204);
    assert.equal(readdirSync(server.videoDir).filter((name) => name.endsWith('.resumable')).length, 1);
    assert.equal((await patchBytes(server, owner, path, 3 * MIB, file.subarray(3 * MIB))).status, 204);
    assert.equal(await statusOf(id), 'ready');
    assert.ok((await storedFile(server, id))?.equals(file));
    assert.deepEqual(readdirSync(server.videoDir), []);
    await assertOnlyFinalFiles(server);
  });
});

describe('/metrics with STORAGE=s3', () => {
  it('counts the bucket\'s requests by operation and status, times them, and says the bucket is up', async () => {
    const { id } = await createVideo(server, owner);
    assert.equal((await putRaw(server, `/upload/${id}`, fakeMp4(1000), owner.sid)).status, 201);
    assert.equal((await fetch(`${server.url}/videos/${id}`, { headers: { Range: 'bytes=0-99' } })).status, 206);
    assert.ok((await storageRequests('operation="PutObject",status="200"')) >= 1);
    assert.ok((await storageRequests('operation="GetObject",status="206"')) >= 1);
    const text = (await operatorGet(server, '/metrics')).body as string;
    assert.match(text, /^moviedash_storage_request_seconds_count\{operation="GetObject"\} [1-9]/m);
    assert.match(text, /^moviedash_storage_up 1$/m);
    assert.doesNotMatch(text, /^moviedash_storage_errors_total\{/m);
  });
});
