// Slow and vanishing clients: backpressure keeps memory flat, and an aborted stream closes its file at once.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rawGet, rawRequest, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { BIG_FILE_BYTES, eventually, holdStream, writeBigFile } from './held-stream.js';

const ABORTED = 200;
const BATCH = 25;
/** Descriptors the process may open for itself meanwhile (a WAL file, a timer, a log pipe). */
const SLACK = 5;

let server: TestServer;
let work: string;
let path: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'moviedash-abort-'));
  writeBigFile(join(work, 'big.mp4'));
  server = await startServer({ env: { STREAM_MAX_CONNS: String(BATCH) } });
  const user = await signUp(server);
  path = `/videos/${await seedReadyVideo(server, user, join(work, 'big.mp4'), 'video/mp4')}`;
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const openFds = () => readdirSync(`/proc/${server.pid}/fd`).length;
const residentBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;

describe('GET /videos/:vid-id with slow or vanishing clients', () => {
  it(`leaks no file descriptor after ${ABORTED} streams cut off mid-body`, async () => {
    // One full request first, so lazily opened descriptors are already counted.
    assert.equal((await rawRequest(server, rawGet(path, 'Range: bytes=0-1\r\n'))).status, 206);
    const before = openFds();
    for (let done = 0; done < ABORTED; done += BATCH) {
      const held = await Promise.all(Array.from({ length: BATCH }, () => holdStream(server, path)));
      assert.ok(held.every((stream) => stream.status === 200));
      for (const stream of held) stream.socket.destroy();
      // The next batch needs every token back, which is also what this test is about.
      await eventually(async () => assert.ok(openFds() <= before + SLACK, `${openFds()} fds open, ${before} before`));
    }
    await eventually(async () => assert.ok(openFds() <= before + SLACK, `${openFds()} fds open, ${before} before`));
    // A FileHandle left open is closed by the garbage collector, with a warning: that is a leak too.
    // And a client going away is nothing to log as a server error.
    assert.doesNotMatch(server.stderr(), /garbage collection|ERROR/);
  });

  it('does not buffer the file in memory for clients that stop reading', async () => {
    const SLOW = 10;
    const before = residentBytes();
    const held = await Promise.all(Array.from({ length: SLOW }, () => holdStream(server, path)));
    let peak = before;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      peak = Math.max(peak, residentBytes());
    }
    for (const stream of held) stream.socket.destroy();
    // Without backpressure the server would read all 10 x 32 MiB in; with it, a few MiB per stream.
    const grown = peak - before;
    assert.ok(grown < (SLOW * BIG_FILE_BYTES) / 4, `resident memory grew by ${Math.round(grown / 2 ** 20)} MiB`);
  });
});
