// A real S3 server for tests: test/s3/radosgw.sh starts a throw-away Ceph cluster with radosgw (~5 s on an idle
// machine) and prints its endpoint, bucket and keys; stop() removes it. startRadosgw() starts one of a test file's
// own; testRadosgw() shares one: the cluster `npm run test:s3` started for the whole run (test/s3/run.ts hands its
// settings down in MOVIEDASH_TEST_S3_ENV), or else one per test process, started at first use.
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('./radosgw.sh', import.meta.url));

export interface Radosgw {
  /** S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The variable test/s3/run.ts sets to the shared cluster's settings (JSON). */
export const SHARED_ENV_VARIABLE = 'MOVIEDASH_TEST_S3_ENV';

export async function startRadosgw(env: Record<string, string> = {}): Promise<Radosgw> {
  const { stdout } = await promisify(execFile)('bash', [SCRIPT, 'start'], { timeout: 180_000, env: { ...process.env, ...env } });
  const settings = Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const dir = settings.RADOSGW_DIR!;
  delete settings.RADOSGW_DIR;
  let isStopped = false;
  // A test process that ends without its after() hooks (a crash, a timeout) still leaves nothing running.
  const stopAtExit = () => {
    if (!isStopped) execFileSync('bash', [SCRIPT, 'stop', dir]);
  };
  process.once('exit', stopAtExit);
  return {
    env: settings,
    async stop() {
      if (isStopped) return;
      isStopped = true;
      process.off('exit', stopAtExit);
      await promisify(execFile)('bash', [SCRIPT, 'stop', dir]);
    },
  };
}

let shared: Promise<Record<string, string>> | undefined;

/** The S3_* settings of the cluster this test process shares (stopped when the process exits). */
export function testRadosgw(): Promise<Record<string, string>> {
  const handedDown = process.env[SHARED_ENV_VARIABLE];
  shared ??= handedDown ? Promise.resolve(JSON.parse(handedDown) as Record<string, string>) : startRadosgw().then((radosgw) => radosgw.env);
  return shared;
}
