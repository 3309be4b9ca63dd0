import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, passwordChecks, verifyPassword } from '../../src/auth/passwords.js';

describe('hashPassword()', () => {
  it('runs at most half of the thread pool\'s 4 threads at once; the rest wait their turn', async () => {
    const hashes = Array.from({ length: 6 }, (_, i) => hashPassword(`password ${i}`));
    assert.deepEqual({ running: passwordChecks.running, waiting: passwordChecks.waiting }, { running: 2, waiting: 4 });
    const stored = await Promise.all(hashes);
    assert.deepEqual({ running: passwordChecks.running, waiting: passwordChecks.waiting }, { running: 0, waiting: 0 });
    assert.equal(await verifyPassword('password 3', stored[3]!), true);
    assert.equal(await verifyPassword('password 3', stored[2]!), false);
  });
});
