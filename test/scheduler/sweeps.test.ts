import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { closeApp, createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { NO_MEDIA_INFO } from '../../src/media/media-fields.js';
import { SWEEP_AGES, staleFiles, type StaleFile } from '../../src/scheduler/sweeps.js';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { addExpiredSession, waitFor } from './poll.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.now();

async function tempApp(t: TestContext): Promise<App> {
  const base = mkdtempSync(join(tmpdir(), 'moviedash-sweeps-'));
  const app = await createApp(loadConfig([], { DATA_DIR: join(base, 'data'), VIDEO_DIR: join(base, 'videos') }));
  t.after(async () => {
    await closeApp(app);
    rmSync(base, { recursive: true, force: true });
  });
  return app;
}

function writeAged(path: string, ageMs: number): void {
  writeFileSync(path, 'bytes');
  const at = new Date(NOW - ageMs);
  utimesSync(path, at, at);
}

const tempName = (id: string) => `.${id}.0123456789abcdef.part`;
const resumableName = (videoId: string, uploadId: string) => `.${videoId}.${uploadId}.resumable`;
// A pending video with a resumable upload in progress.
const UPLOADING_ID = randomUUID();
const LIVE_UPLOAD_ID = 'feedfacefeedfacefeedfacefeedface';

describe('staleFiles()', () => {
  const { orphanGraceMs, tempMaxAgeMs } = SWEEP_AGES;
  // liveId names a ready video, pendingId a pending one.
  const cases: { what: string; name: (liveId: string, pendingId: string) => string; ageMs: number; expected: StaleFile['reason'] | 'kept' }[] = [
    { what: 'an orphan video file past the grace period', name: () => randomUUID(), ageMs: orphanGraceMs + MINUTE, expected: 'orphan' },
    { what: 'an orphan poster past the grace period', name: () => `${randomUUID()}.poster`, ageMs: orphanGraceMs + HOUR, expected: 'orphan' },
    { what: 'an orphan video file within the grace period', name: () => randomUUID(), ageMs: orphanGraceMs - MINUTE, expected: 'kept' },
    { what: 'the file of a live video', name: (liveId) => liveId, ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'the poster of a live video', name: (liveId) => `${liveId}.poster`, ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'the file of a pending video past the grace period', name: (_, pendingId) => pendingId, ageMs: orphanGraceMs + MINUTE, expected: 'unpublished upload' },
    { what: 'the file of a pending video within the grace period', name: (_, pendingId) => pendingId, ageMs: orphanGraceMs - MINUTE, expected: 'kept' },
    { what: 'the poster of a pending video', name: (_, pendingId) => `${pendingId}.poster`, ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'a partial upload untouched too long', name: () => tempName(randomUUID()), ageMs: tempMaxAgeMs + MINUTE, expected: 'abandoned upload' },
    { what: 'a partial upload of a live video untouched too long', name: (liveId) => tempName(liveId), ageMs: tempMaxAgeMs + HOUR, expected: 'abandoned upload' },
    { what: 'a partial upload still being written', name: () => tempName(randomUUID()), ageMs: tempMaxAgeMs - HOUR, expected: 'kept' },
    { what: 'the bytes of a live resumable upload, however old', name: () => resumableName(UPLOADING_ID, LIVE_UPLOAD_ID), ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'resumable bytes whose upload ended, past the grace period', name: () => resumableName(UPLOADING_ID, '0'.repeat(32)), ageMs: orphanGraceMs + MINUTE, expected: 'orphan' },
    { what: 'resumable bytes whose upload ended, within the grace period', name: () => resumableName(UPLOADING_ID, '1'.repeat(32)), ageMs: orphanGraceMs - MINUTE, expected: 'kept' },
    { what: 'resumable bytes of a deleted video', name: () => resumableName(randomUUID(), LIVE_UPLOAD_ID), ageMs: orphanGraceMs + MINUTE, expected: 'orphan' },
    { what: 'an unknown name', name: () => 'notes.txt', ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'an uppercase id', name: () => randomUUID().toUpperCase(), ageMs: 30 * 24 * HOUR, expected: 'kept' },
    { what: 'a temp name with a short suffix', name: () => `.${randomUUID()}.0123.part`, ageMs: 30 * 24 * HOUR, expected: 'kept' },
  ];

  it('yields exactly the stale files of a mixed VIDEO_DIR', async (t) => {
    const app = await tempApp(t);
    const user = app.store.users.insert('owner', 'not-a-hash', NOW);
    const liveId = randomUUID();
    app.store.videos.insert(liveId, user.id, 'live', NOW);
    app.store.videos.markReady(liveId, { size: 5, mime: 'video/mp4', media: NO_MEDIA_INFO });
    app.store.videos.insert(UPLOADING_ID, user.id, 'uploading', NOW);
    assert.equal(app.store.createResumableUpload({ id: LIVE_UPLOAD_ID, videoId: UPLOADING_ID, ownerId: user.id, length: 100 }, NOW, NOW + HOUR, null), 'created');
    const expected = new Map<string, StaleFile['reason']>();
    for (const { name, ageMs, expected: outcome } of cases) {
      // A pending video of its own per case, so two cases never name one file.
      const pendingId = randomUUID();
      app.store.videos.insert(pendingId, user.id, 'pending', NOW);
      const fileName = name(liveId, pendingId);
      writeAged(join(app.videoFiles.dir, fileName), ageMs);
      if (outcome !== 'kept') expected.set(fileName, outcome);
    }
    // A directory is never a file to sweep, whatever its name and age.
    mkdirSync(join(app.videoFiles.dir, randomUUID()));

    const found = new Map<string, StaleFile['reason']>();
    for await (const file of staleFiles(app, NOW)) found.set(file.name, file.reason);
    assert.deepEqual(found, expected);
  });
});

describe('the sweep tasks', () => {
  it('remove stale strays and partial uploads and expired sessions, and leave the rest', async (t) => {
    // A long tick first, so nothing is swept before the files are in place; the restart sweeps at its first tick.
    const env = { SCHEDULER_INTERVAL_S: '600' };
    const server = await startServer({ env });
    t.after(() => server.close());
    const user = await signUp(server);
    const live = await createVideo(server, user);

    const dir = server.videoDir;
    const swept = [randomUUID(), tempName(randomUUID())];
    const kept = [randomUUID(), tempName(randomUUID()), 'notes.txt', `${live.id}.poster`];
    writeAged(join(dir, swept[0]!), HOUR);
    writeAged(join(dir, swept[1]!), 7 * HOUR);
    writeAged(join(dir, kept[0]!), 0);
    writeAged(join(dir, kept[1]!), 0);
    writeAged(join(dir, kept[2]!), 30 * 24 * HOUR);
    writeAged(join(dir, kept[3]!), 30 * 24 * HOUR);
    await server.stop();
    addExpiredSession(server, user.name);

    const restarted = await server.restart({ ...env, SCHEDULER_INTERVAL_S: '0.2' });
    t.after(() => restarted.close());
    // Sessions are purged after the file sweep has finished, so once that is logged every file was judged.
    await waitFor('the expired session to be purged', () => restarted.stdout().includes('purged expired sessions'), 30_000);
    for (const name of swept) assert.equal(existsSync(join(dir, name)), false, `${name} is swept`);
    for (const name of kept) assert.equal(existsSync(join(dir, name)), true, `${name} is kept`);
    assert.match(restarted.stdout(), new RegExp(`INFO swept file file=${swept[0]} reason=orphan`));
    assert.match(restarted.stdout(), /INFO purged expired sessions count=1/);
    assert.equal((await request(restarted, 'GET', `/user/${user.name}/videos/${live.id}`)).status, 200);
  });
});
