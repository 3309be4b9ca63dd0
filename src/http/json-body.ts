// The one JSON body reader: at most MAX_JSON_BYTES within JSON_BODY_DEADLINE_MS, always a plain object,
// never half-read into a handler.
import type { IncomingMessage } from 'node:http';
import { badJson, bodyTooSlow, tooLarge } from './errors.js';
import { acceptBody } from './expect-continue.js';
import { nestsDeeperThan } from './json-depth.js';

export const MAX_JSON_BYTES = 64 * 1024;
/** A client sending a byte a minute would otherwise hold its socket (and a handler) for ever. */
export const JSON_BODY_DEADLINE_MS = 30_000;
/** Arrays and objects within arrays and objects: every body of the API is a flat object. */
export const MAX_JSON_DEPTH = 16;

export type JsonObject = Record<string, unknown>;

// RFC 8259 8.1: JSON text is UTF-8. Without `fatal`, bad bytes would be stored as U+FFFD without a word.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readJsonObject(req: IncomingMessage, limit = MAX_JSON_BYTES, deadlineMs = JSON_BODY_DEADLINE_MS): Promise<JsonObject> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(`Request body is over ${limit} bytes`);
  acceptBody(req);
  const body = await readWhole(req, limit, deadlineMs);
  if (body.length === 0) throw badJson('the body is empty');
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw badJson('it is not valid UTF-8');
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw badJson(`it nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badJson('it is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badJson(`got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as JsonObject;
}

/**
 * The whole body, or 413 once over limit, or 408 when it is not complete within deadlineMs. Either refusal
 * leaves the request paused but whole, so the error response can still be sent on its socket.
 */
function readWhole(req: IncomingMessage, limit: number, deadlineMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error?: Error) => {
      clearTimeout(deadline);
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      req.pause();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) finish(tooLarge(`Request body is over ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    // A connection that closes before the end without an 'error' first.
    const onClose = () => finish(new Error('The request closed before its body ended'));
    const deadline = setTimeout(() => finish(bodyTooSlow(deadlineMs / 1000)), deadlineMs);
    req.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}
