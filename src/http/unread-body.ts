// An error answered before the request body was read (401, 413, 415...). Closing at once while the client
// is still sending makes the kernel reset the connection, and a reset can destroy the response before the
// client reads it (RFC 9112 9.6): fetch and browsers then report a network error instead of the 413.
// So the rest of the body is read and dropped for a while, and only a body still coming after that is cut off.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAwaitingContinue } from './expect-continue.js';

const LINGER_MS = 2000;

export function dropUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  // Expect: 100-continue without the 100: the client holds the body back, so there is nothing in flight.
  // A destroyed request can no longer be drained: its remaining bytes must not be parsed as a request.
  if (isAwaitingContinue(req) || req.destroyed) {
    res.setHeader('Connection', 'close');
    return;
  }
  const socket = res.socket;
  if (socket === null) return;
  const cutOff = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  req.once('end', () => clearTimeout(cutOff));
  req.once('close', () => clearTimeout(cutOff));
  req.resume();
}
