import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { assertOnlyFinalFiles, fileForm, postForm, putRaw, RawConnection, requestHead, type UploadResponse } from '../helpers/upload.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixturePath = (name: string) => new URL(name, FIXTURES).pathname;
const SAMPLE_MP4 = readFileSync(fixturePath('sample.mp4'));
const SAMPLE_WEBM = readFileSync(fixturePath('sample.webm'));
const NOT_A_VIDEO = readFileSync(fixturePath('not-a-video.mp4'));
const TRUNCATED_MP4 = readFileSync(fixturePath('truncated.mp4'));
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

async function videoJson(id: string): Promise<any> {
  const res = await request(server, 'GET', `/user/${owner.name}/videos/${id}`);
  assert.equal(res.status, 200);
  return res.body;
}

function assertError(res: UploadResponse, status: number, code: string, mentions?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error_code, code);
  if (mentions) assert.match(res.body.error, new RegExp(mentions));
}

/** After a refused upload: the video is still pending, and VIDEO_DIR holds no file for it. */
async function assertNothingKept(id: string): Promise<void> {
  assert.equal((await videoJson(id)).status, 'pending');
  assert.ok(!(await assertOnlyFinalFiles(server)).includes(id));
}

const WAYS = [
  { method: 'PUT', send: (id: string, file: Buffer, sid?: string) => putRaw(server, `/upload/${id}`, file, sid) },
  { method: 'POST', send: (id: string, file: Buffer, sid?: string) => postForm(server, `/upload/${id}`, fileForm(file), sid) },
];

for (const { method, send } of WAYS) {
  describe(`${method} /upload/:vid-id`, () => {
    for (const { name, file, mime } of [
      { name: 'sample.mp4', file: SAMPLE_MP4, mime: 'video/mp4' },
      { name: 'sample.webm', file: SAMPLE_WEBM, mime: 'video/webm' },
    ]) {
      it(`answers 201 and makes the video ready with size and mime for ${name}, stored byte for byte`, async () => {
        const id = await freshVideoId();
        const res = await send(id, file, owner.sid);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.deepEqual(res.body, { id, size: file.length, mime });
        const video = await videoJson(id);
        assert.deepEqual([video.status, video.size, video.mime], ['ready', file.length, mime]);
        assert.deepEqual(await storedFile(server, id), file);
        await assertOnlyFinalFiles(server);
      });
    }

    it('accepts truncated.mp4 (a valid MP4 header, cut short): only the magic bytes are checked', async () => {
      const id = await freshVideoId();
      const res = await send(id, TRUNCATED_MP4, owner.sid);
      assert.deepEqual(res.body, { id, size: TRUNCATED_MP4.length, mime: 'video/mp4' });
    });

    it('answers 401 without a session', async () => {
      const id = await freshVideoId();
      assertError(await send(id, SAMPLE_MP4), 401, '002');
      await assertNothingKept(id);
    });

    it('answers 404 for an unknown video', async () => {
      assertError(await send('00000000-0000-4000-8000-000000000000', SAMPLE_MP4, owner.sid), 404, '006');
      assertError(await send('not-a-uuid', SAMPLE_MP4, owner.sid), 404, '006');
    });

    it("answers 403 for another user's video", async () => {
      const id = await freshVideoId();
      assertError(await send(id, SAMPLE_MP4, stranger.sid), 403, '005');
      await assertNothingKept(id);
    });

    it('answers 409 to a second upload once the video is ready, keeping the first file', async () => {
      const id = await freshVideoId();
      assert.equal((await send(id, SAMPLE_MP4, owner.sid)).status, 201);
      assertError(await send(id, SAMPLE_WEBM, owner.sid), 409, '007');
      assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
      assert.equal((await videoJson(id)).mime, 'video/mp4');
    });

    it('answers 415 for not-a-video.mp4 and keeps nothing', async () => {
      const id = await freshVideoId();
      assertError(await send(id, NOT_A_VIDEO, owner.sid), 415, '009');
      await assertNothingKept(id);
    });

    it('answers 400 naming file for an empty file', async () => {
      const id = await freshVideoId();
      assertError(await send(id, Buffer.alloc(0), owner.sid), 400, '011', 'file');
      await assertNothingKept(id);
    });

    it(`answers 413 for a file over MAX_UPLOAD_MB=${MAX_UPLOAD_MB} and keeps nothing`, async () => {
      const id = await freshVideoId();
      const big = Buffer.concat([SAMPLE_MP4, Buffer.alloc(MAX_UPLOAD_MB * 1024 * 1024)]);
      assertError(await send(id, big, owner.sid), 413, '008');
      await assertNothingKept(id);
    });

    it('answers 413 by Content-Length before any of the body is sent', async () => {
      const id = await freshVideoId();
      const conn = await RawConnection.open(server);
      const contentType: Record<string, string> = method === 'POST' ? { 'Content-Type': 'multipart/form-data; boundary=x' } : {};
      await conn.write(requestHead(method, `/upload/${id}`, { 'X-Session-Id': owner.sid, 'Content-Length': 5 * 1024 * 1024, ...contentType }));
      const res = await conn.response();
      assert.equal(res.status, 413);
      assert.equal(res.body.error_code, '008');
      conn.destroy();
      await assertNothingKept(id);
    });

    it('lets the owner retry after a refused upload', async () => {
      const id = await freshVideoId();
      assert.equal((await send(id, NOT_A_VIDEO, owner.sid)).status, 415);
      assert.equal((await send(id, SAMPLE_MP4, owner.sid)).status, 201);
      assert.equal((await videoJson(id)).status, 'ready');
    });
  });
}

