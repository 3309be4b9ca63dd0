// A request body as a stream of chunks for the upload routes: counted against a limit, refused when the
// disk has no room for it, and cut off when the client stops sending.
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import { acceptBody } from '../http/expect-continue.js';
import type { HttpError } from '../http/errors.js';
import { assertRoomFor, withRoomChecks } from './disk-space.js';

export interface BodyLimits {
  maxBytes: number;
  tooBig: () => HttpError;
  /** The directory the bytes are written to, and how much must stay free on its disk (MIN_FREE_DISK_MB). */
  dir: string;
  minFreeMb: number;
  /** No byte for this long (STREAM_STALL_S) and the request is cut: its connection closed. */
  stallMs: number;
}

export function bodyLimits(config: Config, maxBytes: number, tooBig: () => HttpError): BodyLimits {
  return { maxBytes, tooBig, dir: config.videoDir, minFreeMb: config.minFreeDiskMb, stallMs: config.streamStallS * 1000 };
}

/** The Content-Length, or undefined for a chunked body. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const declared = req.headers['content-length'];
  return declared === undefined ? undefined : Number(declared);
}

/** What can be refused on the headers alone, before any of the body is read (and before a 100 Continue). */
export async function refuseOnHeaders(req: IncomingMessage, limits: BodyLimits): Promise<void> {
  const declared = declaredLength(req) ?? 0;
  if (declared > limits.maxBytes) throw limits.tooBig();
  await assertRoomFor(limits.dir, declared, limits.minFreeMb);
}

export class UploadStalledError extends Error {}

/**
 * The body's chunks; throws tooBig() once more than maxBytes arrive (a chunked body declares no length) and
 * 507 once the disk's free space would fall below its floor. Stopping early leaves the request undestroyed,
 * so the error response can still be sent on its socket; a stalled one is destroyed.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): AsyncGenerator<Buffer> {
  return withRoomChecks(countedBody(req, limits), limits.dir, declaredLength(req), limits.minFreeMb);
}

async function* countedBody(req: IncomingMessage, { maxBytes, tooBig, stallMs }: BodyLimits): AsyncGenerator<Buffer> {
  acceptBody(req);
  const stall = setTimeout(() => req.destroy(new UploadStalledError(`No byte arrived for ${stallMs} ms`)), stallMs);
  let received = 0;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw tooBig();
      yield chunk;
      // Counted from here: the time the client takes, not the time the disk took for the last chunk.
      stall.refresh();
    }
  } finally {
    clearTimeout(stall);
  }
}
