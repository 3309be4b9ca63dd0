// GET /healthz: 200 while the database answers.
import type { AppContext } from '../app.js';
import { sendJson } from '../http/respond.js';

export function health(ctx: AppContext): void {
  ctx.app.store.checkHealth();
  sendJson(ctx.res, 200, { status: 'ok' });
}
