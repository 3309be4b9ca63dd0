import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readCookie } from '../../src/http/cookies.js';
import { assertLinearTime, FUZZ_RUNS, stringOf, withinTimePerByte } from '../helpers/fuzz.js';

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

describe('readCookie() on generated headers', () => {
  it('answers any header with undefined or a non-empty value that holds no ";"', () => {
    fc.assert(
      fc.property(fc.oneof(stringOf('session=; "\ta', 300), fc.string({ maxLength: 300 })), (header) => {
        const value = withinTimePerByte(header.length, () => readCookie(header, 'session'));
        if (value !== undefined) assert.ok(value !== '' && !value.includes(';'), JSON.stringify(value));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('finds a session id among any other cookies', () => {
    const cookieName = stringOf('abcs_-ion', 10).filter((name) => name.trim() !== 'session' && name !== '');
    const other = fc.tuple(cookieName, stringOf('abc="= ', 10)).map(([name, value]) => `${name}=${value.replaceAll(';', '')}`);
    const sid = fc.base64String({ minLength: 4, maxLength: 44 }).map((text) => text.replaceAll('=', ''));
    fc.assert(
      fc.property(fc.array(other, { maxLength: 5 }), sid, fc.array(other, { maxLength: 5 }), fc.boolean(), (before, id, after, isQuoted) => {
        fc.pre(id !== '');
        const header = [...before, `session=${isQuoted ? `"${id}"` : id}`, ...after].join('; ');
        assert.equal(readCookie(header, 'session'), id);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  for (const unit of [';', ' ', '=', '"', 'session=;', 'a=1; ', '"a']) {
    it(`reads a header of ${JSON.stringify(unit)} repeated in linear time`, async () => {
      await assertLinearTime(unit, (n) => `${unit.repeat(n)}x`, (header) => readCookie(header, 'session'), 4000);
    });
  }
});
