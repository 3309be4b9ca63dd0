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

  it('keeps the entries of clients with none running only up to a bound', () => {
    const counts = new ClientCounts(1);
    counts.tryTake('running');
    for (let i = 0; i < 5000; i++) {
      assert.equal(counts.tryTake(`client-${i}`), true);
      counts.give(`client-${i}`);
    }
    assert.ok(counts.size <= 1 + 1024, `${counts.size} entries`);
    assert.equal(counts.clients, 1);
    assert.equal(counts.tryTake('running'), false);
    assert.equal(counts.tryTake('client-4999'), true);
    assert.equal(counts.clients, 2);
  });

  it('a give without a take counts nothing', () => {
    const counts = new ClientCounts(1);
    counts.give('a');
    counts.tryTake('b');
    counts.give('b');
    counts.give('b');
    assert.equal(counts.clients, 0);
    assert.deepEqual([counts.tryTake('b'), counts.tryTake('b')], [true, false]);
  });
});
