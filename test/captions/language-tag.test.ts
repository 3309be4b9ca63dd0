import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalLanguageTag, languageName } from '../../src/captions/language-tag.js';

describe('canonicalLanguageTag()', () => {
  const cases: { what: string; input: string; expected: string | undefined }[] = [
    { what: 'a two-letter language', input: 'en', expected: 'en' },
    { what: 'a three-letter language', input: 'fil', expected: 'fil' },
    { what: 'language and region, any case', input: 'PT-br', expected: 'pt-BR' },
    { what: 'language, script and region', input: 'zh-hant-tw', expected: 'zh-Hant-TW' },
    { what: 'a numeric region', input: 'es-419', expected: 'es-419' },
    { what: 'a variant', input: 'sl-rozaj', expected: 'sl-rozaj' },
    { what: 'an extension keeps lower case after its singleton', input: 'en-US-u-CA-gregory', expected: 'en-US-u-ca-gregory' },
    { what: 'a private use part', input: 'en-x-SDH', expected: 'en-x-sdh' },
    { what: 'empty', input: '', expected: undefined },
    { what: 'one letter', input: 'e', expected: undefined },
    { what: 'digits as language', input: '12', expected: undefined },
    { what: 'an underscore (a POSIX locale)', input: 'en_US', expected: undefined },
    { what: 'a path', input: '../etc', expected: undefined },
    { what: 'a trailing hyphen', input: 'en-', expected: undefined },
    { what: 'a subtag over 8 characters', input: 'en-abcdefghi', expected: undefined },
    { what: 'over 35 characters', input: `en-${'abcdefgh-'.repeat(4)}x`, expected: undefined },
  ];
  for (const { what, input, expected } of cases) {
    it(`${expected === undefined ? 'refuses' : 'accepts'} ${what}: ${JSON.stringify(input)}`, () => {
      assert.equal(canonicalLanguageTag(input), expected);
    });
  }
});

describe('languageName()', () => {
  it('names a language with its region in English', () => {
    assert.equal(languageName('pt-BR'), 'Brazilian Portuguese');
    assert.equal(languageName('nl'), 'Dutch');
  });

  it('falls back to the tag for a language ICU does not know', () => {
    assert.equal(languageName('qaa'), 'qaa');
  });
});
