import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { closeApp, createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { dueDeletions } from '../../src/scheduler/delete-videos.js';
import { startScheduler } from '../../src/scheduler/scheduler.js';
import { waitFor } from './poll.js';

async function tempApp(t: TestContext, env: Record<string, string> = {}): Promise<App> {
  const base = mkdtempSync(join(tmpdir(), 'moviedash-scheduler-'));
  const app = await createApp(loadConfig([], { DATA_DIR: join(base, 'data'), VIDEO_DIR: join(base, 'videos'), ...env }));
  t.after(async () => {
    await closeApp(app);
    rmSync(base, { recursive: true, force: true });
  });
  return app;
}

/** The value of one sample line of the Prometheus text, like `name{task="x"}`. */
function sample(app: App, series: string): number | undefined {
  const line = app.metrics.render().split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('dueDeletions()', () => {
  it('reads each of 20 due records once in pages of 7, even when every failure leaves it due', async (t) => {
    const app = await tempApp(t);
    const now = Date.now();
    for (let i = 0; i < 20; i++) app.store.videoDeletions.queue(randomUUID(), now - i);
    const seen: string[] = [];
    for await (const record of dueDeletions(app, now, 7)) {
      seen.push(record.videoId);
      if (seen.length > 40) break;
      app.store.videoDeletions.recordFailure(record.videoId, record.attempts + 1, now - 100, 'EIO');
    }
    assert.equal(seen.length, 20);
    assert.equal(new Set(seen).size, 20);
  });
});

describe('startScheduler()', () => {
  it('counts runs, done items and failures, and reports waiting records for /metrics', async (t) => {
    const app = await tempApp(t, { SCHEDULER_INTERVAL_S: '0.05' });
    const scheduler = startScheduler(app);
    t.after(() => scheduler.stop());

    const doneId = randomUUID();
    const donePath = app.videoFiles.finalPath(doneId);
    writeFileSync(donePath, 'bytes');
    const failingId = randomUUID();
    mkdirSync(join(app.videoFiles.finalPath(failingId), 'not-empty'), { recursive: true });
    app.store.deleteVideo(doneId, Date.now());
    app.store.deleteVideo(failingId, Date.now());

    await waitFor('the failure to be counted', () => sample(app, 'moviedash_scheduler_failures_total{task="delete-videos"}') !== undefined);
    await waitFor('the deletion to be counted', () => sample(app, 'moviedash_scheduler_items_total{task="delete-videos"}') === 1);
    assert.equal(existsSync(donePath), false);
    assert.equal(sample(app, 'moviedash_scheduler_records_waiting'), 1);
    assert.ok(sample(app, 'moviedash_scheduler_runs_total')! >= 1);
    assert.equal(sample(app, 'moviedash_scheduler_swept_files_total'), 0);
  });
});
