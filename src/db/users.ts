// The users table.
import type { Db } from './open.js';
import { isUniqueViolation } from './sqlite-errors.js';

export interface User {
  id: number;
  userName: string;
  pwdHash: string;
  createdAt: number;
}

interface UserRow {
  id: number;
  user_name: string;
  pwd_hash: string;
  created_at: number;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  userName: row.user_name,
  pwdHash: row.pwd_hash,
  createdAt: row.created_at,
});

export class UserNameTakenError extends Error {}

export function createUsersTable(db: Db) {
  // No RETURNING read with .get(): it hands back the row after one step, and the commit that follows can still
  // fail (a full disk) unseen; .run() steps to the end, so it throws when the row was not stored.
  const insert = db.prepare<[string, string, number]>('INSERT INTO users (user_name, pwd_hash, created_at) VALUES (?, ?, ?)');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_name = ?');
  const remove = db.prepare<[number]>('DELETE FROM users WHERE id = ?');

  return {
    /** Throws UserNameTakenError when the name (compared case-insensitively) exists. */
    insert(userName: string, pwdHash: string, now: number): User {
      try {
        const { lastInsertRowid } = insert.run(userName, pwdHash, now);
        return { id: Number(lastInsertRowid), userName, pwdHash, createdAt: now };
      } catch (error) {
        if (isUniqueViolation(error)) throw new UserNameTakenError(userName, { cause: error });
        throw error;
      }
    },
    byName(userName: string): User | undefined {
      const row = byName.get(userName);
      return row && toUser(row);
    },
    /** Sessions and videos go with the user (ON DELETE CASCADE); comments are queued (store.deleteAccount). */
    remove(userId: number): void {
      remove.run(userId);
    },
  };
}

export type UsersTable = ReturnType<typeof createUsersTable>;
