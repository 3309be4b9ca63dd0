// The signed-in user's page: their videos, the player, the selected video's comments, upload and delete.
// The selected video is kept in the URL's fragment (/userhome#<id>), so a reload shows it again.
import { $, api, copyLink, currentUser, el, formatBytes, formatDate, initSignOut, timeElement } from './common.js';
import { createComments } from './comments.js';
import { createUploadDialog } from './upload.js';

const PAGE_SIZE = 20;
const me = currentUser();
const list = $('[data-video-list]');
const libraryStatus = $('[data-library-status]');
const libraryMore = $('[data-library-more]');
const player = $('[data-player]');
const playerEmpty = $('[data-player-empty]');
const playerUpload = $('[data-player-upload]');
const info = $('[data-video-info]');
const commentsSlot = $('[data-comments-slot]');
const confirmDialog = $('#confirm-dialog');
const toastBox = $('[data-toast]');
const comments = createComments($('[data-comments]'));

let videos = [];
let cursor = null;
let selected = null;
// The page reuses an image URL it has shown already (the placeholder, while pending): a new poster gets a new URL.
const posterVersions = new Map();

const posterUrl = (video) => {
  const version = posterVersions.get(video.id);
  return `/videos/${video.id}/poster${version ? `?v=${version}` : ''}`;
};

let toastTimer;
function toast(message) {
  toastBox.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastBox.textContent = ''), 5000);
}

function statusBadge(video) {
  return video.status === 'ready'
    ? el('span', { class: 'badge ready', text: 'Ready' })
    : el('span', { class: 'badge pending', text: 'Pending' });
}

function videoItem(video) {
  return el('li', {},
    el('button', {
      type: 'button',
      class: 'video-item',
      'data-id': video.id,
      'aria-current': selected?.id === video.id ? 'true' : undefined,
      onclick: () => select(video),
    },
    el('img', { class: 'thumb', src: posterUrl(video), alt: '', width: 160, height: 90, loading: 'lazy' }),
    el('span', { class: 'video-item-text' },
      el('span', { class: 'video-name', text: video.name }),
      el('span', { class: 'video-item-meta' }, statusBadge(video), timeElement(video.created_at, true)))));
}

function renderList() {
  list.replaceChildren(...videos.map(videoItem));
  libraryMore.hidden = cursor === null;
  libraryStatus.textContent = videos.length === 0 ? 'No videos yet. Upload your first one.' : '';
}

function showPlayer(video) {
  if (video?.status === 'ready') {
    if (player.dataset.videoId !== video.id) {
      player.dataset.videoId = video.id;
      player.poster = posterUrl(video);
      player.src = `/videos/${video.id}`;
    }
    player.hidden = false;
    playerEmpty.hidden = true;
    return;
  }
  if (player.dataset.videoId) {
    delete player.dataset.videoId;
    player.pause();
    player.removeAttribute('src');
    player.removeAttribute('poster');
    player.load();
  }
  player.hidden = true;
  playerEmpty.hidden = false;
  playerUpload.hidden = false;
  playerUpload.textContent = video ? 'Upload its file' : 'Upload a video';
  $('[data-player-message]').textContent = video
    ? 'This video has no file yet: its upload did not finish.'
    : 'Your videos play here. Upload your first one to get started.';
}

function showInfo(video) {
  info.hidden = !video;
  if (!video) return;
  const isReady = video.status === 'ready';
  $('[data-video-title]').textContent = video.name;
  $('[data-video-status]').replaceChildren(statusBadge(video), isReady ? ` ${formatBytes(video.size)}` : ' no file yet');
  const time = $('[data-video-time]');
  time.dateTime = video.created_at;
  time.textContent = formatDate(video.created_at);
  const watchLink = $('[data-watch-link]');
  watchLink.href = `/watch/${video.id}`;
  watchLink.hidden = !isReady;
  $('[data-copy-share]').hidden = !isReady;
}

function select(video) {
  selected = video;
  for (const button of list.querySelectorAll('.video-item')) {
    if (button.dataset.id === video?.id) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  history.replaceState(null, '', video ? `#${video.id}` : location.pathname);
  showPlayer(video);
  showInfo(video);
  const isReady = video?.status === 'ready';
  commentsSlot.hidden = !isReady;
  if (isReady && commentsSlot.dataset.videoId !== video.id) {
    commentsSlot.dataset.videoId = video.id;
    comments.show({ id: video.id, owner: me });
  }
}

/** wanted: the id to select; otherwise the current one stays selected if it still exists. */
async function loadVideos({ reset, wanted }) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (!reset && cursor) query.set('cursor', cursor);
  libraryMore.disabled = true;
  try {
    const page = await api('GET', `/user/${encodeURIComponent(me)}/videos?${query}`);
    videos = reset ? page.videos : [...videos, ...page.videos];
    cursor = page.next_cursor;
    renderList();
    const find = (id) => videos.find((video) => video.id === id);
    select(find(wanted) ?? find(selected?.id) ?? (reset ? videos[0] ?? null : selected));
  } catch (error) {
    libraryStatus.textContent = `Your videos did not load: ${error.message}`;
  } finally {
    libraryMore.disabled = false;
  }
}

async function deleteSelected() {
  const video = selected;
  try {
    await api('DELETE', `/user/${encodeURIComponent(me)}/videos/${video.id}`);
  } catch (error) {
    toast(`Could not delete “${video.name}”: ${error.message}`);
    return;
  }
  videos = videos.filter((other) => other.id !== video.id);
  renderList();
  select(videos[0] ?? null);
  toast(`Deleted “${video.name}”`);
}

const uploadDialog = createUploadDialog($('#upload-dialog'), {
  userName: me,
  maxUploadMb: Number(document.body.dataset.maxUploadMb),
  onChange(videoId, isUploaded) {
    if (isUploaded) {
      posterVersions.set(videoId, Date.now());
      toast('Upload complete');
    }
    void loadVideos({ reset: true, wanted: videoId });
  },
});

$('[data-open-upload]').addEventListener('click', () => uploadDialog.open());
playerUpload.addEventListener('click', () => uploadDialog.open(selected && { id: selected.id, name: selected.name }));
libraryMore.addEventListener('click', () => void loadVideos({ reset: false }));
$('[data-copy-share]').addEventListener('click', async () => {
  toast(await copyLink(new URL(`/watch/${selected.id}`, location.origin).href));
});
$('[data-delete]').addEventListener('click', () => {
  $('[data-confirm-name]', confirmDialog).textContent = `“${selected.name}”`;
  confirmDialog.returnValue = '';
  confirmDialog.showModal();
});
confirmDialog.addEventListener('close', () => {
  if (confirmDialog.returnValue === 'delete') void deleteSelected();
});
player.addEventListener('error', () => {
  if (player.dataset.videoId) toast('This browser cannot play this video file');
});

initSignOut();
void loadVideos({ reset: true, wanted: location.hash.slice(1) });
