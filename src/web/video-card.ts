// One video as a poster tile linking to its watch page (the front page's grid).
import type { Video } from '../db/videos.js';
import { html, type SafeHtml } from './html.js';
import { localTime } from './local-time.js';

export function videoCard(video: Video): SafeHtml {
  return html`<li class="video-card">
    <a href="/watch/${video.id}">
      <img class="poster" src="/videos/${video.id}/poster" alt="" width="640" height="360" loading="lazy">
      <span class="video-name">${video.name}</span>
    </a>
    <p class="byline"><span class="author">${video.author}</span> · ${localTime(video.createdAt)}</p>
  </li>`;
}
