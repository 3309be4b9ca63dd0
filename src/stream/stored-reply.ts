// A reply whose bytes come from a storage (a bucket) rather than a file held open: the ranged read is under way
// before the head is written, so an object the bucket has lost is still a clean answer, then its body is written
// with backpressure. The read is aborted as soon as the reply closes (the viewer left).
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Storage } from '../storage/storage.js';
import type { FileReply } from './file-body.js';
import { closeSignal } from './stream-token.js';

/**
 * Sends reply with the bytes of body's span read from key in storage (none for HEAD, 304, or an empty span).
 * Resolves false, having written nothing, when storage holds no such object; true once the reply has ended.
 */
export async function sendStoredReply(
  req: IncomingMessage,
  res: ServerResponse,
  storage: Storage,
  key: string,
  reply: FileReply,
  onChunk: (bytes: number) => void = () => {},
): Promise<boolean> {
  const { body } = reply;
  if (!body || req.method === 'HEAD' || body.end < body.start) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return true;
  }
  const closed = closeSignal(res);
  const bytes = await storage.read(key, { start: body.start, end: body.end }, closed);
  if (!bytes) return false;
  if (res.destroyed) {
    bytes.destroy();
    return true;
  }
  res.writeHead(reply.status, reply.headers);
  const expected = body.end - body.start + 1;
  let sent = 0;
  // A loop, not pipeline(): pipeline hangs five more 'close' listeners on res, past Node's warning at ten.
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      sent += chunk.length;
      onChunk(chunk.length);
      if (!res.write(chunk)) await once(res, 'drain', { signal: closed });
    }
  } catch (error) {
    // The viewer leaving (a reply closed or failed) aborts the read, or the wait for room: nothing went wrong.
    // Anything else is the bucket's failure, the server's to report.
    if (closed.aborted || res.destroyed) return true;
    throw error;
  }
  // An object shorter than its record says must not pass for a whole reply on a kept-alive connection.
  if (sent !== expected) res.destroy();
  else res.end();
  return true;
}
