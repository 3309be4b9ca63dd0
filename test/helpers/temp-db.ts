// A fresh database in a temp DATA_DIR (every migration applied), closed and removed after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/open.js';
import { createStore, type Store } from '../../src/db/store.js';

export function tempStore(t: { after(fn: () => void): void }): { db: Db; store: Store; dataDir: string } {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'moviedash-db-')), 'data');
  const db = openDatabase(dataDir);
  t.after(() => {
    db.close();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });
  return { db, store: createStore(db), dataDir };
}
