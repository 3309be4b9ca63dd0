import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { RawConnection, requestHead } from '../helpers/upload.js';

describe('comments', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('POST /videos/:vid-id/comments', () => {
    it('answers 201 with the comment, author from the session, content trimmed', async () => {
      const owner = await signUp(server);
      const viewer = await signUp(server);
      const video = await createVideo(server, owner);
      const res = await request(server, 'POST', `/videos/${video.id}/comments`, {
        sid: viewer.sid,
        body: { content: '  <img src=x onerror=alert(1)>  ', author: owner.name },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body).sort(), ['author', 'author_id', 'content', 'created_at', 'id', 'video_id']);
      assert.equal(res.body.author, viewer.name);
      assert.equal(res.body.video_id, video.id);
      assert.equal(res.body.content, '<img src=x onerror=alert(1)>');
    });

    it('answers 404, not 500, when the video is deleted while the comment body is on its way', async () => {
      const owner = await signUp(server);
      const viewer = await signUp(server);
      const video = await createVideo(server, owner);
      const body = JSON.stringify({ content: 'too late' });
      const conn = await RawConnection.open(server);
      const head = { 'X-Session-Id': viewer.sid, 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' };
      await conn.write(requestHead('POST', `/videos/${video.id}/comments`, head));
      await conn.waitForText('HTTP/1.1 100 Continue\r\n\r\n');
      assert.equal((await request(server, 'DELETE', `/user/${owner.name}/videos/${video.id}`, { sid: owner.sid })).status, 204);
      await conn.write(body);
      const res = await conn.response();
      conn.destroy();
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, '006');
    });

    it('answers 401 without a session, 404 for an unknown video, 400 for bad content', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      assert.equal((await request(server, 'POST', `/videos/${video.id}/comments`, { body: { content: 'x' } })).status, 401);
      const unknown = await request(server, 'POST', '/videos/00000000-0000-4000-8000-000000000000/comments', { sid: user.sid, body: { content: 'x' } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error_code, '006');
      for (const body of [{ content: '' }, { content: ' \n ' }, { content: 'c'.repeat(2001) }, { content: 5 }, {}]) {
        const res = await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, '011');
        assert.match(res.body.error, /content/);
      }
      const ok = await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: '😀'.repeat(2000) } });
      assert.equal(ok.status, 201);
    });
  });

  describe('GET /videos/:vid-id/comments', () => {
    it('pages newest first with no duplicates and no gaps; [] when empty', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      const empty = await request(server, 'GET', `/videos/${video.id}/comments`);
      assert.deepEqual(empty.body, { comments: [], next_cursor: null });
      const posted = [];
      for (let i = 0; i < 5; i++) {
        posted.push((await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: `c${i}` } })).body.id);
      }
      const first = await request(server, 'GET', `/videos/${video.id}/comments?limit=2`);
      const second = await request(server, 'GET', `/videos/${video.id}/comments?limit=2&cursor=${first.body.next_cursor}`);
      const third = await request(server, 'GET', `/videos/${video.id}/comments?limit=2&cursor=${second.body.next_cursor}`);
      assert.equal(third.body.next_cursor, null);
      const ids = [first, second, third].flatMap((page) => page.body.comments.map((c: { id: string }) => c.id));
      assert.deepEqual(ids, posted.reverse());
    });

    it('answers 404 for an unknown video', async () => {
      const res = await request(server, 'GET', '/videos/00000000-0000-4000-8000-000000000000/comments');
      assert.equal(res.status, 404);
    });

    it('answers 404 for an unknown video before 400 for a cursor that does not decode', async () => {
      const unknown = await request(server, 'GET', '/videos/00000000-0000-4000-8000-000000000000/comments?cursor=bogus');
      assert.equal(unknown.status, 404);
      const video = await createVideo(server, await signUp(server));
      const known = await request(server, 'GET', `/videos/${video.id}/comments?cursor=bogus`);
      assert.equal(known.status, 400);
      assert.equal(known.body.error_code, '011');
    });

    it('shows a comment posted or deleted just after the list was read', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      const list = async () => (await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments.map((c: { content: string }) => c.content);
      const first = (await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: 'one' } })).body;
      assert.deepEqual(await list(), ['one']);
      await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: 'two' } });
      assert.deepEqual(await list(), ['two', 'one']);
      await request(server, 'DELETE', `/videos/${video.id}/comments/${first.id}`, { sid: user.sid });
      assert.deepEqual(await list(), ['two']);
    });

    it('answers 404 for a video deleted just after its comments were read', async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      await request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: 'hi' } });
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments.length, 1);
      assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${video.id}`, { sid: user.sid })).status, 204);
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).status, 404);
    });
  });

  describe('DELETE /videos/:vid-id/comments/:comment-id', () => {
    it('lets the comment author and the video owner delete, nobody else', async () => {
      const owner = await signUp(server);
      const author = await signUp(server);
      const stranger = await signUp(server);
      const video = await createVideo(server, owner);
      const post = async () =>
        (await request(server, 'POST', `/videos/${video.id}/comments`, { sid: author.sid, body: { content: 'hello' } })).body.id;
      const first = await post();
      const second = await post();
      const denied = await request(server, 'DELETE', `/videos/${video.id}/comments/${first}`, { sid: stranger.sid });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error_code, '005');
      assert.equal((await request(server, 'DELETE', `/videos/${video.id}/comments/${first}`, { sid: author.sid })).status, 204);
      assert.equal((await request(server, 'DELETE', `/videos/${video.id}/comments/${second}`, { sid: owner.sid })).status, 204);
      const gone = await request(server, 'DELETE', `/videos/${video.id}/comments/${first}`, { sid: author.sid });
      assert.equal(gone.status, 404);
      assert.deepEqual((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments, []);
    });

    it('answers 401 without a session and 404 for a comment of another video', async () => {
      const user = await signUp(server);
      const one = await createVideo(server, user);
      const two = await createVideo(server, user);
      const comment = (await request(server, 'POST', `/videos/${one.id}/comments`, { sid: user.sid, body: { content: 'x' } })).body;
      assert.equal((await request(server, 'DELETE', `/videos/${one.id}/comments/${comment.id}`)).status, 401);
      assert.equal((await request(server, 'DELETE', `/videos/${two.id}/comments/${comment.id}`, { sid: user.sid })).status, 404);
    });
  });

  describe('account deletion', () => {
    it("removes the user's comments on other people's videos", async () => {
      const owner = await signUp(server);
      const leaving = await signUp(server);
      const video = await createVideo(server, owner);
      await request(server, 'POST', `/videos/${video.id}/comments`, { sid: leaving.sid, body: { content: 'bye' } });
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments.length, 1);
      await request(server, 'DELETE', `/user/${leaving.name}`, { sid: leaving.sid, body: { pwd: leaving.pwd } });
      assert.deepEqual((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments, []);
    });
  });
});