describe('PUT /upload/:vid-id with curl -T', () => {
  it('answers 201 and stores the file byte for byte', async () => {
    const id = await freshVideoId();
    const res = await curl(['-T', fixturePath('sample.webm')], id);
    assert.deepEqual(res, { status: 201, body: { id, size: SAMPLE_WEBM.length, mime: 'video/webm' } });
    assert.deepEqual(await storedFile(server, id), SAMPLE_WEBM);
  });
});

describe('POST /upload/:vid-id multipart/form-data', () => {
  it('answers 201 to curl -F file=@sample.mp4 and stores the file byte for byte', async () => {
    const id = await freshVideoId();
    const res = await curl(['-F', `file=@${fixturePath('sample.mp4')}`], id);
    assert.deepEqual(res, { status: 201, body: { id, size: SAMPLE_MP4.length, mime: 'video/mp4' } });
    assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
  });

  it('skips fields before the file and ignores parts after it', async () => {
    const id = await freshVideoId();
    const form = new FormData();
    form.append('title', 'before the file');
    form.append('note', new Blob([NOT_A_VIDEO]), 'note.txt');
    form.append('file', new Blob([SAMPLE_MP4], { type: 'text/plain' }), 'clip.mp4');
    form.append('file', new Blob([NOT_A_VIDEO]), 'second.mp4');
    form.append('after', 'ignored');
    const res = await postForm(server, `/upload/${id}`, form, owner.sid);
    assert.deepEqual(res.body, { id, size: SAMPLE_MP4.length, mime: 'video/mp4' });
    assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
  });

  it('answers 400 naming file for a form without a file field', async () => {
    const id = await freshVideoId();
    assertError(await postForm(server, `/upload/${id}`, fileForm(SAMPLE_MP4, 'clip.mp4', 'video'), owner.sid), 400, '011', 'file');
    await assertNothingKept(id);
  });

  const BODY = `--b1\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n${SAMPLE_MP4.toString('latin1')}\r\n--b1--\r\n`;
  const malformed = [
    { what: 'a Content-Type without a boundary', contentType: 'multipart/form-data', body: BODY, mentions: 'boundary' },
    { what: 'a boundary the body does not use', contentType: 'multipart/form-data; boundary=b2', body: BODY, mentions: 'boundary' },
    { what: 'a body without its closing boundary', contentType: 'multipart/form-data; boundary=b1', body: BODY.slice(0, -8), mentions: 'closing boundary' },
    { what: 'a quoted boundary and no closing boundary', contentType: 'multipart/form-data; boundary="b1"', body: BODY.slice(0, -8), mentions: 'closing boundary' },
    { what: 'text after a boundary', contentType: 'multipart/form-data; boundary=b1', body: BODY.replace('--b1\r\n', '--b1xyz\r\n'), mentions: 'boundary' },
  ];
  for (const { what, contentType, body, mentions } of malformed) {
    it(`answers 400 for ${what} and keeps nothing`, async () => {
      const id = await freshVideoId();
      const res = await fetch(`${server.url}/upload/${id}`, {
        method: 'POST',
        headers: { 'X-Session-Id': owner.sid, 'Content-Type': contentType },
        body: Buffer.from(body, 'latin1'),
      });
      assertError({ status: res.status, body: await res.json() }, 400, '011', mentions);
      await assertNothingKept(id);
    });
  }

  it('accepts the same body with a quoted boundary', async () => {
    const id = await freshVideoId();
    const res = await fetch(`${server.url}/upload/${id}`, {
      method: 'POST',
      headers: { 'X-Session-Id': owner.sid, 'Content-Type': 'multipart/form-data; boundary="b1"' },
      body: Buffer.from(BODY, 'latin1'),
    });
    assert.equal(res.status, 201);
    assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
  });

  it('answers 415 for a body that is not multipart/form-data', async () => {
    const id = await freshVideoId();
    const res = await fetch(`${server.url}/upload/${id}`, {
      method: 'POST',
      headers: { 'X-Session-Id': owner.sid, 'Content-Type': 'video/mp4' },
      body: SAMPLE_MP4,
    });
    assertError({ status: res.status, body: await res.json() }, 415, '009', 'multipart/form-data');
    await assertNothingKept(id);
  });
});

async function curl(args: string[], id: string): Promise<UploadResponse> {
  const { stdout } = await promisify(execFile)('curl', [
    '-sS',
    ...args,
    '-H',
    `X-Session-Id: ${owner.sid}`,
    '-w',
    '\n%{http_code}',
    `${server.url}/upload/${id}`,
  ]);
  const split = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(split + 1)), body: JSON.parse(stdout.slice(0, split)) };
}
