// The public watch page: the share link, the comments and the offer to resume where the viewer stopped.
import './page.js';
import { $, copyLink } from './common.js';
import { createComments } from './comments.js';
import { rememberPosition } from './resume.js';

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

rememberPosition($('[data-player]'), video, {
  box: $('[data-resume]'),
  text: $('[data-resume-text]'),
  resume: $('[data-resume-play]'),
  startOver: $('[data-resume-restart]'),
});
createComments($('[data-comments]')).show({ id: video, owner });
