// What a handler receives: the request, the response, the route's params, and the application's parts
// as the type parameter (the toolkit knows nothing of the application; see app.ts's AppContext).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from './router.js';

export interface RequestContext<Services> {
  req: IncomingMessage;
  res: ServerResponse;
  app: Services;
  /** Decoded path segments named by the route pattern (`:vid-id` -> params['vid-id']). */
  params: Params;
  query: URLSearchParams;
  requestId: string;
  /** Who the client is (see client-address.ts): what every limit, log line and metric counts by. */
  clientAddress: string;
  /**
   * Runs fn once the response has closed, however it ended (finished, failed, cut off), or at once when it has:
   * what a request holds (a limiter token, a per-client count, a lease) goes back through here.
   */
  whenClosed(fn: () => void): void;
}

export type Handler<Services> = (ctx: RequestContext<Services>) => void | Promise<void>;

export function param(ctx: RequestContext<unknown>, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new TypeError(`Route has no :${name} param`);
  return value;
}
