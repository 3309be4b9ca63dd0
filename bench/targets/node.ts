// The bare node:http reference (servers/node-server.ts): Node's own floor for the same bytes on this machine.
import type { Fixtures } from '../lib/fixtures.js';
import { describeExit, stopTracked } from '../lib/procs.js';
import { startCompiledServer } from './compiled-server.js';
import type { Target } from './target.js';

export async function startBareNode(fixtures: Fixtures): Promise<Target> {
  const { child, baseUrl, output } = await startCompiledServer('node-server', { FILES_DIR: fixtures.dir });
  return {
    name: 'node:http',
    baseUrl,
    fileUrl: { small: `${baseUrl}/files/${fixtures.small.name}`, large: `${baseUrl}/files/${fixtures.large.name}` },
    commentsUrl: null,
    putUrl: null,
    pids: () => [child.pid!],
    diagnose: () => `${describeExit(child)}; its output:\n${output().split('\n').slice(-30).join('\n')}`,
    stop: () => stopTracked(child),
  };
}
