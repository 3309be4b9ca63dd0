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
  if (range.kind === 'none') {
    return {
      status: 200,
      headers: [
        'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
        'Content-Type', mime, 'Content-Length', size,
        'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
      ],
      body: { start: 0, end: size - 1 },
    };
  }
  const { start, end } = range;
  // One literal each: an array grown by a push past its literal's length was copied into a new one about twice
  // as long, the largest allocation of a player's probe beyond bare node:http's.
  return {
    status: 206,
    headers: [
      'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
      'Content-Type', mime, 'Content-Length', end - start + 1,
      'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
      'Content-Range', contentRange(start, end, size),
    ],
    body: { start, end },
  };
}

/** The last Content-Range made: players ask for the same spans again and again (every viewer's first probe). */
let lastRange = { start: -1, end: -1, size: -1, text: '' };

function contentRange(start: number, end: number, size: number): string {
  if (start !== lastRange.start || end !== lastRange.end || size !== lastRange.size) {
    lastRange = { start, end, size, text: `bytes ${start}-${end}/${size}` };
  }
  return lastRange.text;
}
