// nginx from Debian serving the fixture files with sendfile (and taking WebDAV PUTs for the upload
// reference), from a config of its own in a temp dir.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixtures } from '../lib/fixtures.js';
import { freePort } from '../lib/http.js';
import { processTree } from '../lib/memory.js';
import { describeExit, hasExited, spawnTracked, stopTracked } from '../lib/procs.js';
import { NGINX_BIN } from '../lib/tools.js';
import type { Target } from './target.js';

function config(dir: string, fixtures: Fixtures, port: number): string {
  return `
worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { video/mp4 mp4; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location /files/ { alias ${fixtures.dir}/; }
    location /upload/ {
      alias ${dir}/uploads/;
      dav_methods PUT DELETE;
      client_max_body_size 2g;
    }
  }
}
`;
}

export async function startNginx(tempDir: string, fixtures: Fixtures): Promise<Target> {
  const dir = join(tempDir, 'nginx');
  mkdirSync(dir, { recursive: true });
  // nginx's workers run as an unprivileged user; they write PUT bodies here.
  mkdirSync(join(dir, 'uploads'), { mode: 0o777 });
  chmodSync(join(dir, 'uploads'), 0o777);
  const port = await freePort();
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, config(dir, fixtures, port));
  const child = spawnTracked(NGINX_BIN, ['-p', dir, '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(baseUrl, () => (hasExited(child) ? `nginx exited: ${stderr}` : null));
  return {
    name: 'nginx',
    baseUrl,
    fileUrl: { small: `${baseUrl}/files/${fixtures.small.name}`, large: `${baseUrl}/files/${fixtures.large.name}` },
    commentsUrl: null,
    putUrl: `${baseUrl}/upload/put.mp4`,
    pids: () => processTree(child.pid!),
    diagnose: () => `${describeExit(child)}; ${join(dir, 'error.log')}:\n${readFileSync(join(dir, 'error.log'), 'utf8').split('\n').slice(-30).join('\n')}`,
    // SIGQUIT: nginx's graceful shutdown, which also ends its workers.
    stop: () => stopTracked(child, 'SIGQUIT'),
  };
}

/** Polls until any HTTP answer arrives; `failure` says why to give up early (the process died). */
export async function waitUntilAnswering(baseUrl: string, failure: () => string | null, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failure();
    if (reason) throw new Error(reason);
    try {
      await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${baseUrl} did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
