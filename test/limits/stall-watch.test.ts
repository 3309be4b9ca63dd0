import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { StallWatch } from '../../src/limits/stall-watch.js';

const STALL_MS = 1000;
/** More than loopback socket buffers take, so a client that stops reading stops the server's writes. */
const BODY = Buffer.alloc(32 * 1024 * 1024);

/** A server that sends BODY to every request and watches the response; resolves with each response as it starts. */
async function watchedServer(t: { after(fn: () => unknown): void }, watch: StallWatch) {
  const responses: ServerResponse[] = [];
  const server = createServer((_req, res) => {
    responses.push(res);
    const watched = watch.watch(res);
    res.once('close', () => watch.forget(watched));
    res.writeHead(200, { 'Content-Length': BODY.length });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const open = (): Promise<Socket> =>
    new Promise((resolve) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => {});
      t.after(() => socket.destroy());
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
  return { responses, open };
}

const closed = (res: ServerResponse) => new Promise<void>((resolve) => (res.closed ? resolve() : res.once('close', () => resolve())));

describe('StallWatch', () => {
  it('cuts a response whose client takes no byte for stallMs, and leaves one that keeps reading', async (t) => {
    let stalls = 0;
    const watch = new StallWatch(STALL_MS, () => stalls++);
    const { responses, open } = await watchedServer(t, watch);
    const stalled = await open();
    stalled.pause();
    const reading = await open();
    reading.pause();
    // ~6 MiB/s: loopback socket buffers hold MiBs, and the kernel wakes the writer only once a good part has drained.
    const drip = setInterval(() => reading.read(), 10);
    t.after(() => clearInterval(drip));
    while (responses.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = Date.now();
    await closed(responses[0]!);
    const ms = Date.now() - started;
    assert.ok(ms >= STALL_MS - 50 && ms < STALL_MS + 2 * (STALL_MS / 4) + 200, `cut after ${ms} ms`);
    assert.equal(stalls, 1);
    await new Promise((resolve) => setTimeout(resolve, 2 * STALL_MS));
    assert.equal(responses[1]!.closed, false, 'the reading client was cut');
  });

  it('leaves a response that ends before stallMs alone', async (t) => {
    let stalls = 0;
    const watch = new StallWatch(STALL_MS, () => stalls++);
    const { responses, open } = await watchedServer(t, watch);
    const client = await open();
    client.resume();
    while (responses.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await closed(responses[0]!);
    assert.equal(watch.size, 0);
    await new Promise((resolve) => setTimeout(resolve, STALL_MS * 1.5));
    assert.equal(stalls, 0);
  });

  it('still watches every other response after one of them is forgotten', async (t) => {
    let stalls = 0;
    const watch = new StallWatch(STALL_MS, () => stalls++);
    const { responses, open } = await watchedServer(t, watch);
    const clients = [await open(), await open(), await open()];
    for (const client of clients) client.pause();
    while (responses.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(watch.size, 3);
    // The first entry goes: the last takes its place.
    clients[0]!.destroy();
    await closed(responses[0]!);
    assert.equal(watch.size, 2);
    await Promise.all([closed(responses[1]!), closed(responses[2]!)]);
    assert.equal(stalls, 2);
    assert.equal(watch.size, 0);
  });
});
