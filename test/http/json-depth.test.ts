import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nestsDeeperThan } from '../../src/http/json-depth.js';
import { assertLinearTime, FUZZ_RUNS } from '../helpers/fuzz.js';

/** Levels of arrays and objects in a parsed value: {} and [] count one, scalars none. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('nestsDeeperThan()', () => {
  it('agrees with the depth of the parsed value for any JSON, strings full of brackets and escapes included', () => {
    const value = fc.jsonValue({ maxDepth: 8 });
    fc.assert(
      fc.property(value, fc.nat({ max: 8 }), (json, max) => {
        assert.equal(nestsDeeperThan(JSON.stringify(json), max), depthOf(json) > max);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  const cases = [
    { what: 'a flat object', text: '{"a":"[[[{{{"}', max: 1, expected: false },
    { what: 'an escaped quote before brackets in a string', text: '{"a":"\\"[[["}', max: 1, expected: false },
    { what: 'an escaped backslash ending a string', text: '{"a":"\\\\","b":[[1]]}', max: 2, expected: true },
    { what: '17 arrays, max 16', text: `${'['.repeat(17)}${']'.repeat(17)}`, max: 16, expected: true },
    { what: '16 arrays, max 16', text: `${'['.repeat(16)}${']'.repeat(16)}`, max: 16, expected: false },
  ];
  for (const { what, text, max, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => {
      assert.equal(nestsDeeperThan(text, max), expected);
    });
  }

  it('reads a text of "{\\"a\\":\\"[" repeated in linear time', async () => {
    await assertLinearTime('{"a":"[', (n) => '{"a":"['.repeat(n), (text) => nestsDeeperThan(text, 16), 8000);
  });
});
