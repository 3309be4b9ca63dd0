import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor, toPage } from '../../src/db/cursor.js';

describe('encodeCursor() / decodeCursor()', () => {
  it('round-trips a seq', () => {
    for (const seq of [1, 42, 9_007_199_254]) assert.equal(decodeCursor(encodeCursor(seq)), seq);
  });

  it('makes an opaque token, not the number itself', () => {
    assert.doesNotMatch(encodeCursor(42), /^42$/);
  });

  for (const bad of ['', 'abc', '42', encodeCursor(1).slice(0, -2), Buffer.from('k1:-3').toString('base64url'), Buffer.from('k1:1e3').toString('base64url'), 'a'.repeat(100), '../../etc']) {
    it(`throws RangeError for ${JSON.stringify(bad)}`, () => {
      assert.throws(() => decodeCursor(bad), RangeError);
    });
  }
});

describe('toPage()', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: 100 - i }));

  it('has no next cursor when the extra row is missing', () => {
    assert.deepEqual(toPage(rows(3), 3), { items: rows(3), nextCursor: null });
  });

  it('drops the extra row and points the cursor at the last item', () => {
    const page = toPage(rows(4), 3);
    assert.equal(page.items.length, 3);
    assert.equal(decodeCursor(page.nextCursor!), 98);
  });
});
