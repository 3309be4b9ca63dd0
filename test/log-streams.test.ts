// The server's stdout and stderr stop taking lines: nohup.out on a full disk (ENOSPC), or a pipe whose reader has
// ended (EPIPE). Logging must not take the server down with it: it goes on answering, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { MAIN_ARGS, ROOT } from './helpers/server.js';
import { fillDisk, tmpfsForSuite } from './helpers/tmpfs.js';
import { waitUntil } from './helpers/upload.js';

/** Where the server's stdout and stderr go: pipes to this test, or a file. */
type Output = 'pipe' | { fd: number; path: string };

/** node dist/main.js with stdout and stderr to output; resolves once it listens, with its public port. */
async function startWithOutput(t: TestContext, output: Output): Promise<{ child: ChildProcess; url: string }> {
  const dirs = mkdtempSync(join(tmpdir(), 'moviedash-log-'));
  const env = { PORT: '0', OPERATOR_PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dirs, 'data'), VIDEO_DIR: join(dirs, 'videos') };
  const stdio = output === 'pipe' ? 'pipe' : output.fd;
  const child = spawn(process.execPath, MAIN_ARGS, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', stdio, stdio] });
  let piped = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (piped += chunk));
  const readLog = () => (output === 'pipe' ? piped : readFileSync(output.path, 'utf8'));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dirs, { recursive: true, force: true });
  });
  let port: string | undefined;
  await waitUntil('the server listens', () => (port = /listening on http:\/\/[^\s:]+:(\d+)/.exec(readLog())?.[1]) !== undefined, 30_000);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Requests whose access lines go to the failing stdout, then the checks: still answering, and a clean stop. */
async function assertServesOn(child: ChildProcess, url: string): Promise<void> {
  for (let i = 0; i < 20; i++) await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000))]);
  assert.equal(code, 0);
}

describe('log streams that stop taking lines', () => {
  it('a closed stdout and stderr pipe (EPIPE): the server keeps answering and stops on SIGTERM', async (t) => {
    const { child, url } = await startWithOutput(t, 'pipe');
    child.stdout!.destroy();
    child.stderr!.destroy();
    await assertServesOn(child, url);
  });

  describe('nohup.out on a full disk (a 1 MiB tmpfs)', () => {
    const { mountPoint, cannotMount } = tmpfsForSuite(1);

    it('ENOSPC on stdout and stderr: the server keeps answering and stops on SIGTERM', async (t) => {
      const whyNot = cannotMount();
      if (whyNot) return t.skip(whyNot);
      const logPath = join(mountPoint, 'nohup.out');
      const fd = openSync(logPath, 'a');
      t.after(() => closeSync(fd));
      const { child, url } = await startWithOutput(t, { fd, path: logPath });
      const filler = fillDisk(mountPoint);
      t.after(() => rmSync(filler, { force: true }));
      await assertServesOn(child, url);
    });
  });
});
