// GET /videos/:vid-id for videos in a bucket (STORAGE=s3 on radosgw) with S3_DELIVERY=redirect: 302 to a URL the
// bucket serves ranges from, after the same checks as ever, so the bytes never pass through the server. (Proxy
// mode runs every stream test in `npm run test:s3`.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { putRaw } from '../helpers/upload.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const FIXTURE = readFileSync(MP4);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('GET /videos/:vid-id with S3_DELIVERY=redirect', () => {
  let server: TestServer;
  let user: TestUser;
  let videoId: string;
  before(async () => {
    server = await startServer({ storage: 's3', env: { S3_DELIVERY: 'redirect', S3_PRESIGN_TTL_S: '120' } });
    user = await signUp(server);
    videoId = await seedReadyVideo(server, user, MP4, 'video/mp4');
  });
  after(() => server.close());

  it('answers 302 to a presigned URL, and a ranged GET on that URL gets 206 with the bytes from the bucket', async () => {
    const res = await fetch(`${server.url}/videos/${videoId}`, { redirect: 'manual', headers: { Range: 'bytes=100-1123' } });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    assert.ok(res.headers.get('x-request-id'));
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.origin, server.storageEnv.S3_ENDPOINT);
    assert.equal(location.searchParams.get('X-Amz-Expires'), '120');

    const ranged = await fetch(location, { headers: { Range: 'bytes=100-1123' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes 100-1123/${FIXTURE.length}`);
    assert.equal(ranged.headers.get('content-type'), 'video/mp4');
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(FIXTURE.subarray(100, 1124)));
  });

  it('is followed by a player (fetch) to the suffix it asked for', async () => {
    const res = await fetch(`${server.url}/videos/${videoId}`, { headers: { Range: 'bytes=-500' } });
    assert.equal(res.status, 206);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(FIXTURE.subarray(FIXTURE.length - 500)));
  });

  it('answers HEAD with the same redirect', async () => {
    const res = await fetch(`${server.url}/videos/${videoId}`, { method: 'HEAD', redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location')!, /X-Amz-Signature=/);
  });

  it('answers 404 at once for an unknown video, a pending one, and a deleted one whose object is still in the bucket', async () => {
    const pending = await createVideo(server, user);
    const deleted = await seedReadyVideo(server, user, MP4, 'video/mp4');
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${deleted}`, { sid: user.sid })).status, 204);
    assert.ok(await storedFile(server, deleted), 'the deletion task has not run yet');
    for (const id of ['00000000-0000-4000-8000-000000000000', pending.id, deleted]) {
      const res = await request(server, 'GET', `/videos/${id}`);
      assert.deepEqual([res.status, res.body], [404, { error: 'No such video', error_code: '006' }]);
    }
  });

  it('proxies posters all the same (small, and revalidated with their ETag)', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    assert.equal((await putRaw(server, `/upload/${id}/poster`, PNG, user.sid)).status, 201);
    const res = await fetch(`${server.url}/videos/${id}/poster`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG));
    const again = await fetch(`${server.url}/videos/${id}/poster`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });
});

describe('GET /videos/:vid-id with S3_DELIVERY=redirect and S3_PUBLIC_URL', () => {
  it('answers 302 to S3_PUBLIC_URL followed by the key (a CDN in front of the bucket)', async (t) => {
    const server = await startServer({ storage: 's3', env: { S3_DELIVERY: 'redirect', S3_PUBLIC_URL: 'https://cdn.example.com/media/' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    const res = await fetch(`${server.url}/videos/${id}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `https://cdn.example.com/media/${server.storageEnv.S3_PREFIX}/videos/${id}`);
  });
});

describe('GET /videos/:vid-id with S3_DELIVERY=proxy', () => {
  it('sends ranges and whole files from the bucket with nothing on stderr (no MaxListenersExceededWarning per stream)', async (t) => {
    const server = await startServer({ storage: 's3' });
    t.after(() => server.close());
    const id = await seedReadyVideo(server, await signUp(server), MP4, 'video/mp4');
    const ranged = await fetch(`${server.url}/videos/${id}`, { headers: { Range: 'bytes=100-1123' } });
    assert.equal(ranged.status, 206);
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(FIXTURE.subarray(100, 1124)));
    const whole = await fetch(`${server.url}/videos/${id}`);
    assert.equal(whole.status, 200);
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(FIXTURE));
    assert.equal(server.stderr(), '');
  });
});
