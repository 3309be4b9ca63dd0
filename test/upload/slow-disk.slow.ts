// A slow disk: every fsync and fdatasync of the server is held for a while (strace delays the real system calls,
// as a busy or failing disk would). Syncs run on libuv's thread pool, where every video read waits
// too, and each answered tus PATCH leaves one behind it with the file open.
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import test from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { createUpload, fakeMp4, patchBytes } from '../helpers/tus.js';
import { putRaw, waitUntil } from '../helpers/upload.js';

/** strace, holding each of the server's fsyncs and fdatasyncs for delayMs. */
const slowSyncs = (delayMs: number) => [
  'strace', '-f', '--seccomp-bpf', '-qq', '-o', '/dev/null',
  '-e', 'trace=fsync,fdatasync', '-e', `inject=fsync,fdatasync:delay_exit=${delayMs * 1000}`,
];
const SAMPLE = new URL('../fixtures/sample.mp4', import.meta.url).pathname;

/** The server's open descriptors whose file is in dir. */
function openFilesIn(server: TestServer, dir: string): number {
  const fds = `/proc/${server.pid}/fd`;
  return readdirSync(fds).filter((fd) => {
    try {
      return readlinkSync(join(fds, fd)).startsWith(dir);
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

test('uploads waiting for a slow disk leave the thread pool to streams', async (t) => {
  const syncMs = 1000;
  const server = await startServer({ runUnder: slowSyncs(syncMs) });
  t.after(() => server.close());
  const user = await signUp(server);
  const ready = await seedReadyVideo(server, user, SAMPLE, 'video/mp4');

  // More uploads reach their fsync at once than libuv has threads (4).
  const file = fakeMp4(256 * 1024);
  const videos = await Promise.all([1, 2, 3, 4, 5].map(() => createVideo(server, user)));
  const uploads = videos.map((video) => putRaw(server, `/upload/${video.id}`, file, user.sid));
  const tempFiles = () => readdirSync(server.videoDir).filter((name) => name.startsWith('.'));
  const written = () => tempFiles().filter((name) => statSync(join(server.videoDir, name), { throwIfNoEntry: false })?.size === file.length).length;
  await waitUntil('four uploads are written', () => written() >= 4);
  await new Promise((resolve) => setTimeout(resolve, 100));

  // A range past the cached head: read on the thread pool.
  const started = performance.now();
  const res = await fetch(`${server.url}/videos/${ready}`, { headers: { Range: 'bytes=131072-262143' } });
  assert.equal(res.status, 206);
  assert.equal((await res.arrayBuffer()).byteLength, 131072);
  const readMs = performance.now() - started;
  assert.ok(readMs < syncMs / 2, `the read waited ${readMs.toFixed(0)} ms behind the uploads' fsyncs`);

  const metrics = await (await fetch(`${server.operatorUrl}/metrics`)).text();
  assert.match(metrics, /^moviedash_disk_syncs_running 1$/m);
  assert.match(metrics, /^moviedash_disk_syncs_waiting [1-9]\d*$/m);
  for (const upload of await Promise.all(uploads)) assert.equal(upload.status, 201, JSON.stringify(upload.body));
});

test('answered tus PATCHes whose fsync waits for a slow disk keep a bounded number of files open', async (t) => {
  // Short: past the bound, a PATCH waits for the fsyncs in line before its own.
  const server = await startServer({ runUnder: slowSyncs(100) });
  t.after(() => server.close());
  const user = await signUp(server);
  const chunks = 60;
  const chunk = 1024;
  const file = fakeMp4(chunks * chunk);
  const video = await createVideo(server, user);
  const path = await createUpload(server, user, video.id, file.length);

  // Every PATCH is answered before its bytes are fsynced; the fsyncs wait in line, each holding the file open.
  let mostOpen = 0;
  for (let i = 0; i < chunks; i++) {
    const res = await patchBytes(server, user, path, i * chunk, file.subarray(i * chunk, (i + 1) * chunk));
    assert.ok(res.status === 204 || res.status === 201, `PATCH ${i}: ${res.status}`);
    mostOpen = Math.max(mostOpen, openFilesIn(server, server.videoDir));
  }
  assert.ok(mostOpen <= 33, `${mostOpen} files open in VIDEO_DIR at once`);
  const done = await request(server, 'GET', `/user/${user.name}/videos/${video.id}`);
  assert.equal(done.body.status, 'ready');
});
