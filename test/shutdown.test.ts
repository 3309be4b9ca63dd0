import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createVideo, request, signUp } from './helpers/http.js';
import { seedReadyVideo } from './helpers/seed-video.js';
import { startServer, type TestServer } from './helpers/server.js';
import { holdStream, writeBigFile } from './stream/held-stream.js';

const MP4 = new URL('./fixtures/sample.mp4', import.meta.url);

/** Everything the server sends on the socket until it closes it. */
function readUntilClosed(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

async function waitForOutput(server: TestServer, text: string): Promise<void> {
  while (!server.stdout().includes(text)) await delay(20);
}

/** Sends a request's head and the first half of its JSON body; the rest is the caller's to send. */
async function startSlowPost(server: TestServer, path: string, sid: string, body: string) {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  const response = readUntilClosed(socket);
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nX-Session-Id: ${sid}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  // Let the server read the head and start the handler before the signal comes.
  await delay(200);
  return { response, sendRest: () => socket.write(body.slice(half)) };
}

describe('SIGTERM', () => {
  it('lets a request whose body is still arriving finish, refuses new connections, exits 0 and keeps the session', async (t) => {
    let server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    const body = JSON.stringify({ name: 'Sent in two halves' });
    const post = await startSlowPost(server, `/user/${user.name}/videos`, user.sid, body);

    const exited = server.stop();
    await waitForOutput(server, 'SIGTERM: stopping');
    await assert.rejects(fetch(`${server.url}/healthz`), 'a new connection was accepted while stopping');
    await delay(500);
    post.sendRest();
    const response = await post.response;
    assert.match(response, /^HTTP\/1\.1 201 /);
    assert.match(response, /\r\nConnection: close\r\n/i, 'the client was not told that the connection ends');
    assert.equal(await exited, 0);

    server = await server.restart();
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200, 'the session was lost');
    const list = await request(server, 'GET', `/user/${user.name}/videos`);
    assert.deepEqual(list.body.videos.map((video: { name: string }) => video.name), ['Sent in two halves']);
  });

  it('cuts a request that outlasts SHUTDOWN_GRACE_S, logs it as 499 and still exits 0', async (t) => {
    const server = await startServer({ env: { SHUTDOWN_GRACE_S: '0.3' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const post = await startSlowPost(server, `/user/${user.name}/videos`, user.sid, JSON.stringify({ name: 'Never finished' }));

    assert.equal(await server.stop(), 0);
    assert.equal(await post.response, '', 'the cut request got an answer');
    assert.match(server.stdout(), new RegExp(`POST /user/${user.name}/videos 499 `));
  });
});

describe('SIGTERM with a stream and an upload in flight', () => {
  it('lets both complete, exits 0, and the uploaded video is ready after a restart', async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'moviedash-shutdown-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const bigFile = join(work, 'big.mp4');
    writeBigFile(bigFile);
    const fileBytes = readFileSync(bigFile);
    let server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    const streamed = await seedReadyVideo(server, user, bigFile, 'video/mp4');
    const uploading = (await createVideo(server, user, 'Uploaded during shutdown')).id;

    // A viewer that has the response head and then reads slowly: the stream cannot end before SIGTERM.
    const stream = await holdStream(server, `/videos/${streamed}`);
    assert.equal(stream.status, 200);
    // An upload whose first half is sent; the second half comes after SIGTERM.
    const upload = connect(server.port, '127.0.0.1');
    await once(upload, 'connect');
    const uploadResponse = readUntilClosed(upload);
    const sample = readFileSync(MP4);
    const half = Math.floor(sample.length / 2);
    upload.write(
      `PUT /upload/${uploading} HTTP/1.1\r\nHost: localhost\r\nX-Session-Id: ${user.sid}\r\n` +
        `Content-Length: ${sample.length}\r\n\r\n`,
    );
    upload.write(sample.subarray(0, half));
    await delay(200);

    const exited = server.stop();
    await waitForOutput(server, 'SIGTERM: stopping');
    upload.write(sample.subarray(half));
    const received = readRest(stream.socket);
    stream.socket.resume();

    assert.match(await uploadResponse, /^HTTP\/1\.1 201 /);
    const body = Buffer.concat([stream.bodyStart, await received]);
    assert.equal(body.length, fileBytes.length, 'the stream was cut short');
    assert.ok(body.equals(fileBytes));
    assert.equal(await exited, 0);

    server = await server.restart();
    const video = await request(server, 'GET', `/user/${user.name}/videos/${uploading}`);
    assert.equal(video.body.status, 'ready');
    assert.equal(video.body.size, sample.length);
  });
});

/** The body bytes a held stream still receives until the server closes the connection. */
function readRest(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}
