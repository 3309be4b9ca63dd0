// An upload's exclusive claim on its pending video, held in the database so it holds across worker
// processes. Taken before the body is read (a second upload gets 409 within CLAIM_WAIT_MS), renewed while
// the upload runs, released at the end; a crashed process's claim expires after CLAIM_TTL_MS.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VideosTable } from '../db/videos.js';
import { conflict, notFound, type HttpError } from '../http/errors.js';
import { logError } from '../log.js';

const CLAIM_TTL_MS = 2 * 60_000;
const RENEW_EVERY_MS = 30_000;
const CLAIM_WAIT_MS = 500;
const CLAIM_POLL_MS = 20;

/**
 * The claim, or 409. A client that cuts an upload off and retries at once can be heard before the server
 * has seen its first connection close and released that claim, so a claim held on a pending video is
 * waited for a moment.
 */
export async function takeUploadClaim(videos: VideosTable, videoId: string): Promise<UploadClaim> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    try {
      return new UploadClaim(videos, videoId);
    } catch (error) {
      if (Date.now() >= deadline || videos.byId(videoId)?.status !== 'pending') throw error;
    }
    await sleep(CLAIM_POLL_MS);
  }
}

export class UploadClaim {
  readonly #videos: VideosTable;
  readonly #videoId: string;
  readonly #token = randomUUID();
  readonly #lost = new AbortController();
  readonly #heartbeat: NodeJS.Timeout;
  #isReleased = false;

  /** Throws 409 when the video is no longer pending or another upload holds it. */
  constructor(videos: VideosTable, videoId: string) {
    this.#videos = videos;
    this.#videoId = videoId;
    if (!videos.claimUpload(videoId, this.#token, Date.now(), CLAIM_TTL_MS)) {
      throw conflict(videos.byId(videoId)?.status === 'ready' ? 'Video is already uploaded' : 'Video is being uploaded by another request');
    }
    // The video deleted mid-upload: stop reading at once rather than at the end.
    this.#heartbeat = setInterval(() => {
      try {
        this.renew();
      } catch (error) {
        logError('renewing an upload claim failed', error, { video: videoId });
      }
    }, RENEW_EVERY_MS).unref();
  }

  /** Aborted (with the HttpError to answer) once the claim is lost. */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  /** Extends the claim; false (and signal aborted) once the video is gone or the claim was lost. */
  renew(): boolean {
    if (this.#lost.signal.aborted) return false;
    if (this.#videos.renewUploadClaim(this.#videoId, this.#token, Date.now(), CLAIM_TTL_MS)) return true;
    this.#lost.abort(this.#lostError());
    return false;
  }

  /** The claim must still be ours right before the file is published, or two uploads could both publish. */
  confirm(): void {
    if (!this.renew()) throw this.#lost.signal.reason as HttpError;
  }

  /** Idempotent. */
  release(): void {
    if (this.#isReleased) return;
    this.#isReleased = true;
    clearInterval(this.#heartbeat);
    this.#videos.releaseUploadClaim(this.#videoId, this.#token);
  }

  #lostError(): HttpError {
    return lostClaimError(this.#videos, this.#videoId);
  }
}

/** Why an upload may no longer publish: its video was deleted (404), or another upload holds the claim (409). */
export function lostClaimError(videos: VideosTable, videoId: string): HttpError {
  return videos.byId(videoId) ? conflict('Another upload of this video took over') : notFound('video');
}
