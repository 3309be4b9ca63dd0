import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createSignInFailuresTable } from '../../src/db/sign-in-failures.js';

const WINDOW = { windowMs: 1000, maxFailures: 3 };

function failuresTable(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-db-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return createSignInFailuresTable(db);
}

describe('sign_in_failures', () => {
  it('records maxFailures attempts, then locks the name until the oldest leaves the window', (t) => {
    const failures = failuresTable(t);
    assert.equal(failures.beginAttempt('alice', 100, WINDOW), undefined);
    assert.equal(failures.beginAttempt('alice', 200, WINDOW), undefined);
    assert.equal(failures.beginAttempt('alice', 300, WINDOW), undefined);
    assert.equal(failures.beginAttempt('ALICE', 400, WINDOW), 1100, 'names compare case-insensitively');
    assert.equal(failures.beginAttempt('bob', 400, WINDOW), undefined, 'another name is not locked');
    // The window moves: at 1100 the failure at 100 no longer counts, and the one at 200 locks until 1200.
    assert.equal(failures.beginAttempt('alice', 1100, WINDOW), undefined);
    assert.equal(failures.beginAttempt('alice', 1150, WINDOW), 1200);
  });

  it('forgets a name\'s failures after a success', (t) => {
    const failures = failuresTable(t);
    for (const at of [1, 2, 3]) failures.beginAttempt('alice', at, WINDOW);
    failures.forget('Alice');
    assert.equal(failures.beginAttempt('alice', 4, WINDOW), undefined);
  });

  it('purges failures older than a time, and only those', (t) => {
    const failures = failuresTable(t);
    for (const at of [1, 2, 3]) failures.beginAttempt('alice', at, WINDOW);
    assert.equal(failures.purgeBefore(2), 2);
    assert.equal(failures.purgeBefore(2), 0);
    assert.equal(failures.beginAttempt('alice', 4, WINDOW), undefined);
    assert.equal(failures.beginAttempt('alice', 5, WINDOW), undefined);
    assert.equal(failures.beginAttempt('alice', 6, WINDOW), 1003);
  });
});
