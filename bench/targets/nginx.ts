// nginx from Debian serving the fixture files with sendfile (and taking WebDAV PUTs for the upload
// reference), from a config of its own in a temp dir (test/helpers/nginx.ts, shared with the tests).
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startNginx as startNginxProcess } from '../../test/helpers/nginx.js';
import type { Fixtures } from '../lib/fixtures.js';
import { processTree } from '../lib/memory.js';
import { describeExit, spawnTracked } from '../lib/procs.js';
import type { Target } from './target.js';

export async function startNginx(tempDir: string, fixtures: Fixtures): Promise<Target> {
  const dir = join(tempDir, 'nginx');
  // nginx's workers run as an unprivileged user; they write PUT bodies here.
  mkdirSync(join(dir, 'uploads'), { recursive: true, mode: 0o777 });
  chmodSync(join(dir, 'uploads'), 0o777);
  const nginx = await startNginxProcess({
    dir,
    workers: 'auto',
    spawn: spawnTracked,
    server: `
    location /files/ { alias ${fixtures.dir}/; }
    location /upload/ {
      alias ${dir}/uploads/;
      dav_methods PUT DELETE;
      client_max_body_size 2g;
    }`,
  });
  const { baseUrl } = nginx;
  return {
    name: 'nginx',
    baseUrl,
    fileUrl: { small: `${baseUrl}/files/${fixtures.small.name}`, large: `${baseUrl}/files/${fixtures.large.name}` },
    commentsUrl: null,
    putUrl: `${baseUrl}/upload/put.mp4`,
    pids: () => processTree(nginx.child.pid!),
    diagnose: () => `${describeExit(nginx.child)}; ${join(dir, 'error.log')}:\n${nginx.errorLog()}`,
    // SIGQUIT: nginx's graceful shutdown, which also ends its workers.
    stop: () => nginx.stop(),
  };
}
