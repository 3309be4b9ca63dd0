// The parts of a running moviedash that handlers reach through ctx.app, built once at start-up.
import { prepareDummyHash } from './auth/passwords.js';
import { createSessionStore, type SessionStore } from './auth/session-store.js';
import { CommentPages } from './api/comment-pages.js';
import type { Config } from './config.js';
import { openDatabase } from './db/open.js';
import { createStore, type Store } from './db/store.js';
import { streamTokensOfThisProcess } from './cluster.js';
import { Metrics, type Counter } from './metrics.js';
import { registerServerMetrics, type RequestMetrics } from './server-metrics.js';
import type { Handler, RequestContext } from './http/context.js';
import { FileCache } from './stream/file-cache.js';
import { Limiter } from './stream/limiter.js';
import { createUploadMetrics, type UploadMetrics } from './upload/upload-metrics.js';
import { VideoFiles } from './video-files.js';

export interface App {
  config: Config;
  store: Store;
  sessions: SessionStore;
  videoFiles: VideoFiles;
  /** Video files kept open for streams (see stream/file-cache.ts). */
  openVideos: FileCache;
  /** Comment pages kept until the database changes (see api/comment-pages.ts). */
  commentPages: CommentPages;
  metrics: Metrics;
  /** Requests by route and status, shared by the public and the operator listener of this process. */
  requestMetrics: RequestMetrics;
  limiter: Limiter;
  streamCounters: { bytesSent: { inc(by: number): void }; rejected: Counter };
  uploadMetrics: UploadMetrics;
}

/** What every handler receives: the request and these parts of the app. */
export type AppContext = RequestContext<App>;
export type AppHandler = Handler<App>;

/** Video files kept open between streams (one descriptor each, and an inotify watch). */
const OPEN_VIDEOS_KEPT = 64;

/** A start-up step that fails because of one setting says which (`DATA_DIR=/srv/x: ENOTDIR: ...`). */
function usingSetting<T>(name: string, value: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new Error(`${name}=${value}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function createApp(config: Config): App {
  const db = usingSetting('DATA_DIR', config.dataDir, () => openDatabase(config.dataDir));
  const store = createStore(db);
  void prepareDummyHash();
  const metrics = new Metrics();
  const limiter = new Limiter(streamTokensOfThisProcess(config));
  const openVideos = new FileCache(OPEN_VIDEOS_KEPT);
  metrics.gauge('moviedash_stream_tokens_in_use', 'Stream limiter tokens held by streams', () => limiter.inUse);
  metrics.gauge('moviedash_stream_queue_length', 'Stream requests waiting for a limiter token', () => limiter.waiting);
  const commentPages = new CommentPages();
  metrics.gauge('moviedash_comment_pages_cached', 'Comment pages kept in memory', () => commentPages.size);
  metrics.gauge('moviedash_comment_pages_bytes', 'Estimated bytes of the comment pages kept in memory', () => commentPages.bytes);
  return {
    config,
    store,
    sessions: createSessionStore(db, store.sessions, {
      ttlMs: Math.round(config.sessionTtlMin * 60_000),
      maxMs: Math.round(config.sessionMaxDays * 24 * 60 * 60_000),
    }),
    videoFiles: usingSetting('VIDEO_DIR', config.videoDir, () => new VideoFiles(config.videoDir, (path) => openVideos.forget(path))),
    openVideos,
    commentPages,
    metrics,
    requestMetrics: registerServerMetrics(metrics),
    limiter,
    streamCounters: {
      bytesSent: metrics.counter('moviedash_stream_bytes_total', 'Video bytes read from disk into stream responses').series(),
      rejected: metrics.counter('moviedash_stream_rejected_total', 'Stream requests refused with 429 (limiter full)'),
    },
    uploadMetrics: createUploadMetrics(metrics),
  };
}

export function closeApp(app: App): void {
  app.openVideos.clear();
  app.store.db.close();
}
