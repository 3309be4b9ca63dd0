// The upload dialog: name + file, a real progress bar (XMLHttpRequest.upload.onprogress), cancel, and
// clear messages for files that are too big (413) or not a video (415). A new video is created first
// (pending); a failed or cancelled upload leaves it pending, and the next attempt reuses it.
import { $, ApiError, api, formatBytes } from './common.js';
import { grabPoster } from './poster.js';

const ACCEPTED = 'MP4, MOV, WebM, MKV or Ogg';
const MIB = 1024 * 1024;

class UploadCancelled extends Error {}

function sendFile(videoId, file, onProgress, onStart) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload/${videoId}`);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) resolve(xhr.response);
      else reject(new ApiError(xhr.status, xhr.response?.error ?? `Upload failed (HTTP ${xhr.status})`, xhr.response?.error_code));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'The connection broke during the upload')));
    xhr.addEventListener('abort', () => reject(new UploadCancelled()));
    const body = new FormData();
    body.append('file', file);
    xhr.send(body);
    onStart(xhr);
  });
}

async function sendPoster(videoId, posterTask) {
  const poster = await posterTask;
  if (!poster) return;
  // A poster that does not make it is not worth bothering the person: the placeholder shows instead.
  await fetch(`/upload/${videoId}/poster`, { method: 'PUT', body: poster, headers: { 'Content-Type': 'image/jpeg' } })
    .catch(() => undefined);
}

/** onChange(videoId, isUploaded): a video was created or its file arrived; refresh the list. */
export function createUploadDialog(dialog, { userName, maxUploadMb, onChange }) {
  const form = $('[data-upload-form]', dialog);
  const { name: nameInput, file: fileInput } = form.elements;
  const title = $('#upload-title', dialog);
  const error = $('[data-error]', dialog);
  const progress = $('[data-progress]', dialog);
  const progressText = $('[data-progress-text]', dialog);
  const progressRow = $('[data-progress-row]', dialog);
  const preview = $('[data-preview]', dialog);
  const previewImg = $('[data-preview-img]', dialog);
  const submit = $('[data-submit]', dialog);
  const cancel = $('[data-cancel]', dialog);
  const limit = `${maxUploadMb} MB`;
  const hint = $('#upload-limit', dialog);
  hint.textContent = `${ACCEPTED}, up to ${limit}.`;

  /** With a storage quota (USER_QUOTA_MB), the space the account has left. */
  function showSpaceLeft() {
    api('GET', `/user/${encodeURIComponent(userName)}`).then((me) => {
      if (me.quota_bytes === null) return;
      const left = Math.max(0, me.quota_bytes - me.used_bytes);
      hint.textContent = `${ACCEPTED}, up to ${limit}. Space left: ${formatBytes(left)} of ${formatBytes(me.quota_bytes)}.`;
    }, () => {});
  }

  let target = null;
  let xhr = null;
  let posterTask = Promise.resolve(null);

  function setBusy(isBusy) {
    for (const control of [nameInput, fileInput, submit]) control.disabled = isBusy;
    cancel.textContent = isBusy ? 'Cancel upload' : 'Close';
  }

  function setProgress(loaded, total) {
    const percent = total > 0 ? Math.floor((loaded / total) * 100) : 0;
    progress.value = percent;
    progressText.textContent = `${percent}% · ${formatBytes(loaded)} of ${formatBytes(total)}`;
  }

  function setTarget(video) {
    target = video;
    nameInput.value = video ? video.name : '';
    nameInput.readOnly = video !== null;
    title.textContent = video ? `Upload the file of “${video.name}”` : 'Upload a video';
  }

  function clearPreview() {
    if (previewImg.src) URL.revokeObjectURL(previewImg.src);
    previewImg.removeAttribute('src');
    preview.hidden = true;
  }

  function explain(failure, file) {
    if (failure instanceof UploadCancelled) {
      return 'Upload cancelled. The video stays pending: press Upload to try again, or delete it.';
    }
    if (failure.status === 413) return `Too big: the server refused the file (${failure.message}).`;
    if (failure.status === 415) return `Not a video: the server refused the file (${failure.message}).`;
    if (failure.status === 507) return `No room for this file (${failure.message}).`;
    // A server that refuses a big body may cut the connection before the browser reads its 413.
    if (failure.status === 0 && file.size > maxUploadMb * MIB) return `Too big: the largest upload is ${limit}.`;
    return failure.message;
  }

  async function upload(event) {
    event.preventDefault();
    error.textContent = '';
    const file = fileInput.files[0];
    const name = nameInput.value.trim();
    if (!target && name === '') return fail('Give the video a name', nameInput);
    if (!file) return fail('Choose a video file', fileInput);
    if (file.size > maxUploadMb * MIB) {
      return fail(`Too big: “${file.name}” is ${formatBytes(file.size)} and the largest upload is ${limit}.`, fileInput);
    }
    setBusy(true);
    setProgress(0, file.size);
    progressRow.hidden = false;
    try {
      if (!target) {
        setTarget(await api('POST', `/user/${encodeURIComponent(userName)}/videos`, { name }));
        onChange(target.id, false);
      }
      await sendFile(target.id, file, setProgress, (request) => (xhr = request));
      xhr = null;
      setProgress(file.size, file.size);
      progressText.textContent = '100% · making the poster…';
      await sendPoster(target.id, posterTask);
      const uploaded = target.id;
      dialog.close();
      onChange(uploaded, true);
    } catch (failure) {
      setBusy(false);
      progressRow.hidden = true;
      fail(explain(failure, file), fileInput);
      if (target) onChange(target.id, false);
    } finally {
      xhr = null;
      setBusy(false);
    }
  }

  function fail(message, input) {
    error.textContent = message;
    if (dialog.open) input.focus();
  }

  fileInput.addEventListener('change', () => {
    clearPreview();
    error.textContent = '';
    progressRow.hidden = true;
    const file = fileInput.files[0];
    if (!file) return;
    if (!target && nameInput.value.trim() === '') nameInput.value = file.name.replace(/\.[^.]+$/, '');
    const task = grabPoster(file);
    posterTask = task;
    void task.then((poster) => {
      if (!poster || posterTask !== task) return;
      previewImg.src = URL.createObjectURL(poster);
      preview.hidden = false;
    });
  });
  form.addEventListener('submit', upload);
  cancel.addEventListener('click', () => (xhr ? xhr.abort() : dialog.close()));
  // Closing the dialog (Escape included) stops an upload in flight.
  dialog.addEventListener('close', () => xhr?.abort());

  return {
    /** Opens for a new video, or for a pending one ({ id, name }) whose file never arrived. */
    open(pendingVideo = null) {
      form.reset();
      clearPreview();
      posterTask = Promise.resolve(null);
      setTarget(pendingVideo);
      error.textContent = '';
      progressRow.hidden = true;
      setBusy(false);
      showSpaceLeft();
      dialog.showModal();
      (pendingVideo ? fileInput : nameInput).focus();
    },
  };
}
