// One video's public page: player, name, author, date, a link to share, and its comments.
import type { AppContext } from '../../app.js';
import { optionalSession } from '../../auth/require-session.js';
import { param } from '../../http/context.js';
import { commentsSection } from '../comments-section.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import { localTime } from '../local-time.js';
import { formatDuration } from '../format-duration.js';
import { captionTracks } from '../caption-tracks.js';
import { sendNotFoundPage } from './not-found.js';

export function watchPage(ctx: AppContext): void {
  const video = ctx.app.store.videos.byId(param(ctx, 'vid-id'));
  if (!video || video.status !== 'ready') {
    sendNotFoundPage(ctx, 'video');
    return;
  }
  const session = optionalSession(ctx);
  const path = `/watch/${video.id}`;
  const { durationS, width, height } = video.media;
  const facts = [
    durationS === null ? undefined : formatDuration(durationS),
    width === null || height === null ? undefined : `${width}×${height}`,
  ].filter((fact) => fact !== undefined);
  sendPage(ctx, 200, {
    title: `${video.name} · moviedash`,
    script: 'watch.js',
    userName: session?.userName,
    returnPath: path,
    data: { video: video.id, owner: video.author },
    main: html`<main class="watch" id="main" tabindex="-1">
      <div class="player-frame">
        <video controls preload="metadata" playsinline src="/videos/${video.id}" poster="/videos/${video.id}/poster" data-player
          >${captionTracks(video.id, video.captions)}</video>
      </div>
      <div class="resume" data-resume hidden>
        <p data-resume-text></p>
        <button type="button" data-resume-play>Resume</button>
        <button type="button" class="ghost" data-resume-restart>Start over</button>
      </div>
      <div class="video-info">
        <div>
          <h1 class="video-title">${video.name}</h1>
          <p class="byline">by <strong class="author">${video.author}</strong> · ${localTime(video.createdAt)}</p>
          ${facts.length > 0 && html`<p class="byline">${facts.join(' · ')}</p>`}
        </div>
        <div class="share">
          <label for="share-link">Share this video</label>
          <div class="share-row">
            <input id="share-link" value="${path}" readonly data-share-path="${path}">
            <button type="button" class="ghost" data-copy-share>Copy link</button>
          </div>
          <p class="hint" data-copy-status aria-live="polite"></p>
        </div>
      </div>
      ${video.description && html`<p class="description">${video.description}</p>`}
      ${commentsSection(session ? undefined : `/?next=${encodeURIComponent(path)}`)}
    </main>`,
  });
}
