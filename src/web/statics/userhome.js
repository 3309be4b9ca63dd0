// The signed-in user's page: their videos, the player, the selected video's comments, upload, edit,
// captions and delete. The selected video is kept in the URL's fragment (/userhome#<id>), so a reload
// (or signing in again) shows it again.
import './page.js';
import { api } from './api.js';
import { $, copyLink, currentUser, el, formatDuration, timeElement } from './common.js';
import { createCaptionsDialog } from './captions-dialog.js';
import { createComments } from './comments.js';
import { createEditDialog } from './edit-dialog.js';
import { explain } from './messages.js';
import { forgetUploadsOf } from './send-file.js';
import { createUploadDialog } from './upload.js';
import { createStage, statusBadge } from './video-stage.js';

const PAGE_SIZE = 20;
const me = currentUser();
const { maxUploadMb, pendingPoster } = document.body.dataset;
const list = $('[data-video-list]');
const libraryStatus = $('[data-library-status]');
const libraryMore = $('[data-library-more]');
const stageRoot = $('[data-stage]');
const searchForm = $('#library [data-search]');
const searchClear = $('[data-search-clear]');
const commentsSlot = $('[data-comments-slot]');
const confirmDialog = $('#confirm-dialog');
const toastBox = $('[data-toast]');
const comments = createComments($('[data-comments]'));
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

let videos = [];
let cursor = null;
let selected = null;
// The words of a search over every ready video (GET /videos?q=), or null while the list shows the user's own.
let search = null;
// The page reuses an image URL it has shown already (the placeholder, while pending): a new poster gets a new URL.
const posterVersions = new Map();

function posterUrl(video) {
  if (video.status !== 'ready') return pendingPoster;
  const version = posterVersions.get(video.id);
  return `/videos/${video.id}/poster${version ? `?v=${version}` : ''}`;
}

const stage = createStage(stageRoot, { posterUrl });

let toastTimer;
function toast(message) {
  toastBox.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastBox.textContent = ''), 5000);
}

function durationBadge(video) {
  return video.duration_s === null ? null : el('span', { class: 'duration', text: formatDuration(video.duration_s) });
}

/** Someone else's video found by a search: a link to its watch page. */
function foundItem(video) {
  return el('li', {},
    el('a', { class: 'video-item', href: `/watch/${video.id}` },
      el('span', { class: 'thumb-frame' },
        el('img', { class: 'thumb', src: posterUrl(video), alt: '', width: 160, height: 90, loading: 'lazy' }),
        durationBadge(video)),
      el('span', { class: 'video-item-text' },
        el('span', { class: 'video-name', text: video.name }),
        el('span', { class: 'video-item-meta', text: `by ${video.author}` }))));
}

function videoItem(video) {
  if (search && video.author !== me) return foundItem(video);
  return el('li', {},
    el('button', {
      type: 'button',
      class: 'video-item',
      'data-id': video.id,
      'aria-current': selected?.id === video.id ? 'true' : undefined,
      onclick: () => select(video, { bringIntoView: true }),
    },
    el('span', { class: 'thumb-frame' },
      el('img', { class: 'thumb', src: posterUrl(video), alt: '', width: 160, height: 90, loading: 'lazy' }),
      durationBadge(video)),
    el('span', { class: 'video-item-text' },
      el('span', { class: 'video-name', text: video.name }),
      el('span', { class: 'video-item-meta' }, statusBadge(video), timeElement(video.created_at, true)))));
}

function renderList() {
  list.replaceChildren(...videos.map(videoItem));
  libraryMore.hidden = cursor === null;
  searchClear.hidden = search === null;
  if (search) libraryStatus.textContent = videos.length === 0 ? `No video matches “${search}”.` : `Videos matching “${search}”, best first:`;
  else libraryStatus.textContent = videos.length === 0 ? 'No videos yet. Upload your first one.' : '';
}

