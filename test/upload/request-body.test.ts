import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createVideo, signUp, type TestUser } from '../helpers/http.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { assertOnlyFinalFiles, putRaw, RawConnection, requestHead, waitUntil, waitUntilNothingUnfinished, waitUntilUploadUnderWay } from '../helpers/upload.js';

const SAMPLE = readFileSync(join(ROOT, 'test/fixtures/sample.mp4'));

describe('an upload whose client stops sending (STREAM_STALL_S=1)', () => {
  let server: TestServer;
  let user: TestUser;
  before(async () => {
    server = await startServer({ env: { STREAM_STALL_S: '1' } });
    user = await signUp(server);
  });
  after(() => server.close());

  /** A new video and a connection that has sent the head of a PUT of `length` bytes to it. */
  async function startUpload(t: TestContext, length: number): Promise<{ videoId: string; conn: RawConnection }> {
    const video = await createVideo(server, user);
    const conn = await RawConnection.open(server);
    t.after(() => conn.destroy());
    await conn.write(requestHead('PUT', `/upload/${video.id}`, { 'X-Session-Id': user.sid, 'Content-Length': length }));
    return { videoId: video.id, conn };
  }

  it('is cut, its temp file (or multipart upload) removed and its claim freed, so a retry is not 409', async (t) => {
    const { videoId, conn } = await startUpload(t, SAMPLE.length);
    await conn.write(SAMPLE.subarray(0, 64 * 1024));
    await waitUntilUploadUnderWay(server, conn);
    await waitUntil('the stalled connection to be cut', () => conn.isClosed, 5000);
    await waitUntilNothingUnfinished(server);

    const retry = await putRaw(server, `/upload/${videoId}`, SAMPLE, user.sid);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.ok((await assertOnlyFinalFiles(server)).includes(videoId));
  });

  it('is not cut while bytes keep arriving, however slowly', async (t) => {
    const body = SAMPLE.subarray(0, 64 * 1024);
    const { conn } = await startUpload(t, body.length);
    // 3 s in all, a piece every 0.4 s.
    for (let at = 0; at < body.length; at += body.length / 8) {
      await conn.write(body.subarray(at, at + body.length / 8));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assert.equal((await conn.response()).status, 201);
  });
});
