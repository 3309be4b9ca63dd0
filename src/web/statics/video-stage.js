// The selected video on /userhome: the player with its caption tracks, the title, the facts line
// (state, length, size in pixels and bytes, date), the playability warning and the description.
import { $, el, formatBytes, formatDuration, languageName, timeElement } from './common.js';

const REENCODE = 'ffmpeg -i in.mov -c:v libx264 -crf 23 -c:a aac out.mp4';

export function statusBadge(video) {
  return video.status === 'ready'
    ? el('span', { class: 'badge ready', text: 'Ready' })
    : el('span', { class: 'badge pending', text: 'Pending' });
}

function facts(video) {
  if (video.status !== 'ready') return [statusBadge(video), ' no file yet · ', timeElement(video.created_at)];
  const known = [
    video.duration_s !== null && formatDuration(video.duration_s),
    video.width !== null && video.height !== null && `${video.width}×${video.height}`,
    formatBytes(video.size),
  ].filter(Boolean);
  return [statusBadge(video), ` ${known.join(' · ')} · `, timeElement(video.created_at)];
}

/** posterUrl(video): the page decides which poster URL is current. */
export function createStage(root, { posterUrl }) {
  const player = $('[data-player]', root);
  const playerEmpty = $('[data-player-empty]', root);
  const playerUpload = $('[data-player-upload]', root);
  const info = $('[data-video-info]', root);
  const warning = $('[data-playable-warning]', root);
  const description = $('[data-video-description]', root);

  /** The caption tracks; kept as they are (and the viewer's choice with them) unless they changed. */
  function setTracks(video) {
    const key = `${video.id} ${video.captions.join(' ')} ${video.captionsVersion ?? ''}`;
    if (player.dataset.tracks === key) return;
    player.dataset.tracks = key;
    player.replaceChildren(...video.captions.map((lang) => el('track', {
      kind: 'captions',
      srclang: lang,
      label: languageName(lang),
      src: `/videos/${video.id}/captions/${encodeURIComponent(lang)}`,
    })));
  }

  function showPlayer(video) {
    if (video?.status === 'ready') {
      if (player.dataset.videoId !== video.id) {
        player.dataset.videoId = video.id;
        player.poster = posterUrl(video);
        player.src = `/videos/${video.id}`;
      }
      setTracks(video);
      player.hidden = false;
      playerEmpty.hidden = true;
      return;
    }
    if (player.dataset.videoId) {
      delete player.dataset.videoId;
      delete player.dataset.tracks;
      player.pause();
      player.replaceChildren();
      player.removeAttribute('src');
      player.removeAttribute('poster');
      player.load();
    }
    player.hidden = true;
    playerEmpty.hidden = false;
    playerUpload.hidden = false;
    playerUpload.textContent = video ? 'Upload its file' : 'Upload a video';
    $('[data-player-message]', root).textContent = video
      ? 'This video has no file yet: its upload did not finish.'
      : 'Your videos play here. Upload your first one to get started.';
  }

  function showInfo(video) {
    info.hidden = !video;
    // The API says which browsers cannot play what; the page says what to do about it.
    warning.hidden = video?.playable !== 'no';
    if (!warning.hidden) warning.replaceChildren(`${video.playable_reason}. Re-encode to H.264, for example `, el('code', { text: REENCODE }));
    description.hidden = !video?.description;
    description.textContent = video?.description ?? '';
    if (!video) return;
    const isReady = video.status === 'ready';
    $('[data-video-title]', root).textContent = video.name;
    $('[data-video-details]', root).replaceChildren(...facts(video));
    const watchLink = $('[data-watch-link]', root);
    watchLink.href = `/watch/${video.id}`;
    watchLink.hidden = !isReady;
    $('[data-copy-share]', root).hidden = !isReady;
  }

  player.addEventListener('error', () => {
    if (player.dataset.videoId) root.dispatchEvent(new CustomEvent('unplayable'));
  });

  return {
    /** Shows a video, or the empty state for null. */
    show(video) {
      showPlayer(video);
      showInfo(video);
    },
    /** A poster that arrived after the video was shown. */
    showPoster(url) {
      if (player.dataset.videoId) player.poster = url;
    },
    /** Puts the stage on screen when it is not (a phone, where the list is below the player). */
    bringIntoView(reducedMotion) {
      if (root.getBoundingClientRect().top < 0) root.scrollIntoView({ block: 'start', behavior: reducedMotion ? 'auto' : 'smooth' });
    },
  };
}
