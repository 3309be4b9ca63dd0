// `node dist/main.js storage migrate` against radosgw: a site that stored its files locally moves them into the
// bucket, stopped midway and run again, while nothing a viewer sees changes (bytes, ETag, Last-Modified).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, storageEnvOf, type TestServer } from '../helpers/server.js';
import { bucketOf, storedFileNames } from '../helpers/stored-files.js';
import { putRaw } from '../helpers/upload.js';
import { runCommand } from './run-command.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const WEBM = join(ROOT, 'test/fixtures/sample.webm');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface Seen {
  status: number;
  etag: string | null;
  lastModified: string | null;
  body: Buffer;
}

async function look(server: TestServer, path: string, headers: Record<string, string> = {}): Promise<Seen> {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), body: Buffer.from(await res.arrayBuffer()) };
}

/** Runs the command and SIGKILLs it as soon as it has printed its first file's line. */
function runUntilFirstFile(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'storage', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^\[1\/\d+\] /m.test(stdout)) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('close', () => resolve(stdout));
  });
}

describe('node dist/main.js storage migrate', () => {
  it('moves every local file into the bucket, stopped midway and run again, with the same bytes and validators', async (t) => {
    const server = await startServer({ storage: 'local' });
    t.after(() => server.close());
    const user = await signUp(server);
    const videos = [await seedReadyVideo(server, user, MP4, 'video/mp4'), await seedReadyVideo(server, user, WEBM, 'video/webm'), await seedReadyVideo(server, user, MP4, 'video/mp4')];
    assert.equal((await putRaw(server, `/upload/${videos[0]}/poster`, PNG, user.sid)).status, 201);
    await createVideo(server, user);
    const paths = [...videos.map((id) => `/videos/${id}`), `/videos/${videos[0]}/poster`];
    const before = await Promise.all(paths.map((path) => look(server, path)));
    await server.stop();

    const s3 = await storageEnvOf('s3', server.dataDir);
    const env = { DATA_DIR: server.dataDir, VIDEO_DIR: server.videoDir, ...s3 };
    const stopped = await runUntilFirstFile(env);
    assert.match(stopped, /^4 files in /m);
    assert.match(stopped, /^\[1\/4\] \S+ \(\d+\.\d MiB\): moved$/m);

    const rerun = await runCommand(['storage', 'migrate'], env);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /^3 files in /m);
    assert.match(rerun.stdout, /^\[3\/3\] /m);
    assert.match(rerun.stdout, /^moved 3 of 3 files \(\d+\.\d MiB\) into the bucket$/m);
    assert.deepEqual(readdirSync(server.videoDir), []);

    const again = await runCommand(['storage', 'migrate'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^moved 0 of 0 files \(0\.0 MiB\) into the bucket$/m);

    const moved = await server.restart(s3);
    assert.ok(bucketOf(moved));
    assert.deepEqual(await storedFileNames(moved), [...videos, `${videos[0]}.poster`].sort());
    const after = await Promise.all(paths.map((path) => look(moved, path)));
    assert.deepEqual(after, before);
    const ranged = await look(moved, paths[0]!, { Range: 'bytes=10-19', 'If-Range': before[0]!.etag! });
    assert.deepEqual([ranged.status, ranged.body], [206, before[0]!.body.subarray(10, 20)]);
    assert.equal((await look(moved, paths[0]!, { 'If-None-Match': before[0]!.etag! })).status, 304);

    const refused = await server.restart({ STORAGE: 'local' }).then(
      () => assert.fail('a server with STORAGE=local started on files in the bucket'),
      (error: Error) => error.message,
    );
    assert.match(refused, /STORAGE=local, but 4 files are stored in S3/);
  });

  it('refuses to run without STORAGE=s3, naming the settings', async () => {
    const run = await runCommand(['storage', 'migrate'], { STORAGE: 'local', DATA_DIR: '/nonexistent/moviedash', VIDEO_DIR: '/nonexistent/moviedash' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^moviedash: storage migrate: the files move to the S3 bucket: set STORAGE=s3 and the S3_\* settings/);
  });
});
