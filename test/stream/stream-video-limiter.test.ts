// The stream limiter over real sockets, as the Go original tested it: two tokens, slow clients holding them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rawGet, rawRequest, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { eventually, holdStream, writeBigFile, type HeldStream } from './held-stream.js';

let work: string;
let bigFile: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'moviedash-limiter-'));
  bigFile = join(work, 'big.mp4');
  writeBigFile(bigFile);
});
after(() => rmSync(work, { recursive: true, force: true }));

async function serverWithBigVideo(env: Record<string, string>): Promise<{ server: TestServer; path: string }> {
  const server = await startServer({ env });
  const user = await signUp(server);
  return { server, path: `/videos/${await seedReadyVideo(server, user, bigFile, 'video/mp4')}` };
}

async function holdTwo(server: TestServer, path: string): Promise<HeldStream[]> {
  const held = await Promise.all([holdStream(server, path), holdStream(server, path)]);
  assert.deepEqual(held.map((stream) => stream.status), [200, 200]);
  return held;
}

/** Answers with a small range once a token is free (after a held stream's socket closed). */
async function assertStreamsAgain(server: TestServer, path: string): Promise<void> {
  await eventually(async () => {
    const res = await rawRequest(server, rawGet(path, 'Range: bytes=0-1\r\n'));
    assert.equal(res.status, 206);
  });
}

describe('GET /videos/:vid-id with STREAM_MAX_CONNS=2 and no queue', () => {
  let server: TestServer;
  let path: string;
  before(async () => ({ server, path } = await serverWithBigVideo({ STREAM_MAX_CONNS: '2', STREAM_QUEUE_MS: '0' })));
  after(() => server.close());

  it('answers the third stream 429 with Retry-After and 010 while two slow streams hold the tokens', async () => {
    const held = await holdTwo(server, path);
    const third = await rawRequest(server, rawGet(path));
    assert.equal(third.status, 429);
    assert.match(third.head, /\r\nRetry-After: 1\r\n/i);
    assert.equal(JSON.parse(third.body.toString()).error_code, '010');
    for (const stream of held) stream.socket.destroy();
    await assertStreamsAgain(server, path);
  });

  it('gives a token back when one slow client goes away, so the next stream succeeds', async () => {
    const [first, second] = await holdTwo(server, path);
    assert.equal((await rawRequest(server, rawGet(path))).status, 429);
    first!.socket.destroy();
    await assertStreamsAgain(server, path);
    second!.socket.destroy();
  });

  it('serves posters while every stream token is taken (posters take none)', async () => {
    const held = await holdTwo(server, path);
    const poster = await rawRequest(server, rawGet(`${path}/poster`));
    assert.equal(poster.status, 200);
    for (const stream of held) stream.socket.destroy();
    await assertStreamsAgain(server, path);
  });

  it('returns every token after streams that finish, fail with 416 or answer 304', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await rawRequest(server, rawGet(path, 'Range: bytes=0-99\r\n'))).status, 206);
      assert.equal((await rawRequest(server, rawGet(path, 'Range: bytes=-0\r\n'))).status, 416);
      const etag = /\r\nETag: ("[^"]+")/i.exec((await rawRequest(server, rawGet(path, 'Range: bytes=0-0\r\n'))).head)![1];
      assert.equal((await rawRequest(server, rawGet(path, `If-None-Match: ${etag}\r\n`))).status, 304);
    }
    for (const stream of await eventuallyHoldTwo(server, path)) stream.socket.destroy();
  });
});

describe('GET /videos/:vid-id with STREAM_MAX_CONNS=2 and STREAM_QUEUE_MS=3000', () => {
  let server: TestServer;
  let path: string;
  before(async () => ({ server, path } = await serverWithBigVideo({ STREAM_MAX_CONNS: '2', STREAM_QUEUE_MS: '3000' })));
  after(() => server.close());

  it('gives a waiting stream the token that a slow client frees', async () => {
    const [first, second] = await holdTwo(server, path);
    const waiting = holdStream(server, path);
    await new Promise((resolve) => setTimeout(resolve, 100));
    first!.socket.destroy();
    const third = await waiting;
    assert.equal(third.status, 200);
    second!.socket.destroy();
    third.socket.destroy();
  });

  it('answers 429 once the wait is over with no token freed', async () => {
    const held = await holdTwo(server, path);
    const third = await rawRequest(server, rawGet(path));
    assert.equal(third.status, 429);
    assert.equal(JSON.parse(third.body.toString()).error_code, '010');
    for (const stream of held) stream.socket.destroy();
  });

  it('leaks no token after 100 requests aborted while streaming or waiting', async () => {
    const sockets = Array.from({ length: 100 }, () => {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      return socket;
    });
    // Two of them stream (their heads arrive), the other 98 wait in the queue; then all go away.
    await new Promise<void>((resolve) => {
      let heads = 0;
      for (const socket of sockets) socket.once('data', () => ++heads === 2 && resolve());
    });
    for (const socket of sockets) socket.destroy();
    for (const stream of await eventuallyHoldTwo(server, path)) stream.socket.destroy();
  });
});

/** Both tokens free again: two slow streams can be opened (proves 0 in use with a bucket of 2). */
async function eventuallyHoldTwo(server: TestServer, path: string): Promise<HeldStream[]> {
  let held: HeldStream[] = [];
  await eventually(async () => {
    for (const stream of held) stream.socket.destroy();
    held = await Promise.all([holdStream(server, path), holdStream(server, path)]);
    assert.deepEqual(held.map((stream) => stream.status), [200, 200]);
  });
  return held;
}
