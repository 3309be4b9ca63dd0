import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openServerDb, waitFor } from '../scheduler/poll.js';
import { assertResponsive, watchHealthz } from '../helpers/watchdog.js';
import { chunk, putRaw, RawConnection, requestHead, type UploadResponse } from '../helpers/upload.js';

const SRT = '1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> <font color="red">there</font>\r\n';
const VTT = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<i>Hello</i> there\n';
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

const putCaptions = (id: string, lang: string, text: string | Buffer, sid?: string) =>
  putRaw(server, `/upload/${id}/captions/${lang}`, Buffer.from(text), sid);
const getCaptions = (id: string, lang: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/videos/${id}/captions/${lang}`, { headers });

function assertError(res: UploadResponse, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error_code, code);
}

/** A video's rows in the captions table, read beside the running server (WAL lets both open the file). */
function captionRows(videoId: string): number {
  const db = openServerDb(server);
  try {
    return db.prepare('SELECT count(*) FROM video_captions WHERE video_id = ?').pluck().get(videoId) as number;
  } finally {
    db.close();
  }
}

describe('PUT /upload/:vid-id/captions/:lang', () => {
  it('converts SubRip to WebVTT, answers 201, and GET serves it as text/vtt under any letter case of the tag', async () => {
    const { id } = await createVideo(server, owner);
    const res = await putCaptions(id, 'PT-br', SRT, owner.sid);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body, { id, lang: 'pt-BR', size: Buffer.byteLength(VTT), cues: 1 });
    const got = await getCaptions(id, 'pt-br');
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'text/vtt; charset=utf-8');
    assert.equal(got.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    assert.match(got.headers.get('etag') ?? '', /^"[\w-]{27}"$/);
    assert.equal(await got.text(), VTT);
  });

  it("lists the languages in the video object's captions field, in tag order", async () => {
    const { id, captions } = await createVideo(server, owner);
    assert.deepEqual(captions, []);
    for (const lang of ['nl', 'en-GB', 'de']) await putCaptions(id, lang, VTT, owner.sid);
    const video = await request(server, 'GET', `/user/${owner.name}/videos/${id}`);
    assert.deepEqual(video.body.captions, ['de', 'en-GB', 'nl']);
    const list = await request(server, 'GET', `/user/${owner.name}/videos`);
    assert.deepEqual(list.body.videos.find((other: { id: string }) => other.id === id).captions, ['de', 'en-GB', 'nl']);
  });

  it('replaces the earlier file of that language, with a new ETag', async () => {
    const { id } = await createVideo(server, owner);
    assert.equal((await putCaptions(id, 'en', VTT, owner.sid)).status, 201);
    const first = (await getCaptions(id, 'en')).headers.get('etag');
    const res = await putCaptions(id, 'en', 'WEBVTT\n\n00:05.000 --> 00:06.000\nLater\n', owner.sid);
    assert.equal(res.body.cues, 1);
    const second = await getCaptions(id, 'en');
    assert.notEqual(second.headers.get('etag'), first);
    assert.equal(await second.text(), 'WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nLater\n');
  });

  it('answers 401 without a session, 404 for an unknown video, 403 for another user', async () => {
    const { id } = await createVideo(server, owner);
    assertError(await putCaptions(id, 'en', VTT), 401, '002');
    assertError(await putCaptions('00000000-0000-4000-8000-000000000000', 'en', VTT, owner.sid), 404, '006');
    assertError(await putCaptions(id, 'en', VTT, stranger.sid), 403, '005');
    assert.equal((await getCaptions(id, 'en')).status, 404);
  });

  const refused = [
    { what: 'a language that is not a BCP 47 tag', lang: 'en_US', text: VTT, status: 400, code: '011', error: /^Invalid lang: / },
    { what: 'an empty body', lang: 'en', text: '', status: 400, code: '011', error: /^Invalid captions: must not be empty$/ },
    { what: 'plain text', lang: 'en', text: 'just some words', status: 415, code: '009', error: /^Invalid captions: must be WebVTT or SubRip$/ },
    {
      what: 'a cue that ends before it starts',
      lang: 'en',
      text: 'WEBVTT\n\n00:03.000 --> 00:02.000\nx\n',
      status: 400,
      code: '011',
      error: /^Invalid captions: line 3: the cue ends before it starts$/,
    },
    {
      what: 'more than 10000 cues',
      lang: 'en',
      text: `WEBVTT\n\n${'00:01.000 --> 00:02.000\nx\n\n'.repeat(10_001)}`,
      status: 413,
      code: '008',
      error: /^Invalid captions: must have at most 10000 cues$/,
    },
    { what: 'a file over 1 MiB', lang: 'en', text: `WEBVTT\n\nNOTE ${'x'.repeat(MIB)}`, status: 413, code: '008', error: /1 MiB/ },
  ];
  for (const { what, lang, text, status, code, error } of refused) {
    it(`answers ${status} for ${what} and stores nothing`, async () => {
      const { id } = await createVideo(server, owner);
      const res = await putCaptions(id, lang, text, owner.sid);
      assertError(res, status, code);
      assert.match(res.body.error, error);
      const video = await request(server, 'GET', `/user/${owner.name}/videos/${id}`);
      assert.deepEqual(video.body.captions, []);
    });
  }

  it('answers 413 to a chunked body that grows past 1 MiB', async () => {
    const { id } = await createVideo(server, owner);
    const connection = await RawConnection.open(server);
    connection.write(requestHead('PUT', `/upload/${id}/captions/en`, { 'X-Session-Id': owner.sid, 'Transfer-Encoding': 'chunked' }));
    connection.write(chunk(Buffer.from('WEBVTT\n\n')));
    connection.write(chunk(Buffer.alloc(MIB, 'x')));
    const res = await connection.response();
    assert.equal(res.status, 413);
    assert.equal((await getCaptions(id, 'en')).status, 404);
  });

  it('keeps the event loop free for other requests while a hostile 1 MiB file is read', async () => {
    const hostile: (string | Buffer)[] = [
      `WEBVTT\n\n00:01.000 --> 00:02.000\n${'<'.repeat(MIB - 64)}`,
      `1\n00:00:01,000 --> 00:00:02,000\n${'{\\<&'.repeat((MIB - 64) / 4)}`,
      `WEBVTT\n\n${'00:01.000 --> 00:02.000\n<b><i><u><c.a.b.c>&amp\n\n'.repeat(8000)}`,
      // Line ends and NULs to rewrite, and bytes that are not UTF-8 (read as Windows-1252, 0x85 is '…').
      `WEBVTT${'\r'.repeat(MIB - 64)}`,
      `WEBVTT\n\n${'\0'.repeat(MIB - 64)}`,
      Buffer.concat([Buffer.from('WEBVTT\n\n00:01.000 --> 00:02.000\n'), Buffer.alloc(MIB - 64, 0x85)]),
    ];
    const { id } = await createVideo(server, owner);
    for (const text of hostile) {
      const report = await watchHealthz(server, () => putCaptions(id, 'en', text, owner.sid));
      assertResponsive(report, `a hostile caption file of ${text.length} characters`);
      assert.ok([201, 400, 413].includes(report.result.status));
    }
  });
});

describe('GET /videos/:vid-id/captions/:lang', () => {
  it('answers 304 to a matching If-None-Match and to If-Modified-Since, and HEAD sends no body', async () => {
    const { id } = await createVideo(server, owner);
    await putCaptions(id, 'nl', VTT, owner.sid);
    const first = await getCaptions(id, 'nl');
    const etag = first.headers.get('etag')!;
    const again = await getCaptions(id, 'nl', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    const since = await getCaptions(id, 'nl', { 'If-Modified-Since': first.headers.get('last-modified')! });
    assert.equal(since.status, 304);
    const head = await fetch(`${server.url}/videos/${id}/captions/nl`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(VTT)));
    assert.equal(await head.text(), '');
  });

  it('answers 404 for an unknown video, a language it has no captions in, and a malformed tag', async () => {
    const { id } = await createVideo(server, owner);
    await putCaptions(id, 'en', VTT, owner.sid);
    for (const path of [`/videos/00000000-0000-4000-8000-000000000000/captions/en`, `/videos/${id}/captions/de`, `/videos/${id}/captions/e`]) {
      const res = await request(server, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error_code, '006');
    }
  });
});

describe('DELETE /upload/:vid-id/captions/:lang', () => {
  it('removes one language: 204, then 404 for it and for a second delete', async () => {
    const { id } = await createVideo(server, owner);
    await putCaptions(id, 'en', VTT, owner.sid);
    await putCaptions(id, 'fr', VTT, owner.sid);
    assert.equal((await request(server, 'DELETE', `/upload/${id}/captions/EN`, { sid: owner.sid })).status, 204);
    assert.equal((await getCaptions(id, 'en')).status, 404);
    assert.equal((await getCaptions(id, 'fr')).status, 200);
    assert.equal((await request(server, 'DELETE', `/upload/${id}/captions/en`, { sid: owner.sid })).status, 404);
  });

  it('answers 401 without a session and 403 for another user, and keeps the captions', async () => {
    const { id } = await createVideo(server, owner);
    await putCaptions(id, 'en', VTT, owner.sid);
    assert.equal((await request(server, 'DELETE', `/upload/${id}/captions/en`)).status, 401);
    assert.equal((await request(server, 'DELETE', `/upload/${id}/captions/en`, { sid: stranger.sid })).status, 403);
    assert.equal((await getCaptions(id, 'en')).status, 200);
  });
});

describe('captions and deletion', () => {
  it('are gone from sight with their video at once, and their rows once the scheduler has run, for a video and an account', async () => {
    const user = await signUp(server);
    const kept = await createVideo(server, user);
    const deleted = await createVideo(server, user);
    for (const lang of ['en', 'de']) {
      await putCaptions(kept.id, lang, VTT, user.sid);
      await putCaptions(deleted.id, lang, VTT, user.sid);
    }
    const rowsOf = (videoId: string) => captionRows(videoId);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${deleted.id}`, { sid: user.sid })).status, 204);
    assert.equal((await getCaptions(deleted.id, 'en')).status, 404);
    await waitFor('the scheduler to remove the deleted video\'s captions', () => rowsOf(deleted.id) === 0);
    assert.equal(rowsOf(kept.id), 2);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}`, { sid: user.sid, body: { pwd: user.pwd } })).status, 204);
    await waitFor("the scheduler to remove the account's captions", () => rowsOf(kept.id) === 0);
  });
});
