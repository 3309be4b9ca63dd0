// Expect: 100-continue (RFC 9110 10.1.1): the client holds its body back until it gets a 100, so a request
// refused on its headers alone (401, 404, 413...) costs no upload. server.ts registers such requests here;
// whatever reads a body calls acceptBody first, after every check that needs no body has passed.
import type { IncomingMessage, ServerResponse } from 'node:http';

const awaitingContinue = new WeakMap<IncomingMessage, ServerResponse>();

export function expectsContinue(req: IncomingMessage, res: ServerResponse): void {
  awaitingContinue.set(req, res);
}

export function isAwaitingContinue(req: IncomingMessage): boolean {
  return awaitingContinue.has(req);
}

/** Sends `100 Continue` if the client is waiting for it; a no-op otherwise, and the second time. */
export function acceptBody(req: IncomingMessage): void {
  const res = awaitingContinue.get(req);
  if (res === undefined) return;
  awaitingContinue.delete(req);
  if (!res.headersSent) res.writeContinue();
}
