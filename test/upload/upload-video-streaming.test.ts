// Uploads as streams over raw sockets: cut off midway, chunked past the limit, two at once, Expect: 100-continue.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { assertOnlyFinalFiles, chunk, putRaw, RawConnection, requestHead, waitUntil, waitUntilNothingUnfinished, waitUntilUploadUnderWay } from '../helpers/upload.js';

const SAMPLE_MP4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
const BOUNDARY = 'streaming-test-boundary';
const FORM_HEAD = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n`);
const FORM_TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const MAX_UPLOAD_MB = 1;

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;

before(async () => {
  server = await startServer({ env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) } });
  owner = await signUp(server);
  stranger = await signUp(server);
});
after(() => server.close());

async function freshVideoId(): Promise<string> {
  return (await createVideo(server, owner)).id;
}

async function statusOf(id: string): Promise<string> {
  return (await request(server, 'GET', `/user/${owner.name}/videos/${id}`)).body.status;
}

/** The two bodies an upload can have: the raw file (PUT) or the file inside a form (POST). */
const WAYS: { method: string; body: Buffer; headers: Record<string, string> }[] = [
  { method: 'PUT', body: SAMPLE_MP4, headers: {} },
  {
    method: 'POST',
    body: Buffer.concat([FORM_HEAD, SAMPLE_MP4, FORM_TAIL]),
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
  },
];

/** Sends the head with Expect: 100-continue and waits for the 100: the upload has passed its checks and holds the claim. */
async function startUpload(method: string, id: string, body: Buffer, headers: Record<string, string>): Promise<RawConnection> {
  const conn = await RawConnection.open(server);
  const head = { 'X-Session-Id': owner.sid, 'Content-Length': body.length, Expect: '100-continue', ...headers };
  await conn.write(requestHead(method, `/upload/${id}`, head));
  await conn.waitForText('HTTP/1.1 100 Continue\r\n\r\n');
  return conn;
}

for (const { method, body, headers } of WAYS) {
  describe(`${method} /upload/:vid-id as a stream`, () => {
    it('leaves nothing unfinished (no temp file, no multipart upload) and keeps the video pending when the client is cut off midway; a retry succeeds', async () => {
      const id = await freshVideoId();
      const conn = await startUpload(method, id, body, headers);
      await conn.write(body.subarray(0, body.length / 2));
      await waitUntilUploadUnderWay(server, conn);
      conn.destroy();
      await waitUntilNothingUnfinished(server);
      assert.equal(await statusOf(id), 'pending');
      await assertOnlyFinalFiles(server);

      const retry = await startUpload(method, id, body, headers);
      await retry.write(body);
      assert.equal((await retry.response()).status, 201);
      retry.destroy();
      assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
    });

    it('answers 201 to a retry sent the moment the client cut its first upload off', async () => {
      const id = await freshVideoId();
      const first = await startUpload(method, id, body, headers);
      await first.write(body.subarray(0, body.length / 2));
      await waitUntilUploadUnderWay(server, first);
      // Connected beforehand, so the retry reaches the server right behind the first connection's close.
      const retry = await RawConnection.open(server);
      first.destroy();
      await retry.write(Buffer.concat([Buffer.from(requestHead(method, `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Content-Length': body.length, ...headers })), body]));
      assert.equal((await retry.response()).status, 201);
      retry.destroy();
      assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
    });

    it('answers 409 to a second upload while the first runs, and the first completes', async () => {
      const id = await freshVideoId();
      const first = await startUpload(method, id, body, headers);
      const second = await putRaw(server, `/upload/${id}`, randomVideo(1000), owner.sid);
      assert.equal(second.status, 409);
      assert.equal(second.body.error_code, '007');
      await first.write(body);
      assert.equal((await first.response()).status, 201);
      first.destroy();
      assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
      await assertOnlyFinalFiles(server);
    });

    it('answers 404 and keeps no file when the video is deleted while its upload runs', async () => {
      const id = await freshVideoId();
      const conn = await startUpload(method, id, body, headers);
      const deleted = await request(server, 'DELETE', `/user/${owner.name}/videos/${id}`, { sid: owner.sid });
      assert.equal(deleted.status, 204);
      await conn.write(body);
      const res = await conn.response();
      conn.destroy();
      assert.equal(res.status, 404);
      assert.ok(!(await assertOnlyFinalFiles(server)).includes(id));
    });

    it(`answers 413 while counting a chunked body (no Content-Length) over MAX_UPLOAD_MB=${MAX_UPLOAD_MB}`, async () => {
      const id = await freshVideoId();
      const conn = await RawConnection.open(server);
      await conn.write(requestHead(method, `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Transfer-Encoding': 'chunked', ...headers }));
      const big = randomVideo(MAX_UPLOAD_MB * 1024 * 1024 + 100_000);
      const framed = method === 'POST' ? Buffer.concat([FORM_HEAD, big, FORM_TAIL]) : big;
      for (let at = 0; at < framed.length && conn.text === ''; at += 64 * 1024) await conn.write(chunk(framed.subarray(at, at + 64 * 1024)));
      const res = await conn.response();
      conn.destroy();
      assert.equal(res.status, 413);
      assert.equal(res.body.error_code, '008');
      assert.equal(await statusOf(id), 'pending');
      await assertOnlyFinalFiles(server);
    });

    it('answers a good upload with Expect: 100-continue with 100 Continue first, then 201', async () => {
      const id = await freshVideoId();
      const conn = await startUpload(method, id, body, headers);
      assert.match(conn.text, /^HTTP\/1\.1 100 Continue\r\n\r\n$/);
      await conn.write(body);
      const res = await conn.response();
      conn.destroy();
      assert.equal(res.status, 201);
      assert.equal(res.body.size, SAMPLE_MP4.length);
    });
  });
}

describe('PUT /upload/:vid-id with Expect: 100-continue', () => {
  const refused = [
    { what: "another user's video", status: 403, sid: () => stranger.sid, length: 1000 },
    { what: 'no session', status: 401, sid: () => '', length: 1000 },
    { what: `a Content-Length over MAX_UPLOAD_MB=${MAX_UPLOAD_MB}`, status: 413, sid: () => owner.sid, length: 2 * 1024 * 1024 },
  ];
  for (const { what, status, sid, length } of refused) {
    it(`answers ${status} for ${what} without a 100 and without the body, then closes`, async () => {
      const id = await freshVideoId();
      const conn = await RawConnection.open(server);
      const session: Record<string, string> = sid() === '' ? {} : { 'X-Session-Id': sid() };
      await conn.write(requestHead('PUT', `/upload/${id}`, { ...session, 'Content-Length': length, Expect: '100-continue' }));
      const res = await conn.response();
      assert.equal(res.status, status);
      assert.doesNotMatch(conn.text, /100 Continue/);
      assert.match(res.head, /\r\nConnection: close/i);
      await waitUntil('the server closes the connection', () => conn.isClosed);
      assert.equal(await statusOf(id), 'pending');
    });
  }

  it('answers 409 without a 100 once the video is ready', async () => {
    const id = await freshVideoId();
    assert.equal((await putRaw(server, `/upload/${id}`, SAMPLE_MP4, owner.sid)).status, 201);
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('PUT', `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Content-Length': 1000, Expect: '100-continue' }));
    const res = await conn.response();
    conn.destroy();
    assert.equal(res.status, 409);
    assert.doesNotMatch(conn.text, /100 Continue/);
  });
});

