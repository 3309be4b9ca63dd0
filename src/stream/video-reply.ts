// What a video stream answers, decided from the file's size and validators before the first byte, wherever its
// bytes come from (an open file, or a bucket): 304, 416, 206 or 200, with every header as one flat array.
import type { IncomingMessage } from 'node:http';
import { rangeNotSatisfiable } from '../http/errors.js';
import type { FileReply } from './file-body.js';
import { isNotModified, isRangeFresh, type FileValidators } from './preconditions.js';
import { parseRange, type RangeRequest } from './range.js';

/** A video is uploaded once (a second upload is 409) and its file never changes. */
export const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/** Every answer's head as one flat array, for writeHead without a header object. */
export function planVideoReply(req: IncomingMessage, file: { size: number; validators: FileValidators }, mime: string, requestId: string): FileReply {
  const { validators, size } = file;
  if (isNotModified(req.headers, validators)) {
    return {
      status: 304,
      headers: [
        'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
        'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
      ],
    };
  }
  // The contract: HEAD ignores Range. RFC 9110 13.1.5: a stale If-Range means the whole new file.
  const range: RangeRequest =
    req.method === 'HEAD' || !isRangeFresh(req.headers, validators)
      ? { kind: 'none' }
      : parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') throw rangeNotSatisfiable(size);
  const whole = range.kind === 'none';
  const start = whole ? 0 : range.start;
  const end = whole ? size - 1 : range.end;
  const headers = [
    'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
    'Content-Type', mime, 'Content-Length', end - start + 1,
    'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
  ];
  if (!whole) headers.push('Content-Range', `bytes ${start}-${end}/${size}`);
  return { status: whole ? 200 : 206, headers, body: { start, end } };
}
