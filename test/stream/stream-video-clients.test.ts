// Real clients against GET /videos/:vid-id: players and downloaders that depend on Range.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const WEBM = join(ROOT, 'test/fixtures/sample.webm');
const FIXTURE = readFileSync(MP4);

let server: TestServer;
let mp4Url: string;
let webmUrl: string;
let work: string;

before(async () => {
  server = await startServer();
  const user = await signUp(server);
  mp4Url = `${server.url}/videos/${await seedReadyVideo(server, user, MP4, 'video/mp4')}`;
  webmUrl = `${server.url}/videos/${await seedReadyVideo(server, user, WEBM, 'video/webm')}`;
  work = mkdtempSync(join(tmpdir(), 'moviedash-clients-'));
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function duration(input: string): Promise<string> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', input]);
  return stdout.trim();
}

describe('GET /videos/:vid-id with real clients', () => {
  for (const [name, fixture, url] of [['MP4', MP4, () => mp4Url], ['WebM', WEBM, () => webmUrl]] as const) {
    it(`lets ffprobe read the ${name} duration over HTTP as from the file`, async () => {
      const local = await duration(fixture);
      assert.match(local, /^\d+\.\d+$/);
      assert.equal(await duration(url()), local);
    });
  }

  it('lets ffmpeg seek to 8 s and extract a frame', async () => {
    const out = join(work, 'frame.jpg');
    await run('ffmpeg', ['-v', 'error', '-ss', '8', '-i', mp4Url, '-frames:v', '1', '-f', 'image2', out]);
    const jpeg = readFileSync(out);
    assert.ok(jpeg.length > 1000, `frame of ${jpeg.length} bytes`);
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  });

  it('serves curl -r 0-1023 the first KiB', async () => {
    const out = join(work, 'first-kib');
    const { stdout } = await run('curl', ['-sS', '-r', '0-1023', '-o', out, '-w', '%{http_code}', mp4Url]);
    assert.equal(stdout, '206');
    assert.ok(readFileSync(out).equals(FIXTURE.subarray(0, 1024)));
  });

  it('lets curl -C - resume a partial download into the whole file', async () => {
    const out = join(work, 'resumed.mp4');
    writeFileSync(out, FIXTURE.subarray(0, 100_000));
    const { stdout } = await run('curl', ['-sS', '-C', '-', '-o', out, '-w', '%{http_code}', mp4Url]);
    assert.equal(stdout, '206');
    assert.equal(statSync(out).size, FIXTURE.length);
    assert.ok(readFileSync(out).equals(FIXTURE));
  });
});
