// The Fastify 5 reference (servers/fastify-server.ts), compiled to JS and run as a plain node process.
import { fileURLToPath } from 'node:url';
import type { Fixtures } from '../lib/fixtures.js';
import { describeExit, runCommand, spawnTracked, stopTracked } from '../lib/procs.js';
import { waitForPort } from './listening.js';
import type { Target } from './target.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `db` is a copy of moviedash's seeded database with `commentsVideoId` in it, or null for files only. */
export async function startFastify(fixtures: Fixtures, db: { path: string; commentsVideoId: string } | null): Promise<Target> {
  await runCommand(`${ROOT}node_modules/.bin/tsc`, ['-p', 'bench/servers/tsconfig.json'], { cwd: ROOT });
  const env: NodeJS.ProcessEnv = { ...process.env, FILES_DIR: fixtures.dir };
  if (db) env.DB_PATH = db.path;
  const child = spawnTracked(process.execPath, ['bench/.build/servers/fastify-server.js'], { cwd: ROOT, env });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const port = await waitForPort(child, () => output, 'the Fastify reference');
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    name: 'fastify',
    baseUrl,
    fileUrl: { small: `${baseUrl}/files/${fixtures.small.name}`, large: `${baseUrl}/files/${fixtures.large.name}` },
    commentsUrl: db ? `${baseUrl}/videos/${db.commentsVideoId}/comments` : null,
    putUrl: null,
    pids: () => [child.pid!],
    diagnose: () => `${describeExit(child)}; its output:\n${output.split('\n').slice(-30).join('\n')}`,
    stop: () => stopTracked(child),
  };
}
