// The comments block: newest first, "load more" by next_cursor, post, and delete where allowed. What is
// typed is kept per video for this tab (sessionStorage) until it is posted: a session that ended, a
// reload or a trip to the sign-in page does not lose it.
import { api } from './api.js';
import { $, currentUser, el, timeElement } from './common.js';
import { explain, showFailure } from './messages.js';

const PAGE_SIZE = 20;

export function createComments(section) {
  const list = $('[data-comment-list]', section);
  const status = $('[data-comments-status]', section);
  const more = $('[data-load-more]', section);
  const form = $('[data-comment-form]', section);
  const me = currentUser();
  let video = null;
  let cursor = null;
  // Switching videos bumps the generation, so answers for the previous video are dropped.
  let generation = 0;

  const draftKey = () => `comment-draft:${video.id}`;

  function canDelete(comment) {
    return me !== undefined && (comment.author === me || video.owner === me);
  }

  function commentItem(comment) {
    const item = el('li', { class: 'comment' },
      el('div', { class: 'comment-head' },
        el('strong', { class: 'author', text: comment.author }),
        timeElement(comment.created_at, true)),
      el('p', { class: 'comment-body', text: comment.content }));
    if (canDelete(comment)) {
      item.querySelector('.comment-head').append(el('button', {
        type: 'button',
        class: 'link danger',
        'aria-label': `Delete comment by ${comment.author}`,
        text: 'Delete',
        onclick: () => void removeComment(comment, item),
      }));
    }
    return item;
  }

  function showEmptyState() {
    status.textContent = list.children.length === 0 ? 'No comments yet. Be the first.' : '';
  }

  async function loadPage() {
    const asked = generation;
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    more.disabled = true;
    try {
      const page = await api('GET', `/videos/${video.id}/comments?${query}`);
      if (asked !== generation) return;
      list.append(...page.comments.map(commentItem));
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      showEmptyState();
    } catch (error) {
      if (asked === generation) status.textContent = `Comments did not load. ${explain(error)}`;
    } finally {
      more.disabled = false;
    }
  }

  async function removeComment(comment, item) {
    try {
      await api('DELETE', `/videos/${video.id}/comments/${comment.id}`);
      item.remove();
      showEmptyState();
    } catch (error) {
      showFailure(status, error, explain(error, 'delete the comment'));
    }
  }

  async function post(event) {
    event.preventDefault();
    const error = $('[data-error]', form);
    const textarea = form.elements.content;
    const button = $('button[type=submit]', form);
    error.textContent = '';
    textarea.removeAttribute('aria-invalid');
    if (textarea.value.trim() === '') {
      error.textContent = 'Write something first.';
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
      return;
    }
    button.disabled = true;
    try {
      const comment = await api('POST', `/videos/${video.id}/comments`, { content: textarea.value });
      list.prepend(commentItem(comment));
      textarea.value = '';
      sessionStorage.removeItem(draftKey());
      showEmptyState();
      status.textContent = 'Comment posted.';
    } catch (failure) {
      showFailure(error, failure, explain(failure, 'post your comment (it is kept here)'));
      textarea.setAttribute('aria-invalid', 'true');
    } finally {
      button.disabled = false;
      // The disabled button lost the focus: give it back to the box, ready for the next comment.
      textarea.focus();
    }
  }

  more.addEventListener('click', () => void loadPage());
  if (form) {
    form.addEventListener('submit', post);
    // Ctrl+Enter / Cmd+Enter posts from the textarea, as in most comment boxes.
    form.elements.content.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    });
    form.elements.content.addEventListener('input', (event) => {
      const text = event.target.value;
      if (text.trim() === '') sessionStorage.removeItem(draftKey());
      else sessionStorage.setItem(draftKey(), text);
    });
  }

  return {
    /** Shows the comments of { id, owner }. */
    show(next) {
      generation++;
      video = next;
      cursor = null;
      list.replaceChildren();
      more.hidden = true;
      status.textContent = 'Loading comments…';
      if (form) {
        $('[data-error]', form).textContent = '';
        form.elements.content.value = sessionStorage.getItem(draftKey()) ?? '';
      }
      void loadPage();
    },
  };
}
