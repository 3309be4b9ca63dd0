import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signUp, type TestUser } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { setStoredMtime } from '../helpers/stored-files.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const WEBM = join(ROOT, 'test/fixtures/sample.webm');
const FIXTURE = readFileSync(MP4);
const SIZE = FIXTURE.length;

let server: TestServer;
let user: TestUser;
let videoId: string;
let videoPath: string;

before(async () => {
  server = await startServer();
  user = await signUp(server);
  videoId = await seedReadyVideo(server, user, MP4, 'video/mp4');
  videoPath = `/videos/${videoId}`;
});
after(() => server.close());

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(server.url + path, { method, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('GET /videos/:vid-id', () => {
  const last = SIZE - 1;
  const cases: { what: string; range: string | undefined; status: number; contentRange?: string; bytes?: [number, number] }[] = [
    { what: 'no Range', range: undefined, status: 200, bytes: [0, last] },
    { what: 'the first byte (Safari and iOS probe)', range: 'bytes=0-0', status: 206, contentRange: `bytes 0-0/${SIZE}`, bytes: [0, 0] },
    { what: 'the first two bytes (Safari and iOS probe)', range: 'bytes=0-1', status: 206, contentRange: `bytes 0-1/${SIZE}`, bytes: [0, 1] },
    { what: 'a closed range', range: 'bytes=100-1123', status: 206, contentRange: `bytes 100-1123/${SIZE}`, bytes: [100, 1123] },
    { what: 'an open end', range: 'bytes=300000-', status: 206, contentRange: `bytes 300000-${last}/${SIZE}`, bytes: [300000, last] },
    { what: 'bytes=0-', range: 'bytes=0-', status: 206, contentRange: `bytes 0-${last}/${SIZE}`, bytes: [0, last] },
    { what: 'a suffix', range: 'bytes=-500', status: 206, contentRange: `bytes ${SIZE - 500}-${last}/${SIZE}`, bytes: [SIZE - 500, last] },
    { what: 'a suffix longer than the file', range: 'bytes=-99999999', status: 206, contentRange: `bytes 0-${last}/${SIZE}`, bytes: [0, last] },
    { what: 'an end past the file (clamped)', range: 'bytes=313000-999999999', status: 206, contentRange: `bytes 313000-${last}/${SIZE}`, bytes: [313000, last] },
    { what: 'the last byte', range: `bytes=${last}-${last}`, status: 206, contentRange: `bytes ${last}-${last}/${SIZE}`, bytes: [last, last] },
    { what: 'a start at the size', range: `bytes=${SIZE}-`, status: 416, contentRange: `bytes */${SIZE}` },
    { what: 'a start past the size', range: 'bytes=999999-1000000', status: 416, contentRange: `bytes */${SIZE}` },
    { what: 'bytes=-0', range: 'bytes=-0', status: 416, contentRange: `bytes */${SIZE}` },
    { what: 'a start after the end', range: 'bytes=500-200', status: 416, contentRange: `bytes */${SIZE}` },
    { what: 'several ranges (whole file)', range: 'bytes=0-1,5-9', status: 200, bytes: [0, last] },
    { what: 'another unit', range: 'items=0-5', status: 200, bytes: [0, last] },
    { what: 'a malformed header', range: 'bytes=abc', status: 200, bytes: [0, last] },
    { what: 'no range-set', range: 'bytes=', status: 200, bytes: [0, last] },
  ];
  for (const { what, range, status, contentRange, bytes } of cases) {
    it(`answers ${status} for ${what}: ${range ?? '(none)'}`, async () => {
      const res = await get(videoPath, range === undefined ? {} : { Range: range });
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-range'), contentRange ?? null);
      if (bytes) {
        const expected = FIXTURE.subarray(bytes[0], bytes[1] + 1);
        assert.equal(res.headers.get('content-length'), String(expected.length));
        assert.ok(res.body.equals(expected), 'body differs from the fixture bytes');
        assert.equal(res.headers.get('accept-ranges'), 'bytes');
      } else {
        assert.deepEqual(JSON.parse(res.body.toString()), {
          error: `Invalid Range: no requested byte is within the video's ${SIZE} bytes`,
          error_code: '011',
        });
      }
    });
  }

  it('sends the stored mime, a strong ETag, the file mtime as Last-Modified and an immutable Cache-Control', async () => {
    const pastMs = Date.UTC(2020, 0, 2, 3, 4, 5);
    await setStoredMtime(server, videoId, pastMs);
    const res = await get(videoPath);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    assert.match(res.headers.get('etag') ?? '', /^"[^"]+"$/);
    assert.equal(res.headers.get('last-modified'), 'Thu, 02 Jan 2020 03:04:05 GMT');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('sends a WebM with video/webm, byte for byte', async () => {
    const id = await seedReadyVideo(server, user, WEBM, 'video/webm');
    const res = await get(`/videos/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/webm');
    assert.ok(res.body.equals(readFileSync(WEBM)));
  });
});

describe('HEAD /videos/:vid-id', () => {
  it('answers 200 with the headers of GET and no body', async () => {
    const [head, full] = await Promise.all([get(videoPath, {}, 'HEAD'), get(videoPath)]);
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    for (const name of ['content-length', 'content-type', 'etag', 'last-modified', 'accept-ranges', 'cache-control']) {
      assert.equal(head.headers.get(name), full.headers.get(name), name);
    }
    assert.equal(head.headers.get('content-length'), String(SIZE));
  });

  it('ignores Range: 200 with the whole length for bytes=0-1', async () => {
    const res = await get(videoPath, { Range: 'bytes=0-1' }, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(SIZE));
    assert.equal(res.headers.get('content-range'), null);
  });

  it('answers 304 for a matching If-None-Match', async () => {
    const { headers } = await get(videoPath, {}, 'HEAD');
    const res = await get(videoPath, { 'If-None-Match': headers.get('etag')! }, 'HEAD');
    assert.equal(res.status, 304);
  });
});

describe('GET /videos/:vid-id conditional requests', () => {
  let etag: string;
  let lastModified: string;
  before(async () => {
    const res = await get(videoPath, {}, 'HEAD');
    etag = res.headers.get('etag')!;
    lastModified = res.headers.get('last-modified')!;
  });

  function assertNotModified(res: Awaited<ReturnType<typeof get>>): void {
    assert.equal(res.status, 304);
    assert.equal(res.body.length, 0);
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(res.headers.get('last-modified'), lastModified);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }

  it('answers 304 with validators and no body for If-None-Match with the ETag', async () => {
    assertNotModified(await get(videoPath, { 'If-None-Match': etag }));
  });

  it('answers 304 for If-None-Match with the ETag in a list', async () => {
    assertNotModified(await get(videoPath, { 'If-None-Match': `"nope", ${etag}` }));
  });

  it('answers 304 for If-Modified-Since equal to Last-Modified', async () => {
    assertNotModified(await get(videoPath, { 'If-Modified-Since': lastModified }));
  });

  it('answers 304 before looking at Range for a matching If-None-Match', async () => {
    assertNotModified(await get(videoPath, { 'If-None-Match': etag, Range: 'bytes=0-1' }));
  });

  it('answers 200 for If-None-Match with another ETag', async () => {
    const res = await get(videoPath, { 'If-None-Match': '"other"' });
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(FIXTURE));
  });

  it('answers 200 for If-Modified-Since before Last-Modified', async () => {
    const before = new Date(Date.parse(lastModified) - 1000).toUTCString();
    assert.equal((await get(videoPath, { 'If-Modified-Since': before })).status, 200);
  });

  it('answers 200 for a non-matching If-None-Match even when If-Modified-Since matches', async () => {
    assert.equal((await get(videoPath, { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified })).status, 200);
  });

  const ifRangeCases = [
    { what: 'the ETag', ifRange: () => etag, status: 206 },
    { what: 'Last-Modified exactly', ifRange: () => lastModified, status: 206 },
    { what: 'another ETag', ifRange: () => '"other"', status: 200 },
    { what: 'the ETag made weak', ifRange: () => `W/${etag}`, status: 200 },
    { what: 'a date after Last-Modified', ifRange: () => new Date(Date.parse(lastModified) + 1000).toUTCString(), status: 200 },
  ];
  for (const { what, ifRange, status } of ifRangeCases) {
    it(`answers ${status} to bytes=100-199 with If-Range of ${what}`, async () => {
      const res = await get(videoPath, { Range: 'bytes=100-199', 'If-Range': ifRange() });
      assert.equal(res.status, status);
      assert.ok(res.body.equals(status === 206 ? FIXTURE.subarray(100, 200) : FIXTURE));
    });
  }

  it('answers 200 whole instead of 416 when If-Range does not match', async () => {
    const res = await get(videoPath, { Range: `bytes=${SIZE}-`, 'If-Range': '"other"' });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, SIZE);
  });
});
