// A full disk on a real filesystem: DATA_DIR and VIDEO_DIR on a 20 MiB tmpfs (CI runs as root), filled up
// with a file of the test's own. Every storage fault must be 507 (013), never a 500 or a wrong password.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { fillDisk, tmpfsForSuite } from '../helpers/tmpfs.js';
import { assertOnlyFinalFiles, chunk, putRaw, RawConnection, requestHead } from '../helpers/upload.js';

const MIB = 1024 * 1024;
const SAMPLE = readFileSync(join(ROOT, 'test/fixtures/sample.mp4'));

/** A video of the given size: the sample's header (so it sniffs as MP4) padded with zeros. */
function videoOf(bytes: number): Buffer {
  return Buffer.concat([SAMPLE, Buffer.alloc(bytes - SAMPLE.length)]);
}

/** SQLite appends to its WAL: emptied first, every later write needs new blocks of the full disk. */
function emptyWal(server: TestServer): void {
  const db = new Database(join(server.dataDir, 'moviedash.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function videoStatus(server: TestServer, user: { name: string }, id: string): Promise<string> {
  return request(server, 'GET', `/user/${user.name}/videos/${id}`).then((res) => res.body.status);
}

/** A chunked PUT of body in 256 KiB chunks; the server may answer and stop reading before the end. */
async function putChunked(server: TestServer, path: string, sid: string, body: Buffer): Promise<{ status: number; head: string; body: any }> {
  const conn = await RawConnection.open(server);
  await conn.write(requestHead('PUT', path, { 'X-Session-Id': sid, 'Transfer-Encoding': 'chunked' }));
  for (let at = 0; at < body.length && !conn.isClosed && !conn.text.includes('\r\n\r\n'); at += 256 * 1024) {
    await conn.write(chunk(body.subarray(at, at + 256 * 1024)));
  }
  if (!conn.isClosed) await conn.write(chunk(Buffer.alloc(0)));
  const res = await conn.response(10_000);
  conn.destroy();
  return res;
}

describe('a full disk (DATA_DIR and VIDEO_DIR on a 20 MiB tmpfs)', () => {
  const { mountPoint, cannotMount } = tmpfsForSuite(20);

  /** A server whose directories are on the tmpfs; it is stopped and its files removed after the test. */
  async function serverOnTmpfs(t: TestContext, env: Record<string, string> = {}): Promise<TestServer | undefined> {
    const whyNot = cannotMount();
    if (whyNot) {
      t.skip(whyNot);
      return undefined;
    }
    const base = join(mountPoint, t.name.replace(/\W+/g, '-').slice(0, 40));
    mkdirSync(base);
    const server = await startServer({ dataDir: join(base, 'data'), videoDir: join(base, 'videos'), env });
    t.after(async () => {
      await server.close();
      rmSync(base, { recursive: true, force: true });
    });
    return server;
  }

  it('answers 507 with 013 to an upload that hits ENOSPC, removes its temp file and keeps the video pending', async (t) => {
    const server = await serverOnTmpfs(t);
    if (!server) return;
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const filler = fillDisk(mountPoint, 2 * MIB);
    t.after(() => rmSync(filler, { force: true }));

    const res = await putChunked(server, `/upload/${video.id}`, user.sid, videoOf(6 * MIB));
    assert.equal(res.status, 507, res.head);
    assert.equal(res.body.error_code, '013');
    assert.deepEqual((await assertOnlyFinalFiles(server)), []);
    assert.equal(await videoStatus(server, user, video.id), 'pending');

    rmSync(filler);
    assert.equal((await putRaw(server, `/upload/${video.id}`, videoOf(6 * MIB), user.sid)).status, 201);
    assert.equal(await videoStatus(server, user, video.id), 'ready');
  });

  it('answers 507 with 013 to comments, sign-in and sign-up while full, applies none of them, and works once space is freed', async (t) => {
    const server = await serverOnTmpfs(t);
    if (!server) return;
    const author = await signUp(server);
    const other = await signUp(server);
    const video = await createVideo(server, author);
    assert.equal((await putRaw(server, `/upload/${video.id}`, SAMPLE, author.sid)).status, 201);
    emptyWal(server);
    const filler = fillDisk(mountPoint);
    t.after(() => rmSync(filler, { force: true }));

    const newcomer = { user_name: `late${process.pid}`, pwd: 'correct horse' };
    const whileFull = [
      { what: 'a comment', res: await request(server, 'POST', `/videos/${video.id}/comments`, { sid: other.sid, body: { content: 'lost?' } }) },
      { what: 'a sign-in', res: await request(server, 'POST', `/user/${other.name}`, { body: { user_name: other.name, pwd: other.pwd } }) },
      { what: 'a sign-up', res: await request(server, 'POST', '/user', { body: newcomer }) },
    ];
    for (const { what, res } of whileFull) {
      assert.equal(res.status, 507, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error_code, '013', what);
    }

    rmSync(filler);
    assert.deepEqual((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments, []);
    assert.equal((await request(server, 'POST', '/user', { body: newcomer })).status, 201, 'the failed sign-up left a user behind');
    assert.equal((await request(server, 'POST', `/user/${other.name}`, { body: { user_name: other.name, pwd: other.pwd } })).status, 200);
    assert.equal((await request(server, 'POST', `/videos/${video.id}/comments`, { sid: other.sid, body: { content: 'kept' } })).status, 201);
    assert.equal((await request(server, 'GET', `/videos/${video.id}/comments`)).body.comments.length, 1);
  });

  it('refuses by Content-Length an upload that would leave less than MIN_FREE_DISK_MB, before the body is sent', async (t) => {
    const server = await serverOnTmpfs(t, { MIN_FREE_DISK_MB: '8' });
    if (!server) return;
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const path = `/upload/${video.id}`;

    // Expect: 100-continue: the 507 comes instead of the 100, so the client never sends the body.
    const waiting = await RawConnection.open(server);
    t.after(() => waiting.destroy());
    await waiting.write(requestHead('PUT', path, { 'X-Session-Id': user.sid, 'Content-Length': 15 * MIB, Expect: '100-continue' }));
    const refused = await waiting.response();
    assert.equal(refused.status, 507);
    assert.equal(refused.body.error_code, '013');
    assert.doesNotMatch(waiting.text, /100 Continue/);

    // No Expect: the head alone is enough for the answer; none of the 15 MiB is sent.
    const bare = await RawConnection.open(server);
    t.after(() => bare.destroy());
    await bare.write(requestHead('PUT', path, { 'X-Session-Id': user.sid, 'Content-Length': 15 * MIB }));
    assert.equal((await bare.response()).status, 507);

    assert.deepEqual((await assertOnlyFinalFiles(server)), []);

    // A length that leaves the floor free is let through.
    const small = await RawConnection.open(server);
    await small.write(requestHead('PUT', path, { 'X-Session-Id': user.sid, 'Content-Length': MIB, Expect: '100-continue' }));
    await small.waitForText('100 Continue');
    small.destroy();
  });

  it('cuts a chunked upload with 507 once the bytes so far would leave less than MIN_FREE_DISK_MB', async (t) => {
    const server = await serverOnTmpfs(t, { MIN_FREE_DISK_MB: '8' });
    if (!server) return;
    const user = await signUp(server);
    const video = await createVideo(server, user);
    // 18 MiB would fit on the 20 MiB disk: only the floor refuses it.
    const res = await putChunked(server, `/upload/${video.id}`, user.sid, videoOf(18 * MIB));
    assert.equal(res.status, 507, res.head);
    assert.equal(res.body.error_code, '013');
    assert.deepEqual((await assertOnlyFinalFiles(server)), []);
    assert.equal(await videoStatus(server, user, video.id), 'pending');
  });
});
