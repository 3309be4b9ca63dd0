// nginx in front of moviedash as README.md's deployment example has it (test/helpers/nginx.ts: moviedashFront),
// proxying moviedash's bytes or, with X-Accel-Redirect, sending the files itself.
import { join } from 'node:path';
import { moviedashFront, startNginx, type FrontOptions } from '../../test/helpers/nginx.js';
import { processTree } from '../lib/memory.js';
import { spawnTracked } from '../lib/procs.js';

export interface NginxFront {
  baseUrl: string;
  pids(): number[];
  stop(): Promise<void>;
}

export async function startNginxFront(tempDir: string, name: string, front: FrontOptions): Promise<NginxFront> {
  const nginx = await startNginx({ dir: join(tempDir, name), workers: 'auto', spawn: spawnTracked, ...moviedashFront(front) });
  return { baseUrl: nginx.baseUrl, pids: () => processTree(nginx.child.pid!), stop: () => nginx.stop() };
}
