import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientCounts } from '../../src/limits/client-counts.js';

describe('ClientCounts', () => {
  it('lets each client take up to maxPerClient, independently of the others', () => {
    const counts = new ClientCounts(2);
    assert.deepEqual([counts.tryTake('a'), counts.tryTake('a'), counts.tryTake('a')], [true, true, false]);
    assert.equal(counts.tryTake('b'), true);
    assert.equal(counts.clients, 2);
  });

  it('frees one place per give, and forgets a client with none running', () => {
    const counts = new ClientCounts(1);
    counts.tryTake('a');
    counts.give('a');
    assert.equal(counts.clients, 0);
    assert.equal(counts.tryTake('a'), true);
  });
});
