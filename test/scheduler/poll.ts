// Waiting on the scheduler from tests: poll a condition until a deadline, and read the server's database.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TestServer } from '../helpers/server.js';

/** Resolves once check() returns a value other than undefined/false; fails naming `what` after deadlineMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, deadlineMs = 8000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface DeletionRow {
  video_id: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/** Reads the running server's SQLite file, as an operator would with the sqlite3 shell. */
export function openServerDb(server: TestServer): Database.Database {
  return new Database(join(server.dataDir, 'moviedash.db'), { readonly: true, fileMustExist: true });
}

export function deletionRecord(db: Database.Database, videoId: string): DeletionRow | undefined {
  return db.prepare<[string], DeletionRow>('SELECT * FROM video_del_rec WHERE video_id = ?').get(videoId);
}

/**
 * Writes an already expired session for the user while the server is stopped. The scheduler purges expired
 * sessions right after its file sweep, so the purge's log line says a sweep has finished.
 */
export function addExpiredSession(server: TestServer, userName: string): void {
  const db = new Database(join(server.dataDir, 'moviedash.db'), { fileMustExist: true });
  try {
    db.prepare(
      `INSERT INTO sessions (id_hash, user_id, created_at, expires_at) SELECT 'expired-' || hex(randomblob(8)), id, 0, 1 FROM users WHERE user_name = ?`,
    ).run(userName);
  } finally {
    db.close();
  }
}
