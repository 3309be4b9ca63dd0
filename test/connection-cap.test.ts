import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { request } from './helpers/http.js';
import { startServer, type TestServer } from './helpers/server.js';
import { waitUntil } from './helpers/upload.js';

function open(server: TestServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true when the server closes the socket within ms without a byte, false when it keeps it open. */
function isClosedAtOnce(socket: Socket, ms = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('MAX_CONNECTIONS=2', () => {
  it('closes connections over the limit at once, logs the burst once, and accepts again when one ends', async (t) => {
    const server = await startServer({ env: { MAX_CONNECTIONS: '2' } });
    t.after(() => server.close());
    const held = [await open(server), await open(server)];
    t.after(() => held.forEach((socket) => socket.destroy()));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const over = await Promise.all([1, 2, 3].map(() => open(server)));
    assert.deepEqual(await Promise.all(over.map((socket) => isClosedAtOnce(socket))), [true, true, true]);
    assert.equal(await isClosedAtOnce(held[0]!, 200), false, 'a connection under the limit was closed');
    await waitUntil('the limit to be logged', () => server.stdout().includes('connection limit reached'));
    assert.equal(server.stdout().split('connection limit reached').length - 1, 1, 'logged once per connection, not once per burst');

    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await request(server, 'GET', '/healthz')).status, 200);
  });
});
