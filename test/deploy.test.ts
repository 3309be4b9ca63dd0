import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from './helpers/http.js';
import { ROOT, type TestServer } from './helpers/server.js';

const CONTRACT_VARS = ['PORT', 'HOST', 'DATA_DIR', 'VIDEO_DIR', 'MAX_UPLOAD_MB', 'STREAM_MAX_CONNS', 'STREAM_QUEUE_MS',
  'SESSION_TTL_MIN', 'SCHEDULER_INTERVAL_S', 'WORKERS', 'SHUTDOWN_GRACE_S', 'LOG_FORMAT'];

interface Run {
  code: number | null;
  output: string;
}

/** Runs deploy.sh with only the given settings: none leak in from the environment of the test run. */
function deploySh(args: string[], settings: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  for (const name of CONTRACT_VARS) if (!(name in settings)) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'deploy.sh'), args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** Alive and not a zombie (an orphaned server that exited stays a zombie when init does not reap it). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function parseStatus(output: string): { pid: number; release: string } {
  const match = /running: pid (\d+), release (\S+),/.exec(output);
  assert.ok(match, `no "running: pid N, release R" in:\n${output}`);
  return { pid: Number(match[1]), release: match[2]! };
}

/** The helpers only need the address of the deployed server. */
function deployedAt(port: number): TestServer {
  return { port, url: `http://127.0.0.1:${port}` } as TestServer;
}

describe('deploy.sh', () => {
  it('prints its usage for --help', async () => {
    const run = await deploySh(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.output, /--local DIR/);
    assert.match(run.output, /--rollback/);
  });

  it('keeps data and settings across deploys, rolls back a release that fails, keeps 3 releases, stops and restarts', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-deploy-'));
    t.after(async () => {
      await deploySh(['--local', dir, '--stop']);
      rmSync(dir, { recursive: true, force: true });
    });
    const port = await freePort();
    const server = deployedAt(port);

    const first = await deploySh(['--local', dir, '--no-test'], { PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' });
    assert.equal(first.code, 0, first.output);
    const user = await signUp(server);
    const video = await createVideo(server, user, 'Survives deploys');
    // The build copied tus-js-client's browser build into the statics: the release has no dev dependencies.
    const tusClient = await fetch(`${server.url}/statics/vendor/tus.min.js`);
    assert.equal(tusClient.status, 200);
    assert.deepEqual(Buffer.from(await tusClient.arrayBuffer()), readFileSync(join(ROOT, 'node_modules/tus-js-client/dist/tus.min.js')));
    const firstStatus = parseStatus((await deploySh(['--local', dir, '--status'])).output);

    // No settings this time: the saved ones (port, host, JSON logs) must carry over.
    const second = await deploySh(['--local', dir, '--no-test']);
    assert.equal(second.code, 0, second.output);
    const secondStatus = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    assert.notEqual(secondStatus.release, firstStatus.release);
    assert.equal(isAlive(firstStatus.pid), false, 'the first server is still running');
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).body.name, 'Survives deploys');
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200, 'the session was lost');
    const lastLine = readFileSync(join(dir, 'shared/moviedash.log'), 'utf8').trimEnd().split('\n').at(-1)!;
    assert.equal(JSON.parse(lastLine).msg, 'request', 'LOG_FORMAT=json was not kept');

    const otherPort = await freePort();
    const failing = await deploySh(['--local', dir, '--no-test'], { PORT: String(otherPort), MAX_UPLOAD_MB: '-1' });
    assert.notEqual(failing.code, 0, failing.output);
    assert.match(failing.output, /Invalid MAX_UPLOAD_MB/);
    assert.match(failing.output, new RegExp(`failed its health check, rolled back to ${secondStatus.release}`));
    const afterRollback = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    assert.equal(afterRollback.release, secondStatus.release);
    assert.equal((await request(server, 'GET', '/healthz')).status, 200, 'the rollback does not serve on the old port');
    await assert.rejects(fetch(`http://127.0.0.1:${otherPort}/healthz`));
    const env = readFileSync(join(dir, 'shared/env'), 'utf8');
    assert.match(env, new RegExp(`^PORT=${port}$`, 'm'));
    assert.doesNotMatch(env, /MAX_UPLOAD_MB/);

    for (let i = 0; i < 2; i++) assert.equal((await deploySh(['--local', dir, '--no-test'])).code, 0);
    const releases = readdirSync(join(dir, 'releases'));
    assert.equal(releases.length, 3, releases.join(' '));
    assert.ok(!releases.includes(firstStatus.release), 'the oldest release was not removed');
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 200);

    const { pid } = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    const stop = await deploySh(['--local', dir, '--stop']);
    assert.equal(stop.code, 0, stop.output);
    assert.equal(isAlive(pid), false, 'the server still runs after --stop');
    assert.equal(existsSync(join(dir, 'shared/moviedash.pid')), false);
    const status = await deploySh(['--local', dir, '--status']);
    assert.equal(status.code, 3);
    assert.match(status.output, /not running/);

    const restart = await deploySh(['--local', dir, '--restart']);
    assert.equal(restart.code, 0, restart.output);
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200);
  });
});
