import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateBuckets } from '../../src/limits/rate-buckets.js';

describe('RateBuckets', () => {
  it('allows perMinute takes at once, then says how long until the next token', () => {
    const buckets = new RateBuckets(10, 100);
    for (let i = 0; i < 10; i++) assert.equal(buckets.take('a', 0), 0, `take ${i + 1}`);
    assert.equal(buckets.take('a', 0), 6000);
    assert.equal(buckets.take('a', 1000), 5000);
  });

  it('refills one token every 60/perMinute seconds, up to perMinute', () => {
    const buckets = new RateBuckets(10, 100);
    for (let i = 0; i < 10; i++) buckets.take('a', 0);
    assert.equal(buckets.take('a', 6000), 0);
    assert.notEqual(buckets.take('a', 6000), 0);
    // A long pause refills the bucket, but never beyond its size.
    for (let i = 0; i < 10; i++) assert.equal(buckets.take('a', 3_600_000), 0);
    assert.notEqual(buckets.take('a', 3_600_000), 0);
  });

  it('keeps one bucket per key', () => {
    const buckets = new RateBuckets(1, 100);
    assert.equal(buckets.take('a', 0), 0);
    assert.equal(buckets.take('b', 0), 0);
    assert.notEqual(buckets.take('a', 0), 0);
  });

  it('keeps at most maxKeys buckets through a scan of a million keys', () => {
    const buckets = new RateBuckets(10, 1000);
    for (let i = 0; i < 1_000_000; i++) buckets.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, i);
    assert.equal(buckets.size, 1000);
  });

  it('evicts the least recently used bucket, not the oldest one', () => {
    const buckets = new RateBuckets(1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    assert.notEqual(buckets.take('a', 0), 0, 'a is used up, and now the most recent');
    buckets.take('c', 0);
    assert.notEqual(buckets.take('a', 0), 0, 'a was kept');
    assert.equal(buckets.take('b', 0), 0, 'b was evicted and starts full');
  });
});
