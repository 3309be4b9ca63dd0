// Sessions live in SQLite and are cached in memory (the Go original's sync.Map over its table). The cache
// is dropped whenever another connection has written to the database (PRAGMA data_version), so a
// sign-out in one worker process is seen by every other at once; a miss reads the table.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';
import type { Session, SessionsTable } from '../db/sessions.js';

export interface SessionStore {
  /** The new session's id; undefined when the user was deleted meanwhile. */
  create(userId: number, userName: string): string | undefined;
  /** The live session, or undefined when unknown or expired (an expired one is purged). */
  get(id: string): Session | undefined;
  end(id: string): void;
  /** After an account is deleted: its sessions are gone from the table, drop them here too. */
  forgetUser(userId: number): void;
  purgeExpired(): number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function createSessionStore(db: Db, sessions: SessionsTable, ttlMin: number): SessionStore {
  const ttlMs = Math.round(ttlMin * 60_000);
  const cache = new Map<string, Session>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();

  function dropCacheIfOthersWrote(): void {
    const version = dataVersion.get();
    if (version !== seenVersion) {
      seenVersion = version;
      cache.clear();
    }
  }

  return {
    create(userId, userName) {
      const id = randomBytes(32).toString('base64url');
      const now = Date.now();
      if (!sessions.insert(id, userId, now, now + ttlMs)) return undefined;
      cache.set(id, { id, userId, userName, expiresAt: now + ttlMs });
      return id;
    },
    get(id) {
      if (!SESSION_ID.test(id)) return undefined;
      dropCacheIfOthersWrote();
      const session = cache.get(id) ?? sessions.byId(id);
      if (!session) return undefined;
      const now = Date.now();
      if (session.expiresAt <= now) {
        this.end(id);
        return undefined;
      }
      cache.set(id, session);
      return session;
    },
    end(id) {
      cache.delete(id);
      sessions.remove(id);
    },
    forgetUser(userId) {
      for (const [id, session] of cache) if (session.userId === userId) cache.delete(id);
    },
    purgeExpired() {
      const now = Date.now();
      for (const [id, session] of cache) if (session.expiresAt <= now) cache.delete(id);
      return sessions.removeExpired(now);
    },
  };
}
