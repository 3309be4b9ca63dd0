// The per-client and per-account limits of one process, built once at start-up (see README "Limits").
import { statfsSync } from 'node:fs';
import { passwordChecks } from '../auth/passwords.js';
import { shareOfThisProcess } from '../cluster.js';
import type { Config } from '../config.js';
import type { Store } from '../db/store.js';
import type { Metrics } from '../metrics.js';
import { diskSyncs } from '../upload/disk-syncs.js';
import { ClientCounts } from './client-counts.js';
import { RateBuckets } from './rate-buckets.js';
import { Refusals } from './refusals.js';
import { StallWatch } from './stall-watch.js';

/**
 * Client addresses whose sign-in buckets a process keeps (about 150 bytes each, so ~7 MiB at most); past it
 * the least recently seen is dropped.
 */
const MAX_TRACKED_ADDRESSES = 50_000;
/** A page of videos asks for many posters at once (behind an HTTP/2 proxy, all at once): a wider cap than streams. */
const POSTERS_PER_STREAM = 4;

export interface Limits {
  /** AUTH_RATE_PER_MIN per client address, this process's share of it. */
  authAttempts: RateBuckets;
  /** STREAMS_PER_CLIENT, by client address (an IPv6 client by its /64). */
  streamsByClient: ClientCounts;
  postersByClient: ClientCounts;
  /** STREAM_STALL_S for stream and poster replies. */
  stalls: StallWatch;
  refusals: Refusals;
}

export function createLimits(config: Config, metrics: Metrics, store: Store): Limits {
  metrics.gauge('moviedash_storage_used_bytes', 'Bytes of every stored video and poster file', () => store.storageReservations.totalStored());
  metrics.gauge('moviedash_storage_free_bytes', 'Free bytes on the disk of VIDEO_DIR (for unprivileged users)', () => {
    const { bavail, bsize } = statfsSync(config.videoDir);
    return bavail * bsize;
  });
  metrics.gauge('moviedash_password_checks_running', 'Password hashes running on the thread pool (at most half of it)', () => passwordChecks.running);
  metrics.gauge('moviedash_password_checks_waiting', 'Password hashes waiting for a thread-pool slot', () => passwordChecks.waiting);
  metrics.gauge('moviedash_disk_syncs_running', 'fsyncs running on the thread pool (at most a quarter of it)', () => diskSyncs.running);
  metrics.gauge('moviedash_disk_syncs_waiting', 'fsyncs waiting in line for the disk', () => diskSyncs.waiting);
  const stalled = metrics.counter('moviedash_stream_stalled_total', 'Stream and poster replies cut because the client took no byte for STREAM_STALL_S').series();
  const streamsByClient = new ClientCounts(config.streamsPerClient);
  metrics.gauge('moviedash_stream_clients', 'Client addresses with a stream running', () => streamsByClient.clients);
  return {
    authAttempts: new RateBuckets(shareOfThisProcess(config.authRatePerMin, config), MAX_TRACKED_ADDRESSES),
    streamsByClient,
    postersByClient: new ClientCounts(POSTERS_PER_STREAM * config.streamsPerClient),
    stalls: new StallWatch(config.streamStallS * 1000, () => stalled.inc()),
    refusals: new Refusals(metrics),
  };
}
