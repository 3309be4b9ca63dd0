import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SniffResult } from '../../src/upload/sniff-container.js';
import { sniffImage } from '../../src/upload/sniff-image.js';
import { assertSnifferProperties, headsAfter } from '../helpers/sniff-properties.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

describe('sniffImage()', () => {
  const cases: { what: string; head: Buffer; isFinal?: boolean; expected: SniffResult }[] = [
    { what: 'a PNG signature', head: PNG, expected: { kind: 'match', mime: 'image/png' } },
    { what: 'a JPEG SOI marker', head: JPEG, expected: { kind: 'match', mime: 'image/jpeg' } },
    { what: 'a GIF', head: Buffer.from('GIF89a'), expected: { kind: 'no-match' } },
    { what: 'an MP4', head: Buffer.from('\0\0\0\x20ftypisom', 'latin1'), expected: { kind: 'no-match' } },
    { what: 'a PNG signature with one byte wrong', head: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b]), expected: { kind: 'no-match' } },
    { what: 'the first 4 bytes of a PNG', head: PNG.subarray(0, 4), expected: { kind: 'need-more' } },
    { what: 'the first 4 bytes of a PNG, at the end', head: PNG.subarray(0, 4), isFinal: true, expected: { kind: 'no-match' } },
    { what: 'the first 2 bytes of a JPEG', head: JPEG.subarray(0, 2), expected: { kind: 'need-more' } },
  ];
  for (const { what, head, isFinal = false, expected } of cases) {
    it(`answers ${expected.kind} for ${what}`, () => {
      assert.deepEqual(sniffImage(head, isFinal), expected);
    });
  }
});

describe('sniffImage() on generated heads', () => {
  it('answers any head in time, and keeps a verdict once given', () => {
    assertSnifferProperties(sniffImage, headsAfter(PNG, JPEG, PNG.subarray(0, 5), JPEG.subarray(0, 2)));
  });
});
