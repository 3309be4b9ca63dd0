import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { putRaw, RawConnection, requestHead } from '../helpers/upload.js';
import { createUpload, fakeMp4, OFFSET_OCTET_STREAM, patchBytes, tusRequest } from '../helpers/tus.js';
import { openServerDb, waitFor } from './poll.js';

// 0.0003 h is about a second.
const EXPIRY_H = 0.0003;
const EXPIRY_MS = EXPIRY_H * 3600_000;
const ENV = { RESUMABLE_EXPIRY_H: String(EXPIRY_H), SCHEDULER_INTERVAL_S: '0.2' };

describe('the expire-uploads task', () => {
  it('removes an upload untouched for RESUMABLE_EXPIRY_H: its row, its bytes and its hold on the video', async (t) => {
    const server = await startServer({ env: ENV });
    t.after(() => server.close());
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    const path = await createUpload(server, user, id, 10_000);
    const patched = await patchBytes(server, user, path, 0, fakeMp4(10_000).subarray(0, 6000));
    assert.equal(patched.status, 204);
    const expires = Date.parse(patched.headers.get('upload-expires')!);
    // An HTTP-date has whole seconds.
    assert.ok(Math.abs(expires - (Date.now() + EXPIRY_MS)) < 2500, patched.headers.get('upload-expires')!);
    const partial = () => readdirSync(server.videoDir).filter((name) => name.endsWith('.resumable'));
    assert.equal(partial().length, 1);

    const db = openServerDb(server);
    t.after(() => db.close());
    const rows = db.prepare<[], number>('SELECT COUNT(*) FROM resumable_uploads').pluck();
    // The log line comes after the row and the file are gone.
    await waitFor('the expiry to be logged', () => /INFO resumable upload expired upload=[0-9a-f]{32} video=\S+ offset=6000 length=10000/.test(server.stdout()));
    assert.equal(rows.get(), 0);
    assert.deepEqual(partial(), []);
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: user.sid })).status, 404);
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body.status, 'pending');
    // The video is free for another upload.
    assert.equal((await putRaw(server, `/upload/${id}`, fakeMp4(5000), user.sid)).status, 201);
  });

  it('leaves an upload alone while a PATCH is receiving its bytes, however long that takes', async (t) => {
    const server = await startServer({ env: ENV });
    t.after(() => server.close());
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    const file = fakeMp4(10_000);
    const path = await createUpload(server, user, id, file.length);
    const connection = await RawConnection.open(server);
    t.after(() => connection.destroy());
    await connection.write(
      requestHead('PATCH', path, {
        'X-Session-Id': user.sid,
        'Tus-Resumable': '1.0.0',
        'Content-Type': OFFSET_OCTET_STREAM,
        'Upload-Offset': 0,
        'Content-Length': file.length,
      }),
    );
    // A slow link: ten pieces over three expiry periods.
    for (let at = 0; at < file.length; at += 1000) {
      await connection.write(file.subarray(at, at + 1000));
      await new Promise((resolve) => setTimeout(resolve, (3 * EXPIRY_MS) / 10));
    }
    const res = await connection.response();
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.match(res.head, /\r\nupload-offset: 10000\r\n/i);
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body.status, 'ready');
  });
});
