// USER_QUOTA_MB over real sockets: the quota counts video and poster files and uploads in progress; a refused
// upload leaves no file behind and its video pending.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { createVideo, operatorGet, request, signUp, type TestUser } from '../helpers/http.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { createUpload, patchBytes, tusRequest, uploadMetadata } from '../helpers/tus.js';
import { assertOnlyFinalFiles, chunk, fileForm, postForm, putRaw, RawConnection, requestHead } from '../helpers/upload.js';

const QUOTA = 1024 * 1024;
const SAMPLE = readFileSync(`${ROOT}/test/fixtures/sample.mp4`);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A video of exactly `bytes`: the sample's header (so it sniffs as MP4) padded with random bytes. */
const videoOf = (bytes: number) => Buffer.concat([SAMPLE.subarray(0, Math.min(bytes, 4096)), randomBytes(Math.max(0, bytes - 4096))]);
const pngOf = (bytes: number) => Buffer.concat([PNG_MAGIC, randomBytes(bytes - PNG_MAGIC.length)]);

async function quotaServer(t: TestContext): Promise<TestServer> {
  const server = await startServer({ env: { USER_QUOTA_MB: String(QUOTA / (1024 * 1024)) } });
  t.after(() => server.close());
  return server;
}

async function storage(server: TestServer, user: TestUser): Promise<{ used: number; quota: number | null }> {
  const { body } = await request(server, 'GET', `/user/${user.name}`, { sid: user.sid });
  return { used: body.used_bytes, quota: body.quota_bytes };
}

async function statusOf(server: TestServer, user: TestUser, videoId: string): Promise<string> {
  return (await request(server, 'GET', `/user/${user.name}/videos/${videoId}`)).body.status;
}

function assertNoStorage(res: { status: number; body: any }, what: string): void {
  assert.equal(res.status, 507, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error_code, '013');
  assert.match(res.body.error, /quota/);
}

