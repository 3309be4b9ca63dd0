// Debian's nginx as a child process with a config of its own in a temp dir, on a port found free: the tests
// of the nginx-fronted deployment and the bench's nginx targets both start it here.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxOptions {
  /** Its own directory: config, pid, error log, temp paths (made readable for the unprivileged workers). */
  dir: string;
  /** The server block's directives (locations), written inside `server { listen ...; }`. */
  server: string;
  /** More http-level directives (limit_conn_zone, upstream blocks, ...). */
  http?: string;
  /** worker_processes: one by default, `auto` for one per core. */
  workers?: string;
  /** How to start the process: the bench passes its own, which ends it on any exit. */
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
}

export interface RunningNginx {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The last lines of its error log, for a failure message. */
  errorLog(): string;
  /** Graceful stop (SIGQUIT to its process group: the master and its workers), SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

function config(options: NginxOptions, port: number): string {
  const { dir } = options;
  return `
worker_processes ${options.workers ?? '1'};
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
${options.http ?? ''}
  server {
    listen 127.0.0.1:${port};
${options.server}
  }
}
`;
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  // nginx's workers run as an unprivileged user when it starts as root: they must reach their temp paths.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, config(options, port));
  const start = options.spawn ?? spawn;
  // Its own process group, so that a signal to the group reaches the workers too.
  const child = start(NGINX_BIN, ['-p', dir, '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 10_000) => {
    if (hasExited() || child.pid === undefined) return;
    signalGroup(child.pid, 'SIGQUIT');
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilAnswering(baseUrl, () => (hasExited() ? `nginx exited: ${stderr}${errorLog()}` : null));
  } catch (error) {
    await stop(1000);
    throw error;
  }
  return { baseUrl, port, child, errorLog, stop };
}

export interface FrontOptions {
  /** moviedash's address: http://127.0.0.1:PORT */
  upstream: string;
  /** ACCEL_REDIRECT_PREFIX, or undefined when moviedash sends the bytes itself. */
  accelPrefix?: string;
  /** VIDEO_DIR, for the internal location nginx sends the files from. */
  videoDir: string;
  /** STREAM_MAX_CONNS and STREAMS_PER_CLIENT: nginx's limit_conn holds the streams behind X-Accel-Redirect. */
  streamLimits?: { total: number; perClient: number };
}

/**
 * nginx in front of moviedash as README.md's deployment example has it (without TLS): the http-level and the
 * server-level directives for startNginx.
 */
export function moviedashFront(options: FrontOptions): { http: string; server: string } {
  const limits = options.streamLimits ?? { total: 100, perClient: 8 };
  const http = `
  upstream moviedash {
    server ${new URL(options.upstream).host};
    keepalive 32;
  }
  limit_conn_zone $server_name zone=streams:1m;
  limit_conn_zone $binary_remote_addr zone=streams_per_client:10m;`;
  const accel = options.accelPrefix === undefined ? '' : `
    location ${options.accelPrefix} {
      internal;
      alias ${options.videoDir.replace(/\/?$/, '/')};
      sendfile on;
      tcp_nopush on;
      limit_conn streams ${limits.total};
      limit_conn streams_per_client ${limits.perClient};
      limit_conn_status 429;
      add_header Cache-Control "public, max-age=31536000, immutable";
      add_header X-Request-Id $upstream_http_x_request_id;
      add_header X-Content-Type-Options nosniff;
      error_page 404 = @gone;
      error_page 416 = @unsatisfiable;
      error_page 429 = @too_many_streams;
    }
    location @gone {
      default_type application/json;
      add_header Cache-Control no-store always;
      return 404 '{"error":"No such video","error_code":"006"}';
    }
    location @unsatisfiable {
      default_type application/json;
      add_header Cache-Control no-store always;
      return 416 '{"error":"Invalid Range: no requested byte is within the video","error_code":"011"}';
    }
    location @too_many_streams {
      default_type application/json;
      add_header Cache-Control no-store always;
      add_header Retry-After 1 always;
      return 429 '{"error":"Too many streams at once, try again shortly","error_code":"010"}';
    }`;
  const server = `
    client_max_body_size 1024m;
    proxy_request_buffering off;
    proxy_buffering off;
    location / {
      proxy_pass http://moviedash;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }${accel}`;
  return { http, server };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A port that was free a moment ago, for servers that need one in their config (nginx). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
