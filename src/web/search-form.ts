// The search box of the front page (a plain GET form: results are rendered by the server) and of /userhome
// (userhome.js sends the words to GET /videos?q= and lists what it finds).
import { html, type SafeHtml } from './html.js';

/** action: where the form goes without script (the front page, with a fragment to scroll to its results). */
export function searchForm(id: string, words: string, action = '/'): SafeHtml {
  return html`<form class="search" role="search" action="${action}" method="get" data-search>
    <label class="visually-hidden" for="${id}">Search videos</label>
    <input type="search" id="${id}" name="q" value="${words}" maxlength="200" placeholder="Search videos" autocomplete="off">
    <button type="submit" class="ghost">Search</button>
  </form>`;
}
