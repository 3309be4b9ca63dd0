// Issue 10, item 4: deleting a video or an account with many comments answers at once and never blocks
// the event loop; the scheduler removes the comments in batches afterwards.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertResponsive, watchHealthz } from '../helpers/watchdog.js';
import { waitFor } from './poll.js';

const MANY = 300_000;

let server: TestServer;
let db: Database.Database;

before(async () => {
  server = await startServer({ env: { SCHEDULER_INTERVAL_S: '0.2' } });
  db = new Database(join(server.dataDir, 'moviedash.db'), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
});
after(async () => {
  db.close();
  await server.close();
});

const userId = (name: string) => db.prepare<[string], number>('SELECT id FROM users WHERE user_name = ?').pluck().get(name)!;

/**
 * Writes count comments straight into the database (posting 300k through the API would take minutes), with
 * ids made as the server makes them: UUIDv7, one millisecond apart.
 */
async function seedComments(videoId: string, authorName: string, count: number): Promise<void> {
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
     INSERT INTO comments (id, video_id, author_id, content, created_at)
     SELECT printf('%08x-%04x-7%03x-%04x-%012x', (@now + i) >> 16, (@now + i) & 65535, abs(random()) % 4096,
                   32768 | (abs(random()) % 16384), abs(random()) % 281474976710656),
            @videoId, @authorId, 'comment ' || i, @now + i
       FROM n`,
  ).run({ count, videoId, authorId: userId(authorName), now: Date.now() });
  // As if the comments had come in over weeks: the server does not inherit a write-ahead log of them.
  db.pragma('wal_checkpoint(TRUNCATE)');
  // The writes above held this process's event loop for seconds: let fetch notice the kept-alive connections
  // the server closed meanwhile, or the next request goes out on a dead one ("fetch failed").
  await new Promise((resolve) => setTimeout(resolve, 100));
}

function anyCommentWhere(column: 'video_id' | 'author_id', value: string | number): boolean {
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM comments WHERE ${column} = ?)`).pluck().get(value) === 1;
}

async function postComment(user: TestUser, videoId: string, content: string): Promise<void> {
  const res = await request(server, 'POST', `/videos/${videoId}/comments`, { sid: user.sid, body: { content } });
  assert.equal(res.status, 201);
}

describe('DELETE /user/:username/videos/:vid-id with 300,000 comments', () => {
  it('answers 204, 404s the video and its comments at once, keeps /healthz fast, and the scheduler removes every comment', async () => {
    const owner = await signUp(server);
    const commenter = await signUp(server);
    const video = await createVideo(server, owner);
    await postComment(commenter, video.id, 'posted through the API');
    await seedComments(video.id, commenter.name, MANY);

    const report = await watchHealthz(server, async () => {
      const res = await request(server, 'DELETE', `/user/${owner.name}/videos/${video.id}`, { sid: owner.sid });
      assert.equal(res.status, 204);
      assert.equal((await request(server, 'GET', `/user/${owner.name}/videos/${video.id}`)).status, 404);
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).status, 404);
      // A comment racing the deletion is refused, so none can outlive it.
      assert.equal((await request(server, 'POST', `/videos/${video.id}/comments`, { sid: commenter.sid, body: { content: 'late' } })).status, 404);
      await waitFor('every comment of the video to be purged', () => !anyCommentWhere('video_id', video.id), 60_000);
    });
    assertResponsive(report, 'the deletion of a video with 300,000 comments and their purge');
    assert.match(server.stdout(), new RegExp(`INFO comments purged video=${video.id}`));
  });
});

describe('DELETE /user/:username with 100,000 comments on its video and 20,000 of its own elsewhere', () => {
  it('answers 204, hides its comments at once, keeps /healthz fast, and the scheduler removes them all', async () => {
    const leaving = await signUp(server);
    const commenter = await signUp(server);
    const neighbour = await signUp(server);
    const ownVideo = await createVideo(server, leaving);
    const otherVideo = await createVideo(server, neighbour);
    await postComment(neighbour, otherVideo.id, 'the neighbour stays');
    await seedComments(ownVideo.id, commenter.name, 100_000);
    await seedComments(otherVideo.id, leaving.name, 20_000);
    const leavingId = userId(leaving.name);

    const report = await watchHealthz(server, async () => {
      const res = await request(server, 'DELETE', `/user/${leaving.name}`, { sid: leaving.sid, body: { pwd: leaving.pwd } });
      assert.equal(res.status, 204);
      assert.equal((await request(server, 'GET', `/videos/${ownVideo.id}/comments`)).status, 404);
      const others = await request(server, 'GET', `/videos/${otherVideo.id}/comments`);
      assert.deepEqual(others.body.comments.map((comment: { content: string }) => comment.content), ['the neighbour stays']);
      await waitFor('every comment of the account to be purged', () => !anyCommentWhere('video_id', ownVideo.id) && !anyCommentWhere('author_id', leavingId), 60_000);
    });
    assertResponsive(report, 'the deletion of an account with 120,000 comments and their purge');
    assert.equal((await request(server, 'GET', `/videos/${otherVideo.id}/comments`)).body.comments.length, 1);
    assert.equal(db.prepare('SELECT COUNT(*) FROM comment_purges').pluck().get(), 0);
  });
});
