// The upload dialog: name + file, checked before anything is created (size, and the first bytes as the
// server sniffs them), a real progress bar, cancel, and a warning before leaving the page while bytes
// move. A video is created only for a file that will be sent; when its upload fails or is cancelled the
// dialog offers to rename it, try again or remove it. The file goes over tus (send-file.js): a lost
// connection resumes by itself, and the same file picked again for the video goes on where it stopped.
import { api } from './api.js';
import { $, formatBytes } from './common.js';
import { explain, showFailure } from './messages.js';
import { grabPoster } from './poster.js';
import { forgetUploadsOf, sendFile, UploadCancelled } from './send-file.js';
import { sniffFile } from './sniff-video.js';

const ACCEPTED = 'MP4, MOV, WebM, MKV or Ogg';
const MIB = 1024 * 1024;
const CONVERT = 'ffmpeg -i in.mts -c:v libx264 -crf 23 -c:a aac out.mp4';

/** Why the site will not take this file, in words, or undefined when it will. */
async function refusal(file, maxUploadMb) {
  if (file.size === 0) return `“${file.name}” is empty.`;
  const verdict = await sniffFile(file);
  if (verdict.kind === 'other-video') {
    return `“${file.name}” is ${verdict.name}: a video, but in a format browsers cannot play. Convert it to MP4 first, for example: ${CONVERT}`;
  }
  if (verdict.kind === 'not-video') return `“${file.name}” is not a video file. Choose an ${ACCEPTED} video.`;
  if (file.size > maxUploadMb * MIB) {
    return `Too big: “${file.name}” is ${formatBytes(file.size)} and the largest upload is ${maxUploadMb} MB.`;
  }
  return undefined;
}

/** What the server's refusal of a sent file means for the person. */
function explainUpload(failure, file, maxUploadMb) {
  if (failure instanceof UploadCancelled) return 'Upload cancelled. Try again, rename the video, or remove it.';
  if (failure.status === 413) return `Too big: the largest upload is ${maxUploadMb} MB.`;
  if (failure.status === 415) return `The server found that “${file.name}” is not a video it can take. Choose an ${ACCEPTED} video.`;
  if (failure.status === 409) return 'This video is being uploaded from another tab or device. Let that upload finish, or remove this video and upload the file again.';
  if (failure.status === 507) return `No room for this file (${failure.message}).`;
  if (failure.status === 0) return 'Cannot reach the server. Check your connection, then try again: the upload goes on where it stopped.';
  return explain(failure, 'upload');
}

const STALLS = {
  offline: 'Offline: the upload goes on when the network is back',
  retrying: 'Connection lost: trying again',
};

/** Leaving the page stops an upload (picking the file again resumes it): the browser asks first while bytes are moving. */
function guardUnload(event) {
  event.preventDefault();
  event.returnValue = '';
}

/** True once the poster is stored. Nobody waits for it: the placeholder shows until then, or for good. */
async function sendPoster(videoId, posterTask) {
  const poster = await posterTask;
  if (!poster) return false;
  const res = await fetch(`/upload/${videoId}/poster`, { method: 'PUT', body: poster, headers: { 'Content-Type': 'image/jpeg' } })
    .catch(() => null);
  return res?.status === 201;
}

