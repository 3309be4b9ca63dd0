import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRange, type RangeRequest } from '../../src/stream/range.js';
import { assertLinearTime, FUZZ_RUNS, stringOf, withinTimePerByte } from '../helpers/fuzz.js';

const none: RangeRequest = { kind: 'none' };
const unsatisfiable: RangeRequest = { kind: 'unsatisfiable' };
const range = (start: number, end: number): RangeRequest => ({ kind: 'range', start, end });

describe('parseRange()', () => {
  // range-parser's case list, plus RFC 9110's edge cases, against a 1000-byte file unless size says otherwise.
  const cases: { what: string; header: string | undefined; size?: number; expected: RangeRequest }[] = [
    { what: 'no Range header', header: undefined, expected: none },
    { what: 'a closed range', header: 'bytes=0-499', expected: range(0, 499) },
    { what: 'a range in the middle', header: 'bytes=40-80', expected: range(40, 80) },
    { what: 'bytes=0-0 (Safari and iOS probe first)', header: 'bytes=0-0', expected: range(0, 0) },
    { what: 'bytes=0-1 (Safari and iOS probe first)', header: 'bytes=0-1', expected: range(0, 1) },
    { what: 'an open end', header: 'bytes=400-', expected: range(400, 999) },
    { what: 'bytes=0-', header: 'bytes=0-', expected: range(0, 999) },
    { what: 'the last byte as an open end', header: 'bytes=999-', expected: range(999, 999) },
    { what: 'an end past the file, clamped to size-1', header: 'bytes=0-999999', expected: range(0, 999) },
    { what: 'an end past the file on a small one', header: 'bytes=0-499', size: 200, expected: range(0, 199) },
    { what: 'a suffix', header: 'bytes=-400', expected: range(600, 999) },
    { what: 'a suffix of one byte', header: 'bytes=-1', expected: range(999, 999) },
    { what: 'a suffix longer than the file (whole file, still 206)', header: 'bytes=-5000', expected: range(0, 999) },
    { what: 'a suffix of a huge number', header: `bytes=-${'9'.repeat(400)}`, expected: range(0, 999) },
    { what: 'bytes=-0', header: 'bytes=-0', expected: unsatisfiable },
    { what: 'a start at the size', header: 'bytes=1000-', expected: unsatisfiable },
    { what: 'a start past the size', header: 'bytes=500-999', size: 200, expected: unsatisfiable },
    { what: 'a start of a huge number', header: `bytes=${'9'.repeat(30)}-`, expected: unsatisfiable },
    { what: 'a start after the end (bytes=500-200)', header: 'bytes=500-200', expected: unsatisfiable },
    { what: 'several ranges (sent whole)', header: 'bytes=40-80,-1', expected: none },
    { what: 'several ranges, some past the end (sent whole)', header: 'bytes=0-499,1000-,500-999', size: 200, expected: none },
    { what: 'several ranges, all past the end', header: 'bytes=500-999,1000-1499', size: 200, expected: unsatisfiable },
    { what: 'whitespace around list elements', header: 'bytes= 40-80 ', expected: range(40, 80) },
    { what: 'empty list elements', header: 'bytes=,40-80,', expected: range(40, 80) },
    { what: 'the unit in capitals (units are case-insensitive)', header: 'Bytes=0-9', expected: range(0, 9) },
    { what: 'another unit', header: 'items=0-5', expected: none },
    { what: 'junk', header: 'malformed', expected: none },
    { what: 'no range-set', header: 'bytes=', expected: none },
    { what: 'only commas', header: 'bytes=,,', expected: none },
    { what: 'a lone dash', header: 'bytes=-', expected: none },
    { what: 'letters for digits', header: 'bytes=a-b', expected: none },
    { what: 'a negative start', header: 'bytes=--5', expected: none },
    { what: 'a fraction', header: 'bytes=1.5-3', expected: none },
    { what: 'whitespace inside a range', header: 'bytes=0 - 9', expected: none },
    { what: 'whitespace before the =', header: 'bytes =0-9', expected: none },
    { what: 'one bad element among good ones', header: 'bytes=0-9,x', expected: none },
    { what: 'a range of an empty file', header: 'bytes=0-', size: 0, expected: unsatisfiable },
    { what: 'a suffix of an empty file (whole, empty)', header: 'bytes=-5', size: 0, expected: none },
  ];
  for (const { what, header, size = 1000, expected } of cases) {
    it(`answers ${expected.kind} for ${what}: ${JSON.stringify(header)} of ${size} bytes`, () => {
      assert.deepEqual(parseRange(header, size), expected);
    });
  }
});

describe('parseRange() on generated headers', () => {
  const header = fc.oneof(
    stringOf('bytes=0123456789-, \t', 120),
    fc.tuple(fc.mixedCase(fc.constant('bytes=')), stringOf('0123456789-, ', 60)).map(([unit, specs]) => unit + specs),
    fc.string({ maxLength: 120 }),
  );

  it('answers any header and size with a range inside the file, or none, or unsatisfiable', () => {
    fc.assert(
      fc.property(header, fc.nat({ max: 2 ** 40 }), (text, size) => {
        const request = withinTimePerByte(text.length, () => parseRange(text, size));
        if (request.kind === 'range') {
          assert.ok(Number.isSafeInteger(request.start) && Number.isSafeInteger(request.end), JSON.stringify(request));
          assert.ok(request.start >= 0 && request.start <= request.end && request.end < size, JSON.stringify(request));
        } else {
          assert.ok(request.kind === 'none' || request.kind === 'unsatisfiable');
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads back any one range it is given', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), (a, b, size) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const expected: RangeRequest = start < size ? range(start, Math.min(end, size - 1)) : unsatisfiable;
        assert.deepEqual(parseRange(`bytes=${start}-${end}`, size), expected);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  for (const unit of ['1', '-', ',', ' ', '1-', '-1,', ', ', '0-0,']) {
    it(`reads "bytes=" + ${JSON.stringify(unit)} repeated in linear time`, async () => {
      await assertLinearTime(unit, (n) => `bytes=${unit.repeat(n)}x`, (text) => parseRange(text, 1000), 4000);
    });
  }
});
