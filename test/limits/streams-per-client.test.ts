// STREAMS_PER_CLIENT and STREAM_STALL_S over real sockets, with slow clients holding streams of a big file.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { operatorGet, rawGet, rawRequest, signUp, type RawResponse } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { BIG_FILE_BYTES, eventually, holdStream, writeBigFile, type HeldStream } from '../stream/held-stream.js';

let work: string;
let bigFile: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'moviedash-streams-per-client-'));
  bigFile = join(work, 'big.mp4');
  writeBigFile(bigFile);
});
after(() => rmSync(work, { recursive: true, force: true }));

async function serverWithBigVideo(t: TestContext, env: Record<string, string>): Promise<{ server: TestServer; path: string }> {
  // Held streams never finish: the server need not wait for them when the test stops it.
  const server = await startServer({ env: { SHUTDOWN_GRACE_S: '1', ...env } });
  t.after(() => server.close());
  const user = await signUp(server);
  return { server, path: `/videos/${await seedReadyVideo(server, user, bigFile, 'video/mp4')}` };
}

async function holdMany(t: TestContext, server: TestServer, path: string, count: number, headersOf: (i: number) => Record<string, string>): Promise<HeldStream[]> {
  const held = await Promise.all(Array.from({ length: count }, (_, i) => holdStream(server, path, headersOf(i))));
  for (const stream of held) t.after(() => stream.socket.destroy());
  assert.deepEqual(held.map((stream) => stream.status), Array(count).fill(200));
  return held;
}

const rangeFrom = (server: TestServer, path: string, headers = ''): Promise<RawResponse> => rawRequest(server, rawGet(path, `Range: bytes=0-1\r\n${headers}`));

function assertTooManyStreams(res: RawResponse): void {
  assert.equal(res.status, 429);
  assert.match(res.head, /\r\nRetry-After: \d+\r\n/i);
  assert.equal(JSON.parse(res.body.toString()).error_code, '010');
}

describe('concurrent streams per client address (STREAMS_PER_CLIENT)', () => {
  it('answers a 9th stream from one address 429 (010) while another address still streams, behind a trusted proxy', async (t) => {
    const { server, path } = await serverWithBigVideo(t, { STREAMS_PER_CLIENT: '8', TRUST_PROXY: 'loopback' });
    const held = await holdMany(t, server, path, 8, () => ({ 'X-Forwarded-For': '198.51.100.1' }));
    assertTooManyStreams(await rangeFrom(server, path, 'X-Forwarded-For: 198.51.100.1\r\n'));
    assert.equal((await rangeFrom(server, path, 'X-Forwarded-For: 198.51.100.2\r\n')).status, 206, 'another address');
    assert.match((await operatorGet(server, '/metrics')).body, /^moviedash_rate_limited_total\{kind="streams_per_client"\} 1$/m);
    held[0]!.socket.destroy();
    await eventually(async () => assert.equal((await rangeFrom(server, path, 'X-Forwarded-For: 198.51.100.1\r\n')).status, 206));
  });

  it('counts by the socket address when the peer is not a trusted proxy, whatever X-Forwarded-For says', async (t) => {
    const { server, path } = await serverWithBigVideo(t, { STREAMS_PER_CLIENT: '8' });
    await holdMany(t, server, path, 8, (i) => ({ 'X-Forwarded-For': `198.51.100.${i}` }));
    assertTooManyStreams(await rangeFrom(server, path, 'X-Forwarded-For: 198.51.100.99\r\n'));
  });
});

describe('a stalled stream (STREAM_STALL_S)', () => {
  it('is cut, and its token freed, within STREAM_STALL_S + 1 s of its client taking no more bytes', async (t) => {
    const stallS = 2;
    const { server, path } = await serverWithBigVideo(t, { STREAM_MAX_CONNS: '1', STREAM_STALL_S: String(stallS) });
    const [stalled] = await holdMany(t, server, path, 1, () => ({}));
    const stalledAt = Date.now();
    assert.equal((await rangeFrom(server, path)).status, 429, 'the one token is held');
    await eventually(async () => assert.equal((await rangeFrom(server, path)).status, 206), (stallS + 3) * 1000);
    const freedMs = Date.now() - stalledAt;
    assert.ok(freedMs <= (stallS + 1) * 1000, `the token came back after ${freedMs} ms`);
    assert.match((await operatorGet(server, '/metrics')).body, /^moviedash_stream_stalled_total 1$/m);
    // Reading again, the client finds its connection closed before the whole file came.
    let received = stalled!.bodyStart.length;
    stalled!.socket.on('data', (chunk: Buffer) => (received += chunk.length)).resume();
    await once(stalled!.socket, 'close');
    assert.ok(received < BIG_FILE_BYTES, `${received} bytes of ${BIG_FILE_BYTES}`);
  });

  it('leaves a slow stream that keeps taking bytes alone', async (t) => {
    const stallS = 1;
    const { server, path } = await serverWithBigVideo(t, { STREAM_STALL_S: String(stallS) });
    const [slow] = await holdMany(t, server, path, 1, () => ({}));
    let received = 0;
    // A few MiB a second: loopback buffers hold MiBs, and the kernel wakes the writer only after much has drained.
    const drip = setInterval(() => {
      for (let chunk = slow!.socket.read(); chunk !== null; chunk = slow!.socket.read()) received += chunk.length;
    }, 10);
    t.after(() => clearInterval(drip));
    await new Promise((resolve) => setTimeout(resolve, 3 * stallS * 1000));
    assert.equal(slow!.socket.destroyed, false, `cut after ${received} bytes`);
  });
});
