// What GET /videos/:vid-id refuses: videos that are not ready or not there, and paths that try to leave VIDEO_DIR.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, rawGet, rawRequest, request, signUp, type TestUser } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { removeStoredFile, storedFile } from '../helpers/stored-files.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const FIXTURE = readFileSync(MP4);

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

describe('GET /videos/:vid-id for videos that cannot be streamed', () => {
  async function assertNotFound(path: string): Promise<void> {
    const res = await request(server, 'GET', path);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'No such video', error_code: '006' });
  }

  it('answers 404 for a pending video', async () => {
    const { id } = await createVideo(server, user);
    writeFileSync(join(server.videoDir, id), FIXTURE);
    await assertNotFound(`/videos/${id}`);
  });

  it('answers 404 for an unknown UUID', async () => {
    await assertNotFound('/videos/00000000-0000-4000-8000-000000000000');
  });

  it('answers 404 for an id that is not a UUID', async () => {
    await assertNotFound('/videos/not-a-uuid');
  });

  it('answers 404 for a real id in capitals', async () => {
    await assertNotFound(`/videos/${videoId.toUpperCase()}`);
  });

  it('answers 404 for a ready video whose file is gone', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    await removeStoredFile(server, id);
    await assertNotFound(`/videos/${id}`);
  });

  it('answers 404 for a deleted video whose file is still there', async () => {
    const id = await seedReadyVideo(server, user, MP4, 'video/mp4');
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${id}`, { sid: user.sid })).status, 204);
    assert.ok(await storedFile(server, id));
    await assertNotFound(`/videos/${id}`);
  });

  it('answers 404 for a file in VIDEO_DIR that is no video', async () => {
    writeFileSync(join(server.videoDir, 'notes.txt'), 'SECRET-IN-VIDEO-DIR');
    await assertNotFound('/videos/notes.txt');
  });
});

describe('GET /videos/:vid-id path traversal', () => {
  const SECRET = 'SECRET-OUTSIDE-VIDEO-DIR';
  before(() => writeFileSync(join(server.videoDir, '..', 'secret'), SECRET));

  const paths = [
    '/videos/../../etc/passwd',
    '/videos/../secret',
    '/videos/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/videos/%2e%2e%2fsecret',
    '/videos/..%2F..%2Fetc%2Fpasswd',
    '/videos/..%2Fsecret',
    '/videos/%252e%252e%252f%252e%252e%252fetc%252fpasswd',
    '/videos/..%5C..%5Cetc%5Cpasswd',
    '/videos/..\\..\\etc\\passwd',
    '/videos/%00',
    '/videos/..%00/secret',
    '/videos/%2Fetc%2Fpasswd',
    '/videos//etc/passwd',
    '/videos/%2e%2e',
    '/videos/..',
    '/videos/%',
    '/videos/%zz',
    '/videos/..%2F..%2Fetc%2Fpasswd/poster',
    '/videos/%2e%2e%2fsecret/poster',
  ];
  for (const path of paths) {
    it(`answers a JSON 404 or 400 and no file for ${path}`, async () => {
      const res = await rawRequest(server, rawGet(path));
      assert.ok(res.status === 404 || res.status === 400, `status ${res.status}`);
      const body = res.body.toString('latin1');
      assert.match(JSON.parse(body).error_code, /^0(06|11)$/);
      assert.doesNotMatch(body, /root:|SECRET/);
    });
  }

  it('answers a JSON 404 or 400 for a NUL after a real id', async () => {
    const res = await rawRequest(server, rawGet(`${videoPath}%00`));
    assert.ok(res.status === 404 || res.status === 400, `status ${res.status}`);
    assert.ok(JSON.parse(res.body.toString()).error_code);
  });
});
