// npm run test:s3: one throw-away radosgw for the whole run (test/s3/radosgw.sh), then node --test over the S3
// suites (*.s3.ts: the storage contract against a bucket, and what only STORAGE=s3 does) and, with
// MOVIEDASH_TEST_STORAGE=s3, the upload, stream and scheduler integration tests: every server they start keeps its
// videos and posters in the bucket, and they check the same things as in `npm test`. Arguments replace the file list.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/server.js';
import { SHARED_ENV_VARIABLE, startRadosgw } from './radosgw.js';

const INTEGRATION_DIRS = ['test/upload', 'test/stream', 'test/scheduler', 'test/tus', 'test/limits'];

/** Integration tests about VIDEO_DIR itself, which STORAGE=s3 leaves to the local disk as it is. */
const LOCAL_BY_NATURE: Record<string, string> = {
  'test/upload/disk-full.test.ts': 'fills the tmpfs under VIDEO_DIR',
  'test/tus/disk-full.test.ts': 'fills the tmpfs under VIDEO_DIR',
  'test/stream/stream-video-accel.test.ts': 'nginx sends files from VIDEO_DIR (X-Accel-Redirect)',
  'test/stream/stream-video-cache.test.ts': 'the descriptors of files in VIDEO_DIR kept open',
};

/** The integration test files that start a server and are not about VIDEO_DIR, and every *.s3.ts file. */
function testFiles(): string[] {
  const all = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? all(join(dir, entry.name)) : [join(dir, entry.name)]));
  const s3Suites = all('test').filter((file) => file.endsWith('.s3.ts'));
  const integration = INTEGRATION_DIRS.flatMap(all).filter(
    (file) => file.endsWith('.test.ts') && !(file in LOCAL_BY_NATURE) && readFileSync(join(ROOT, file), 'utf8').includes('startServer('),
  );
  return [...s3Suites, ...integration].sort();
}

async function main(): Promise<number> {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((file) => relative(ROOT, file)) : testFiles();
  // Every test file's objects stay in the one cluster's RAM (memstore) until its tests remove them.
  const radosgw = await startRadosgw({ RADOSGW_MEMSTORE_MB: process.env.RADOSGW_MEMSTORE_MB ?? '3072' });
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, MOVIEDASH_TEST_STORAGE: 's3', [SHARED_ENV_VARIABLE]: JSON.stringify(radosgw.env) },
    });
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await radosgw.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:s3: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
