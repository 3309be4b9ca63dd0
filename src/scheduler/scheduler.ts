// The scheduler of one process: which tasks run on the runner, how often, and what they report.
// Under WORKERS > 1 exactly one process starts it.
import type { App } from '../app.js';
import { logError } from '../log.js';
import { deleteVideosTask } from './delete-videos.js';
import { expireUploadsTask } from './expire-uploads.js';
import { purgeCommentsTask } from './purge-comments.js';
import { readMediaTask } from './read-media.js';
import { ItemFailure, startRunner, type Runner, type Task } from './runner.js';
import { abortStaleUploadsTask, sweepBucketTask } from './sweep-bucket.js';
import { purgeLimitsTask, purgeSessionsTask, sweepFilesTask } from './sweeps.js';

export const SCHEDULER_CONCURRENCY = 4;

export function startScheduler(app: App): Runner {
  const { metrics } = app;
  const runs = metrics.counter('moviedash_scheduler_runs_total', 'Scheduler runs started');
  const done = metrics.counter('moviedash_scheduler_items_total', 'Scheduler work items done, by task');
  const failures = metrics.counter('moviedash_scheduler_failures_total', 'Scheduler work items and tasks that failed, by task');
  const swept = metrics.counter(
    'moviedash_scheduler_swept_files_total',
    'Stray files and abandoned uploads removed from VIDEO_DIR (and the bucket), and uploads a crash left unpublished',
  );
  const current = app.storages.current;
  // A bucket has sweeps of its own; VIDEO_DIR's are in sweepFilesTask, which runs whatever STORAGE is.
  const bucketTasks: Task<unknown>[] = current.name === 'local' ? [] : [sweepBucketTask(app, current, swept), abortStaleUploadsTask(app, current, swept)];
  metrics.gauge('moviedash_scheduler_records_waiting', 'Videos whose files are still to be removed', () =>
    app.store.videoDeletions.count(),
  );

  const intervalMs = Math.max(1, Math.round(app.config.schedulerIntervalS * 1000));
  return startRunner({
    intervalMs,
    concurrency: SCHEDULER_CONCURRENCY,
    tasks: [
      deleteVideosTask(app, intervalMs),
      purgeCommentsTask(app),
      expireUploadsTask(app),
      sweepFilesTask(app, swept),
      ...bucketTasks,
      purgeSessionsTask(app),
      purgeLimitsTask(app),
      readMediaTask(app),
    ],
    onRun: () => runs.inc(),
    onItemDone: (task) => done.inc({ task }),
    onItemFailed(task, error) {
      failures.inc({ task });
      // An expected failure is described by its fields and cause; only a surprise deserves a stack.
      if (error instanceof ItemFailure) logError(error.message, messageOf(error.cause), error.fields);
      else logError(`scheduler: ${task} item failed`, error);
    },
    onTaskFailed(task, error) {
      failures.inc({ task });
      logError(`scheduler: ${task} failed`, error);
    },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
