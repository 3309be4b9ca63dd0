// What a search is made of: validateSearchQuery's words, bounded so that no query costs more than a few words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSearchQuery } from '../../src/http/validate.js';

const wordsOf = (q: string) => validateSearchQuery(new URLSearchParams({ q }));

describe('validateSearchQuery', () => {
  it('takes the words, in order, without the characters between them', () => {
    assert.deepEqual(wordsOf('"cats" AND (dogs) NEAR/2 ca*'), ['cats', 'AND', 'dogs', 'NEAR', '2', 'ca']);
  });

  it('takes a repeated word once, in any letter case, keeping the last one last (it is the prefix)', () => {
    assert.deepEqual(wordsOf(Array(100).fill('a').join(' ')), ['a']);
    assert.deepEqual(wordsOf('Cat dog cat'), ['dog', 'cat']);
    assert.deepEqual(wordsOf('night CAT night'), ['CAT', 'night']);
  });

  it('takes at most 8 words: the first 7 and the last', () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    assert.deepEqual(wordsOf(words.join(' ')), [...words.slice(0, 7), 'w19']);
  });
});
