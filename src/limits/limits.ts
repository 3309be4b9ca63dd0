// The per-client and per-account limits of one process, built once at start-up (see README "Limits").
import { passwordChecks } from '../auth/passwords.js';
import { shareOfThisProcess } from '../cluster.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { RateBuckets } from './rate-buckets.js';
import { Refusals } from './refusals.js';

/**
 * Client addresses whose sign-in buckets a process keeps (about 150 bytes each, so ~7 MiB at most); past it
 * the least recently seen is dropped.
 */
const MAX_TRACKED_ADDRESSES = 50_000;

export interface Limits {
  /** AUTH_RATE_PER_MIN per client address, this process's share of it. */
  authAttempts: RateBuckets;
  refusals: Refusals;
}

export function createLimits(config: Config, metrics: Metrics): Limits {
  metrics.gauge('moviedash_password_checks_running', 'Password hashes running on the thread pool (at most half of it)', () => passwordChecks.running);
  metrics.gauge('moviedash_password_checks_waiting', 'Password hashes waiting for a thread-pool slot', () => passwordChecks.waiting);
  return {
    authAttempts: new RateBuckets(shareOfThisProcess(config.authRatePerMin, config), MAX_TRACKED_ADDRESSES),
    refusals: new Refusals(metrics),
  };
}
