import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sniffContainer, type SniffResult } from '../../src/upload/sniff-container.js';
import { assertLinearTime } from '../helpers/fuzz.js';
import { assertSnifferProperties, headsAfter } from '../helpers/sniff-properties.js';

const bytes = (...parts: (string | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const box = (type: string, brand = '') => bytes([0, 0, 0, 0x20], type, brand);
/** An EBML header holding EBMLVersion and the given DocType. */
const ebml = (docType: string) => {
  const docTypeElement = bytes([0x42, 0x82, 0x80 | docType.length], docType);
  const version = bytes([0x42, 0x86, 0x81, 0x01]);
  return bytes([0x1a, 0x45, 0xdf, 0xa3, 0x80 | (version.length + docTypeElement.length)], version, docTypeElement);
};
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

const MATCH = (mime: string): SniffResult => ({ kind: 'match', mime });
const NO_MATCH: SniffResult = { kind: 'no-match' };
const NEED_MORE: SniffResult = { kind: 'need-more' };

describe('sniffContainer()', () => {
  const cases: { what: string; head: Buffer; isFinal?: boolean; expected: SniffResult }[] = [
    { what: 'sample.mp4 (ftyp isom)', head: fixture('sample.mp4'), expected: MATCH('video/mp4') },
    { what: 'truncated.mp4 (valid header, cut short)', head: fixture('truncated.mp4'), expected: MATCH('video/mp4') },
    { what: 'sample.webm (EBML, DocType webm)', head: fixture('sample.webm'), expected: MATCH('video/webm') },
    { what: 'not-a-video.mp4 (text)', head: fixture('not-a-video.mp4'), expected: NO_MATCH },
    { what: 'ftyp with brand mp42', head: box('ftyp', 'mp42'), expected: MATCH('video/mp4') },
    { what: 'ftyp with the QuickTime brand "qt  "', head: box('ftyp', 'qt  '), expected: MATCH('video/quicktime') },
    { what: 'ftyp with a 3GP brand', head: box('ftyp', '3gp4'), expected: MATCH('video/mp4') },
    { what: 'old QuickTime opening with moov', head: box('moov'), expected: MATCH('video/quicktime') },
    { what: 'old QuickTime opening with mdat', head: box('mdat'), expected: MATCH('video/quicktime') },
    { what: 'old QuickTime opening with wide', head: box('wide'), expected: MATCH('video/quicktime') },
    { what: 'old QuickTime opening with free', head: box('free'), expected: MATCH('video/quicktime') },
    { what: 'old QuickTime opening with skip', head: box('skip'), expected: MATCH('video/quicktime') },
    { what: 'a HEIC still image (ftyp heic)', head: box('ftyp', 'heic'), expected: NO_MATCH },
    { what: 'an AVIF still image (ftyp avif)', head: box('ftyp', 'avif'), expected: NO_MATCH },
    { what: 'a box size of 4 (smaller than its header)', head: bytes([0, 0, 0, 4], 'ftypisom'), expected: NO_MATCH },
    { what: 'ftyp not at offset 4', head: bytes([0, 0, 0, 0, 0x20], 'ftypisom'), expected: NO_MATCH },
    { what: 'Matroska (DocType matroska)', head: ebml('matroska'), expected: MATCH('video/x-matroska') },
    { what: 'WebM (DocType webm)', head: ebml('webm'), expected: MATCH('video/webm') },
    { what: 'EBML with an unknown DocType', head: ebml('other'), expected: MATCH('video/x-matroska') },
    { what: 'EBML whose header is cut short, at the end', head: ebml('webm').subarray(0, 9), isFinal: true, expected: MATCH('video/x-matroska') },
    { what: 'Ogg', head: bytes('OggS', [0, 2]), expected: MATCH('video/ogg') },
    { what: 'a PNG image', head: bytes([0x89], 'PNG\r\n\x1a\n'), expected: NO_MATCH },
    { what: 'a JPEG image', head: bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF', [0]), expected: NO_MATCH },
    { what: 'a RIFF/AVI file', head: bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), expected: NO_MATCH },
    { what: 'MP3 (ID3)', head: bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), expected: NO_MATCH },
    { what: 'nothing at all, at the end', head: Buffer.alloc(0), isFinal: true, expected: NO_MATCH },
    { what: '3 bytes of a box size', head: bytes([0, 0, 0]), expected: NEED_MORE },
    { what: '3 bytes of a box size, at the end', head: bytes([0, 0, 0]), isFinal: true, expected: NO_MATCH },
    { what: 'a box size and "ft"', head: bytes([0, 0, 0, 0x20], 'ft'), expected: NEED_MORE },
    { what: 'a box size and "xx"', head: bytes([0, 0, 0, 0x20], 'xx'), expected: NO_MATCH },
    { what: 'ftyp without its brand yet', head: bytes([0, 0, 0, 0x20], 'ftyp'), expected: NEED_MORE },
    { what: 'ftyp without a brand, at the end', head: bytes([0, 0, 0, 0x20], 'ftyp'), isFinal: true, expected: NO_MATCH },
    { what: 'the first 2 bytes of the EBML magic', head: bytes([0x1a, 0x45]), expected: NEED_MORE },
    { what: 'an EBML header before its DocType arrives', head: ebml('webm').subarray(0, 10), expected: NEED_MORE },
    { what: '"Og"', head: bytes('Og'), expected: NEED_MORE },
  ];
  for (const { what, head, isFinal = false, expected } of cases) {
    it(`answers ${expected.kind === 'match' ? expected.mime : expected.kind} for ${what}`, () => {
      assert.deepEqual(sniffContainer(head, isFinal), expected);
    });
  }

  it('finds the DocType of sample.webm fed one more byte at a time', () => {
    const webm = fixture('sample.webm');
    let verdict: SniffResult = NEED_MORE;
    let length = 0;
    while (verdict.kind === 'need-more') verdict = sniffContainer(webm.subarray(0, ++length), false);
    assert.deepEqual(verdict, MATCH('video/webm'));
    assert.ok(length < 64, `needed ${length} bytes`);
  });
});

describe('sniffContainer() on generated heads', () => {
  /** EBML elements with random ids, sizes and data: the header walk's loop sees every shape. */
  const element = fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 12 })).map(([id, data]) =>
    bytes(Buffer.from(id), [0x80 | data.length], Buffer.from(data)),
  );
  const ebmlHead = fc.array(element, { maxLength: 12 }).map((elements) => {
    const body = Buffer.concat(elements);
    return bytes([0x1a, 0x45, 0xdf, 0xa3, 0x10, 0, 0, body.length & 0xff], body);
  });

  it('answers any head in time, and keeps a verdict once given', () => {
    const magics = [ebml('webm'), ebml('matroska'), bytes('OggS'), box('ftyp', 'isom'), box('ftyp', 'heic'), box('moov'), bytes([0, 0, 0, 1], 'ftyp')];
    assertSnifferProperties(sniffContainer, fc.oneof(headsAfter(...magics), ebmlHead));
  });

  /** An EBML size of 8 bytes. */
  const size8 = (value: number) => [0x01, 0, 0, 0, (value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  const ebmlHeaderOf = (body: Buffer) => bytes([0x1a, 0x45, 0xdf, 0xa3], size8(body.length), body);
  /** An EBML header whose one DocType element holds n bytes of fill and then an "x". */
  const docTypeOf = (fill: number) => (n: number) => {
    const docType = Buffer.concat([Buffer.alloc(n, fill), Buffer.from('x')]);
    return ebmlHeaderOf(bytes([0x42, 0x82], size8(docType.length), docType));
  };
  for (const [what, make] of [
    ['a DocType of NULs', docTypeOf(0)],
    ['a DocType of spaces', docTypeOf(0x20)],
    ['a header of empty EBMLVersion elements', (n: number) => ebmlHeaderOf(Buffer.alloc(3 * n, Buffer.from([0x42, 0x86, 0x80])))],
  ] as const) {
    it(`sniffs ${what} in linear time`, async () => {
      await assertLinearTime(what, make, (head) => sniffContainer(head, true), 8000);
    });
  }
});
