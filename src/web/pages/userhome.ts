// The signed-in user's page: their videos, the player, comments, upload, edit, captions and delete.
// userhome.js drives it. The list comes first in the document (one Tab from the skip link to "Upload
// video"); the stylesheet shows it beside the player on a laptop and under it on a phone.
import type { AppContext } from '../../app.js';
import { optionalSession } from '../../auth/require-session.js';
import { redirect } from '../../http/respond.js';
import { commentsSection } from '../comments-section.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import { searchForm } from '../search-form.js';
import { STATICS } from '../statics.js';
import { captionsDialog, confirmDialog, editDialog, uploadDialog } from '../userhome-dialogs.js';

export function userhomePage(ctx: AppContext): void {
  const session = optionalSession(ctx);
  if (!session) {
    redirect(ctx.res, '/');
    return;
  }
  sendPage(ctx, 200, {
    title: `${session.userName} · moviedash`,
    script: 'userhome.js',
    // tus-js-client's browser build, for the upload dialog (send-file.js).
    classicScripts: ['vendor/tus.min.js'],
    userName: session.userName,
    skipTo: { id: 'library', label: 'Skip to my videos' },
    data: { 'max-upload-mb': String(ctx.app.config.maxUploadMb), 'pending-poster': STATICS.url('images/pending.svg') },
    main: html`<main class="userhome" id="main" tabindex="-1">
      <section class="library" id="library" tabindex="-1" aria-labelledby="library-title">
        <div class="library-head">
          <h1 id="library-title">My videos</h1>
          <button type="button" data-open-upload>Upload video</button>
        </div>
        ${searchForm('library-q', '')}
        <div class="library-status">
          <p class="muted" data-library-status aria-live="polite">Loading your videos…</p>
          <button type="button" class="link" data-search-clear hidden>Show my videos</button>
        </div>
        <ul class="video-list" data-video-list></ul>
        <button type="button" class="ghost" data-library-more hidden>Load more</button>
      </section>
      <section class="stage" aria-label="Selected video" data-stage>
        <div class="player-frame">
          <video controls preload="metadata" playsinline hidden data-player></video>
          <div class="player-empty" data-player-empty>
            <p data-player-message>Loading your videos…</p>
            <button type="button" data-player-upload hidden>Upload a video</button>
          </div>
        </div>
        <div class="video-info" data-video-info hidden>
          <div>
            <h2 class="video-title" data-video-title></h2>
            <p class="byline" data-video-details></p>
          </div>
          <div class="video-actions">
            <a class="button ghost" data-watch-link>Public page</a>
            <button type="button" class="ghost" data-copy-share>Copy link</button>
            <button type="button" class="ghost" data-edit>Edit</button>
            <button type="button" class="ghost" data-captions>Captions</button>
            <button type="button" class="danger ghost" data-delete>Delete</button>
          </div>
        </div>
        <p class="warning" data-playable-warning hidden></p>
        <p class="description" data-video-description hidden></p>
      </section>
      <div class="userhome-comments" data-comments-slot hidden>${commentsSection(undefined)}</div>
    </main>
    ${uploadDialog}
    ${confirmDialog}
    ${editDialog}
    ${captionsDialog}
    <p class="toast long-name" role="status" data-toast></p>`,
  });
}
