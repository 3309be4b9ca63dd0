// A reply about an open file, sent with backpressure: the next chunk is read only once the socket has taken
// the last one, so a slow client makes the server hold one chunk for it, and a client that goes away stops
// the reads at once.
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { endAtTurnEnd } from '../http/turn-end.js';
import { CHUNK_SIZES, giveBuffer, takeBuffer } from './buffer-pool.js';
import { readAt, type OpenFile } from './open-file.js';
import { waitForTurn } from './turns.js';

/** A span up to this long is read in one go. */
const ONE_READ_MAX = CHUNK_SIZES[CHUNK_SIZES.length - 1]!;
/**
 * Chunks of a longer span grow through CHUNK_SIZES while the socket takes each at once. The kernel takes the
 * first few MiB of any stream at once, slow client or not (a send buffer grows to 4 MiB, net.ipv4.tcp_wmem,
 * and the receiver's window adds to it), so chunks stay at 256 KiB until a client has taken more than that,
 * then grow to 512 KiB. Measured on the send path alone: 100 slow streams added ~39 MiB of RSS (~68 MiB when
 * chunks grew to 512 KiB at once); a 64 MiB file moved ~8% slower than with 512 KiB chunks throughout, which
 * were as fast as 1 MiB ones (256 KiB throughout: ~25% slower).
 */
const KERNEL_BUFFERS = 8 * 1024 * 1024;
const LARGEST_EARLY = CHUNK_SIZES.indexOf(256 * 1024);
const LARGEST_LATER = CHUNK_SIZES.indexOf(512 * 1024);

/** Everything about a reply is decided before its first byte; body is the inclusive byte span to send. */
export interface FileReply {
  status: number;
  /** An object, or a flat [name, value, name, value, ...] array (no object built per request). */
  headers: OutgoingHttpHeaders | OutgoingHttpHeader[];
  body?: { start: number; end: number };
}

/**
 * Writes the head, then the bytes (none for HEAD); the file is released however the reply ends. A reply
 * without bytes to read (HEAD, 304, a span within the file's head kept in memory: a player's first probe) is
 * ended with the turn's other such replies (http/turn-end.ts) and nothing is returned; otherwise the promise of
 * its end.
 */
export function sendFileReply(
  req: IncomingMessage,
  res: ServerResponse,
  file: OpenFile,
  reply: FileReply,
  onChunk: (bytes: number) => void = () => {},
): Promise<void> | undefined {
  let sending: Promise<void> | undefined;
  try {
    res.writeHead(reply.status, reply.headers);
    const { body } = reply;
    if (!body || req.method === 'HEAD' || body.end < body.start) {
      endAtTurnEnd(res);
    } else if (file.head !== undefined && body.end < file.head.length) {
      onChunk(body.end - body.start + 1);
      // The whole head (a player's first 64 KiB) as it is: a view of it is a new Buffer per request.
      const isWholeHead = body.start === 0 && body.end === file.head.length - 1;
      endAtTurnEnd(res, isWholeHead ? file.head : file.head.subarray(body.start, body.end + 1));
    } else {
      sending = sendBytes(res, file, body.start, body.end, onChunk);
    }
  } catch (error) {
    file.release();
    throw error;
  }
  if (!sending) {
    file.release();
    return undefined;
  }
  return sending.finally(() => file.release());
}

/**
 * Bytes within the file's head (when kept in memory) are sent from there, without a read. Of the rest, a span
 * of up to 1 MiB (a player's probe, a seek) is read in one go. A longer one starts with 64 KiB chunks that
 * grow while the socket takes each chunk at once, back to 64 KiB when it does not: a fast client gets few
 * large reads, a slow one ties up little memory. Every chunk but the first waits its turn (see turns.ts).
 * The last chunk goes with the end of the response.
 */
async function sendBytes(res: ServerResponse, file: OpenFile, start: number, end: number, onChunk: (bytes: number) => void): Promise<void> {
  const isShort = end - start + 1 <= ONE_READ_MAX;
  const head = file.head ?? EMPTY;
  let grown = 0;
  let position = start;
  while (!res.destroyed) {
    let chunk: Buffer;
    let buffer: Buffer | undefined;
    if (position < head.length) {
      chunk = head.subarray(position, Math.min(end + 1, head.length));
    } else {
      const left = end - position + 1;
      const length = isShort ? left : Math.min(CHUNK_SIZES[grown]!, left);
      buffer = takeBuffer(length);
      const bytesRead = await readAt(file.fd, buffer, length, position);
      if (bytesRead === 0) throw new Error(`The file ended at byte ${position}, before the ${end + 1} its size promised`);
      if (res.destroyed) {
        giveBuffer(buffer);
        return;
      }
      chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    const used = buffer;
    const turn = position === start ? undefined : waitForTurn(chunk.length);
    if (turn) {
      await turn;
      if (res.destroyed) {
        if (used) giveBuffer(used);
        return;
      }
    }
    onChunk(chunk.length);
    position += chunk.length;
    if (position > end) {
      res.end(chunk, used && (() => giveBuffer(used)));
      return;
    }
    const taken = await write(res, chunk);
    if (taken === undefined) return;
    if (used) giveBuffer(used);
    grown = taken === 'at once' ? Math.min(grown + 1, position - start > KERNEL_BUFFERS ? LARGEST_LATER : LARGEST_EARLY) : 0;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Resolves once the socket has taken every byte of chunk (its buffer may then be used again), saying whether
 * it took them without waiting for the client; undefined when the client went away first.
 */
function write(res: ServerResponse, chunk: Buffer): Promise<'at once' | 'later' | undefined> {
  return new Promise((resolve) => {
    const onClose = () => resolve(undefined);
    res.once('close', onClose);
    let taken: 'at once' | 'later' = 'later';
    res.write(chunk, (error) => {
      res.off('close', onClose);
      resolve(error ? undefined : taken);
    });
    // node:http corks the socket on a write and uncorks it in a nextTick queued before this one: by now
    // the kernel has taken what it could.
    process.nextTick(() => {
      if (res.writableLength === 0) taken = 'at once';
    });
  });
}
