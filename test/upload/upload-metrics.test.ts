import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { conflict, internalFault, invalidField, notFound, tooLarge, unsupportedMedia } from '../../src/http/errors.js';
import { Metrics } from '../../src/metrics.js';
import { createUploadMetrics, uploadResultOf } from '../../src/upload/upload-metrics.js';

const LIVE = { destroyed: false, complete: false } as IncomingMessage;
const CUT_OFF = { destroyed: true, complete: false } as IncomingMessage;

describe('uploadResultOf()', () => {
  const cases = [
    { what: '413', error: tooLarge('big'), req: LIVE, expected: 'too_large' },
    { what: '415', error: unsupportedMedia('text'), req: LIVE, expected: 'unsupported' },
    { what: '409', error: conflict('taken'), req: LIVE, expected: 'conflict' },
    { what: '404 (deleted mid-upload)', error: notFound('video'), req: LIVE, expected: 'conflict' },
    { what: '400', error: invalidField('file', 'must not be empty'), req: LIVE, expected: 'invalid' },
    { what: 'a reset from a client that went away', error: new Error('aborted'), req: CUT_OFF, expected: 'aborted' },
    { what: 'a disk error', error: new Error('ENOSPC'), req: LIVE, expected: 'failed' },
    { what: '500', error: internalFault(), req: LIVE, expected: 'failed' },
  ];
  for (const { what, error, req, expected } of cases) {
    it(`labels ${what} as ${expected}`, () => {
      assert.equal(uploadResultOf(error, req), expected);
    });
  }
});

describe('createUploadMetrics()', () => {
  it('registers both counters on the registry, rendered at 0 before any upload', () => {
    const metrics = new Metrics();
    const upload = createUploadMetrics(metrics);
    assert.match(metrics.render(), /^moviedash_uploads_total 0$/m);
    upload.uploads.inc({ result: 'ok' });
    upload.bytes.inc({}, 313269);
    const text = metrics.render();
    assert.match(text, /^moviedash_uploads_total\{result="ok"\} 1$/m);
    assert.match(text, /^moviedash_upload_bytes_total 313269$/m);
  });
});
