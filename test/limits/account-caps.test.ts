import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createVideo, request, signUp, type JsonResponse } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { createUpload, patchBytes } from '../helpers/tus.js';
import { putRaw, RawConnection, requestHead } from '../helpers/upload.js';
import { eventually } from '../stream/held-stream.js';

const SAMPLE = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));

function assertTooMany(res: { status: number; body: any; headers?: Headers }, what: string): void {
  assert.equal(res.status, 429, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error_code, '014');
  if (res.headers) assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
}

describe('pending videos per account (MAX_PENDING_VIDEOS)', () => {
  it('refuses a video past the cap with 429 and Retry-After until one is uploaded, and counts concurrent creations', async (t) => {
    const server = await startServer({ env: { MAX_PENDING_VIDEOS: '3' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const create = (name: string): Promise<JsonResponse> => request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body: { name } });
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => create(`clip ${i}`)))).map((res) => res.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429, 429, 429]);
    assertTooMany(await create('one more'), 'a fourth pending video');
    const other = await signUp(server);
    await createVideo(server, other);

    const { body } = await request(server, 'GET', `/user/${user.name}/videos`);
    assert.equal((await putRaw(server, `/upload/${body.videos[0].id}`, SAMPLE, user.sid)).status, 201);
    assert.equal((await create('after an upload')).status, 201);
  });
});

describe('comments per account (COMMENT_RATE_PER_MIN)', () => {
  it('refuses the comment past the rate with 429 and Retry-After, concurrent ones included, and leaves other accounts alone', async (t) => {
    const server = await startServer({ env: { COMMENT_RATE_PER_MIN: '3' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const post = (sid: string, content: string): Promise<JsonResponse> => request(server, 'POST', `/videos/${video.id}/comments`, { sid, body: { content } });
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => post(user.sid, `comment ${i}`)))).map((res) => res.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429, 429, 429]);
    const refused = await post(user.sid, 'one more');
    assertTooMany(refused, 'a fourth comment within the minute');
    assert.ok(Number(refused.headers.get('retry-after')) <= 60);
    assert.equal((await post((await signUp(server)).sid, 'someone else')).status, 201);
    assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments.length, 4);
  });
});

describe('uploads at once per account (MAX_UPLOADS_PER_USER)', () => {
  it('refuses a second upload while the first receives bytes, and lets it through once the first ends or is cut off', async (t) => {
    const server = await startServer({ env: { MAX_UPLOADS_PER_USER: '1' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const [first, second, third] = [await createVideo(server, user), await createVideo(server, user), await createVideo(server, user)];
    /** An upload that has its slot: the 100 Continue goes out once the handler reads the body, after the checks. */
    const startUpload = async (videoId: string): Promise<RawConnection> => {
      const connection = await RawConnection.open(server);
      t.after(() => connection.destroy());
      await connection.write(requestHead('PUT', `/upload/${videoId}`, { 'X-Session-Id': user.sid, 'Content-Length': SAMPLE.length, Expect: '100-continue' }));
      await connection.waitForText('100 Continue');
      await connection.write(SAMPLE.subarray(0, 1000));
      return connection;
    };

    const running = await startUpload(first.id);
    assertTooMany(await putRaw(server, `/upload/${second.id}`, SAMPLE, user.sid), 'a second upload at once');
    const other = await signUp(server);
    assert.equal((await putRaw(server, `/upload/${(await createVideo(server, other)).id}`, SAMPLE, other.sid)).status, 201, 'another account');
    await running.write(SAMPLE.subarray(1000));
    assert.equal((await running.response()).status, 201);
    assert.equal((await putRaw(server, `/upload/${second.id}`, SAMPLE, user.sid)).status, 201, 'after the first one finished');

    const cutOff = await startUpload(third.id);
    assertTooMany(await putRaw(server, `/upload/${third.id}`, SAMPLE, user.sid), 'an upload while another runs');
    cutOff.destroy();
    await eventually(async () => {
      const retried = await putRaw(server, `/upload/${third.id}`, SAMPLE, user.sid);
      assert.equal(retried.status, 201, JSON.stringify(retried.body));
    });
  });

  it('counts a resumable upload\'s PATCH receiving bytes as an upload running', async (t) => {
    const server = await startServer({ env: { MAX_UPLOADS_PER_USER: '1' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const [plain, resumable] = [await createVideo(server, user), await createVideo(server, user)];
    const upload = await createUpload(server, user, resumable.id, SAMPLE.length);
    const running = await RawConnection.open(server);
    t.after(() => running.destroy());
    await running.write(requestHead('PUT', `/upload/${plain.id}`, { 'X-Session-Id': user.sid, 'Content-Length': SAMPLE.length, Expect: '100-continue' }));
    await running.waitForText('100 Continue');
    await running.write(SAMPLE.subarray(0, 1000));

    const refused = await patchBytes(server, user, upload, 0, SAMPLE);
    assertTooMany(refused, 'a PATCH while a plain upload runs');
    assert.equal(refused.headers.get('tus-resumable'), '1.0.0');
    await running.write(SAMPLE.subarray(1000));
    assert.equal((await running.response()).status, 201);
    assert.equal((await patchBytes(server, user, upload, 0, SAMPLE)).status, 204, 'after the plain upload finished');
  });
});
