// The one JSON body reader: at most MAX_JSON_BYTES, always a plain object, never half-read into a handler.
import type { IncomingMessage } from 'node:http';
import { badJson, tooLarge } from './errors.js';
import { acceptBody } from './expect-continue.js';
import { nestsDeeperThan } from './json-depth.js';

export const MAX_JSON_BYTES = 64 * 1024;
/** Arrays and objects within arrays and objects: every body of the API is a flat object. */
export const MAX_JSON_DEPTH = 16;

export type JsonObject = Record<string, unknown>;

// RFC 8259 8.1: JSON text is UTF-8. Without `fatal`, bad bytes would be stored as U+FFFD without a word.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readJsonObject(req: IncomingMessage, limit = MAX_JSON_BYTES): Promise<JsonObject> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(`Request body is over ${limit} bytes`);
  acceptBody(req);
  const chunks: Buffer[] = [];
  let received = 0;
  // destroyOnReturn: false keeps the request whole when a limit stops the loop, so the 413 can be sent.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limit) throw tooLarge(`Request body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  if (received === 0) throw badJson('the body is empty');
  let text: string;
  try {
    text = UTF8.decode(Buffer.concat(chunks, received));
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
