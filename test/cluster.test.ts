import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, rawGet, rawRequest, request, signUp } from './helpers/http.js';
import { seedReadyVideo } from './helpers/seed-video.js';
import { ROOT, startServer } from './helpers/server.js';
import { eventually, holdStream, writeBigFile } from './stream/held-stream.js';

describe('WORKERS=2', () => {
  it('serves from two worker processes that see a sign-out and a deletion at once, and stops with 0', async (t) => {
    const server = await startServer({ env: { WORKERS: '2' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await createVideo(server, user);
    // Each fresh connection is handed to the next worker in turn, so a run of requests reaches both,
    // and each worker has cached the session before the sign-out.
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${server.url}/user/${user.name}`, { headers: { 'X-Session-Id': user.sid, Connection: 'close' } });
      assert.equal(res.status, 200);
    }
    await request(server, 'DELETE', `/user/${user.name}/videos/${video.id}`, { sid: user.sid });
    await request(server, 'DELETE', `/user/${user.name}/session`, { sid: user.sid });
    for (let i = 0; i < 6; i++) {
      const headers = { 'X-Session-Id': user.sid, Connection: 'close' };
      assert.equal((await fetch(`${server.url}/user/${user.name}`, { headers })).status, 401);
      assert.equal((await fetch(`${server.url}/user/${user.name}/videos/${video.id}`, { headers })).status, 404);
    }
    const metrics = await (await fetch(`${server.operatorUrl}/metrics`)).text();
    assert.match(metrics, /^moviedash_scheduler_runs_total\{process="primary"\} \d+$/m, 'the scheduler runs in the primary');
    assert.doesNotMatch(metrics, /^moviedash_scheduler_runs_total\{process="worker/m, 'a worker runs a scheduler');
    const workers = new Set(metrics.match(/process="worker-\d+"/g));
    assert.equal(workers.size, 2, 'both workers report their metrics');
    assert.match(metrics, /^moviedash_http_requests_total\{process="worker-\d+",method="GET",route="\/user\/:username",status="401"\} \d+/m);
    assert.equal((metrics.match(/^# TYPE moviedash_http_requests_total /gm) ?? []).length, 1);
    assert.equal(await server.stop(), 0);
    assert.equal((server.stdout().match(/listening on http:/g) ?? []).length, 1);
    assert.equal((server.stdout().match(/INFO stopped/g) ?? []).length, 3);
  });
});

describe('WORKERS=2 with lists and video files kept by each worker', () => {
  it('sees a comment posted and a video deleted through the other worker at once', async (t) => {
    const server = await startServer({ env: { WORKERS: '2' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const id = await seedReadyVideo(server, user, join(ROOT, 'test/fixtures/sample.mp4'), 'video/mp4');
    const fresh = { Connection: 'close' };
    const contents = async () => {
      const res = await fetch(`${server.url}/videos/${id}/comments`, { headers: fresh });
      return res.status === 200 ? ((await res.json()) as { comments: { content: string }[] }).comments.map((c) => c.content) : res.status;
    };
    await request(server, 'POST', `/videos/${id}/comments`, { sid: user.sid, body: { content: 'first' } });
    // Fresh connections go to the workers in turn: both read the list and the file before the changes.
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(await contents(), ['first']);
      assert.equal((await fetch(`${server.url}/videos/${id}`, { headers: { ...fresh, Range: 'bytes=0-1' } })).status, 206);
    }
    await request(server, 'POST', `/videos/${id}/comments`, { sid: user.sid, body: { content: 'second' } });
    for (let i = 0; i < 4; i++) assert.deepEqual(await contents(), ['second', 'first']);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid })).status, 204);
    for (let i = 0; i < 4; i++) {
      assert.equal(await contents(), 404);
      assert.equal((await fetch(`${server.url}/videos/${id}`, { headers: { ...fresh, Range: 'bytes=0-1' } })).status, 404);
    }
  });
});

describe('WORKERS=2 with STREAM_MAX_CONNS=2', () => {
  it('never lets more than 2 streams run at once across the workers', async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'moviedash-cluster-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const bigFile = join(work, 'big.mp4');
    writeBigFile(bigFile);
    const server = await startServer({ env: { WORKERS: '2', STREAM_MAX_CONNS: '2' } });
    t.after(() => server.close());
    const path = `/videos/${await seedReadyVideo(server, await signUp(server), bigFile, 'video/mp4')}`;
    // Each worker holds half the bucket; which worker a connection reaches is the primary's choice.
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await holdStream(server, path));
    const streaming = held.filter((stream) => stream.status === 200).length;
    assert.ok(streaming >= 1 && streaming <= 2, `${streaming} streams ran at once`);
    assert.equal(held.filter((stream) => stream.status === 429).length, 4 - streaming);
    for (const stream of held) stream.socket.destroy();
    await eventually(async () => assert.equal((await rawRequest(server, rawGet(path, 'Range: bytes=0-1\r\n'))).status, 206));
  });
});
