import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { HASHING_SLOTS, hashPassword, passwordChecks, verifyPassword } from '../../src/auth/passwords.js';

describe('hashPassword()', () => {
  it('runs at most half of the thread pool\'s 4 threads (and half the cores) at once; the rest wait their turn', async () => {
    assert.ok(HASHING_SLOTS >= 1 && HASHING_SLOTS <= 2 && HASHING_SLOTS <= Math.max(1, availableParallelism() / 2), `${HASHING_SLOTS} slots`);
    const hashes = Array.from({ length: 6 }, (_, i) => hashPassword(`password ${i}`));
    assert.deepEqual({ running: passwordChecks.running, waiting: passwordChecks.waiting }, { running: HASHING_SLOTS, waiting: 6 - HASHING_SLOTS });
    const stored = await Promise.all(hashes);
    assert.deepEqual({ running: passwordChecks.running, waiting: passwordChecks.waiting }, { running: 0, waiting: 0 });
    assert.equal(await verifyPassword('password 3', stored[3]!), true);
    assert.equal(await verifyPassword('password 3', stored[2]!), false);
  });
});
