// The dialogs of /userhome: upload, delete confirmation, edit, captions. Their scripts: upload.js,
// userhome.js, edit-dialog.js, captions-dialog.js.
import { html } from './html.js';

export const uploadDialog = html`<dialog class="upload-dialog" id="upload-dialog" aria-labelledby="upload-title">
  <form method="dialog" novalidate data-upload-form>
    <h2 id="upload-title">Upload a video</h2>
    <label for="upload-name">Name</label>
    <input id="upload-name" name="name" maxlength="200" required autocomplete="off">
    <label for="upload-file">Video file</label>
    <input id="upload-file" name="file" type="file" accept="video/*,.mp4,.m4v,.mov,.webm,.mkv,.ogv" required
      aria-describedby="upload-limit">
    <p class="hint" id="upload-limit"></p>
    <div class="upload-preview" data-preview hidden><img alt="Poster preview" data-preview-img></div>
    <div class="progress-row" data-progress-row hidden>
      <progress max="100" value="0" data-progress aria-labelledby="upload-progress-label"></progress>
      <span id="upload-progress-label" data-progress-text aria-live="polite">0%</span>
    </div>
    <p class="form-error" data-error aria-live="assertive"></p>
    <div class="dialog-actions">
      <button type="button" class="danger ghost" data-remove hidden>Remove video</button>
      <button type="button" class="ghost" data-cancel>Cancel</button>
      <button type="submit" data-submit>Upload</button>
    </div>
  </form>
</dialog>`;

export const confirmDialog = html`<dialog class="confirm-dialog" id="confirm-dialog" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Delete this video?</h2>
    <p><strong class="long-name" data-confirm-name></strong> and its comments will be gone for good.</p>
    <div class="dialog-actions">
      <button type="submit" class="ghost" value="keep" autofocus>Keep it</button>
      <button type="submit" class="danger" value="delete">Delete</button>
    </div>
  </form>
</dialog>`;

export const editDialog = html`<dialog class="edit-dialog" id="edit-dialog" aria-labelledby="edit-title">
  <form method="dialog" novalidate data-edit-form>
    <h2 id="edit-title">Edit the name and description</h2>
    <label for="edit-name">Name</label>
    <input id="edit-name" name="name" maxlength="200" required autocomplete="off">
    <label for="edit-description">Description</label>
    <textarea id="edit-description" name="description" rows="6" maxlength="5000" aria-describedby="edit-description-hint"></textarea>
    <p class="hint" id="edit-description-hint">Shown under the video on its public page. Up to 5000 characters.</p>
    <p class="form-error" data-error aria-live="assertive"></p>
    <div class="dialog-actions">
      <button type="button" class="ghost" data-cancel>Cancel</button>
      <button type="submit">Save</button>
    </div>
  </form>
</dialog>`;

export const captionsDialog = html`<dialog class="captions-dialog" id="captions-dialog" aria-labelledby="captions-title">
  <form method="dialog" novalidate data-captions-form>
    <h2 id="captions-title">Captions</h2>
    <p class="muted" data-captions-status aria-live="polite"></p>
    <ul class="caption-list" data-caption-list></ul>
    <h3>Add captions</h3>
    <label for="captions-lang">Language</label>
    <input id="captions-lang" name="lang" list="caption-languages" maxlength="35" autocomplete="off" spellcheck="false"
      required aria-describedby="captions-lang-hint">
    <p class="hint" id="captions-lang-hint">A language tag such as en, nl or pt-BR.</p>
    <datalist id="caption-languages" data-language-options></datalist>
    <label for="captions-file">Caption file</label>
    <input id="captions-file" name="file" type="file" accept=".vtt,.srt,text/vtt" required aria-describedby="captions-file-hint">
    <p class="hint" id="captions-file-hint">WebVTT (.vtt) or SubRip (.srt), up to 1 MB. Adding a language again replaces it.</p>
    <p class="form-error" data-error aria-live="assertive"></p>
    <div class="dialog-actions">
      <button type="button" class="ghost" data-cancel>Close</button>
      <button type="submit">Add captions</button>
    </div>
  </form>
</dialog>`;
