// Requests node:http cannot parse (a malformed request line or header, headers over the size limit or too
// slow to arrive) never reach the router: they get the contract's JSON error too, written to the socket.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { headersTooLarge, headersTooSlow, malformedRequest, toErrorBody, tooLarge, type HttpError } from './errors.js';

/** How long a client that is still sending gets to read the answer before the connection is cut. */
const LINGER_MS = 2000;

function errorOf(code: string | undefined): HttpError {
  if (code === 'HPE_HEADER_OVERFLOW') return headersTooLarge();
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return tooLarge('Chunk extensions are over their size limit');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return headersTooSlow();
  return malformedRequest();
}

// Sockets already answered: the parser reports every later chunk of a bad request again.
const answered = new WeakSet<Duplex>();

/** isAnswering: a response has started on this socket, so nothing else can be written to it. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, isAnswering: boolean): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  if (!socket.writable || isAnswering) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  const httpError = errorOf(error.code);
  const body = JSON.stringify(toErrorBody(httpError));
  socket.end(
    `HTTP/1.1 ${httpError.status} ${STATUS_CODES[httpError.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
      body,
  );
  // end() alone would wait for the client to close; a reset right away could destroy the answer unread.
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
