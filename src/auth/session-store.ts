// Sessions live in SQLite and are cached in memory (the Go original's sync.Map over its table). The cache
// is dropped whenever another connection has written to the database (PRAGMA data_version), so a
// sign-out in one worker process is seen by every other at once; a miss reads the table.
// Sessions slide: each use moves the idle deadline SESSION_TTL_MIN ahead, up to SESSION_MAX_DAYS after
// sign-in. The new deadline is written only once it has moved by RENEW_STEP, so most requests only read.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';
import type { SessionsTable, StoredSession } from '../db/sessions.js';

/** A live session, with the id its holder sent (the table knows only its hash). */
export interface Session extends StoredSession {
  id: string;
}

export interface SessionLifetime {
  /** Idle timeout. */
  ttlMs: number;
  /** Absolute limit after sign-in. */
  maxMs: number;
}

export interface SessionStore {
  /** The new session's id; undefined when the user was deleted meanwhile. */
  create(userId: number, userName: string): string | undefined;
  /** The live session, renewed by this use; undefined when unknown or expired (an expired one is purged). */
  get(id: string): Session | undefined;
  end(id: string): void;
  /** After an account is deleted: its sessions are gone from the table, drop them here too. */
  forgetUser(userId: number): void;
  purgeExpired(): number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** The most often one session's deadline is written: about once a minute (less with a TTL under 4 minutes). */
const MAX_RENEW_STEP_MS = 60_000;

/** What the table stores for a session id: 256 random bits need no salt or slow hash. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** clock is for tests; the server runs on Date.now. */
export function createSessionStore(db: Db, sessions: SessionsTable, { ttlMs, maxMs }: SessionLifetime, clock = Date.now): SessionStore {
  const renewStepMs = Math.min(MAX_RENEW_STEP_MS, ttlMs / 4);
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

  function lookUp(id: string): Session | undefined {
    const cached = cache.get(id);
    if (cached) return cached;
    const stored = sessions.byIdHash(hashSessionId(id));
    return stored && { ...stored, id };
  }

  return {
    create(userId, userName) {
      const id = randomBytes(32).toString('base64url');
      const idHash = hashSessionId(id);
      const now = clock();
      const expiresAt = Math.min(now + ttlMs, now + maxMs);
      if (!sessions.insert(idHash, userId, now, expiresAt)) return undefined;
      cache.set(id, { id, idHash, userId, userName, createdAt: now, expiresAt });
      return id;
    },
    get(id) {
      if (!SESSION_ID.test(id)) return undefined;
      dropCacheIfOthersWrote();
      let session = lookUp(id);
      if (!session) return undefined;
      const now = clock();
      if (session.expiresAt <= now) {
        this.end(id);
        return undefined;
      }
      const renewed = Math.min(now + ttlMs, session.createdAt + maxMs);
      if (renewed - session.expiresAt >= renewStepMs) {
        sessions.renew(session.idHash, renewed);
        session = { ...session, expiresAt: renewed };
      }
      cache.set(id, session);
      return session;
    },
    end(id) {
      cache.delete(id);
      sessions.remove(hashSessionId(id));
    },
    forgetUser(userId) {
      for (const [id, session] of cache) if (session.userId === userId) cache.delete(id);
    },
    purgeExpired() {
      const now = clock();
      for (const [id, session] of cache) if (session.expiresAt <= now) cache.delete(id);
      return sessions.removeExpired(now);
    },
  };
}