describe('storage quota per account (USER_QUOTA_MB)', () => {
  it('takes an upload at the limit, refuses one byte over with 507 before the body, and leaves no file', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    assert.deepEqual(await storage(server, user), { used: 0, quota: QUOTA });
    const video = await createVideo(server, user);

    const over = await RawConnection.open(server);
    t.after(() => over.destroy());
    await over.write(requestHead('PUT', `/upload/${video.id}`, { 'X-Session-Id': user.sid, 'Content-Length': QUOTA + 1, Expect: '100-continue' }));
    const refused = await over.response();
    assertNoStorage(refused, 'one byte over');
    assert.doesNotMatch(over.text, /100 Continue/, 'the body was asked for');
    assert.equal(await statusOf(server, user, video.id), 'pending');
    assert.deepEqual((await assertOnlyFinalFiles(server)), []);

    assert.equal((await putRaw(server, `/upload/${video.id}`, videoOf(QUOTA), user.sid)).status, 201);
    assert.deepEqual(await storage(server, user), { used: QUOTA, quota: QUOTA });
    const other = await signUp(server);
    assert.equal((await putRaw(server, `/upload/${(await createVideo(server, other)).id}`, videoOf(QUOTA), other.sid)).status, 201, 'another account has its own quota');

    const metrics = (await operatorGet(server, '/metrics')).body as string;
    assert.match(metrics, /^moviedash_rate_limited_total\{kind="storage"\} 1$/m);
    assert.match(metrics, new RegExp(`^moviedash_storage_used_bytes ${2 * QUOTA}$`, 'm'));
    assert.match(metrics, /^moviedash_storage_free_bytes \d+$/m);
  });

  it('cuts a body of unknown length as soon as its bytes pass the quota, and counts a form upload by its file', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    const [first, second] = [await createVideo(server, user), await createVideo(server, user)];
    const half = QUOTA / 2;
    // Exactly the half: multipart framing around the file does not count.
    assert.equal((await postForm(server, `/upload/${first.id}`, fileForm(videoOf(half)), user.sid)).status, 201);

    const conn = await RawConnection.open(server);
    t.after(() => conn.destroy());
    await conn.write(requestHead('PUT', `/upload/${second.id}`, { 'X-Session-Id': user.sid, 'Transfer-Encoding': 'chunked' }));
    // More than is left, and then nothing: the answer must come without the rest of the body.
    const body = videoOf(half + 128 * 1024);
    for (let at = 0; at < body.length; at += 64 * 1024) await conn.write(chunk(body.subarray(at, at + 64 * 1024)));
    assertNoStorage(await conn.response(), 'a chunked body past the quota');
    assert.equal(await statusOf(server, user, second.id), 'pending');
    assert.deepEqual((await assertOnlyFinalFiles(server)), [first.id]);
    assert.deepEqual(await storage(server, user), { used: half, quota: QUOTA });

    assert.equal((await putRaw(server, `/upload/${second.id}`, videoOf(half), user.sid)).status, 201, 'what is left still fits');
  });

  it('counts posters, and a poster that replaces another only by the difference', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const poster = (bytes: number) => putRaw(server, `/upload/${video.id}/poster`, pngOf(bytes), user.sid);
    assert.equal((await putRaw(server, `/upload/${video.id}`, videoOf(QUOTA - 2000), user.sid)).status, 201);
    assert.equal((await poster(1500)).status, 201);
    assert.equal((await poster(2000)).status, 201, 'replacing 1500 bytes with 2000 fits exactly');
    assert.deepEqual(await storage(server, user), { used: QUOTA, quota: QUOTA });
    assertNoStorage(await poster(2001), 'a poster one byte over');
    assert.equal((await storedFile(server, video.id, 'poster'))?.length, 2000, 'the poster in place is kept');
    assert.deepEqual((await assertOnlyFinalFiles(server)).sort(), [video.id, `${video.id}.poster`].sort());
  });

  it('frees an account\'s bytes when one of its videos is deleted', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    const video = await createVideo(server, user);
    assert.equal((await putRaw(server, `/upload/${video.id}`, videoOf(QUOTA), user.sid)).status, 201);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${video.id}`, { sid: user.sid })).status, 204);
    assert.deepEqual(await storage(server, user), { used: 0, quota: QUOTA });
    assert.equal((await putRaw(server, `/upload/${(await createVideo(server, user)).id}`, videoOf(QUOTA), user.sid)).status, 201);
  });

  it('counts a resumable upload by its Upload-Length from creation: 507 for one that does not fit, and its bytes once ready', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    const [first, second] = [await createVideo(server, user), await createVideo(server, user)];
    const upload = await createUpload(server, user, first.id, QUOTA / 2);
    assert.deepEqual(await storage(server, user), { used: QUOTA / 2, quota: QUOTA }, 'an unfinished upload holds its length');
    const tooBig = await tusRequest(server, 'POST', '/tus', {
      sid: user.sid,
      headers: { 'Upload-Length': String(QUOTA / 2 + 1), 'Upload-Metadata': uploadMetadata({ video_id: second.id }) },
    });
    assertNoStorage(tooBig, 'a second upload one byte over');
    assert.equal(tooBig.headers.get('tus-resumable'), '1.0.0');
    assertNoStorage(await putRaw(server, `/upload/${second.id}`, videoOf(QUOTA / 2 + 1), user.sid), 'a plain upload beside it');

    assert.equal((await patchBytes(server, user, upload, 0, videoOf(QUOTA / 2))).status, 204);
    assert.equal(await statusOf(server, user, first.id), 'ready');
    assert.deepEqual(await storage(server, user), { used: QUOTA / 2, quota: QUOTA }, 'counted once: by the file, not the upload too');
    assert.equal((await createUpload(server, user, second.id, QUOTA / 2)).startsWith('/tus/'), true, 'what is left still fits');
  });

  it('counts caption text, and a language replaced only by the difference', async (t) => {
    const server = await quotaServer(t);
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const vtt = (text: string) => Buffer.from(`WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${text}\n`);
    const captions = (text: string) => putRaw(server, `/upload/${video.id}/captions/en`, vtt(text), user.sid);
    const small = vtt('Hello').length;
    assert.equal((await putRaw(server, `/upload/${video.id}`, videoOf(QUOTA - small - 10), user.sid)).status, 201);
    assert.equal((await captions('Hello')).status, 201);
    assert.deepEqual(await storage(server, user), { used: QUOTA - 10, quota: QUOTA });
    assert.equal((await captions('Hello, world!')).status, 201, 'eight more bytes in place of the old text fit');
    assertNoStorage(await captions('Hello, world, and more'), 'captions past the quota');
    assert.deepEqual(await storage(server, user), { used: QUOTA - 2, quota: QUOTA }, 'the text in place is kept');
  });
});
