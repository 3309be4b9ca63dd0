import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, signUp } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';
import { assertOnlyFinalFiles, putRaw, RawConnection, requestHead, waitUntil } from '../helpers/upload.js';

const SAMPLE = readFileSync(join(ROOT, 'test/fixtures/sample.mp4'));

describe('an upload whose client stops sending (STREAM_STALL_S=1)', () => {
  it('is cut, its temp file removed and its claim freed, so a retry is not 409', async (t) => {
    const server = await startServer({ env: { STREAM_STALL_S: '1' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await createVideo(server, user);

    const conn = await RawConnection.open(server);
    t.after(() => conn.destroy());
    await conn.write(requestHead('PUT', `/upload/${video.id}`, { 'X-Session-Id': user.sid, 'Content-Length': SAMPLE.length }));
    await conn.write(SAMPLE.subarray(0, 64 * 1024));
    await waitUntil('the temp file to appear', () => tempFiles(server.videoDir).length === 1);
    await waitUntil('the stalled connection to be cut', () => conn.isClosed, 5000);
    await waitUntil('the temp file to go', () => tempFiles(server.videoDir).length === 0);

    const retry = await putRaw(server, `/upload/${video.id}`, SAMPLE, user.sid);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.deepEqual(assertOnlyFinalFiles(server), [video.id]);
  });

  it('is not cut while bytes keep arriving, however slowly', async (t) => {
    const server = await startServer({ env: { STREAM_STALL_S: '1' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const conn = await RawConnection.open(server);
    t.after(() => conn.destroy());
    const body = SAMPLE.subarray(0, 64 * 1024);
    await conn.write(requestHead('PUT', `/upload/${video.id}`, { 'X-Session-Id': user.sid, 'Content-Length': body.length }));
    // 3 s in all, a piece every 0.4 s.
    for (let at = 0; at < body.length; at += body.length / 8) {
      await conn.write(body.subarray(at, at + body.length / 8));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assert.equal((await conn.response()).status, 201);
  });
});

function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.'));
}
