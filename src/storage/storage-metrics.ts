// STORAGE=s3 on /metrics: the bucket's requests, failures and latency by operation, heard from the S3 client.
import type { Metrics } from '../metrics.js';
import type { S3Observation } from './s3-http.js';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The observer to hand the S3 client (openStorages' observeS3). */
export function storageRequestMetrics(metrics: Metrics): (observation: S3Observation) => void {
  const requests = metrics.counter('moviedash_storage_requests_total', 'Requests to the S3 bucket, by operation and HTTP status (0: no answer)');
  const errors = metrics.counter(
    'moviedash_storage_errors_total',
    'Requests to the S3 bucket that failed, by operation: no answer (a viewer leaving is not counted), or an error status other than 404',
  );
  const seconds = metrics.histogram(
    'moviedash_storage_request_seconds',
    "Time to the bucket's answer (for GetObject, to its headers), by operation",
    SECONDS_BUCKETS,
  );
  return ({ operation, status, durationMs, wasAborted }) => {
    requests.inc({ operation, status: String(status) });
    if ((status === 0 && !wasAborted) || (status >= 400 && status !== 404)) errors.inc({ operation });
    seconds.observe(durationMs / 1000, { operation });
  };
}
