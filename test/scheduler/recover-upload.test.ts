// Issue 10, item 10: a crash between an upload's final rename and marking its video ready left a final file
// for a pending video that no sweep removed. The state is made on disk and in the database, then the real
// server's scheduler runs.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { addExpiredSession, waitFor } from './poll.js';

const SAMPLE_MP4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
const NOT_A_VIDEO = readFileSync(new URL('../fixtures/not-a-video.mp4', import.meta.url));
const HOUR = 60 * 60_000;

describe('the file sweep and a video file left by a crash before its video was marked ready', () => {
  it('publishes a complete video, removes a non-video, and leaves fresh and claimed ones alone', async (t) => {
    // A long tick first, so nothing is swept before the state is in place; the restart sweeps at its first tick.
    const env = { SCHEDULER_INTERVAL_S: '600' };
    const server = await startServer({ env });
    t.after(() => server.close());
    const user = await signUp(server);
    const [recovered, notVideo, fresh, claimed] = await Promise.all([1, 2, 3, 4].map(() => createVideo(server, user)));
    await server.stop();

    const place = (id: string, bytes: Buffer, ageMs: number) => {
      const path = join(server.videoDir, id);
      writeFileSync(path, bytes);
      const at = new Date(Date.now() - ageMs);
      utimesSync(path, at, at);
    };
    place(recovered.id, SAMPLE_MP4, HOUR);
    place(notVideo.id, NOT_A_VIDEO, HOUR);
    place(fresh.id, SAMPLE_MP4, 0);
    place(claimed.id, SAMPLE_MP4, HOUR);
    // An upload of another process holds this one (its claim is live): it is publishing right now.
    const db = new Database(join(server.dataDir, 'moviedash.db'));
    db.prepare('UPDATE video_info SET upload_token = ?, upload_expires_at = ? WHERE id = ?').run('other', Date.now() + HOUR, claimed.id);
    db.close();
    addExpiredSession(server, user.name);

    const restarted = await server.restart({ ...env, SCHEDULER_INTERVAL_S: '0.2' });
    // Sessions are purged right after the file sweep, so once that is logged every file was judged.
    await waitFor('the sweep to finish', () => restarted.stdout().includes('purged expired sessions'), 30_000);

    const video = async (id: string) => (await request(restarted, 'GET', `/user/${user.name}/videos/${id}`)).body;
    const { status, size, mime } = await video(recovered.id);
    assert.deepEqual([status, size, mime], ['ready', SAMPLE_MP4.length, 'video/mp4']);
    const stream = await fetch(`${restarted.url}/videos/${recovered.id}`);
    assert.deepEqual(Buffer.from(await stream.arrayBuffer()), SAMPLE_MP4);
    assert.match(restarted.stdout(), new RegExp(`INFO recovered upload video=${recovered.id}`));

    assert.equal((await video(notVideo.id)).status, 'pending');
    assert.equal(existsSync(join(restarted.videoDir, notVideo.id)), false);
    for (const { id } of [fresh, claimed]) {
      assert.equal((await video(id)).status, 'pending');
      assert.equal(existsSync(join(restarted.videoDir, id)), true);
    }
  });
});
