import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { RawConnection, requestHead } from '../helpers/upload.js';

const VIDEO_KEYS = [
  'audio_codec', 'author', 'author_id', 'captions', 'created_at', 'description', 'display_ctime', 'duration_s', 'height', 'id', 'mime',
  'name', 'playable', 'playable_reason', 'size', 'status', 'video_codec', 'width',
];

const pick = (video: { name: string; description: string }) => [video.name, video.description];

describe('videos', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('POST /user/:username/videos', () => {
    it('answers 201 with a pending video whose author comes from the session', async () => {
      const user = await signUp(server);
      const res = await request(server, 'POST', `/user/${user.name}/videos`, {
        sid: user.sid,
        body: { name: '  Holiday  ', author: 'someone_else', author_id: 999 },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body).sort(), VIDEO_KEYS);
      assert.match(res.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(res.body.name, 'Holiday');
      assert.equal(res.body.author, user.name);
      assert.equal(res.body.status, 'pending');
      assert.equal(res.body.size, null);
      assert.equal(res.body.mime, null);
      assert.equal(res.body.description, '');
      for (const key of ['duration_s', 'width', 'height', 'video_codec', 'audio_codec', 'playable', 'playable_reason']) assert.equal(res.body[key], null, key);
      assert.deepEqual(res.body.captions, []);
      assert.match(res.body.display_ctime, /^[A-Z][a-z]{2} \d{2} \d{4}, \d{2}:\d{2}:\d{2}$/);
      assert.ok(Math.abs(Date.parse(res.body.created_at) - Date.now()) < 60_000);
    });

    it('takes an optional description, trimmed', async () => {
      const user = await signUp(server);
      const res = await request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body: { name: 'Trip', description: '  Day one.\nDay two.  ' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.description, 'Day one.\nDay two.');
    });

    for (const { what, body, field } of [
      { what: 'a 5001-character description', body: { name: 'ok', description: 'd'.repeat(5001) }, field: /description/ },
      { what: 'a number as description', body: { name: 'ok', description: 5 }, field: /description/ },
      { what: 'a null description', body: { name: 'ok', description: null }, field: /description/ },
    ]) {
      it(`answers 400 with 011 for ${what}`, async () => {
        const user = await signUp(server);
        const res = await request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, '011');
        assert.match(res.body.error, field);
      });
    }

    for (const { what, body } of [
      { what: 'an empty name', body: { name: '' } },
      { what: 'a blank name', body: { name: '   ' } },
      { what: 'a 201-character name', body: { name: 'n'.repeat(201) } },
      { what: 'a number as name', body: { name: 7 } },
      { what: 'no name', body: {} },
      { what: 'a name with a lone surrogate (\\ud800), which no UTF-8 can store', body: { name: 'bad \ud800 name' } },
    ]) {
      it(`answers 400 with 011 for ${what}`, async () => {
        const user = await signUp(server);
        const res = await request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, '011');
        assert.match(res.body.error, /name/);
      });
    }

    it('answers 401, not 500, when the account is deleted while the body is on its way', async () => {
      const user = await signUp(server);
      const body = JSON.stringify({ name: 'too late' });
      const conn = await RawConnection.open(server);
      const head = { 'X-Session-Id': user.sid, 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' };
      await conn.write(requestHead('POST', `/user/${user.name}/videos`, head));
      await conn.waitForText('HTTP/1.1 100 Continue\r\n\r\n');
      assert.equal((await request(server, 'DELETE', `/user/${user.name}`, { sid: user.sid, body: { pwd: user.pwd } })).status, 204);
      await conn.write(body);
      const res = await conn.response();
      conn.destroy();
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, '002');
    });

    it('answers 401 without a session and 403 for another user', async () => {
      const alice = await signUp(server);
      const bob = await signUp(server);
      const anon = await request(server, 'POST', `/user/${alice.name}/videos`, { body: { name: 'x' } });
      assert.equal(anon.status, 401);
      const other = await request(server, 'POST', `/user/${bob.name}/videos`, { sid: alice.sid, body: { name: 'x' } });
      assert.equal(other.status, 403);
      assert.equal(other.body.error_code, '005');
      assert.deepEqual((await request(server, 'GET', `/user/${bob.name}/videos`)).body.videos, []);
    });
  });

  describe('GET /user/:username/videos', () => {
    it('answers [] for a user without videos and 404 for an unknown user', async () => {
      const user = await signUp(server);
      const res = await request(server, 'GET', `/user/${user.name}/videos`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { videos: [], next_cursor: null });
      const missing = await request(server, 'GET', '/user/no_such_user/videos');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, '006');
    });

    it('pages newest first over several pages with no duplicates and no gaps', async () => {
      const user = await signUp(server);
      const created = [];
      for (let i = 0; i < 7; i++) created.push((await createVideo(server, user, `video ${i}`)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
        const res = await request(server, 'GET', `/user/${user.name}/videos${query}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.videos.length <= 3);
        seen.push(...res.body.videos.map((v: { id: string }) => v.id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, created.reverse());
    });

    it('keeps paging consistent when a video is added between pages', async () => {
      const user = await signUp(server);
      for (let i = 0; i < 4; i++) await createVideo(server, user, `v${i}`);
      const first = await request(server, 'GET', `/user/${user.name}/videos?limit=2`);
      await createVideo(server, user, 'newer');
      const second = await request(server, 'GET', `/user/${user.name}/videos?limit=2&cursor=${first.body.next_cursor}`);
      assert.deepEqual(second.body.videos.map((v: { name: string }) => v.name), ['v1', 'v0']);
    });

    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?limit=-1', '?limit=2.5', '?cursor=garbage', '?cursor=MTIz']) {
      it(`answers 400 with 011 for ${query}`, async () => {
        const user = await signUp(server);
        const res = await request(server, 'GET', `/user/${user.name}/videos${query}`);
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, '011');
      });
    }
  });

  describe('GET /user/:username/videos/:vid-id', () => {
    it('answers the video, and 404 under another user or for an unknown id', async () => {
      const alice = await signUp(server);
      const bob = await signUp(server);
      const video = await createVideo(server, alice, 'mine');
      const res = await request(server, 'GET', `/user/${alice.name}/videos/${video.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, video);
      assert.equal((await request(server, 'GET', `/user/${bob.name}/videos/${video.id}`)).status, 404);
      const unknown = await request(server, 'GET', `/user/${alice.name}/videos/00000000-0000-4000-8000-000000000000`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error_code, '006');
    });
  });

  describe('DELETE /user/:username/videos/:vid-id', () => {
    it('answers 204 and the metadata and comments are gone at once', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: 'hi' } });
      const res = await request(server, 'DELETE', `/user/${user.name}/videos/${video.id}`, { sid: user.sid });
      assert.equal(res.status, 204);
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 404);
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).status, 404);
      assert.deepEqual((await request(server, 'GET', `/user/${user.name}/videos`)).body.videos, []);
    });

    it("answers 401 without a session, 403 for another user's video, 404 for an unknown one", async () => {
      const alice = await signUp(server);
      const bob = await signUp(server);
      const video = await createVideo(server, alice);
      const path = `/user/${alice.name}/videos/${video.id}`;
      assert.equal((await request(server, 'DELETE', path)).status, 401);
      const other = await request(server, 'DELETE', path, { sid: bob.sid });
      assert.equal(other.status, 403);
      assert.equal(other.body.error_code, '005');
      const unknown = await request(server, 'DELETE', `/user/${alice.name}/videos/00000000-0000-4000-8000-000000000000`, { sid: alice.sid });
      assert.equal(unknown.status, 404);
      assert.equal((await request(server, 'GET', path)).status, 200);
    });
  });

  describe('PATCH /user/:username/videos/:vid-id', () => {
    it('changes the name and description for the owner, and every read shows the change', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user, 'Old name');
      const path = `/user/${user.name}/videos/${video.id}`;
      const res = await request(server, 'PATCH', path, { sid: user.sid, body: { name: '  New name ', description: 'What it is about' } });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), VIDEO_KEYS);
      assert.deepEqual({ name: res.body.name, description: res.body.description }, { name: 'New name', description: 'What it is about' });
      assert.deepEqual((await request(server, 'GET', path)).body, res.body);
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos`)).body.videos[0].name, 'New name');
    });

    it('changes only the field sent: a description alone, then a name alone, then an empty description', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user, 'Kept');
      const path = `/user/${user.name}/videos/${video.id}`;
      assert.deepEqual(pick((await request(server, 'PATCH', path, { sid: user.sid, body: { description: 'First' } })).body), ['Kept', 'First']);
      assert.deepEqual(pick((await request(server, 'PATCH', path, { sid: user.sid, body: { name: 'Renamed' } })).body), ['Renamed', 'First']);
      assert.deepEqual(pick((await request(server, 'PATCH', path, { sid: user.sid, body: { description: '' } })).body), ['Renamed', '']);
    });

    it("answers 401 without a session, 403 for another user's video, 404 for an unknown one or under another user", async () => {
      const alice = await signUp(server);
      const bob = await signUp(server);
      const video = await createVideo(server, alice, 'Untouched');
      const path = `/user/${alice.name}/videos/${video.id}`;
      const body = { name: 'Taken over' };
      assert.equal((await request(server, 'PATCH', path, { body })).status, 401);
      const other = await request(server, 'PATCH', path, { sid: bob.sid, body });
      assert.equal(other.status, 403);
      assert.equal(other.body.error_code, '005');
      const unknown = await request(server, 'PATCH', `/user/${alice.name}/videos/00000000-0000-4000-8000-000000000000`, { sid: alice.sid, body });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error_code, '006');
      assert.equal((await request(server, 'PATCH', `/user/${bob.name}/videos/${video.id}`, { sid: bob.sid, body })).status, 404);
      assert.equal((await request(server, 'GET', path)).body.name, 'Untouched');
    });

    it('answers 403 to a cookie-only edit started by another site', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user, 'Mine');
      const res = await request(server, 'PATCH', `/user/${user.name}/videos/${video.id}`, {
        body: { name: 'Defaced' },
        headers: { Cookie: `session=${user.sid}`, Origin: 'https://evil.example' },
      });
      assert.equal(res.status, 403);
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).body.name, 'Mine');
    });

    for (const { what, body, code, field } of [
      { what: 'an array body', body: '[]', code: '001' },
      { what: 'a string body', body: '"name"', code: '001' },
      { what: 'not JSON', body: 'name=x', code: '001' },
      { what: 'neither name nor description', body: { title: 'x' }, code: '011', field: /name/ },
      { what: 'a blank name', body: { name: '   ' }, code: '011', field: /name/ },
      { what: 'a 201-character name', body: { name: 'n'.repeat(201) }, code: '011', field: /name/ },
      { what: 'a null name', body: { name: null }, code: '011', field: /name/ },
      { what: 'a 5001-character description', body: { description: 'd'.repeat(5001) }, code: '011', field: /description/ },
      { what: 'a good name with a bad description', body: { name: 'fine', description: 42 }, code: '011', field: /description/ },
    ]) {
      it(`answers 400 with ${code} for ${what}, changing nothing`, async () => {
        const user = await signUp(server);
        const video = await createVideo(server, user, 'Same');
        const path = `/user/${user.name}/videos/${video.id}`;
        const res = await request(server, 'PATCH', path, { sid: user.sid, body, headers: { 'Content-Type': 'application/json' } });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, code);
        if (field) assert.match(res.body.error, field);
        assert.deepEqual(pick((await request(server, 'GET', path)).body), ['Same', '']);
      });
    }

    it('takes a name of exactly 200 characters and a description of exactly 5000', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      const body = { name: '\u00e9'.repeat(200), description: '\u{1F600}'.repeat(5000) };
      const res = await request(server, 'PATCH', `/user/${user.name}/videos/${video.id}`, { sid: user.sid, body });
      assert.equal(res.status, 200);
      assert.deepEqual(pick(res.body), [body.name, body.description]);
    });
  });

  describe('GET /videos', () => {
    it('lists only ready videos, as {videos, next_cursor}', async () => {
      const user = await signUp(server);
      await createVideo(server, user, 'still pending');
      const res = await request(server, 'GET', '/videos');
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(res.body.videos));
      assert.ok(res.body.videos.every((v: { status: string }) => v.status === 'ready'));
      assert.ok('next_cursor' in res.body);
    });
  });

  describe('routing', () => {
    it('answers 405 with Allow and 012 for a wrong method on a known path', async () => {
      const res = await request(server, 'PATCH', '/videos');
      assert.equal(res.status, 405);
      assert.equal(res.body.error_code, '012');
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    });

    it('lists PATCH in Allow on a video of a user', async () => {
      const res = await request(server, 'PUT', '/user/someone/videos/00000000-0000-4000-8000-000000000000');
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'DELETE, GET, HEAD, PATCH');
    });

    it('answers 404 with 006 for an unknown path', async () => {
      const res = await request(server, 'GET', '/no/such/route');
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, '006');
    });

    it('serves HEAD for a GET route with the headers and no body', async () => {
      const res = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(await res.text(), '');
    });

    it('answers 400 for a malformed percent-encoding in the path and keeps serving', async () => {
      const res = await request(server, 'GET', '/user/%E0%A4%A/videos');
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, '011');
      assert.equal((await request(server, 'GET', '/healthz')).status, 200);
    });
  });

  describe('GET /healthz', () => {
    it('answers 200 {"status":"ok"}', async () => {
      const res = await request(server, 'GET', '/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok' });
    });
  });
});
