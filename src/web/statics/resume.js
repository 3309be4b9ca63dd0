// Where a viewer stopped, per video, in localStorage: the watch page offers to resume from there.
import { formatDuration } from './common.js';

const START_AFTER_S = 5;
// The last seconds are the credits: a viewer who got there has finished.
const FINISHED_WITHIN_S = 10;
const SAVE_EVERY_MS = 3000;

function storage() {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled by the browser: nothing is remembered.
    return null;
  }
}

/** offer: { box, text, resume, startOver } elements. */
export function rememberPosition(player, videoId, offer) {
  const key = `moviedash:position:${videoId}`;
  const store = storage();
  const saved = Number(store?.getItem(key));
  let lastSave = 0;

  const hideOffer = () => (offer.box.hidden = true);
  const forget = () => store?.removeItem(key);

  player.addEventListener('loadedmetadata', () => {
    if (!(saved > START_AFTER_S && saved < player.duration - FINISHED_WITHIN_S)) return;
    offer.text.textContent = `You stopped at ${formatDuration(saved)}.`;
    offer.resume.textContent = `Resume from ${formatDuration(saved)}`;
    offer.box.hidden = false;
  }, { once: true });
  offer.resume.addEventListener('click', () => {
    hideOffer();
    player.currentTime = saved;
    void player.play().catch(() => undefined);
    player.focus();
  });
  offer.startOver.addEventListener('click', () => {
    hideOffer();
    forget();
    player.focus();
  });
  player.addEventListener('play', hideOffer);
  player.addEventListener('ended', forget);
  player.addEventListener('timeupdate', () => {
    if (Date.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = Date.now();
    if (player.currentTime >= player.duration - FINISHED_WITHIN_S) forget();
    else if (player.currentTime > START_AFTER_S) store?.setItem(key, String(Math.floor(player.currentTime)));
  });
  // Seeking while paused moves no time forward: keep that place too.
  player.addEventListener('pause', () => {
    if (player.currentTime > START_AFTER_S && player.currentTime < player.duration - FINISHED_WITHIN_S) {
      store?.setItem(key, String(Math.floor(player.currentTime)));
    }
  });
}
