import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionStore, hashSessionId, type SessionLifetime } from '../../src/auth/session-store.js';
import { tempStore } from '../helpers/temp-db.js';

const MINUTE = 60_000;
const DEFAULT_LIFETIME: SessionLifetime = { ttlMs: 30 * MINUTE, maxMs: 30 * 24 * 60 * MINUTE };

function sessionStore(t: { after(fn: () => void): void }, lifetime = DEFAULT_LIFETIME) {
  const { db, store } = tempStore(t);
  return { db, store, sessions: createSessionStore(db, store.sessions, lifetime) };
}

describe('createSessionStore()', () => {
  it('creates a session that get() finds for an existing user', (t) => {
    const { store, sessions } = sessionStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    const id = sessions.create(user.id, user.userName);
    assert.equal(sessions.get(id!)?.userId, user.id);
  });

  // A sign-in whose password check was still running when the account was deleted.
  it('creates no session, and throws nothing, for a user deleted meanwhile', (t) => {
    const { store, sessions } = sessionStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    store.deleteAccount(user.id, 0);
    assert.equal(sessions.create(user.id, user.userName), undefined);
  });

  // Issue 10, item 6: a copy of the database held every live session id as it was.
  it('stores only the SHA-256 of the session id, and finds the session again from a fresh process', (t) => {
    const { db, store, sessions } = sessionStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    const id = sessions.create(user.id, user.userName)!;
    const stored = db.prepare('SELECT id_hash FROM sessions').pluck().all();
    assert.deepEqual(stored, [hashSessionId(id)]);
    assert.notEqual(stored[0], id);
    const restarted = createSessionStore(db, store.sessions, DEFAULT_LIFETIME);
    assert.equal(restarted.get(id)?.userName, 'alice');
  });

  it('reads without writing while the deadline has moved less than a minute', (t) => {
    const { db, store, sessions } = sessionStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    const id = sessions.create(user.id, user.userName)!;
    const changes = db.prepare('SELECT total_changes()').pluck();
    const before = changes.get();
    for (let i = 0; i < 100; i++) assert.ok(sessions.get(id));
    assert.equal(changes.get(), before);
  });

  // Issue 16, item 1: a session ended SESSION_TTL_MIN after sign-in however active its user was.
  it('outlives its idle timeout while used, ends once idle, and ends at its absolute limit', (t) => {
    let now = 1_000_000;
    const { store, db } = sessionStore(t);
    const sessions = createSessionStore(db, store.sessions, { ttlMs: 10 * MINUTE, maxMs: 60 * MINUTE }, () => now);
    const user = store.users.insert('alice', 'hash', 0);
    const used = sessions.create(user.id, user.userName)!;
    const idle = sessions.create(user.id, user.userName)!;
    for (let minute = 1; minute < 60; minute++) {
      now += MINUTE;
      assert.ok(sessions.get(used), `the used session ended after ${minute} minutes`);
    }
    assert.equal(sessions.get(idle), undefined);
    now += MINUTE;
    assert.equal(sessions.get(used), undefined);
  });

  it('writes a renewal at most once a minute, and a restart sees it', (t) => {
    let now = 1_000_000;
    const { db, store } = sessionStore(t);
    const lifetime = { ttlMs: 10 * MINUTE, maxMs: 60 * MINUTE };
    const sessions = createSessionStore(db, store.sessions, lifetime, () => now);
    const user = store.users.insert('alice', 'hash', 0);
    const id = sessions.create(user.id, user.userName)!;
    const writes = db.prepare('SELECT total_changes()').pluck();
    const before = writes.get() as number;
    for (let second = 1; second <= 150; second++) {
      now += 1000;
      sessions.get(id);
    }
    assert.equal((writes.get() as number) - before, 2);
    // 9 minutes after the last write, 11.5 after sign-in: alive only because the renewal reached the table.
    now += 9 * MINUTE;
    assert.equal(createSessionStore(db, store.sessions, lifetime, () => now).get(id)?.userId, user.id);
  });
});
