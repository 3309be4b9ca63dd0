// Sends a video's file with a progress callback: POST /upload/:vid-id as multipart/form-data over
// XMLHttpRequest (fetch cannot report upload progress). Resolves with the API's answer, rejects with an
// ApiError, or with UploadCancelled after cancel().
import { apiError, ApiError } from './api.js';

export class UploadCancelled extends Error {}

const RETRIES_WHILE_HELD = 4;
const RETRY_AFTER_MS = 750;

/** The server still holds the claim of an earlier try (a cancel it has not noticed yet): 409, code 007. */
const isHeldByEarlierTry = (error) => error.status === 409 && /another request/.test(error.message);

/** onProgress(loaded, total); returns { done: Promise, cancel() }. A try cut off a moment ago is waited for. */
export function sendFile(videoId, file, onProgress) {
  let attempt = sendOnce(videoId, file, onProgress);
  let isCancelled = false;
  const done = (async () => {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt.done;
      } catch (error) {
        if (isCancelled || retry === RETRIES_WHILE_HELD || !isHeldByEarlierTry(error)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
      if (isCancelled) throw new UploadCancelled();
      attempt = sendOnce(videoId, file, onProgress);
    }
  })();
  return {
    done,
    cancel() {
      isCancelled = true;
      attempt.cancel();
    },
  };
}

function sendOnce(videoId, file, onProgress) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.open('POST', `/upload/${videoId}`);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) resolve(xhr.response);
      else reject(apiError(xhr.status, xhr.response, xhr.getResponseHeader('Retry-After')));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network')));
    xhr.addEventListener('abort', () => reject(new UploadCancelled()));
    const body = new FormData();
    body.append('file', file);
    xhr.send(body);
  });
  return { done, cancel: () => xhr.abort() };
}
