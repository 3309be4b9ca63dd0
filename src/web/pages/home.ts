// The front page: sign in or sign up, and the recent videos, or those a search finds (`/?q=words`, the
// same search as GET /videos?q=). A signed-in visitor goes to /userhome.
import type { AppContext } from '../../app.js';
import { optionalSession } from '../../auth/require-session.js';
import { decodeCursor, decodeRankedCursor, type Page } from '../../db/cursor.js';
import type { Video } from '../../db/videos.js';
import { HttpError } from '../../http/errors.js';
import { redirect } from '../../http/respond.js';
import { validateSearchQuery } from '../../http/validate.js';
import { isVideoId } from '../../video-files.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage } from '../layout.js';
import { searchForm } from '../search-form.js';
import { videoCard } from '../video-card.js';

const RECENT_PAGE_SIZE = 24;

/**
 * Only a page of this site may be the place to return to after signing in (no open redirect): a watch
 * page, or /userhome with the video that was selected (`/userhome#<id>`).
 */
export function safeNext(next: string | null): string | undefined {
  if (next === '/userhome') return next;
  const match = next === null ? null : /^(?:\/watch\/|\/userhome#)([^/?#]+)$/.exec(next);
  return match && isVideoId(match[1]!) ? next! : undefined;
}

function notice(ctx: AppContext, next: string | undefined): SafeHtml | undefined {
  if (ctx.query.has('signed-out')) return html`<p class="notice" role="status">You are signed out. See you soon.</p>`;
  if (next) return html`<p class="notice" role="status">Sign in to go back to where you were.</p>`;
  return undefined;
}

/** A cursor this page did not make shows the first page. */
function pageCursor<T>(ctx: AppContext, decode: (cursor: string) => T): T | undefined {
  const cursor = ctx.query.get('cursor');
  if (cursor === null) return undefined;
  try {
    return decode(cursor);
  } catch {
    return undefined;
  }
}

interface Listing {
  title: string;
  page: Page<Video>;
  /** What to say when the page is empty. */
  empty: SafeHtml;
  /** The query string of the next page, given its cursor. */
  more: (cursor: string) => string;
}

function recentVideos(ctx: AppContext): Listing {
  return {
    title: 'Recent videos',
    page: ctx.app.store.videos.pageReady(pageCursor(ctx, decodeCursor), RECENT_PAGE_SIZE),
    empty: html`<p class="empty">No videos yet. Create an account and upload the first one.</p>`,
    more: (cursor) => `?cursor=${encodeURIComponent(cursor)}`,
  };
}

function searchResults(ctx: AppContext, q: string): Listing {
  const title = `Videos matching “${q}”`;
  const more = (cursor: string) => `?q=${encodeURIComponent(q)}&cursor=${encodeURIComponent(cursor)}`;
  let words: string[] | undefined;
  try {
    words = validateSearchQuery(ctx.query);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const page = { items: [], nextCursor: null };
    return { title, page, more, empty: html`<p class="empty">Search with letters or digits, up to 200 characters.</p>` };
  }
  const page = ctx.app.store.videos.search(words!, pageCursor(ctx, decodeRankedCursor), RECENT_PAGE_SIZE);
  const empty = html`<p class="empty">No video matches “${q}”. <a href="/">Show all videos</a></p>`;
  return { title, page, more, empty };
}

function authForm(kind: 'sign-in' | 'sign-up', title: string, submit: string): SafeHtml {
  const pwdAutocomplete = kind === 'sign-in' ? 'current-password' : 'new-password';
  return html`<form class="auth-form" id="${kind}" method="post" novalidate>
    <h2>${title}</h2>
    <label for="${kind}-name">User name</label>
    <input id="${kind}-name" name="user_name" autocomplete="username" autocapitalize="none" spellcheck="false"
      maxlength="64" required aria-describedby="${kind}-name-hint">
    <p class="hint" id="${kind}-name-hint">Up to 64 letters, digits, _ . or -</p>
    <label for="${kind}-pwd">Password</label>
    <input id="${kind}-pwd" name="pwd" type="password" autocomplete="${pwdAutocomplete}" maxlength="256" required
      aria-describedby="${kind}-pwd-hint">
    <p class="hint" id="${kind}-pwd-hint">At least 8 characters</p>
    <p class="form-error" data-error aria-live="polite"></p>
    <button type="submit">${submit}</button>
  </form>`;
}

function videoGrid({ page, empty, more }: Listing): SafeHtml {
  if (page.items.length === 0) return empty;
  return html`<ul class="video-grid">${page.items.map(videoCard)}</ul>
    ${page.nextCursor && html`<p class="more"><a class="button ghost" href="/${more(page.nextCursor)}">More videos</a></p>`}`;
}

export function homePage(ctx: AppContext): void {
  const next = safeNext(ctx.query.get('next'));
  if (optionalSession(ctx)) {
    redirect(ctx.res, next ?? '/userhome');
    return;
  }
  const q = ctx.query.get('q');
  const listing = q === null ? recentVideos(ctx) : searchResults(ctx, q);
  sendPage(ctx, 200, {
    title: 'moviedash',
    script: 'home.js',
    isFrontPage: true,
    data: next ? { next } : {},
    main: html`<main class="home" id="main" tabindex="-1">
      ${notice(ctx, next)}
      <section class="hero">
        <div class="hero-text">
          <h1>Your videos, on your own server</h1>
          <p>Upload a clip, watch it with instant seeking, share the link and talk about it in the comments.</p>
          <p class="jump"><a href="#recent-title">Browse the recent videos</a></p>
        </div>
        <div class="card auth-forms">
          ${authForm('sign-in', 'Sign in', 'Sign in')}
          ${ctx.app.config.signup === 'open'
            ? authForm('sign-up', 'Create an account', 'Create account')
            : html`<p class="hint" id="signup-closed">New accounts are made by the operator of this server.</p>`}
        </div>
      </section>
      <section class="recent" aria-labelledby="recent-title">
        <div class="section-head">
          <h2 id="recent-title">${listing.title}</h2>
          ${searchForm('search-q', q ?? '', '/#recent-title')}
        </div>
        ${videoGrid(listing)}
      </section>
    </main>`,
  });
}