describe('PUT /upload/:vid-id, two uploads at once', () => {
  it('lets exactly one of two simultaneous uploads win, with a whole file', async () => {
    const id = await freshVideoId();
    const other = randomVideo(SAMPLE_MP4.length);
    const results = await Promise.all([
      putRaw(server, `/upload/${id}`, SAMPLE_MP4, owner.sid),
      putRaw(server, `/upload/${id}`, other, owner.sid),
    ]);
    assert.deepEqual(results.map((res) => res.status).sort(), [201, 409]);
    const winner = results[0]!.status === 201 ? SAMPLE_MP4 : other;
    assert.deepEqual(await storedFile(server, id), winner);
    await assertOnlyFinalFiles(server);
  });
});

describe('PUT /upload/:vid-id across processes (WORKERS>1 share one database)', () => {
  it('answers 409 from a second server process while the first holds the upload', async (t) => {
    const second = await startServer({ dataDir: server.dataDir, videoDir: server.videoDir, env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) } });
    t.after(() => second.close());
    const id = await freshVideoId();
    const first = await startUpload('PUT', id, SAMPLE_MP4, {});
    const other = await putRaw(second, `/upload/${id}`, SAMPLE_MP4, owner.sid);
    assert.equal(other.status, 409);
    await first.write(SAMPLE_MP4);
    assert.equal((await first.response()).status, 201);
    first.destroy();
    assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
  });
});

/** An MP4 header followed by random bytes: passes the type check, fails nothing else. */
function randomVideo(size: number): Buffer {
  const head = SAMPLE_MP4.subarray(0, 32);
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}
