// The signed-in user's page: their videos, the player, comments, upload and delete. userhome.js drives it.
import type { AppContext } from '../../app.js';
import { optionalSession } from '../../auth/require-session.js';
import { redirect } from '../../http/respond.js';
import { commentsSection } from '../comments-section.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';

const uploadDialog = html`<dialog class="upload-dialog" id="upload-dialog" aria-labelledby="upload-title">
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
      <button type="button" class="ghost" data-cancel>Cancel</button>
      <button type="submit" data-submit>Upload</button>
    </div>
  </form>
</dialog>`;

const confirmDialog = html`<dialog class="confirm-dialog" id="confirm-dialog" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Delete this video?</h2>
    <p><strong data-confirm-name></strong> and its comments will be gone for good.</p>
    <div class="dialog-actions">
      <button type="submit" class="ghost" value="keep" autofocus>Keep it</button>
      <button type="submit" class="danger" value="delete">Delete</button>
    </div>
  </form>
</dialog>`;

export function userhomePage(ctx: AppContext): void {
  const session = optionalSession(ctx);
  if (!session) {
    redirect(ctx.res, '/');
    return;
  }
  sendPage(ctx, 200, {
    title: `${session.userName} · moviedash`,
    script: 'userhome.js',
    userName: session.userName,
    data: { 'max-upload-mb': String(ctx.app.config.maxUploadMb) },
    main: html`<main class="userhome">
      <section class="stage" aria-label="Selected video">
        <div class="player-frame">
          <video controls preload="metadata" playsinline hidden data-player></video>
          <div class="player-empty" data-player-empty>
            <p data-player-message>Loading your videos…</p>
            <button type="button" data-player-upload hidden>Upload a video</button>
          </div>
        </div>
        <div class="video-info" data-video-info hidden>
          <div>
            <h1 class="video-title" data-video-title></h1>
            <p class="byline"><span class="status" data-video-status></span> · <time data-video-time></time></p>
          </div>
          <div class="video-actions">
            <a class="button ghost" data-watch-link>Public page</a>
            <button type="button" class="ghost" data-copy-share>Copy link</button>
            <button type="button" class="danger ghost" data-delete>Delete</button>
          </div>
        </div>
        <div data-comments-slot hidden>${commentsSection(undefined)}</div>
      </section>
      <aside class="library" aria-labelledby="library-title">
        <div class="library-head">
          <h2 id="library-title">My videos</h2>
          <button type="button" data-open-upload>Upload video</button>
        </div>
        <p class="muted" data-library-status aria-live="polite">Loading your videos…</p>
        <ul class="video-list" data-video-list></ul>
        <button type="button" class="ghost" data-library-more hidden>Load more</button>
      </aside>
    </main>
    ${uploadDialog}
    ${confirmDialog}
    <p class="toast" role="status" data-toast></p>`,
  });
}
