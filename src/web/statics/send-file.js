// Sends a video's file over tus (the resumable uploads of /tus) with tus-js-client's browser build, which
// /userhome loads as a classic script (window.tus). A connection that drops resumes by itself: the client asks
// the server how much arrived (HEAD) and sends the rest; while the browser is offline it waits for the
// network rather than using up its tries. The upload's URL is kept in localStorage under the video and the
// file, so after a reload, picking the same file for the same video goes on where it stopped.
import { apiError, ApiError } from './api.js';

export class UploadCancelled extends Error {}

const { tus } = window;
const ENDPOINT = new URL('/tus', location.origin).href;
// A proxy in front (nginx's client_max_body_size) then needs to allow this much per request, not the whole
// file; each chunk costs one more round trip and one fsync on the server.
const CHUNK_BYTES = 8 * 1024 * 1024;
// tus-js-client starts the list again once bytes get through: it runs out only after a minute without any.
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000];

/** The stored upload URL's key: the same file (name, type, size, date) picked again for the same video. */
function fingerprintOf(videoId, file) {
  return ['moviedash', videoId, file.name, file.type, file.size, file.lastModified].join('/');
}

/**
 * Another try can help after a lost connection (status 0), a server restarting (5xx, but not 507: no room)
 * and a PATCH at an offset the server had moved past (409: the retry's HEAD finds where it is). A limit
 * (429) is shown at once, in words, rather than waited out behind "trying again". A cancel's DELETE is
 * tried once, so that cancel answers at once: an upload it could not end stays, and the same file picked
 * again goes on from where it stopped.
 */
function isWorthRetrying(error) {
  const status = error.originalResponse?.getStatus() ?? 0;
  const method = error.originalRequest?.getMethod();
  if (method === 'DELETE') return false;
  if (status === 409) return method === 'PATCH';
  return status === 0 || (status >= 500 && status !== 507);
}

/** Resolves once the browser is online again, or when `signal` aborts. */
function onlineAgain(signal) {
  return new Promise((resolve) => {
    addEventListener('online', resolve, { once: true, signal });
    signal.addEventListener('abort', resolve, { once: true });
  });
}

function toApiError(error) {
  const response = error.originalResponse;
  if (!response) return new ApiError(0, 'network');
  let body = null;
  try {
    body = JSON.parse(response.getBody());
  } catch {
    // Not our JSON (a proxy's error page): the status says enough.
  }
  return apiError(response.getStatus(), body, response.getHeader('Retry-After'));
}

/** The URLs this browser keeps of the video's unfinished uploads, with their storage keys. */
async function storedUploadsOf(videoId) {
  if (!tus.canStoreURLs) return [];
  const stored = await tus.defaultOptions.urlStorage.findAllUploads();
  return stored.filter((entry) => entry.metadata?.video_id === videoId);
}

/**
 * Ends the video's earlier uploads of another file (picked before a reload, say): the server holds a
 * video for one upload at a time. One it no longer knows (404) is only forgotten; one the network keeps
 * from being ended stays, and the server then says the video is busy.
 */
async function endUploadsOfOtherFiles(videoId, fingerprint) {
  const storage = tus.defaultOptions.urlStorage;
  const sameFile = new Set((await storage.findUploadsByFingerprint(fingerprint)).map((entry) => entry.urlStorageKey));
  for (const entry of await storedUploadsOf(videoId)) {
    if (sameFile.has(entry.urlStorageKey)) continue;
    const isGone = await tus.Upload.terminate(entry.uploadUrl, { retryDelays: null }).then(
      () => true,
      (error) => error.originalResponse?.getStatus() === 404,
    );
    if (isGone) await storage.removeUpload(entry.urlStorageKey);
  }
}

/** A removed video's uploads went with it on the server: this browser forgets their URLs (never throws). */
export async function forgetUploadsOf(videoId) {
  try {
    for (const entry of await storedUploadsOf(videoId)) await tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey);
  } catch {
    // Storage refused: the entries stay, unused, as they do in a browser that never removes the video.
  }
}

/**
 * onProgress(loaded, total); onStall(why): 'offline' (waiting for the network), 'retrying' (the connection
 * was lost: trying again) or null (bytes move again). Returns { done, cancel() }: done resolves once the
 * last byte is in, and rejects with an ApiError, or with UploadCancelled after cancel().
 */
export function sendFile(videoId, file, { onProgress, onStall }) {
  const fingerprint = fingerprintOf(videoId, file);
  const cancelled = new AbortController();
  let settle;
  const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
  let stalled = null;
  const stall = (why) => {
    if (why === stalled) return;
    stalled = why;
    onStall(why);
  };

  const upload = new tus.Upload(file, {
    endpoint: ENDPOINT,
    metadata: { video_id: videoId, filename: file.name },
    fingerprint: () => Promise.resolve(fingerprint),
    chunkSize: CHUNK_BYTES,
    retryDelays: RETRY_DELAYS_MS,
    removeFingerprintOnSuccess: true,
    async onBeforeRequest(req) {
      if (req.getMethod() === 'DELETE') return;
      // tus-js-client un-aborts an upload whose start was still reading the file when abort() came.
      if (cancelled.signal.aborted) throw new UploadCancelled();
      if (navigator.onLine) return;
      stall('offline');
      await onlineAgain(cancelled.signal);
    },
    onShouldRetry(error) {
      const isWorth = !cancelled.signal.aborted && isWorthRetrying(error);
      if (isWorth) stall('retrying');
      return isWorth;
    },
    onProgress(loaded, total) {
      stall(null);
      onProgress(loaded, total);
    },
    onSuccess: () => settle.resolve(),
    onError: (error) => settle.reject(cancelled.signal.aborted ? new UploadCancelled() : toApiError(error)),
  });

  void (async () => {
    await endUploadsOfOtherFiles(videoId, fingerprint);
    const [previous] = await upload.findPreviousUploads();
    if (previous) upload.resumeFromPreviousUpload(previous);
    if (!cancelled.signal.aborted) upload.start();
  })().catch((error) => settle.reject(toApiError(error)));

  return {
    done,
    /** Ends the upload on the server (DELETE), so that the video is free for another file at once. */
    async cancel() {
      cancelled.abort();
      await upload.abort(true).catch(() => undefined);
      settle.reject(new UploadCancelled());
    },
  };
}
