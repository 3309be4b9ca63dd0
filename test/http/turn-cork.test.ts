import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setImmediate as turnEnd } from 'node:timers/promises';
import { corkUntilTurnEnds } from '../../src/http/turn-cork.js';

const server = createServer();
const peers: Socket[] = [];
/** Every socket of both ends, destroyed at the end whatever failed. */
const sockets: Socket[] = [];

before(async () => {
  server.on('connection', (socket) => {
    peers.push(socket);
    sockets.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
after(() => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

/** A connected socket, and what its peer has received so far. */
async function connection(): Promise<{ socket: Socket; received: () => string }> {
  const address = server.address() as { port: number };
  const socket = connect(address.port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  while (peers.length === 0) await turnEnd();
  const peer = peers.shift()!;
  let text = '';
  peer.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { socket, received: () => text };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('corkUntilTurnEnds', () => {
  it("holds a socket's writes past node:http's nextTick uncork, and lets them go when the turn ends", async () => {
    const { socket, received } = await connection();
    corkUntilTurnEnds(socket);
    socket.cork();
    socket.write('reply');
    process.nextTick(() => socket.uncork());
    await nextTick();
    await nextTick();
    assert.equal(socket.writableLength, 5);
    await turnEnd();
    assert.equal(socket.writableLength, 0);
    while (received() === '') await turnEnd();
    assert.equal(received(), 'reply');
  });

  it('uncorks a socket corked by two requests of one turn (pipelined) twice', async () => {
    const { socket } = await connection();
    corkUntilTurnEnds(socket);
    corkUntilTurnEnds(socket);
    socket.write('first');
    socket.write('second');
    await turnEnd();
    assert.equal(socket.writableLength, 0);
  });

  it('lets go of a socket destroyed before the turn ends', async () => {
    const { socket } = await connection();
    corkUntilTurnEnds(socket);
    socket.write('never sent');
    socket.destroy();
    await turnEnd();
    assert.ok(socket.destroyed);
  });
});
