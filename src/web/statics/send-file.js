// Sends a video's file with a progress callback: POST /upload/:vid-id as multipart/form-data over
// XMLHttpRequest (fetch cannot report upload progress). Resolves with the API's answer, rejects with an
// ApiError, or with UploadCancelled after cancel().
import { apiError, ApiError } from './api.js';

export class UploadCancelled extends Error {}

/** onProgress(loaded, total); returns { done: Promise, cancel() }. */
export function sendFile(videoId, file, onProgress) {
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
