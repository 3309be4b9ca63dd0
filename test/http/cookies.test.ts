import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCookie } from '../../src/http/cookies.js';

describe('readCookie()', () => {
  const cases = [
    { what: 'a lone cookie', header: 'session=abc', expected: 'abc' },
    { what: 'a cookie among others', header: 'a=1; session=abc; b=2', expected: 'abc' },
    { what: 'no such cookie', header: 'a=1; sessions=abc', expected: undefined },
    { what: 'no header', header: undefined, expected: undefined },
    { what: 'a name without a value', header: 'session', expected: undefined },
    // RFC 6265 4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
    { what: 'a double-quoted value', header: 'session="abc"', expected: 'abc' },
    { what: 'an empty value before a real one (session=; session=abc)', header: 'session=; session=abc', expected: 'abc' },
    { what: 'only an empty value', header: 'session=', expected: undefined },
    { what: 'stray separators', header: ';;; =; session=abc;', expected: 'abc' },
  ];
  for (const { what, header, expected } of cases) {
    it(`reads ${JSON.stringify(expected)} from ${what}`, () => {
      assert.equal(readCookie(header, 'session'), expected);
    });
  }
});
