// GET /metrics on the operator listener: every registered metric in the Prometheus text format. Under
// WORKERS > 1 the primary serves it, with every worker's metrics gathered and merged.
import type { AppContext } from '../app.js';
import { isClusterPrimary } from '../cluster.js';
import { gatherClusterMetrics } from '../cluster-metrics.js';
import { renderFamilies } from '../metrics.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export async function getMetrics(ctx: AppContext): Promise<void> {
  const { config, metrics } = ctx.app;
  const text = isClusterPrimary(config) ? renderFamilies(await gatherClusterMetrics(metrics)) : metrics.render();
  ctx.res.writeHead(200, {
    'Content-Type': PROMETHEUS_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  ctx.res.end(text);
}