/** bringIntoView: a tap in the list on a phone, where the player is above the list. */
function select(video, { bringIntoView = false } = {}) {
  selected = video;
  for (const button of list.querySelectorAll('.video-item')) {
    if (button.dataset.id === video?.id) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  history.replaceState(null, '', video ? `#${video.id}` : location.pathname);
  stage.show(video);
  const isReady = video?.status === 'ready';
  commentsSlot.hidden = !isReady;
  if (isReady && commentsSlot.dataset.videoId !== video.id) {
    commentsSlot.dataset.videoId = video.id;
    comments.show({ id: video.id, owner: me });
  }
  if (bringIntoView) stage.bringIntoView(reducedMotion.matches);
}

/**
 * wanted: the id to select; otherwise the current one stays selected if it still exists. Search results
 * leave the stage as it is: they may be other people's videos.
 */
async function loadVideos({ reset, wanted }) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (!reset && cursor) query.set('cursor', cursor);
  if (search) query.set('q', search);
  libraryMore.disabled = true;
  try {
    const page = await api('GET', search ? `/videos?${query}` : `/user/${encodeURIComponent(me)}/videos?${query}`);
    videos = reset ? page.videos : [...videos, ...page.videos];
    cursor = page.next_cursor;
    renderList();
    if (search) return;
    const find = (id) => videos.find((video) => video.id === id);
    select(find(wanted) ?? find(selected?.id) ?? (reset ? videos[0] ?? null : selected));
  } catch (error) {
    libraryStatus.textContent = `${search ? 'The search did not work.' : 'Your videos did not load.'} ${explain(error)}`;
  } finally {
    libraryMore.disabled = false;
  }
}

function showMyVideos() {
  search = null;
  searchForm.reset();
  void loadVideos({ reset: true });
}

async function deleteSelected() {
  const video = selected;
  try {
    await api('DELETE', `/user/${encodeURIComponent(me)}/videos/${video.id}`);
  } catch (error) {
    toast(`“${video.name}” was not deleted. ${explain(error, 'delete it')}`);
    return;
  }
  void forgetUploadsOf(video.id);
  videos = videos.filter((other) => other.id !== video.id);
  renderList();
  select(videos[0] ?? null);
  toast(`Deleted “${video.name}”`);
}

/** Puts the API's new version of a video in the list and on the stage. */
function replaceVideo(video) {
  videos = videos.map((other) => (other.id === video.id ? video : other));
  renderList();
  if (selected?.id === video.id) select(video);
}

const uploadDialog = createUploadDialog($('#upload-dialog'), {
  userName: me,
  maxUploadMb: Number(maxUploadMb),
  onChange(videoId, what) {
    if (what === 'poster') {
      posterVersions.set(videoId, Date.now());
      renderList();
      if (selected?.id === videoId) stage.showPoster(posterUrl(selected));
      return;
    }
    if (what === 'uploaded') toast('Upload complete');
    if (what === 'removed') toast('Removed the video');
    void loadVideos({ reset: true, wanted: videoId });
  },
});
const editDialog = createEditDialog($('#edit-dialog'), { userName: me, onSaved: replaceVideo });
const captionsDialog = createCaptionsDialog($('#captions-dialog'), {
  onChange(videoId) {
    void api('GET', `/user/${encodeURIComponent(me)}/videos/${videoId}`)
      // A new file under the same language must replace the track the player already loaded.
      .then((video) => replaceVideo({ ...video, captionsVersion: Date.now() }))
      .catch((error) => toast(explain(error)));
  },
});

$('[data-open-upload]').addEventListener('click', () => uploadDialog.open());
$('[data-player-upload]').addEventListener('click', () => uploadDialog.open(selected && { id: selected.id, name: selected.name }));
libraryMore.addEventListener('click', () => void loadVideos({ reset: false }));
searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const words = searchForm.elements.q.value.trim();
  if (words === '') return showMyVideos();
  search = words;
  void loadVideos({ reset: true });
});
searchClear.addEventListener('click', showMyVideos);
$('[data-copy-share]').addEventListener('click', async () => {
  toast(await copyLink(new URL(`/watch/${selected.id}`, location.origin).href));
});
$('[data-edit]').addEventListener('click', () => editDialog.open(selected));
$('[data-captions]').addEventListener('click', () => captionsDialog.open(selected));
$('[data-delete]').addEventListener('click', () => {
  $('[data-confirm-name]', confirmDialog).textContent = `“${selected.name}”`;
  confirmDialog.returnValue = '';
  confirmDialog.showModal();
});
confirmDialog.addEventListener('close', () => {
  if (confirmDialog.returnValue === 'delete') void deleteSelected();
});
stageRoot.addEventListener('unplayable', () => toast('This browser cannot play this video file'));

void loadVideos({ reset: true, wanted: location.hash.slice(1) });
