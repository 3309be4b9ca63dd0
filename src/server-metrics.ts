// The server's own metrics: requests by route pattern and status, their durations, the process's memory
// and uptime. Labels come from bounded sets only (route patterns, known methods, status codes), never from
// the raw path, so a scan of random URLs cannot grow the registry.
import type { Metrics } from './metrics.js';

/** The route label of a request that matched no route (404, or a path the router cannot decode). */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600];

export interface RequestMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}

export function registerServerMetrics(metrics: Metrics): RequestMetrics {
  const requests = metrics.counter('moviedash_http_requests_total', 'HTTP requests by method, route pattern and status');
  const durations = metrics.histogram(
    'moviedash_http_request_duration_seconds',
    'Time from request to the end of its response, by method and route pattern',
    DURATION_BUCKETS,
  );
  metrics.gauge('process_resident_memory_bytes', 'Resident memory size in bytes', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use in bytes', () => process.memoryUsage().heapUsed);
  metrics.gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated in bytes', () => process.memoryUsage().heapTotal);
  const startedAt = Date.now() - process.uptime() * 1000;
  metrics.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds', () => Math.floor(startedAt / 1000));
  metrics.gauge('moviedash_uptime_seconds', 'Seconds since the process started', () => Math.round(process.uptime()));

  // Each (route, method, status) seen gets its series once: an observation is then three lookups of keys
  // whose hashes are kept (route patterns and methods are constant strings, statuses small integers), where
  // one key joined from the three was a new string to hash on every request.
  const seen = new Map<string, Map<string, Map<number, Series>>>();
  return {
    observe(method, route, status, seconds) {
      let byMethod = seen.get(route);
      if (!byMethod) seen.set(route, (byMethod = new Map()));
      let byStatus = byMethod.get(method);
      if (!byStatus) byMethod.set(method, (byStatus = new Map()));
      let series = byStatus.get(status);
      if (!series) {
        const methodLabel = KNOWN_METHODS.has(method) ? method : 'other';
        series = {
          requests: requests.series({ method: methodLabel, route, status: String(status) }),
          durations: durations.series({ method: methodLabel, route }),
        };
        byStatus.set(status, series);
      }
      series.requests.inc();
      series.durations.observe(seconds);
    },
  };
}

interface Series {
  requests: { inc(): void };
  durations: { observe(seconds: number): void };
}
