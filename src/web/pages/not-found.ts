// The HTML 404 page: for a browser asking for a page that does not exist, or a video that is not there.
import type { AppContext } from '../../app.js';
import { optionalSession } from '../../auth/require-session.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';

export function sendNotFoundPage(ctx: AppContext, what = 'page'): void {
  sendPage(ctx, 404, {
    title: 'Not found · moviedash',
    script: 'page.js',
    userName: optionalSession(ctx)?.userName,
    main: html`<main class="narrow not-found" id="main" tabindex="-1">
      <p class="big-code" aria-hidden="true">404</p>
      <h1>This ${what} is not here</h1>
      <p>It may have been deleted, or the link is mistyped.</p>
      <p><a class="button" href="/">Go to the front page</a></p>
    </main>`,
  });
}

/** A browser's GET for an unknown path gets this page; API clients keep the JSON error. */
export function wantsHtmlPage(method: string | undefined, accept: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && accept !== undefined && accept.includes('text/html');
}
