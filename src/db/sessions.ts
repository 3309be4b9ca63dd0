// The sessions table. A session is stored under the SHA-256 of its id only, so a copy of the database (a
// backup, a stray read) holds no live session. Reads join the user so a lookup is one statement.
import type { Db } from './open.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

export interface StoredSession {
  idHash: string;
  userId: number;
  userName: string;
  createdAt: number;
  /** The idle deadline, moved forward by use but never past the absolute limit from createdAt. */
  expiresAt: number;
}

interface SessionRow {
  id_hash: string;
  user_id: number;
  user_name: string;
  created_at: number;
  expires_at: number;
}

export function createSessionsTable(db: Db) {
  const insert = db.prepare<[string, number, number, number]>(
    'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const byIdHash = db.prepare<[string], SessionRow>(
    `SELECT s.id_hash, s.user_id, u.user_name, s.created_at, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = ?`,
  );
  const renew = db.prepare<[number, string]>('UPDATE sessions SET expires_at = ? WHERE id_hash = ?');
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    /** False when the user no longer exists (the account was deleted meanwhile). */
    insert(idHash: string, userId: number, now: number, expiresAt: number): boolean {
      try {
        insert.run(idHash, userId, now, expiresAt);
      } catch (error) {
        if (isForeignKeyViolation(error)) return false;
        throw error;
      }
      return true;
    },
    byIdHash(idHash: string): StoredSession | undefined {
      const row = byIdHash.get(idHash);
      return row && { idHash: row.id_hash, userId: row.user_id, userName: row.user_name, createdAt: row.created_at, expiresAt: row.expires_at };
    },
    renew(idHash: string, expiresAt: number): void {
      renew.run(expiresAt, idHash);
    },
    remove(idHash: string): void {
      remove.run(idHash);
    },
    /** Returns how many expired sessions were purged. */
    removeExpired(now: number): number {
      return removeExpired.run(now).changes;
    },
  };
}

export type SessionsTable = ReturnType<typeof createSessionsTable>;
