import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aacCodec, av1Codec, avcCodec, esdsCodec, hevcCodec, vp9Level, vpxCodecFromVpcC } from '../../src/media/codec-strings.js';
import { MediaFormatError } from '../../src/media/media-bytes.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('codec strings', () => {
  const cases: { what: string; make: () => string; expected: string }[] = [
    { what: 'avcC High 3.1', make: () => avcCodec('avc1', hex('01 64 00 1f ff e1')), expected: 'avc1.64001f' },
    { what: 'avcC Constrained Baseline 3.0 (avc3)', make: () => avcCodec('avc3', hex('01 42 c0 1e')), expected: 'avc3.42c01e' },
    // ISO/IEC 14496-15 E.3's own examples.
    { what: 'hvcC Main, level 3.1, progressive+frame-only', make: () => hevcCodec('hvc1', hex('01 01 60000000 b00000000000 5d')), expected: 'hvc1.1.6.L93.B0' },
    { what: 'hvcC Main 10, high tier, level 5.0', make: () => hevcCodec('hev1', hex('01 22 20000000 900000000000 96')), expected: 'hev1.2.4.H150.90' },
    { what: 'hvcC profile space A, all constraint bytes zero', make: () => hevcCodec('hvc1', hex('01 41 40000000 000000000000 3c')), expected: 'hvc1.A1.2.L60' },
    { what: 'hvcC a middle zero constraint byte is kept', make: () => hevcCodec('hvc1', hex('01 01 60000000 b00012000000 5d')), expected: 'hvc1.1.6.L93.B0.0.12' },
    { what: 'av1C main, level 4.0 (idx 8), 8 bit', make: () => av1Codec(hex('81 08 0c 00')), expected: 'av01.0.08M.08' },
    { what: 'av1C high tier, 10 bit', make: () => av1Codec(hex('81 2d c0 00')), expected: 'av01.1.13H.10' },
    { what: 'av1C professional, 12 bit', make: () => av1Codec(hex('81 4d 60 00')), expected: 'av01.2.13M.12' },
    { what: 'vpcC profile 2, level 4.1, 10 bit', make: () => vpxCodecFromVpcC('vp09', hex('01000000 02 29 a0')), expected: 'vp09.02.41.10' },
    { what: 'AudioSpecificConfig AAC-LC', make: () => aacCodec(hex('1190')), expected: 'mp4a.40.2' },
    { what: 'AudioSpecificConfig HE-AAC (SBR)', make: () => aacCodec(hex('2b92')), expected: 'mp4a.40.5' },
    { what: 'AudioSpecificConfig escaped object type 42 (USAC)', make: () => aacCodec(hex('f9 40')), expected: 'mp4a.40.42' },
    {
      what: 'esds MPEG-4 audio with a dependsOn stream id and 4-byte descriptor sizes',
      make: () => esdsCodec('mp4a', hex('00000000 03 8080801e 0001 80 0002 04 80808014 40 15 000000 00000000 00000000 05 80808002 1190')),
      expected: 'mp4a.40.2',
    },
    { what: 'esds MP3 (object type 0x6B)', make: () => esdsCodec('mp4a', hex('00000000 03 12 0001 00 04 0d 6b 15 000000 00000000 00000000')), expected: 'mp4a.6B' },
    {
      what: 'esds MPEG-4 Part 2, Simple Profile level 3',
      make: () => esdsCodec('mp4v', hex('00000000 03 19 0001 00 04 14 20 11 000000 00000000 00000000 05 05 000001b003')),
      expected: 'mp4v.20.3',
    },
  ];
  for (const { what, make, expected } of cases) {
    it(`makes ${expected} from ${what}`, () => assert.equal(make(), expected));
  }

  it('throws MediaFormatError, not a RangeError, for a record cut short', () => {
    assert.throws(() => hevcCodec('hvc1', hex('01 01 6000')), MediaFormatError);
    assert.throws(() => esdsCodec('mp4a', hex('00000000 03 7f 0001')), MediaFormatError);
    assert.throws(() => av1Codec(hex('01 08 0c 00')), MediaFormatError, 'av1C needs its marker bit');
  });

  it('finds the lowest VP9 level for a picture and frame rate', () => {
    assert.equal(vp9Level(320, 180, 25), 11);
    assert.equal(vp9Level(1280, 720, 30), 31);
    assert.equal(vp9Level(1920, 1080, 30), 40);
    assert.equal(vp9Level(1920, 1080, 60), 41);
    assert.equal(vp9Level(3840, 2160, 30), 50);
    assert.equal(vp9Level(100_000, 100_000, 30), null);
  });
});