/**
 * onChange(videoId, what): 'created', 'renamed', 'uploaded', 'poster' (its poster arrived after the upload)
 * or 'removed'; the page refreshes what it shows.
 */
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
  const remove = $('[data-remove]', dialog);
  const userPath = `/user/${encodeURIComponent(userName)}/videos`;
  const hint = $('#upload-limit', dialog);
  hint.textContent = `${ACCEPTED}, up to ${maxUploadMb} MB.`;

  /** With a storage quota (USER_QUOTA_MB), the space the account has left. */
  function showSpaceLeft() {
    api('GET', `/user/${encodeURIComponent(userName)}`).then((me) => {
      if (me.quota_bytes === null) return;
      const left = Math.max(0, me.quota_bytes - me.used_bytes);
      hint.textContent = `${ACCEPTED}, up to ${maxUploadMb} MB. Space left: ${formatBytes(left)} of ${formatBytes(me.quota_bytes)}.`;
    }, () => {});
  }

  let target = null;
  let sending = null;
  let posterTask = Promise.resolve(null);

  function setBusy(isBusy) {
    for (const control of [nameInput, fileInput, submit, remove]) control.disabled = isBusy;
    cancel.textContent = isBusy ? 'Cancel upload' : 'Close';
    if (isBusy) addEventListener('beforeunload', guardUnload);
    else removeEventListener('beforeunload', guardUnload);
  }

  let shown = { loaded: 0, total: 0, stall: null };
  function showProgress(change) {
    shown = { ...shown, ...change };
    const { loaded, total, stall } = shown;
    const percent = total > 0 ? Math.floor((loaded / total) * 100) : 0;
    progress.value = percent;
    progressText.textContent = `${percent}% · ${formatBytes(loaded)} of ${formatBytes(total)}${stall ? ` · ${STALLS[stall]}` : ''}`;
  }

  function setTarget(video) {
    target = video;
    remove.hidden = video === null;
    submit.textContent = video ? 'Try again' : 'Upload';
    title.textContent = video ? `Upload the file of “${video.name}”` : 'Upload a video';
  }

  function clearPreview() {
    if (previewImg.src) URL.revokeObjectURL(previewImg.src);
    previewImg.removeAttribute('src');
    preview.hidden = true;
  }

  function fail(message, input) {
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    if (dialog.open) input.focus();
  }

  function clearError() {
    error.textContent = '';
    for (const input of [nameInput, fileInput]) input.removeAttribute('aria-invalid');
  }

  /** The pending video to send the file to: created now, or the earlier one (renamed if the name changed). */
  async function videoFor(name) {
    if (!target) {
      setTarget(await api('POST', userPath, { name }));
      onChange(target.id, 'created');
    } else if (name !== target.name) {
      setTarget(await api('PATCH', `${userPath}/${target.id}`, { name }));
      onChange(target.id, 'renamed');
    }
    return target;
  }

  function finish(video) {
    dialog.close();
    onChange(video.id, 'uploaded');
    // The browser may still be grabbing the poster frame (a slow decoder): the dialog does not wait for it.
    void sendPoster(video.id, posterTask).then((isStored) => isStored && onChange(video.id, 'poster'));
  }

  async function upload(event) {
    event.preventDefault();
    clearError();
    const file = fileInput.files[0];
    const name = nameInput.value.trim();
    if (name === '') return fail('Give the video a name.', nameInput);
    if (!file) return fail('Choose a video file.', fileInput);
    const refused = await refusal(file, maxUploadMb);
    if (refused) return fail(refused, fileInput);
    setBusy(true);
    showProgress({ loaded: 0, total: file.size, stall: null });
    progressRow.hidden = false;
    try {
      const video = await videoFor(name);
      sending = sendFile(video.id, file, { onProgress: (loaded, total) => showProgress({ loaded, total }), onStall: (stall) => showProgress({ stall }) });
      await sending.done;
      sending = null;
      showProgress({ loaded: file.size, total: file.size });
      setBusy(false);
      finish(video);
    } catch (failure) {
      sending = null;
      setBusy(false);
      // A cancel that came after the last byte: the server kept the file, and this try found it there.
      if (failure.status === 409 && /already uploaded/.test(failure.message)) return finish(target);
      progressRow.hidden = true;
      showFailure(error, failure, explainUpload(failure, file, maxUploadMb));
      if (dialog.open) submit.focus();
    }
  }

  async function removeTarget() {
    const video = target;
    remove.disabled = true;
    try {
      await api('DELETE', `${userPath}/${video.id}`);
      await forgetUploadsOf(video.id);
      setTarget(null);
      dialog.close();
      onChange(video.id, 'removed');
    } catch (failure) {
      showFailure(error, failure, explain(failure, 'remove the video'));
    } finally {
      remove.disabled = false;
    }
  }

  fileInput.addEventListener('change', async () => {
    clearPreview();
    clearError();
    progressRow.hidden = true;
    const file = fileInput.files[0];
    if (!file) return;
    if (!target && nameInput.value.trim() === '') nameInput.value = file.name.replace(/\.[^.]+$/, '');
    const refused = await refusal(file, maxUploadMb);
    if (refused) return fail(refused, fileInput);
    const task = grabPoster(file);
    posterTask = task;
    void task.then((poster) => {
      if (!poster || posterTask !== task) return;
      previewImg.src = URL.createObjectURL(poster);
      preview.hidden = false;
    });
  });
  form.addEventListener('submit', upload);
  remove.addEventListener('click', () => void removeTarget());
  cancel.addEventListener('click', () => (sending ? sending.cancel() : dialog.close()));
  // Closing the dialog (Escape included) stops an upload in flight.
  dialog.addEventListener('close', () => sending?.cancel());

  return {
    /** Opens for a new video, or for a pending one ({ id, name }) whose file never arrived. */
    open(pendingVideo = null) {
      form.reset();
      clearPreview();
      clearError();
      posterTask = Promise.resolve(null);
      setTarget(pendingVideo);
      nameInput.value = pendingVideo ? pendingVideo.name : '';
      progressRow.hidden = true;
      setBusy(false);
      showSpaceLeft();
      dialog.showModal();
      (pendingVideo ? fileInput : nameInput).focus();
    },
  };
}
