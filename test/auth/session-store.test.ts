import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSessionStore } from '../../src/auth/session-store.js';
import { openDatabase } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';

function sessionStore(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-sessions-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = createStore(db);
  return { store, sessions: createSessionStore(db, store.sessions, 30) };
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
});
