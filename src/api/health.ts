// GET /healthz: 200 while the database answers.
import type { RequestContext } from '../http/context.js';
import { sendJson } from '../http/respond.js';

export function health(ctx: RequestContext): void {
  ctx.app.store.checkHealth();
  sendJson(ctx.res, 200, { status: 'ok' });
}
