// Issue 10, item 6: the database was created -rw-r--r--, readable by every local user of the VPS.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DB_FILE } from '../../src/db/open.js';
import { startServer } from '../helpers/server.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

function tempBase(t: { after(fn: () => void): void }): string {
  const base = mkdtempSync(join(tmpdir(), 'moviedash-modes-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  return base;
}

describe('the database files of the real server', () => {
  it('are created owner-only: DATA_DIR 0700, the database and its -wal and -shm 0600', async (t) => {
    const base = tempBase(t);
    const dataDir = join(base, 'data');
    const server = await startServer({ dataDir, videoDir: join(base, 'videos') });
    t.after(() => server.close());
    assert.equal(modeOf(dataDir), '700');
    for (const file of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) assert.equal(modeOf(join(dataDir, file)), '600', file);
  });

  it('are made owner-only at start-up when an earlier version left them 0644', async (t) => {
    const base = tempBase(t);
    const dataDir = join(base, 'data');
    const first = await startServer({ dataDir, videoDir: join(base, 'videos') });
    await first.kill();
    for (const file of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) chmodSync(join(dataDir, file), 0o644);
    const server = await startServer({ dataDir, videoDir: join(base, 'videos') });
    t.after(() => server.close());
    for (const file of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) assert.equal(modeOf(join(dataDir, file)), '600', file);
  });
});
