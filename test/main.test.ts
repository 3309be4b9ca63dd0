// Start-up as an operator meets it: node src/main.ts with a bad setting stops at once with one line naming it.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MAIN_ARGS, ROOT } from './helpers/server.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'moviedash-main-'));
after(() => rmSync(work, { recursive: true, force: true }));
const aFile = join(work, 'a-file');
writeFileSync(aFile, '');

async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const base = { PORT: '0', OPERATOR_PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), VIDEO_DIR: join(work, 'videos') };
  try {
    await run(process.execPath, [...MAIN_ARGS], { cwd: ROOT, env: { ...process.env, ...base, ...env }, timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('node dist/main.js with a bad setting', () => {
  const cases: { what: string; env: Record<string, string>; names: string }[] = [
    { what: 'PORT=abc', env: { PORT: 'abc' }, names: 'PORT' },
    { what: 'WORKERS=0', env: { WORKERS: '0' }, names: 'WORKERS' },
    { what: 'HOST that does not resolve', env: { HOST: 'no-such-host.invalid' }, names: 'HOST' },
    { what: 'DATA_DIR that is a file', env: { DATA_DIR: aFile }, names: 'DATA_DIR' },
    { what: 'VIDEO_DIR that is a file', env: { VIDEO_DIR: aFile }, names: 'VIDEO_DIR' },
  ];
  for (const { what, env, names } of cases) {
    it(`exits non-zero with one line naming ${names} for ${what}`, async () => {
      const { code, stderr } = await start(env);
      assert.notEqual(code, 0);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
      assert.match(stderr, new RegExp(names));
    });
  }
});

describe('node dist/main.js listening', () => {
  it('logs a URL with the IPv6 address in brackets for HOST=::1', async () => {
    const child = spawn(process.execPath, [...MAIN_ARGS], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', OPERATOR_PORT: '0', HOST: '::1', DATA_DIR: join(work, 'v6-data'), VIDEO_DIR: join(work, 'v6-videos') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const found = /listening on (\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      void exited.then(() => reject(new Error(`exited before listening: ${out}`)));
    });
    child.kill('SIGTERM');
    await exited;
    assert.match(line, /^http:\/\/\[::1\]:\d+$/);
    assert.doesNotThrow(() => new URL(line));
  });
});
