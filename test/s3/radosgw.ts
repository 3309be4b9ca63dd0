// A real S3 server for a test file: test/s3/radosgw.sh starts a throw-away Ceph cluster with radosgw (~5 s on
// an idle machine) and prints its endpoint, bucket and keys; stop() removes it. Start one per file, in before().
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('./radosgw.sh', import.meta.url));

export interface Radosgw {
  /** S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startRadosgw(): Promise<Radosgw> {
  const { stdout } = await promisify(execFile)('bash', [SCRIPT, 'start'], { timeout: 180_000 });
  const env = Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const dir = env.RADOSGW_DIR!;
  delete env.RADOSGW_DIR;
  let isStopped = false;
  // A test process that ends without its after() hooks (a crash, a timeout) still leaves nothing running.
  const stopAtExit = () => {
    if (!isStopped) execFileSync('bash', [SCRIPT, 'stop', dir]);
  };
  process.once('exit', stopAtExit);
  return {
    env,
    async stop() {
      if (isStopped) return;
      isStopped = true;
      process.off('exit', stopAtExit);
      await promisify(execFile)('bash', [SCRIPT, 'stop', dir]);
    },
  };
}
