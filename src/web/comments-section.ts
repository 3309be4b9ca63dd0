// The comments block of the userhome and watch pages; comments.js fills it from the API.
import { html, type SafeHtml } from './html.js';

/** signInHref: where a visitor who is not signed in goes to be able to comment; undefined when signed in. */
export function commentsSection(signInHref: string | undefined): SafeHtml {
  const form = signInHref
    ? html`<p class="sign-in-prompt"><a href="${signInHref}">Sign in</a> to join the conversation.</p>`
    : html`<form class="comment-form" data-comment-form novalidate>
        <label for="comment-text">Add a comment</label>
        <textarea id="comment-text" name="content" rows="3" maxlength="2000" required></textarea>
        <div class="form-row">
          <p class="form-error" data-error aria-live="polite"></p>
          <button type="submit">Post comment</button>
        </div>
      </form>`;
  return html`<section class="comments" aria-labelledby="comments-title" data-comments>
    <h2 id="comments-title">Comments</h2>
    ${form}
    <p class="muted" data-comments-status aria-live="polite"></p>
    <ol class="comment-list" data-comment-list></ol>
    <button type="button" class="ghost" data-load-more hidden>Load more comments</button>
  </section>`;
}
