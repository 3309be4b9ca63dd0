// Opens the SQLite database with the settings every connection needs, then brings the schema up to date.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export const DB_FILE = 'moviedash.db';

/** Owner only: the database holds password hashes and sessions, and a VPS has other local users. */
const DATA_DIR_MODE = 0o700;
const DB_FILE_MODE = 0o600;

export function openDatabase(dataDir: string): Db {
  const path = join(dataDir, DB_FILE);
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  // SQLite would create the file 0644; it gives its -wal and -shm files the database file's mode.
  closeSync(openSync(path, 'a', DB_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) chmodIfPresent(file, DB_FILE_MODE);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL survives a process crash; only a power cut can lose the last transactions.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** A database made by an earlier version was 0644: tighten it (and a WAL left by a crash) at start-up. */
function chmodIfPresent(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
