// The real server as a child process, on port 0 with temp DATA_DIR/VIDEO_DIR, as an operator runs it. With
// MOVIEDASH_TEST_STORAGE=s3 (npm run test:s3) it keeps its videos and posters in a bucket of a real S3 server
// (radosgw), under a prefix of its own: the same tests then check the same things of STORAGE=s3.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testRadosgw } from '../s3/radosgw.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How tests start moviedash: `node dist/main.js`, what an operator runs, when `npm test` has just built it
 * (MOVIEDASH_TEST_BUILD=dist: starting the build costs a third of tsx's compile-on-load, and the suite starts
 * the server some 200 times); else the sources through tsx, so one test file runs on its own without a build.
 */
export const MAIN_ARGS: readonly string[] =
  process.env.MOVIEDASH_TEST_BUILD === 'dist' ? [join(ROOT, 'dist/main.js')] : ['--import', 'tsx', join(ROOT, 'src/main.ts')];

export interface TestServer {
  port: number;
  url: string;
  /** The operator listener (/metrics, /healthz, /video-delete-record) on 127.0.0.1. */
  operatorPort: number;
  operatorUrl: string;
  dataDir: string;
  videoDir: string;
  /** STORAGE and, for s3, the S3_* settings the server was started with (a test helper reads the bucket with them). */
  storageEnv: Record<string, string>;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing gets to clean up. */
  kill(): Promise<void>;
  /** Stops it (if running) and starts a new process on the same directories. */
  restart(env?: Record<string, string>): Promise<TestServer>;
  /** Stops it and removes its directories; for t.after. */
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  videoDir?: string;
  /** Where it stores video files: by default the test run's (MOVIEDASH_TEST_STORAGE), else local. */
  storage?: 'local' | 's3';
  /** A command to run the server under, its arguments before node's (strace, to slow a system call down). */
  runUnder?: readonly string[];
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const base = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'moviedash-test-')) : undefined;
  const dataDir = options.dataDir ?? join(base!, 'data');
  const videoDir = options.videoDir ?? join(base!, 'videos');
  const storage = options.storage ?? (process.env.MOVIEDASH_TEST_STORAGE === 's3' ? 's3' : 'local');
  const storageEnv = await storageEnvOf(storage, dataDir);
  return launch(dataDir, videoDir, options.env ?? {}, { base, children: new Map(), storageEnv, runUnder: options.runUnder ?? [] });
}

/** Shared by a server and its restarts, so close() on any of them stops whichever process is running. */
interface Lineage {
  base: string | undefined;
  /** Each running process, with what stops it (SIGTERM) and resolves with its exit code. */
  children: Map<ChildProcess, () => Promise<number | null>>;
  storageEnv: Record<string, string>;
  runUnder: readonly string[];
}

/** The storage settings of a test server: for s3 the test bucket's, with a prefix per database (a second server on the same data shares it). */
export async function storageEnvOf(storage: 'local' | 's3', dataDir: string): Promise<Record<string, string>> {
  if (storage === 'local') return { STORAGE: 'local' };
  const prefix = `test-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  // 5 MiB parts (S3's least) keep test objects small: radosgw's memstore holds them in RAM.
  return { ...(await testRadosgw()), STORAGE: 's3', S3_PREFIX: prefix, S3_PART_MB: '5' };
}

/**
 * The limits a public server needs would get in the way of tests that are about something else: each is
 * lifted here, and a test of a limit sets its own value.
 */
const LIFTED_LIMITS: Record<string, string> = {
  OPERATOR_PORT: '0',
  MIN_FREE_DISK_MB: '0',
  AUTH_RATE_PER_MIN: '1000000',
  STREAMS_PER_CLIENT: '100000',
  COMMENT_RATE_PER_MIN: '1000000',
  MAX_PENDING_VIDEOS: '1000000',
  MAX_UPLOADS_PER_USER: '1000',
};

const START_TIMEOUT_MS = 60_000;

async function launch(dataDir: string, videoDir: string, env: Record<string, string>, lineage: Lineage): Promise<TestServer> {
  const [command, ...args] = [...lineage.runUnder, process.execPath, ...MAIN_ARGS];
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, ...LIFTED_LIMITS, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, VIDEO_DIR: videoDir, ...lineage.storageEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  lineage.children.set(child, () => {
    child.kill('SIGTERM');
    return exited;
  });
  void exited.then(() => lineage.children.delete(child));

  // The operator listener is logged first; the public port's line says the server is ready.
  const [port, operatorPort] = await new Promise<[number, number]>((resolve, reject) => {
    // A busy machine (WORKERS=2 compiles TypeScript in three processes) can take a while; a server that never
    // says it listens is killed, or it would keep the test process alive for ever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS / 1000} s:\n${out}\n${err}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      const operator = /operator endpoint on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match && operator) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve([Number(match[1]), Number(operator[1])]);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`));
    });
  });

  // Signals go to the server itself: a command it runs under (strace) would only let go of it.
  const pid = lineage.runUnder.length === 0 ? child.pid! : childPidOf(child.pid!);
  const signal = (name: NodeJS.Signals) => process.kill(pid, name);
  const terminate = () => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    signal('SIGTERM');
    return exited;
  };
  if (lineage.children.has(child)) lineage.children.set(child, terminate);
  const server: TestServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    operatorPort,
    operatorUrl: `http://127.0.0.1:${operatorPort}`,
    dataDir,
    videoDir,
    storageEnv: Object.fromEntries(Object.entries({ ...lineage.storageEnv, ...env }).filter(([name]) => name === 'STORAGE' || name.startsWith('S3_'))),
    pid,
    stdout: () => out,
    stderr: () => err,
    stop: terminate,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGKILL');
      await exited;
    },
    async restart(nextEnv = env) {
      await server.stop();
      return launch(dataDir, videoDir, nextEnv, lineage);
    },
    async close() {
      await Promise.all([...lineage.children.values()].map((stop) => stop()));
      if (lineage.base) rmSync(lineage.base, { recursive: true, force: true });
    },
  };
  return server;
}

/** The one process a wrapper command started (node, under strace). */
function childPidOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
  if (children.length !== 1 || !children[0]) throw new Error(`process ${pid} has children "${children.join(' ')}", not one`);
  return Number(children[0]);
}

export { ROOT };
