import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { seedPoster, seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { removeStoredFile } from '../helpers/stored-files.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let server: TestServer;
let user: TestUser;
let work: string;
let pngPath: string;

before(async () => {
  server = await startServer();
  user = await signUp(server);
  work = mkdtempSync(join(tmpdir(), 'moviedash-poster-'));
  pngPath = join(work, 'poster.png');
  writeFileSync(pngPath, PNG);
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(server.url + path, { method, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function videoWithPoster(): Promise<string> {
  const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
  await seedPoster(server, user, id, pngPath);
  return id;
}

describe('GET /videos/:vid-id/poster', () => {
  it('answers 200 with the uploaded poster, its stored mime, validators and must-revalidate', async () => {
    const res = await get(`/videos/${await videoWithPoster()}/poster`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.ok(res.body.equals(PNG));
    assert.equal(res.headers.get('content-length'), String(PNG.length));
    assert.match(res.headers.get('etag') ?? '', /^"[^"]+"$/);
    assert.ok(res.headers.get('last-modified'));
    assert.equal(res.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
  });

  it('answers 304 with no body for If-None-Match or If-Modified-Since of the poster', async () => {
    const path = `/videos/${await videoWithPoster()}/poster`;
    const first = await get(path);
    const conditions: Record<string, string>[] = [
      { 'If-None-Match': first.headers.get('etag')! },
      { 'If-Modified-Since': first.headers.get('last-modified')! },
    ];
    for (const headers of conditions) {
      const res = await get(path, headers);
      assert.equal(res.status, 304);
      assert.equal(res.body.length, 0);
      assert.equal(res.headers.get('etag'), first.headers.get('etag'));
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await get(`/videos/${await videoWithPoster()}/poster`, {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(PNG.length));
    assert.equal(res.body.length, 0);
  });

  it('answers 200 for the new poster after a replaced one (old ETag no longer matches)', async () => {
    const id = await videoWithPoster();
    const old = await get(`/videos/${id}/poster`);
    const bigger = Buffer.concat([PNG, Buffer.from('more')]);
    writeFileSync(join(work, 'second.png'), bigger);
    await seedPoster(server, user, id, join(work, 'second.png'));
    const res = await get(`/videos/${id}/poster`, { 'If-None-Match': old.headers.get('etag')! });
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(bigger));
  });
});

describe('GET /videos/:vid-id/poster without a poster', () => {
  async function assertPlaceholder(path: string): Promise<string> {
    const res = await get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    const svg = res.body.toString();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="360" viewBox="0 0 640 360">/);
    assert.doesNotMatch(svg, /<script|on\w+=/i);
    return res.headers.get('etag')!;
  }

  it('answers a 16:9 SVG placeholder for a video with no poster', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    await assertPlaceholder(`/videos/${id}/poster`);
  });

  it('answers the placeholder for a pending video', async () => {
    const { id } = await createVideo(server, user);
    await assertPlaceholder(`/videos/${id}/poster`);
  });

  it('answers the placeholder when the poster file is gone', async () => {
    const id = await videoWithPoster();
    await removeStoredFile(server, id, 'poster');
    await assertPlaceholder(`/videos/${id}/poster`);
  });

  it('answers 304 for If-None-Match with the placeholder ETag, which no real poster shares', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    const etag = await assertPlaceholder(`/videos/${id}/poster`);
    const cached = await get(`/videos/${id}/poster`, { 'If-None-Match': etag });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
    await seedPoster(server, user, id, pngPath);
    assert.equal((await get(`/videos/${id}/poster`, { 'If-None-Match': etag })).status, 200);
  });

  it('answers 404 for an unknown video', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await request(server, 'GET', `/videos/${id}/poster`);
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'No such video', error_code: '006' });
    }
  });
});
