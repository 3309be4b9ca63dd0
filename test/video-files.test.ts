import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVideoId } from '../src/video-files.js';

/** What a video id is, said the plain way; isVideoId must agree with it on every string. */
const LOWERCASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('isVideoId()', () => {
  const cases = [
    { what: 'a lowercase UUID', input: '3f2c8a7e-0000-4000-8000-000000000001', expected: true },
    { what: 'capitals', input: '3F2C8A7E-0000-4000-8000-000000000001', expected: false },
    { what: 'one character short', input: '3f2c8a7e-0000-4000-8000-00000000000', expected: false },
    { what: 'one character long', input: '3f2c8a7e-0000-4000-8000-0000000000011', expected: false },
    { what: 'a hyphen out of place', input: '3f2c8a7e0-000-4000-8000-000000000001', expected: false },
    { what: 'a letter past f', input: '3f2c8a7e-0000-4000-8000-00000000000g', expected: false },
    { what: 'a path', input: '../../../../etc/passwd-0000-00000000', expected: false },
    { what: 'the empty string', input: '', expected: false },
  ];
  for (const { what, input, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => assert.equal(isVideoId(input), expected));
  }

  it('agrees with the UUID pattern on any string, UUID-shaped or not', () => {
    const hexOrNot = fc.constantFrom(...'0123456789abcdefABCDEFgz-./ \u00e9');
    const shaped = fc.array(hexOrNot, { minLength: 34, maxLength: 38 }).map((chars) => chars.join(''));
    const nearlyValid = fc.uuid().chain((uuid) => fc.nat(35).chain((at) => hexOrNot.map((c) => uuid.slice(0, at) + c + uuid.slice(at + 1))));
    fc.assert(fc.property(fc.oneof(fc.string(), shaped, fc.uuid(), nearlyValid), (id) => isVideoId(id) === LOWERCASE_UUID.test(id)), { numRuns: 5000 });
  });
});
