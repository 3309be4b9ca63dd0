// The parts of a running moviedash that handlers reach through ctx.app, built once at start-up.
import { BackgroundWork } from './background-work.js';
import { prepareDummyHash } from './auth/passwords.js';
import { createSessionStore, type SessionStore } from './auth/session-store.js';
import { CommentPages } from './api/comment-pages.js';
import type { Config } from './config.js';
import { openDatabase } from './db/open.js';
import { RowCache } from './db/row-cache.js';
import { createStore, type Store } from './db/store.js';
import { streamTokensOfThisProcess } from './cluster.js';
import { Metrics, type Counter } from './metrics.js';
import { registerServerMetrics, type RequestMetrics } from './server-metrics.js';
import { ProxyTrust } from './http/client-address.js';
import type { Handler, RequestContext } from './http/context.js';
import { createLimits, type Limits } from './limits/limits.js';
import { FileCache } from './stream/file-cache.js';
import { Limiter } from './stream/limiter.js';
import { FilePlaces } from './storage/file-places.js';
import { openStorages, type Storages } from './storage/open-storages.js';
import { StorageHealth } from './storage/storage-health.js';
import { storageRequestMetrics } from './storage/storage-metrics.js';
import { loadStreamVideo, videoDeliveryOf, type StreamVideo, type VideoDelivery } from './stream/stored-video.js';
import { createUploadMetrics, type UploadMetrics } from './upload/upload-metrics.js';
import { VideoFiles } from './video-files.js';

export interface App {
  config: Config;
  store: Store;
  sessions: SessionStore;
  videoFiles: VideoFiles;
  /** Where video and poster bytes live: STORAGE for new files, and the local disk for files stored before. */
  storages: Storages;
  /** Which storage holds each video's file and poster (stored_files). */
  files: FilePlaces;
  /** How the bytes of a video in a bucket reach its viewer (S3_DELIVERY). */
  videoDelivery: VideoDelivery;
  storageHealth: StorageHealth;
  /** Video files kept open for streams (see stream/file-cache.ts). */
  openVideos: FileCache;
  /** Comment pages kept until the database changes (see api/comment-pages.ts). */
  commentPages: CommentPages;
  /** Video rows kept until the database changes (see db/row-cache.ts). */
  videoRows: RowCache<StreamVideo>;
  metrics: Metrics;
  /** Requests by route and status, shared by the public and the operator listener of this process. */
  requestMetrics: RequestMetrics;
  limiter: Limiter;
  streamCounters: { bytesSent: { inc(by: number): void }; rejected: Counter };
  uploadMetrics: UploadMetrics;
  /** TRUST_PROXY: whose X-Forwarded-For names the client. */
  proxyTrust: ProxyTrust;
  limits: Limits;
  /** Work requests leave running after their answer; closeApp waits for it. */
  background: BackgroundWork;
}

/** What every handler receives: the request and these parts of the app. */
export type AppContext = RequestContext<App>;
export type AppHandler = Handler<App>;

/** Video files kept open between streams (one descriptor each, and an inotify watch). */
const OPEN_VIDEOS_KEPT = 64;
/** Video rows kept: a few hundred bytes each, up to ~10 KiB with a long description. */
const VIDEO_ROWS_KEPT = { entries: 10_000, chars: 4 * 1024 * 1024 };

/** A start-up step that fails because of one setting says which (`DATA_DIR=/srv/x: ENOTDIR: ...`). */
function usingSetting<T>(name: string, value: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new Error(`${name}=${value}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Opens the database and the storages (the S3 code is loaded only for STORAGE=s3). */
export async function createApp(config: Config): Promise<App> {
  const db = usingSetting('DATA_DIR', config.dataDir, () => openDatabase(config.dataDir));
  const store = createStore(db);
  void prepareDummyHash();
  const metrics = new Metrics();
  const openVideos = new FileCache(OPEN_VIDEOS_KEPT);
  const videoFiles = usingSetting('VIDEO_DIR', config.videoDir, () => new VideoFiles(config.videoDir, (path) => openVideos.forget(path)));
  const storages = await openStorages(config, videoFiles, { observeS3: config.storage === 's3' ? storageRequestMetrics(metrics) : undefined });
  const files = new FilePlaces(config, storages, store.storedFiles);
  const limiter = new Limiter(streamTokensOfThisProcess(config));
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
    videoFiles,
    storages,
    files,
    videoDelivery: videoDeliveryOf(config, storages.current),
    storageHealth: new StorageHealth(storages.current, metrics),
    openVideos,
    commentPages,
    videoRows: new RowCache(loadStreamVideo(store.videos, files, videoFiles), store.dataStamp, VIDEO_ROWS_KEPT),
    metrics,
    requestMetrics: registerServerMetrics(metrics),
    limiter,
    streamCounters: {
      bytesSent: metrics.counter('moviedash_stream_bytes_total', 'Video bytes read from disk into stream responses').series(),
      rejected: metrics.counter('moviedash_stream_rejected_total', 'Stream requests refused with 429 (limiter full)'),
    },
    uploadMetrics: createUploadMetrics(metrics),
    proxyTrust: new ProxyTrust(config.trustProxy),
    limits: createLimits(config, metrics, store),
    background: new BackgroundWork(),
  };
}

export async function closeApp(app: App): Promise<void> {
  await app.background.settled(app.config.shutdownGraceS * 1000);
  app.openVideos.clear();
  app.store.db.close();
}
