import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../src/scheduler/delete-videos.js';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { storedFile } from '../helpers/stored-files.js';
import { putRaw } from '../helpers/upload.js';
import { deletionRecord, openServerDb, waitFor, type DeletionRow } from './poll.js';

describe('retryDelayMs()', () => {
  const cases = [
    { what: 'the first failure', intervalMs: 3000, attempts: 1, expected: 6000 },
    { what: 'the third failure', intervalMs: 3000, attempts: 3, expected: 24_000 },
    { what: 'a fractional interval', intervalMs: 200, attempts: 2, expected: 800 },
    { what: 'the cap', intervalMs: 3000, attempts: 10, expected: MAX_RETRY_DELAY_MS },
    { what: 'far past the cap', intervalMs: 3000, attempts: 5000, expected: MAX_RETRY_DELAY_MS },
  ];
  for (const { what, intervalMs, attempts, expected } of cases) {
    it(`waits ${expected} ms after ${what} (interval ${intervalMs} ms, attempt ${attempts})`, () => {
      assert.equal(retryDelayMs(intervalMs, attempts), expected);
    });
  }
});

const SAMPLE_MP4 = readFileSync(join(ROOT, 'test/fixtures/sample.mp4'));
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A video created through the API, with a file and a poster uploaded (stored wherever the server's STORAGE keeps them). */
async function videoWithFiles(server: TestServer, user: TestUser): Promise<{ id: string }> {
  const video = await createVideo(server, user);
  assert.equal((await putRaw(server, `/upload/${video.id}`, SAMPLE_MP4, user.sid)).status, 201);
  assert.equal((await putRaw(server, `/upload/${video.id}/poster`, PNG, user.sid)).status, 201);
  return { id: video.id };
}

/** True once neither the file nor the poster of any of the videos is stored. */
async function isGone(server: TestServer, videos: { id: string }[]): Promise<boolean> {
  for (const { id } of videos) {
    for (const kind of ['video', 'poster'] as const) if ((await storedFile(server, id, kind)) !== undefined) return false;
  }
  return true;
}

describe('the delete-videos task', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { SCHEDULER_INTERVAL_S: '0.2' } });
  });
  after(() => server.close());

  it('removes the file and poster of a video deleted with DELETE /user/:u/videos/:id', async () => {
    const user = await signUp(server);
    const video = await videoWithFiles(server, user);
    const { id } = video;
    const res = await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid });
    assert.equal(res.status, 204);
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${id}`)).status, 404);

    await waitFor('the files to go', () => isGone(server, [video]));
    const db = openServerDb(server);
    await waitFor('the record to go', () => deletionRecord(db, id) === undefined);
    db.close();
    assert.equal((await request(server, 'GET', `/videos/${id}`)).status, 404);
    assert.match(server.stdout(), new RegExp(`INFO video deleted video=${id} attempt=1`));
  });

  it('removes the files of every video of an account deleted with DELETE /user/:u', async () => {
    const user = await signUp(server);
    const first = await videoWithFiles(server, user);
    const second = await videoWithFiles(server, user);
    const res = await request(server, 'DELETE', `/user/${user.name}`, { sid: user.sid, body: { pwd: user.pwd } });
    assert.equal(res.status, 204);
    await waitFor('the files to go', () => isGone(server, [first, second]));
  });

  it('keeps a failing record with its error and attempts, removes the others, and finishes once the cause is fixed', async (t) => {
    const user = await signUp(server);
    const failing = await createVideo(server, user);
    // Root may unlink anything, but no one can unlink a non-empty directory: removeAll must not recurse.
    const blocked = join(server.videoDir, failing.id);
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep'), 'x');
    const healthy = await videoWithFiles(server, user);
    for (const id of [failing.id, healthy.id]) {
      assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid })).status, 204);
    }

    const db = openServerDb(server);
    t.after(() => db.close());
    const record = await waitFor<DeletionRow>('a failed attempt', () => {
      const row = deletionRecord(db, failing.id);
      return row !== undefined && row.attempts >= 2 && row;
    });
    assert.match(record.last_error ?? '', /EISDIR|EPERM/);
    assert.ok(existsSync(join(blocked, 'keep')));
    await waitFor('the healthy video files to go', () => isGone(server, [healthy]));
    assert.equal(deletionRecord(db, healthy.id), undefined);
    assert.match(server.stderr(), new RegExp(`ERROR video deletion failed video=${failing.id} attempt=1 next_attempt_at=\\d{4}-`));
    assert.equal((await request(server, 'GET', '/healthz')).status, 200);

    rmSync(blocked, { recursive: true });
    writeFileSync(blocked, 'now a plain file');
    await waitFor('the fixed file to go', () => !existsSync(blocked));
    await waitFor('the fixed record to go', () => deletionRecord(db, failing.id) === undefined);
  });
});

describe('the delete-videos task after a crash', () => {
  it('removes the files of a video deleted just before SIGKILL once the server is back', async (t) => {
    // A long tick first, so the crash surely comes before any attempt.
    const server = await startServer({ env: { SCHEDULER_INTERVAL_S: '600' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await videoWithFiles(server, user);
    const { id } = video;
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid })).status, 204);
    await server.kill();
    assert.ok((await storedFile(server, id)) && (await storedFile(server, id, 'poster')));

    const restarted = await server.restart({ SCHEDULER_INTERVAL_S: '0.2' });
    t.after(() => restarted.close());
    await waitFor('the files to go after the restart', () => isGone(restarted, [video]));
    assert.equal((await request(restarted, 'GET', `/user/${user.name}/videos/${id}`)).status, 404);
  });
});
