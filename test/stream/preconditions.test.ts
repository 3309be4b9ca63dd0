import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileValidators, isNotModified, isRangeFresh, parseHttpDate, validatorHeaders } from '../../src/stream/preconditions.js';

const MTIME_MS = Date.UTC(1994, 10, 6, 8, 49, 37, 250);
const validators = fileValidators({ size: 313269, mtimeMs: MTIME_MS });
const LAST_MODIFIED = 'Sun, 06 Nov 1994 08:49:37 GMT';

describe('fileValidators()', () => {
  it('makes a strong ETag from size and mtime, and a Last-Modified in whole seconds', () => {
    assert.match(validators.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.deepEqual(validatorHeaders(validators), { ETag: validators.etag, 'Last-Modified': LAST_MODIFIED });
    assert.equal(validators.lastModified, LAST_MODIFIED);
  });

  it('gives another ETag for another mtime or size', () => {
    assert.notEqual(fileValidators({ size: 313269, mtimeMs: MTIME_MS + 1 }).etag, validators.etag);
    assert.notEqual(fileValidators({ size: 313270, mtimeMs: MTIME_MS }).etag, validators.etag);
  });

  it('leaves out Last-Modified for content without a file', () => {
    assert.deepEqual(validatorHeaders({ etag: '"x"' }), { ETag: '"x"' });
  });
});

describe('parseHttpDate()', () => {
  const ms = Date.UTC(1994, 10, 6, 8, 49, 37);
  const cases = [
    { what: 'IMF-fixdate', input: 'Sun, 06 Nov 1994 08:49:37 GMT', expected: ms },
    { what: 'the obsolete RFC 850 form', input: 'Sunday, 06-Nov-94 08:49:37 GMT', expected: ms },
    { what: 'the obsolete asctime form', input: 'Sun Nov  6 08:49:37 1994', expected: ms },
    { what: 'a bare number (Date.parse would take it)', input: '2', expected: undefined },
    { what: 'ISO 8601', input: '1994-11-06T08:49:37Z', expected: undefined },
    { what: 'a local time zone', input: 'Sun, 06 Nov 1994 08:49:37 CET', expected: undefined },
    { what: '31 February', input: 'Sun, 31 Feb 1994 08:49:37 GMT', expected: undefined },
    { what: 'hour 25', input: 'Sun, 06 Nov 1994 25:49:37 GMT', expected: undefined },
    { what: 'junk', input: 'yesterday', expected: undefined },
  ];
  for (const { what, input, expected } of cases) {
    it(`reads ${what}: ${JSON.stringify(input)}`, () => assert.equal(parseHttpDate(input), expected));
  }
});

describe('isNotModified()', () => {
  const { etag } = validators;
  const cases = [
    { what: 'no condition', headers: {}, expected: false },
    { what: 'If-None-Match with the ETag', headers: { 'if-none-match': etag }, expected: true },
    { what: 'If-None-Match with the ETag made weak (weak comparison)', headers: { 'if-none-match': `W/${etag}` }, expected: true },
    { what: 'If-None-Match with the ETag in a list', headers: { 'if-none-match': `"a", ${etag} ,"b"` }, expected: true },
    { what: 'If-None-Match with an ETag holding a comma', headers: { 'if-none-match': `"a,b", ${etag}` }, expected: true },
    { what: 'If-None-Match *', headers: { 'if-none-match': '*' }, expected: true },
    { what: 'If-None-Match with another ETag', headers: { 'if-none-match': '"other"' }, expected: false },
    { what: 'If-None-Match with the ETag unquoted', headers: { 'if-none-match': etag.slice(1, -1) }, expected: false },
    { what: 'If-Modified-Since at Last-Modified', headers: { 'if-modified-since': LAST_MODIFIED }, expected: true },
    { what: 'If-Modified-Since after Last-Modified', headers: { 'if-modified-since': 'Mon, 07 Nov 1994 00:00:00 GMT' }, expected: true },
    { what: 'If-Modified-Since before Last-Modified', headers: { 'if-modified-since': 'Sun, 06 Nov 1994 08:49:36 GMT' }, expected: false },
    { what: 'If-Modified-Since that is not a date', headers: { 'if-modified-since': '2' }, expected: false },
    {
      what: 'a non-matching If-None-Match beside a matching If-Modified-Since (If-None-Match decides)',
      headers: { 'if-none-match': '"other"', 'if-modified-since': LAST_MODIFIED },
      expected: false,
    },
  ];
  for (const { what, headers, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => assert.equal(isNotModified(headers, validators), expected));
  }

  it('answers false for If-Modified-Since when there is no Last-Modified', () => {
    assert.equal(isNotModified({ 'if-modified-since': LAST_MODIFIED }, { etag }), false);
  });
});

describe('isRangeFresh()', () => {
  const { etag } = validators;
  const cases = [
    { what: 'no If-Range', ifRange: undefined, expected: true },
    { what: 'the ETag', ifRange: etag, expected: true },
    { what: 'the ETag made weak (strong comparison only)', ifRange: `W/${etag}`, expected: false },
    { what: 'another ETag', ifRange: '"other"', expected: false },
    { what: 'Last-Modified exactly', ifRange: LAST_MODIFIED, expected: true },
    { what: 'Last-Modified in the RFC 850 form', ifRange: 'Sunday, 06-Nov-94 08:49:37 GMT', expected: true },
    { what: 'a date after Last-Modified (must be equal, RFC 9110 13.1.5)', ifRange: 'Mon, 07 Nov 1994 00:00:00 GMT', expected: false },
    { what: 'a date before Last-Modified', ifRange: 'Sun, 06 Nov 1994 08:49:36 GMT', expected: false },
    { what: 'junk', ifRange: 'whenever', expected: false },
  ];
  for (const { what, ifRange, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => {
      assert.equal(isRangeFresh(ifRange === undefined ? {} : { 'if-range': ifRange }, validators), expected);
    });
  }
});
