import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createVideo, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { assertOnlyFinalFiles, chunk, putRaw, RawConnection, requestHead, type UploadResponse } from '../helpers/upload.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const SAMPLE_MP4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
const MIB = 1024 * 1024;

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;

before(async () => {
  server = await startServer();
  owner = await signUp(server);
  stranger = await signUp(server);
});
after(() => server.close());

async function freshVideoId(): Promise<string> {
  return (await createVideo(server, owner)).id;
}

const putPoster = (id: string, image: Buffer, sid?: string) => putRaw(server, `/upload/${id}/poster`, image, sid);
const storedPoster = (id: string) => storedFile(server, id, 'poster');

function assertError(res: UploadResponse, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error_code, code);
}

describe('PUT /upload/:vid-id/poster', () => {
  for (const { what, image, mime } of [
    { what: 'a PNG', image: PNG, mime: 'image/png' },
    { what: 'a JPEG', image: JPEG, mime: 'image/jpeg' },
  ]) {
    it(`answers 201 with the sniffed mime and stores ${what} byte for byte`, async () => {
      const id = await freshVideoId();
      const res = await putPoster(id, image, owner.sid);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id, poster_mime: mime, size: image.length });
      assert.deepEqual(await storedPoster(id), image);
      await assertOnlyFinalFiles(server);
    });
  }

  it('replaces an earlier poster, and works on a ready video', async () => {
    const id = await freshVideoId();
    assert.equal((await putPoster(id, PNG, owner.sid)).status, 201);
    assert.equal((await putRaw(server, `/upload/${id}`, SAMPLE_MP4, owner.sid)).status, 201);
    const res = await putPoster(id, JPEG, owner.sid);
    assert.equal(res.body.poster_mime, 'image/jpeg');
    assert.deepEqual(await storedPoster(id), JPEG);
    assert.deepEqual(await storedFile(server, id), SAMPLE_MP4);
  });

  it('answers 401 without a session, 404 for an unknown video, 403 for another user', async () => {
    const id = await freshVideoId();
    assertError(await putPoster(id, PNG), 401, '002');
    assertError(await putPoster('00000000-0000-4000-8000-000000000000', PNG, owner.sid), 404, '006');
    assertError(await putPoster(id, PNG, stranger.sid), 403, '005');
    assert.equal(await storedPoster(id), undefined);
  });

  const refused = [
    { what: 'a GIF', image: GIF, status: 415, code: '009' },
    { what: 'a video', image: SAMPLE_MP4.subarray(0, 1000), status: 415, code: '009' },
    { what: 'an empty body', image: Buffer.alloc(0), status: 400, code: '011' },
    { what: 'a PNG over 1 MiB', image: Buffer.concat([PNG, Buffer.alloc(MIB)]), status: 413, code: '008' },
  ];
  for (const { what, image, status, code } of refused) {
    it(`answers ${status} for ${what}, keeping the earlier poster and no stray file`, async () => {
      const id = await freshVideoId();
      assert.equal((await putPoster(id, JPEG, owner.sid)).status, 201);
      assertError(await putPoster(id, image, owner.sid), status, code);
      assert.deepEqual(await storedPoster(id), JPEG);
      await assertOnlyFinalFiles(server);
    });
  }

  it('answers 413 while counting a chunked body over 1 MiB', async () => {
    const id = await freshVideoId();
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('PUT', `/upload/${id}/poster`, { 'X-Session-Id': owner.sid, 'Transfer-Encoding': 'chunked' }));
    const body = Buffer.concat([PNG, Buffer.alloc(MIB)]);
    for (let at = 0; at < body.length && conn.text === ''; at += 64 * 1024) await conn.write(chunk(body.subarray(at, at + 64 * 1024)));
    const res = await conn.response();
    conn.destroy();
    assert.equal(res.status, 413);
    assert.equal(await storedPoster(id), undefined);
    await assertOnlyFinalFiles(server);
  });
});
