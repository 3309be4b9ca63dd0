// The parts of a running moviedash that handlers reach through ctx.app, built once at start-up.
import { prepareDummyHash } from './auth/passwords.js';
import { createSessionStore, type SessionStore } from './auth/session-store.js';
import type { Config } from './config.js';
import { openDatabase } from './db/open.js';
import { createStore, type Store } from './db/store.js';
import { Metrics } from './metrics.js';
import { createUploadMetrics, type UploadMetrics } from './upload/upload-metrics.js';
import { VideoFiles } from './video-files.js';

export interface App {
  config: Config;
  store: Store;
  sessions: SessionStore;
  videoFiles: VideoFiles;
  metrics: Metrics;
  uploadMetrics: UploadMetrics;
}

export function createApp(config: Config): App {
  const db = openDatabase(config.dataDir);
  const store = createStore(db);
  void prepareDummyHash();
  const metrics = new Metrics();
  return {
    config,
    store,
    sessions: createSessionStore(db, store.sessions, config.sessionTtlMin),
    videoFiles: new VideoFiles(config.videoDir),
    metrics,
    uploadMetrics: createUploadMetrics(metrics),
  };
}

export function closeApp(app: App): void {
  app.store.db.close();
}
