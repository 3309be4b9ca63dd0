import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUploadMetadata } from '../../src/tus/metadata.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The pairs as text, for comparing (values are bytes). */
function pairsOf(header: string): Record<string, string> | string {
  const parsed = parseUploadMetadata(header);
  if (parsed.kind === 'malformed') return `malformed: ${parsed.reason}`;
  return Object.fromEntries([...parsed.pairs].map(([key, value]) => [key, value.toString('utf8')]));
}

describe('parseUploadMetadata()', () => {
  const accepted: { what: string; header: string; expected: Record<string, string> }[] = [
    { what: 'one pair', header: `video_id ${b64('73af')}`, expected: { video_id: '73af' } },
    { what: 'two pairs', header: `video_id ${b64('v')},filename ${b64('clip.mp4')}`, expected: { video_id: 'v', filename: 'clip.mp4' } },
    { what: 'the tus spec example with a key alone', header: 'filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential', expected: { filename: 'world_domination_plan.pdf', is_confidential: '' } },
    { what: 'a key with an empty value after its space', header: 'empty ', expected: { empty: '' } },
    { what: 'spaces around pairs', header: ` a ${b64('x')} , b ${b64('y')} `, expected: { a: 'x', b: 'y' } },
    { what: 'a UTF-8 file name', header: `filename ${b64('fête.webm')}`, expected: { filename: 'fête.webm' } },
    { what: 'padding of one', header: `k ${b64('ab')}`, expected: { k: 'ab' } },
    { what: 'no padding needed', header: `k ${b64('abc')}`, expected: { k: 'abc' } },
  ];
  for (const { what, header, expected } of accepted) {
    it(`reads ${what}: ${JSON.stringify(header)}`, () => {
      assert.deepEqual(pairsOf(header), expected);
    });
  }

  const refused: { what: string; header: string; mentions: RegExp }[] = [
    { what: 'an empty header', header: '', mentions: /pair 1 is empty/ },
    { what: 'a trailing comma', header: `a ${b64('x')},`, mentions: /pair 2 is empty/ },
    { what: 'a value without padding', header: 'k YWI', mentions: /base64/ },
    { what: 'base64url characters', header: 'k a-_b', mentions: /base64/ },
    { what: 'padding inside the value', header: 'k YQ==YQ==', mentions: /base64/ },
    { what: 'three padding characters', header: 'k Y===', mentions: /base64/ },
    { what: 'two spaces between key and value', header: `k  ${b64('x')}`, mentions: /base64/ },
    { what: 'a duplicate key', header: `k ${b64('x')},k ${b64('y')}`, mentions: /twice/ },
    { what: 'a non-ASCII key', header: `clé ${b64('x')}`, mentions: /visible ASCII/ },
    { what: 'a control character in a key', header: `k\x01 ${b64('x')}`, mentions: /visible ASCII/ },
  ];
  for (const { what, header, mentions } of refused) {
    it(`refuses ${what}: ${JSON.stringify(header)}`, () => {
      const parsed = parseUploadMetadata(header);
      assert.equal(parsed.kind, 'malformed');
      assert.ok(parsed.kind === 'malformed');
      assert.match(parsed.reason, mentions);
    });
  }

  const key = fc.stringMatching(/^[\x21-\x2b\x2d-\x7e]{1,20}$/);

  it('reads back any pairs tus-js-client encodes (key, space, base64 of the value; commas between)', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.uint8Array({ maxLength: 64 }), { minKeys: 1, maxKeys: 8 }), (pairs) => {
        const header = Object.entries(pairs).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(',');
        const parsed = parseUploadMetadata(header);
        assert.ok(parsed.kind === 'metadata', header);
        assert.deepEqual(
          Object.fromEntries([...parsed.pairs].map(([k, v]) => [k, [...v]])),
          Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, [...v]])),
        );
      }),
    );
  });

  it('never throws on any header text, and names a reason for every refusal', () => {
    const pieces = fc.constantFrom(',', ' ', '=', 'video_id', 'YQ==', 'a', '+/', '\t', 'é');
    const headerText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(headerText, (header) => {
        const parsed = parseUploadMetadata(header);
        if (parsed.kind === 'malformed') assert.ok(parsed.reason.length > 0);
        else for (const k of parsed.pairs.keys()) assert.match(k, /^[\x21-\x2b\x2d-\x7e]+$/);
      }),
    );
  });
});
