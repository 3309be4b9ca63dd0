import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float, parseHeader, text, unsigned } from '../../src/media/ebml.js';
import { MediaFormatError } from '../../src/media/media-bytes.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('EBML elements', () => {
  it('reads unsigned integers of 0 to 8 bytes, and refuses longer or unsafe ones', () => {
    assert.equal(unsigned(hex('')), 0);
    assert.equal(unsigned(hex('0f4240')), 1_000_000);
    assert.equal(unsigned(hex('00 00 00 00 00 00 00 2a')), 42);
    assert.equal(unsigned(hex('00 1f ff ff ff ff ff ff')), Number.MAX_SAFE_INTEGER);
    assert.throws(() => unsigned(hex('00 20 00 00 00 00 00 00')), MediaFormatError);
    assert.throws(() => unsigned(hex('00 00 00 00 00 00 00 00 01')), MediaFormatError);
  });

  it('reads floats of 0, 4 and 8 bytes, and strings padded with NULs', () => {
    assert.equal(float(hex('')), 0);
    assert.equal(float(hex('40fb0000')), 7.84375);
    assert.equal(float(hex('409f600000000000')), 2008);
    assert.throws(() => float(hex('0102')), MediaFormatError);
    assert.equal(text(Buffer.from('webm\0\0', 'latin1')), 'webm');
  });

  it('reads a header with an unknown size, and refuses a size past its parent', () => {
    assert.deepEqual(parseHeader(hex('18538067 01ffffffffffffff'), 0, 100, 5000), { id: 0x18538067, dataStart: 112, end: 5000, isUnknownSize: true });
    assert.deepEqual(parseHeader(hex('4489 88'), 0, 0, 11), { id: 0x4489, dataStart: 3, end: 11, isUnknownSize: false });
    assert.throws(() => parseHeader(hex('4489 88'), 0, 0, 10), MediaFormatError);
    assert.throws(() => parseHeader(hex('00 81'), 0, 0, 10), MediaFormatError, 'a zero first byte is no vint');
  });
});
