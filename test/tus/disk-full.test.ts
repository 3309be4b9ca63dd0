// Resumable uploads on a disk that fills up: VIDEO_DIR on a 20 MiB tmpfs (CI runs as root), DATA_DIR on the
// ordinary disk so the upload's offset can still be recorded. 507 (013) up front when the room is known to be
// missing; when the disk fills mid-PATCH, the bytes that fit are kept and the upload goes on once there is room.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { fillDisk, tmpfsForSuite } from '../helpers/tmpfs.js';
import { chunk, RawConnection, requestHead } from '../helpers/upload.js';
import { createUpload, fakeMp4, OFFSET_OCTET_STREAM, patchBytes, tusRequest, uploadMetadata, uploadOffset } from '../helpers/tus.js';

const MiB = 1024 * 1024;

describe('resumable uploads and a full disk (VIDEO_DIR on a 20 MiB tmpfs)', () => {
  const { mountPoint, cannotMount } = tmpfsForSuite(20);

  async function serverWithVideosOnTmpfs(t: TestContext, env: Record<string, string> = {}): Promise<TestServer | undefined> {
    const whyNot = cannotMount();
    if (whyNot) {
      t.skip(whyNot);
      return undefined;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'moviedash-data-'));
    const videoDir = join(mountPoint, t.name.replace(/\W+/g, '-').slice(0, 40));
    mkdirSync(videoDir);
    const server = await startServer({ dataDir, videoDir, env });
    t.after(async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(videoDir, { recursive: true, force: true });
    });
    return server;
  }

  it('answers 507 (013) to a POST whose Upload-Length would leave less than MIN_FREE_DISK_MB, and to such a PATCH', async (t) => {
    const server = await serverWithVideosOnTmpfs(t, { MIN_FREE_DISK_MB: '10' });
    if (!server) return;
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    const tooLong = await tusRequest(server, 'POST', '/tus', {
      sid: user.sid,
      headers: { 'Upload-Length': String(12 * MiB), 'Upload-Metadata': uploadMetadata({ video_id: id }) },
    });
    assert.equal(tooLong.status, 507, JSON.stringify(tooLong.body));
    assert.equal(tooLong.body.error_code, '013');
    assert.equal(tooLong.headers.get('tus-resumable'), '1.0.0');

    const path = await createUpload(server, user, id, 8 * MiB);
    const filler = fillDisk(mountPoint, 12 * MiB);
    t.after(() => rmSync(filler, { force: true }));
    const res = await patchBytes(server, user, path, 0, fakeMp4(8 * MiB));
    assert.equal(res.status, 507, JSON.stringify(res.body));
    assert.equal(res.body.error_code, '013');
    assert.equal(await uploadOffset(server, user, path), 0);
  });

  it('keeps the bytes that fit when the disk fills up mid-PATCH (507), and finishes the upload once there is room', async (t) => {
    const server = await serverWithVideosOnTmpfs(t);
    if (!server) return;
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    const file = fakeMp4(8 * MiB);
    const path = await createUpload(server, user, id, file.length);
    const filler = fillDisk(mountPoint, 3 * MiB);
    t.after(() => rmSync(filler, { force: true }));

    // Chunked, so no Content-Length tells the server up front that the body cannot fit.
    const connection = await RawConnection.open(server);
    t.after(() => connection.destroy());
    await connection.write(
      requestHead('PATCH', path, { 'X-Session-Id': user.sid, 'Tus-Resumable': '1.0.0', 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': 0, 'Transfer-Encoding': 'chunked' }),
    );
    for (let at = 0; at < file.length && !connection.text.includes('\r\n\r\n'); at += 256 * 1024) await connection.write(chunk(file.subarray(at, at + 256 * 1024)));
    if (!connection.isClosed) await connection.write(chunk(Buffer.alloc(0)));
    const res = await connection.response(10_000);
    assert.equal(res.status, 507, res.head);
    assert.equal(res.body.error_code, '013');

    const kept = await uploadOffset(server, user, path);
    assert.ok(kept > 0 && kept <= 3 * MiB, `kept ${kept} bytes`);
    rmSync(filler);
    assert.equal((await patchBytes(server, user, path, kept, file.subarray(kept))).status, 204);
    const video = (await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body;
    assert.deepEqual([video.status, video.size], ['ready', file.length]);
    const streamed = Buffer.from(await (await fetch(`${server.url}/videos/${id}`)).arrayBuffer());
    assert.equal(createHash('sha256').update(streamed).digest('hex'), createHash('sha256').update(file).digest('hex'));
  });
});
