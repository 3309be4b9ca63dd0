import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { httpDate, parseUploadNumber, type UploadNumber } from '../../src/tus/protocol.js';

describe('parseUploadNumber()', () => {
  const cases: { what: string; input: string | undefined; expected: UploadNumber }[] = [
    { what: 'no header', input: undefined, expected: { kind: 'missing' } },
    { what: 'zero', input: '0', expected: { kind: 'number', value: 0 } },
    { what: 'a length', input: '52428800', expected: { kind: 'number', value: 52428800 } },
    { what: 'leading zeros', input: '007', expected: { kind: 'number', value: 7 } },
    { what: 'the largest exact integer', input: String(Number.MAX_SAFE_INTEGER), expected: { kind: 'number', value: Number.MAX_SAFE_INTEGER } },
    { what: 'one past it', input: '9007199254740992', expected: { kind: 'too-large' } },
    { what: 'a huge number', input: '9'.repeat(400), expected: { kind: 'too-large' } },
    { what: 'an empty value', input: '', expected: { kind: 'invalid' } },
    { what: 'a negative number', input: '-1', expected: { kind: 'invalid' } },
    { what: 'a plus sign', input: '+1', expected: { kind: 'invalid' } },
    { what: 'a fraction', input: '1.5', expected: { kind: 'invalid' } },
    { what: 'an exponent', input: '1e3', expected: { kind: 'invalid' } },
    { what: 'hex', input: '0x10', expected: { kind: 'invalid' } },
    { what: 'inner space', input: '1 0', expected: { kind: 'invalid' } },
    { what: 'two values joined by node:http', input: '10, 10', expected: { kind: 'invalid' } },
    { what: 'Arabic-Indic digits', input: '١٢', expected: { kind: 'invalid' } },
  ];
  for (const { what, input, expected } of cases) {
    it(`parses ${what}: ${JSON.stringify(input)?.slice(0, 40)}`, () => {
      assert.deepEqual(parseUploadNumber(input), expected);
    });
  }

  it('reads back every safe non-negative integer it is given', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (n) => assert.deepEqual(parseUploadNumber(String(n)), { kind: 'number', value: n })));
  });

  it('never throws, and calls a number only what is all ASCII digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        const parsed = parseUploadNumber(text);
        if (parsed.kind === 'number' || parsed.kind === 'too-large') assert.match(text, /^[0-9]+$/);
        else assert.equal(parsed.kind, 'invalid');
      }),
    );
  });
});

describe('httpDate()', () => {
  it('formats an RFC 9110 IMF-fixdate that Date.parse reads back to the second', () => {
    assert.equal(httpDate(Date.UTC(2026, 10, 25, 14, 31, 26)), 'Wed, 25 Nov 2026 14:31:26 GMT');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 0) }), (ms) => {
        const text = httpDate(ms);
        assert.match(text, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
        assert.equal(Date.parse(text), Math.floor(ms / 1000) * 1000);
      }),
    );
  });
});
