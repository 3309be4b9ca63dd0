// The sessions table. Reads join the user so a session lookup is one statement.
import type { Db } from './open.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

export interface Session {
  id: string;
  userId: number;
  userName: string;
  expiresAt: number;
}

interface SessionRow {
  id: string;
  user_id: number;
  user_name: string;
  expires_at: number;
}

export function createSessionsTable(db: Db) {
  const insert = db.prepare<[string, number, number, number]>(
    'INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], SessionRow>(
    `SELECT s.id, s.user_id, u.user_name, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ?`,
  );
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    /** False when the user no longer exists (the account was deleted meanwhile). */
    insert(id: string, userId: number, now: number, expiresAt: number): boolean {
      try {
        insert.run(id, userId, now, expiresAt);
      } catch (error) {
        if (isForeignKeyViolation(error)) return false;
        throw error;
      }
      return true;
    },
    byId(id: string): Session | undefined {
      const row = byId.get(id);
      return row && { id: row.id, userId: row.user_id, userName: row.user_name, expiresAt: row.expires_at };
    },
    remove(id: string): void {
      remove.run(id);
    },
    /** Returns how many expired sessions were purged. */
    removeExpired(now: number): number {
      return removeExpired.run(now).changes;
    },
  };
}

export type SessionsTable = ReturnType<typeof createSessionsTable>;
