// GET /metrics: every registered metric in the Prometheus text format, to the operator on this machine only.
import type { AppContext } from '../app.js';
import { isClusterWorker } from '../cluster.js';
import { collectClusterMetrics } from '../cluster-metrics.js';
import { forbidden } from '../http/errors.js';
import { isLocalOperator } from '../http/local-operator.js';
import { renderFamilies } from '../metrics.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export async function getMetrics(ctx: AppContext): Promise<void> {
  if (!isLocalOperator(ctx.req)) throw forbidden('Metrics are served to this machine only');
  const text = isClusterWorker() ? renderFamilies(await collectClusterMetrics()) : ctx.app.metrics.render();
  ctx.res.writeHead(200, {
    'Content-Type': PROMETHEUS_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  ctx.res.end(text);
}
