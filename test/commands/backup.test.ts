import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { runCommand } from './run-command.js';

describe('node dist/main.js backup FILE', () => {
  it('writes a consistent database while WORKERS=2 serve writes, with every row committed before it started', async (t) => {
    const server = await startServer({ env: { WORKERS: '2' } });
    t.after(() => server.close());
    const out = mkdtempSync(join(tmpdir(), 'moviedash-backup-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const comment = (i: number) => request(server, 'POST', `/videos/${video.id}/comments`, { sid: user.sid, body: { content: `${i} ${'x'.repeat(1900)}` } });
    for (let i = 0; i < 200; i++) assert.equal((await comment(i)).status, 201);

    // Writers keep committing through both workers while the backup runs.
    let isBackingUp = true;
    let written = 0;
    const writers = [0, 1].map(async () => {
      while (isBackingUp) if ((await comment(1000 + written)).status === 201) written++;
    });
    const file = join(out, 'moviedash-backup.db');
    const run = await runCommand(['backup', file], { DATA_DIR: server.dataDir, VIDEO_DIR: server.videoDir });
    isBackingUp = false;
    await Promise.all(writers);

    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^backup of .*moviedash\.db written to .*moviedash-backup\.db \(\d+ bytes, integrity ok\)\n$/);
    assert.ok(written > 0, 'no write ran during the backup');
    assert.deepEqual(readdirSync(out), ['moviedash-backup.db'], 'the backup is one file, nothing beside it');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const copy = new Database(file, { readonly: true });
    t.after(() => copy.close());
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
    const comments = copy.prepare('SELECT count(*) FROM comments').pluck().get() as number;
    assert.ok(comments >= 200 && comments <= 200 + written, `${comments} comments in the backup`);
    assert.equal(copy.prepare('SELECT user_name FROM users').pluck().get(), user.name);
  });

  it('exits 1 with one line and leaves no file when there is no database', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-backup-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const run = await runCommand(['backup', join(dir, 'b.db')], { DATA_DIR: join(dir, 'nothing-here') });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^moviedash: backup: no database at .*moviedash\.db/);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.equal(existsSync(join(dir, 'b.db')), false);
    assert.deepEqual(readdirSync(dir), []);
  });
});
