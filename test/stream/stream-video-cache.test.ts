// Video files stay open between requests; a deletion or a change on disk must never be served from one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../src/db/open.js';
import { request, signUp, type TestUser } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { eventually } from './held-stream.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const FIXTURE = readFileSync(MP4);

let server: TestServer;
let user: TestUser;

before(async () => {
  server = await startServer({ env: { SCHEDULER_INTERVAL_S: '0.2' } });
  user = await signUp(server);
});
after(() => server.close());

/** What the server's open descriptors point at under VIDEO_DIR (an unlinked file ends in " (deleted)"). */
function openVideoFiles(): string[] {
  const targets: string[] = [];
  for (const fd of readdirSync(`/proc/${server.pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${server.pid}/fd/${fd}`);
      if (target.startsWith(server.videoDir)) targets.push(target);
    } catch {
      // Closed between readdir and readlink.
    }
  }
  return targets;
}

async function get(path: string) {
  const res = await fetch(server.url + path);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('GET /videos/:vid-id with the file kept open', () => {
  it('answers 404 at once for a deleted video it has just streamed, and closes the file once removed', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    assert.ok((await get(`/videos/${id}`)).body.equals(FIXTURE));
    assert.deepEqual(openVideoFiles().filter((target) => target.includes(id)), [join(server.videoDir, id)]);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid })).status, 204);
    assert.equal((await get(`/videos/${id}`)).status, 404);
    // The scheduler removes the file at its next tick; no descriptor may keep the space in use.
    await eventually(async () => assert.deepEqual(openVideoFiles().filter((target) => target.includes(id)), []));
  });

  it('answers 404 at once for a video another process deleted, after serving it from its kept row', async (t) => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/videos/${id}`, { headers: { Range: 'bytes=0-0' } })).status, 206);
    // This test's process is the other process: a worker, or a command run beside the server.
    const other = new Database(join(server.dataDir, DB_FILE));
    t.after(() => other.close());
    other.prepare('DELETE FROM video_info WHERE id = ?').run(id);
    const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${server.url}/videos/${id}`, { headers: { Range: 'bytes=0-0' } })));
    assert.deepEqual(answers.map((res) => res.status), Array(8).fill(404));
  });

  it('serves the new bytes once the file was replaced on disk', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    const path = join(server.videoDir, id);
    assert.ok((await get(`/videos/${id}`)).body.equals(FIXTURE));
    const replacement = FIXTURE.subarray(0, 5000);
    writeFileSync(`${path}.next`, replacement);
    renameSync(`${path}.next`, path);
    assert.ok((await get(`/videos/${id}`)).body.equals(replacement));
    await eventually(async () => assert.ok(!openVideoFiles().some((target) => target.endsWith(' (deleted)'))));
  });
});
