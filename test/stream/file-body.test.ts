// Files of several MiB, sent in chunks that grow and shrink with the client, from shared read buffers:
// every byte must arrive, in order, whoever else streams at the same time.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rawGet, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MiB = 1024 * 1024;
/** An MP4 `ftyp` box, so uploads accept the file. */
const FTYP = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');

let server: TestServer;
let work: string;
const videos: { path: string; bytes: Buffer }[] = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'moviedash-file-body-'));
  server = await startServer();
  const user = await signUp(server);
  for (const size of [6 * MiB + 12345, 5 * MiB + 1]) {
    const file = join(work, `${size}.mp4`);
    writeFileSync(file, Buffer.concat([FTYP, randomBytes(size - FTYP.length)]));
    videos.push({ path: `/videos/${await seedReadyVideo(server, user, file, 'video/mp4')}`, bytes: readFileSync(file) });
  }
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** GET over a raw socket that reads nothing for pauseMs after the response starts, then everything. */
function getAfterPause(path: string, pauseMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.once('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.pause();
      setTimeout(() => socket.resume(), pauseMs);
      socket.on('data', (more: Buffer) => chunks.push(more));
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      resolve(all.subarray(all.indexOf('\r\n\r\n') + 4));
    });
    socket.write(rawGet(path));
  });
}

describe('GET /videos/:vid-id of a file of several MiB', () => {
  it('sends the whole file byte for byte', async () => {
    const [{ path, bytes }] = videos as [typeof videos[0]];
    const res = await get(path);
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(bytes));
  });

  it('sends a range of over 1 MiB at odd offsets byte for byte', async () => {
    const [{ path, bytes }] = videos as [typeof videos[0]];
    const [start, end] = [MiB - 3, 4 * MiB + 17];
    const res = await get(path, { Range: `bytes=${start}-${end}` });
    assert.equal(res.status, 206);
    assert.ok(res.body.equals(bytes.subarray(start, end + 1)));
  });

  for (const [what, start, end] of [['within the first 64 KiB (kept in memory)', 0, 65535], ['across the end of the first 64 KiB', 65000, 70000]] as const) {
    it(`sends a range ${what} byte for byte, twice`, async () => {
      const [{ path, bytes }] = videos as [typeof videos[0]];
      for (let i = 0; i < 2; i++) {
        const res = await get(path, { Range: `bytes=${start}-${end}` });
        assert.equal(res.status, 206);
        assert.ok(res.body.equals(bytes.subarray(start, end + 1)));
      }
    });
  }

  it('sends every byte to a client that stops reading for a while', async () => {
    const [{ path, bytes }] = videos as [typeof videos[0]];
    assert.ok((await getAfterPause(path, 300)).equals(bytes));
  });

  it('keeps the bytes of concurrent streams of two files apart', async () => {
    const streams = Array.from({ length: 8 }, (_, i) => videos[i % 2]!);
    const bodies = await Promise.all(streams.map(({ path }, i) => (i % 4 === 0 ? getAfterPause(path, 100) : get(path).then((res) => res.body))));
    bodies.forEach((body, i) => assert.ok(body.equals(streams[i]!.bytes), `stream ${i} differs from its file`));
  });
});
