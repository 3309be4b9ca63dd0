// A request body as a stream of chunks, counted against a limit, for the upload routes.
import type { IncomingMessage } from 'node:http';
import { acceptBody } from '../http/expect-continue.js';
import type { HttpError } from '../http/errors.js';

/** Throws tooBig() when Content-Length says so, before any of the body is read (and before a 100 Continue). */
export function rejectDeclaredOver(req: IncomingMessage, maxBytes: number, tooBig: () => HttpError): void {
  if (Number(req.headers['content-length']) > maxBytes) throw tooBig();
}

/**
 * The body's chunks; throws tooBig() once more than maxBytes arrive (a chunked body declares no length).
 * Stopping early leaves the request undestroyed, so the error response can still be sent on its socket.
 */
export async function* readBody(req: IncomingMessage, maxBytes: number, tooBig: () => HttpError): AsyncGenerator<Buffer> {
  acceptBody(req);
  let received = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw tooBig();
    yield chunk;
  }
}
