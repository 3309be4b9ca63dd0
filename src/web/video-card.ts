// One video as a poster tile linking to its watch page (the front page's grid), with its length on it.
import type { Video } from '../db/videos.js';
import { html, type SafeHtml } from './html.js';
import { formatDuration } from './format-duration.js';
import { localTime } from './local-time.js';

export function videoCard(video: Video): SafeHtml {
  return html`<li class="video-card">
    <a href="/watch/${video.id}">
      <span class="poster-frame">
        <img class="poster" src="/videos/${video.id}/poster" alt="" width="640" height="360" loading="lazy">
        ${video.media.durationS !== null && html`<span class="duration">${formatDuration(video.media.durationS)}</span>`}
      </span>
      <span class="video-name">${video.name}</span>
    </a>
    <p class="byline"><span class="author">${video.author}</span> · ${localTime(video.createdAt)}</p>
  </li>`;
}
