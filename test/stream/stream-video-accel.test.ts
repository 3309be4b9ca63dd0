// ACCEL_REDIRECT_PREFIX behind Debian's nginx, configured as README.md's example: moviedash makes every check,
// nginx sends the file from its internal location.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { moviedashFront, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { eventually, holdStream, writeBigFile } from './held-stream.js';

const PREFIX = '/protected-videos/';
const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const FIXTURE = readFileSync(MP4);

let work: string;
let server: TestServer;
/** The same data without the prefix: what moviedash sends when it sends the bytes itself. */
let direct: TestServer;
let nginx: RunningNginx;
let user: TestUser;
let id: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'moviedash-accel-'));
  // One token: nginx holds the streams, so moviedash must give its token back at once.
  server = await startServer({ env: { ACCEL_REDIRECT_PREFIX: PREFIX, STREAM_MAX_CONNS: '1' } });
  // nginx's workers run as an unprivileged user: they must reach VIDEO_DIR under the test's temp dir.
  chmodSync(dirname(server.videoDir), 0o755);
  direct = await startServer({ dataDir: server.dataDir, videoDir: server.videoDir });
  const front = moviedashFront({ upstream: server.url, accelPrefix: PREFIX, videoDir: server.videoDir, streamLimits: { total: 100, perClient: 1 } });
  nginx = await startNginx({ dir: join(work, 'nginx'), ...front });
  user = await signUp(server);
  id = await seedReadyVideo(server, user, MP4, 'video/mp4');
});

after(async () => {
  await nginx?.stop();
  await direct?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const viaNginx = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(nginx.baseUrl + path, { method, headers });

describe('GET /videos/:vid-id behind nginx with ACCEL_REDIRECT_PREFIX', () => {
  const ranges = [
    { range: 'bytes=1000-50999', start: 1000, end: 50999 },
    { range: 'bytes=-500', start: FIXTURE.length - 500, end: FIXTURE.length - 1 },
    { range: 'bytes=0-', start: 0, end: FIXTURE.length - 1 },
  ];
  for (const { range, start, end } of ranges) {
    it(`answers ${range} with the file's bytes, byte for byte`, async () => {
      const res = await viaNginx(`/videos/${id}`, { Range: range });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/${FIXTURE.length}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(FIXTURE.subarray(start, end + 1)));
    });
  }

  it('sends the whole file with the Content-Type, Cache-Control, ETag and Last-Modified moviedash sends itself', async () => {
    const [proxied, own] = await Promise.all([viaNginx(`/videos/${id}`), fetch(`${direct.url}/videos/${id}`)]);
    assert.equal(proxied.status, 200);
    assert.ok(Buffer.from(await proxied.arrayBuffer()).equals(FIXTURE));
    await own.arrayBuffer();
    for (const name of ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'x-content-type-options']) {
      assert.equal(proxied.headers.get(name), own.headers.get(name), name);
    }
    assert.match(proxied.headers.get('x-request-id') ?? '', /^[0-9a-f]{12}$/);
  });

  it('answers 304 to the ETag moviedash sent, and honours If-Range with it', async () => {
    const etag = (await fetch(`${direct.url}/videos/${id}`, { method: 'HEAD' })).headers.get('etag')!;
    const unchanged = await viaNginx(`/videos/${id}`, { 'If-None-Match': etag });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const ranged = await viaNginx(`/videos/${id}`, { Range: 'bytes=0-99', 'If-Range': etag });
    assert.equal(ranged.status, 206);
    assert.equal((await ranged.arrayBuffer()).byteLength, 100);
  });

  it('answers 416 with Content-Range bytes */SIZE and the contract JSON for a range past the end', async () => {
    const res = await viaNginx(`/videos/${id}`, { Range: `bytes=${FIXTURE.length}-` });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), `bytes */${FIXTURE.length}`);
    // Not to be kept, as moviedash's own 416. nginx's range filter makes the 416 after the internal location's
    // headers went on, so its year-long Cache-Control is there too; no-store overrides it (RFC 9111 5.2.2.5: a
    // cache MUST NOT store the response).
    assert.match(res.headers.get('cache-control') ?? '', /(^|, )no-store$/);
    assert.equal(((await res.json()) as { error_code: string }).error_code, '011');
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await viaNginx(`/videos/${id}`, {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(FIXTURE.length));
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  it('answers 404 at once for a video deleted a moment before', async () => {
    const doomed = await seedReadyVideo(server, user, MP4, 'video/mp4');
    assert.equal((await viaNginx(`/videos/${doomed}`, { Range: 'bytes=0-0' })).status, 206);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${doomed}`, { sid: user.sid })).status, 204);
    const res = await viaNginx(`/videos/${doomed}`, { Range: 'bytes=0-0' });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error_code: string }).error_code, '006');
  });

  it("answers the contract's 404 when the file is gone after moviedash's check (a deletion racing the request)", async () => {
    const doomed = await seedReadyVideo(server, user, MP4, 'video/mp4');
    // The row still says ready, so moviedash redirects; nginx then finds no file, as when the scheduler removed it
    // between the two.
    unlinkSync(join(server.videoDir, doomed));
    const res = await viaNginx(`/videos/${doomed}`, { Range: 'bytes=0-99' });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(((await res.json()) as { error_code: string }).error_code, '006');
  });

  it('answers 404 for a video without its file yet, and for an unknown id', async () => {
    const pending = await createVideo(server, user);
    assert.equal((await viaNginx(`/videos/${pending.id}`)).status, 404);
    assert.equal((await viaNginx('/videos/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('answers 404 to a request for the internal location from outside', async () => {
    assert.equal((await viaNginx(`${PREFIX}${id}`)).status, 404);
    assert.equal((await viaNginx(`${PREFIX}${id}`, { Range: 'bytes=0-99' })).status, 404);
  });
});

describe('GET /videos/:vid-id with ACCEL_REDIRECT_PREFIX, asked directly', () => {
  it('answers with X-Accel-Redirect to the file under the prefix, the stored mime, and no body', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${server.url}/videos/${id}`, { method, headers: { Range: 'bytes=0-99' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-accel-redirect'), `${PREFIX}${id}`);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      // nginx would pass it on to its 416s, 429s and error pages; its internal location adds it to the file's.
      assert.equal(res.headers.get('cache-control'), null);
      assert.equal((await res.arrayBuffer()).byteLength, 0);
    }
  });

  it('gives its one limiter token back at once while nginx streams, and nginx limit_conn caps streams per client', async (t) => {
    const bigFile = join(work, 'big.mp4');
    writeBigFile(bigFile);
    const big = await seedReadyVideo(server, user, bigFile, 'video/mp4');
    const held = await holdStream({ port: nginx.port }, `/videos/${big}`);
    t.after(() => held.socket.destroy());
    assert.equal(held.status, 200);
    // STREAM_MAX_CONNS=1, and one stream is running: moviedash still answers, as nginx holds the stream.
    assert.equal((await fetch(`${server.url}/videos/${id}`)).status, 200);
    const refused = await viaNginx(`/videos/${id}`);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    assert.equal(((await refused.json()) as { error_code: string }).error_code, '010');
    held.socket.destroy();
    await eventually(async () => assert.equal((await viaNginx(`/videos/${id}`, { Range: 'bytes=0-0' })).status, 206));
  });
});
