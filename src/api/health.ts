// GET /healthz: 200 while the database and the storage of video files answer (the storage's last ping, see
// storage/storage-health.ts), else 500 with the error that says which.
import type { AppContext } from '../app.js';
import { sendJson } from '../http/respond.js';

export async function health(ctx: AppContext): Promise<void> {
  ctx.app.store.checkHealth();
  await ctx.app.storageHealth.check();
  sendJson(ctx.res, 200, { status: 'ok' });
}
