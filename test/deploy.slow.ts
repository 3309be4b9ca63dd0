import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from './helpers/http.js';
import { MAIN_ARGS, ROOT, type TestServer } from './helpers/server.js';

// Every deploy that starts the server says --allow-root when the tests run as root (CI does).
const IS_ROOT = process.getuid?.() === 0;
const ALLOW_ROOT = IS_ROOT ? ['--allow-root'] : [];

interface Run {
  code: number | null;
  output: string;
}

/** Runs deploy.sh with `exported` added to its environment (which it must never save). */
function deploySh(args: string[], exported: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...exported };
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

  it('lists every setting of node dist/main.js --help, and refuses an unknown one before building', async () => {
    const help = execFileSync(process.execPath, [...MAIN_ARGS, '--help'], { cwd: ROOT, encoding: 'utf8' });
    const serverSettings = [...help.matchAll(/^--[a-z0-9-]+ <value> +([A-Z0-9_]+) /gm)].map((match) => match[1]);
    const script = readFileSync(join(ROOT, 'deploy.sh'), 'utf8');
    const deploySettings = /^readonly SETTINGS=\(([^)]*)\)/m.exec(script)![1]!.split(/\s+/).filter(Boolean);
    assert.ok(serverSettings.length > 30);
    assert.deepEqual(serverSettings.filter((name) => !deploySettings.includes(name!)), []);

    const typo = await deploySh(['--local', '/nonexistent/never-made', 'MAX_UPLOD_MB=5']);
    assert.equal(typo.code, 1);
    assert.match(typo.output, /not a setting: MAX_UPLOD_MB/);
    assert.doesNotMatch(typo.output, /building/);
    const flagTypo = await deploySh(['--local', '/nonexistent/never-made', '--max-uplod-mb', '5']);
    assert.match(flagTypo.output, /unknown option --max-uplod-mb/);
    assert.equal(existsSync('/nonexistent/never-made'), false);
  });

  it('keeps data and settings across deploys, rolls back a release that fails, keeps 3 releases, backs up, stops and restarts', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-deploy-'));
    t.after(async () => {
      await deploySh(['--local', dir, '--stop']);
      rmSync(dir, { recursive: true, force: true });
    });
    const [port, operatorPort] = [await freePort(), await freePort()];
    const server = deployedAt(port);
    // Other test files run servers from the project's dist/ meanwhile: a deploy must not rebuild it under them.
    const projectBuild = join(ROOT, 'dist/main.js');
    const buildBefore = existsSync(projectBuild) ? statSync(projectBuild).mtimeMs : undefined;

    // Settings as KEY=VALUE and as the server's flags; the exported ones are the deployer's own business.
    const exported = { MAX_UPLOAD_MB: '7', SIGNUP: 'closed', PORT: '1' };
    const given = [`PORT=${port}`, '--host', '127.0.0.1', '--log-format=json', `OPERATOR_PORT=${operatorPort}`];
    const first = await deploySh(['--local', dir, '--no-test', ...ALLOW_ROOT, ...given], exported);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /saved to shared\/env: PORT HOST LOG_FORMAT OPERATOR_PORT\n/);
    const savedEnv = readFileSync(join(dir, 'shared/env'), 'utf8');
    assert.doesNotMatch(savedEnv, /MAX_UPLOAD_MB|SIGNUP/, 'an exported variable was saved');
    assert.match(savedEnv, new RegExp(`^PORT=${port}$`, 'm'));
    // umask 077 on the target: the settings (S3 keys), the database and the log are the server user's alone.
    assert.equal(statSync(join(dir, 'shared/env')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'shared/data')).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'shared/moviedash.log')).mode & 0o777, 0o600);
    const user = await signUp(server);
    const video = await createVideo(server, user, 'Survives deploys');
    // The build copied tus-js-client's browser build into the statics: the release has no dev dependencies.
    const tusClient = await fetch(`${server.url}/statics/vendor/tus.min.js`);
    assert.equal(tusClient.status, 200);
    assert.deepEqual(Buffer.from(await tusClient.arrayBuffer()), readFileSync(join(ROOT, 'node_modules/tus-js-client/dist/tus.min.js')));
    const firstStatus = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    assert.equal((await fetch(`http://127.0.0.1:${operatorPort}/healthz`)).status, 200);

    // No settings this time: the saved ones (port, host, JSON logs) must carry over.
    const second = await deploySh(['--local', dir, '--no-test', ...ALLOW_ROOT]);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /no settings given: shared\/env kept as it was/);
    const secondStatus = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    assert.notEqual(secondStatus.release, firstStatus.release);
    assert.equal(isAlive(firstStatus.pid), false, 'the first server is still running');
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).body.name, 'Survives deploys');
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200, 'the session was lost');
    const lastLine = readFileSync(join(dir, 'shared/moviedash.log'), 'utf8').trimEnd().split('\n').at(-1)!;
    assert.equal(JSON.parse(lastLine).msg, 'request', 'LOG_FORMAT=json was not kept');

    const otherPort = await freePort();
    const failing = await deploySh(['--local', dir, '--no-test', ...ALLOW_ROOT, `PORT=${otherPort}`, 'MAX_UPLOAD_MB=-1']);
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

    for (let i = 0; i < 2; i++) assert.equal((await deploySh(['--local', dir, '--no-test', ...ALLOW_ROOT])).code, 0);
    const releases = readdirSync(join(dir, 'releases'));
    assert.equal(releases.length, 3, releases.join(' '));
    assert.ok(!releases.includes(firstStatus.release), 'the oldest release was not removed');
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 200);

    // An online backup while it serves, copied into a directory here.
    const backups = join(dir, 'copied-backups');
    const backup = await deploySh(['--local', dir, '--backup', backups]);
    assert.equal(backup.code, 0, backup.output);
    const [copied] = readdirSync(backups);
    assert.match(copied!, /^moviedash-\d{8}T\d{6}Z\.db$/);
    assert.equal(statSync(join(backups, copied!)).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'shared/backups')), [copied]);
    const copy = new Database(join(backups, copied!), { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(copy.prepare('SELECT name FROM video_info WHERE id = ?').pluck().get(video.id), 'Survives deploys');
    copy.close();

    const { pid } = parseStatus((await deploySh(['--local', dir, '--status'])).output);
    if (IS_ROOT) {
      const asRoot = await deploySh(['--local', dir, '--restart']);
      assert.equal(asRoot.code, 1);
      assert.match(asRoot.output, /refusing to run the server as root on .*: deploy as an ordinary user, or pass --allow-root/);
      assert.equal(isAlive(pid), true, 'the refused restart stopped the server');
    }
    const stop = await deploySh(['--local', dir, '--stop']);
    assert.equal(stop.code, 0, stop.output);
    assert.equal(isAlive(pid), false, 'the server still runs after --stop');
    assert.equal(existsSync(join(dir, 'shared/moviedash.pid')), false);
    const status = await deploySh(['--local', dir, '--status']);
    assert.equal(status.code, 3);
    assert.match(status.output, /not running/);

    const restart = await deploySh(['--local', dir, '--restart', ...ALLOW_ROOT]);
    assert.equal(restart.code, 0, restart.output);
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200);
    assert.equal(existsSync(projectBuild) ? statSync(projectBuild).mtimeMs : undefined, buildBefore, "the deploys rebuilt the project's dist/");
  });
});
