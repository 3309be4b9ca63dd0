// The Fastify 5 reference (servers/fastify-server.ts).
import type { Fixtures } from '../lib/fixtures.js';
import { describeExit, stopTracked } from '../lib/procs.js';
import { startCompiledServer } from './compiled-server.js';
import type { Target } from './target.js';

/** `db` is a copy of moviedash's seeded database with `commentsVideoId` in it, or null for files only. */
export async function startFastify(fixtures: Fixtures, db: { path: string; commentsVideoId: string } | null): Promise<Target> {
  const env: NodeJS.ProcessEnv = { FILES_DIR: fixtures.dir };
  if (db) env.DB_PATH = db.path;
  const { child, baseUrl, output } = await startCompiledServer('fastify-server', env);
  return {
    name: 'fastify',
    baseUrl,
    fileUrl: { small: `${baseUrl}/files/${fixtures.small.name}`, large: `${baseUrl}/files/${fixtures.large.name}` },
    commentsUrl: db ? `${baseUrl}/videos/${db.commentsVideoId}/comments` : null,
    putUrl: null,
    pids: () => [child.pid!],
    diagnose: () => `${describeExit(child)}; its output:\n${output().split('\n').slice(-30).join('\n')}`,
    stop: () => stopTracked(child),
  };
}
