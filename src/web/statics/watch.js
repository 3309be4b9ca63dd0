// The public watch page: local dates, the share link and the comments.
import { $, copyLink, initSignOut, localizeTimes } from './common.js';
import { createComments } from './comments.js';

const { video, owner } = document.body.dataset;
const shareInput = $('#share-link');
const shareUrl = new URL(shareInput.dataset.sharePath, location.origin).href;
shareInput.value = shareUrl;
shareInput.addEventListener('focus', () => shareInput.select());
$('[data-copy-share]').addEventListener('click', async () => {
  const status = $('[data-copy-status]');
  status.textContent = await copyLink(shareUrl);
  setTimeout(() => (status.textContent = ''), 4000);
});

createComments($('[data-comments]')).show({ id: video, owner });
localizeTimes();
initSignOut();
