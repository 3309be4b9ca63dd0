// What a handler receives: the request, the response, the route's params and the app's parts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import type { Params } from './router.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  app: App;
  /** Decoded path segments named by the route pattern (`:vid-id` -> params['vid-id']). */
  params: Params;
  query: URLSearchParams;
  requestId: string;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new TypeError(`Route has no :${name} param`);
  return value;
}
