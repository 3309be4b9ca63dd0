// `node dist/main.js backup FILE`: a consistent copy of the database, taken while the server runs (every
// worker included) through SQLite's online backup from a connection of its own. In WAL mode that copy reads
// one snapshot, waits for no writer and blocks none.
import Database from 'better-sqlite3';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DB_FILE } from '../db/open.js';

// All pages in one step, so one read transaction covers the copy and no write in between can restart it.
const ALL_PAGES = 0x7fffffff;

export async function backupDatabase(dataDir: string, file: string): Promise<string> {
  const sourcePath = join(dataDir, DB_FILE);
  const target = resolve(file);
  const partial = `${target}.${process.pid}.part`;
  let source: Database.Database;
  try {
    source = new Database(sourcePath, { fileMustExist: true });
  } catch (error) {
    throw new Error(`no database at ${sourcePath}: ${(error as Error).message}`, { cause: error });
  }
  try {
    source.pragma('busy_timeout = 5000');
    // Created first, so the copy of the password hashes is never readable by others, not even for a moment.
    writeFileSync(partial, '', { mode: 0o600, flag: 'wx' });
    await source.backup(partial, { progress: () => ALL_PAGES });
    makeSelfContained(partial);
    chmodSync(partial, 0o600);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  return `backup of ${sourcePath} written to ${target} (${statSync(target).size} bytes, integrity ok)`;
}

/** One file to copy and restore (no -wal beside it), checked page by page before it is called a backup. */
function makeSelfContained(path: string): void {
  const copy = new Database(path);
  try {
    copy.pragma('journal_mode = DELETE');
    const result = copy.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`the copy failed its integrity check: ${String(result)}`);
  } finally {
    copy.close();
  }
}
