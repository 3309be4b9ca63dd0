// What every page does, imported first by each page's module: local dates and the header's sign out.
import { api } from './api.js';
import { $, currentUser, localizeTimes } from './common.js';

/** Ends the session on the server, then the front page confirms it. */
function wireSignOut() {
  const button = $('[data-sign-out]');
  if (!button) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('DELETE', `/user/${encodeURIComponent(currentUser())}/session`);
    } catch (error) {
      // 401: the session had already ended, which is what signing out wants.
      if (error.status !== 401) {
        button.disabled = false;
        button.textContent = 'Sign out failed, try again';
        return;
      }
    }
    location.assign('/?signed-out');
  });
}

localizeTimes();
wireSignOut();
