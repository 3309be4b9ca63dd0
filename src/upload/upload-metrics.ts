// The upload counters on /metrics, registered once per app, and how an upload's end is labelled.
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.js';
import type { Counter, Metrics } from '../metrics.js';
import { isDiskFull } from './disk-space.js';

export type UploadResult = 'ok' | 'too_large' | 'unsupported' | 'no_storage' | 'aborted' | 'conflict' | 'invalid' | 'failed';

export interface UploadMetrics {
  bytes: Counter;
  uploads: Counter;
}

export function createUploadMetrics(metrics: Metrics): UploadMetrics {
  return {
    bytes: metrics.counter('moviedash_upload_bytes_total', 'Bytes of completed video and poster uploads'),
    uploads: metrics.counter('moviedash_uploads_total', 'Video and poster uploads by result'),
  };
}

const RESULT_BY_STATUS: Partial<Record<number, UploadResult>> = {
  400: 'invalid',
  // The video was deleted while its upload ran.
  404: 'conflict',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported',
  507: 'no_storage',
};

/** What ended an upload that threw: the client going away, a refusal, or a fault on our side. */
export function uploadResultOf(error: unknown, req: IncomingMessage): UploadResult {
  if (error instanceof HttpError) return RESULT_BY_STATUS[error.status] ?? 'failed';
  if (isDiskFull(error)) return 'no_storage';
  return req.destroyed && !req.complete ? 'aborted' : 'failed';
}

/** Runs an upload (everything after the owner check) and counts how it ended. */
export async function measureUpload<T extends { size: number }>(
  { uploads, bytes }: UploadMetrics,
  req: IncomingMessage,
  upload: () => Promise<T>,
): Promise<T> {
  try {
    const received = await upload();
    uploads.inc({ result: 'ok' });
    bytes.inc({}, received.size);
    return received;
  } catch (error) {
    uploads.inc({ result: uploadResultOf(error, req) });
    throw error;
  }
}
