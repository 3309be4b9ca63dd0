// Where a viewer stopped, per video, in localStorage: the watch page offers to resume from there.
import { formatDuration } from './common.js';

const START_AFTER_S = 5;
// The last seconds (the credits; a twentieth of a short clip) count as having finished.
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
  const isWorthKeeping = (seconds) => seconds > START_AFTER_S && seconds < player.duration - Math.min(FINISHED_WITHIN_S, player.duration / 20);
  const forget = () => store?.removeItem(key);

  function offerToResume() {
    if (!isWorthKeeping(saved)) return;
    offer.text.textContent = `You stopped at ${formatDuration(saved)}.`;
    offer.resume.textContent = `Resume from ${formatDuration(saved)}`;
    offer.box.hidden = false;
  }

  // The duration may be known before this module runs (HAVE_METADATA = 1).
  if (player.readyState >= 1) offerToResume();
  else player.addEventListener('loadedmetadata', offerToResume, { once: true });
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
    if (isWorthKeeping(player.currentTime)) store?.setItem(key, String(Math.floor(player.currentTime)));
    else if (player.currentTime > START_AFTER_S) forget();
  });
  // timeupdate saves every few seconds; a pause or a seek saves the place it leaves the player at.
  for (const eventName of ['pause', 'seeked']) {
    player.addEventListener(eventName, () => {
      if (isWorthKeeping(player.currentTime)) store?.setItem(key, String(Math.floor(player.currentTime)));
    });
  }
}
