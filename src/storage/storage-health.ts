// Whether the storage of video files answers, for /healthz on both listeners: a ping (a one-key listing of the
// bucket, or VIDEO_DIR's permissions) at most every FRESH_MS. A stale answer is refreshed in the background, so
// only the very first check waits for the storage; a change either way is logged once.
import { storageUnreachable } from '../http/errors.js';
import { logError, logInfo } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Storage } from './storage.js';

const FRESH_MS = 5000;
/** A ping that takes longer has failed: the storage is as good as unreachable for streams and uploads. */
const PING_TIMEOUT_MS = 5000;

type PingResult = { isUp: true } | { isUp: false; error: unknown };

export class StorageHealth {
  readonly #storage: Storage;
  #last: PingResult | undefined;
  #pingedAt = 0;
  #pinging: Promise<void> | undefined;

  constructor(storage: Storage, metrics: Metrics) {
    this.#storage = storage;
    metrics.gauge('moviedash_storage_up', `1 while the video storage (${storage.name}) answered its last ping, else 0`, () => (this.#last?.isUp ? 1 : 0));
  }

  /** Throws 500 (004) when the last ping failed; waits only for the first ping ever. */
  async check(): Promise<void> {
    if (this.#last === undefined) await this.refresh();
    else if (Date.now() - this.#pingedAt >= FRESH_MS) void this.refresh();
    const last = this.#last!;
    if (!last.isUp) throw storageUnreachable({ cause: last.error });
  }

  /** Pings now, unless a ping is already on its way. */
  refresh(): Promise<void> {
    this.#pinging ??= this.#ping().finally(() => (this.#pinging = undefined));
    return this.#pinging;
  }

  async #ping(): Promise<void> {
    let result: PingResult;
    try {
      await this.#storage.ping(AbortSignal.timeout(PING_TIMEOUT_MS));
      result = { isUp: true };
    } catch (error) {
      result = { isUp: false, error };
    }
    this.#pingedAt = Date.now();
    const wasUp = this.#last?.isUp;
    this.#last = result;
    if (result.isUp && wasUp === false) logInfo(`storage: ${this.#storage.name} answers again`);
    if (!result.isUp && wasUp !== false) logError(`storage: ${this.#storage.name} does not answer`, result.error);
  }
}
