// The comments block: newest first, "load more" by next_cursor, post, and delete where allowed.
import { $, api, currentUser, el, timeElement } from './common.js';

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
      if (asked === generation) status.textContent = `Comments did not load: ${error.message}`;
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
      status.textContent = `Could not delete the comment: ${error.message}`;
    }
  }

  async function post(event) {
    event.preventDefault();
    const error = $('[data-error]', form);
    const textarea = form.elements.content;
    const button = $('button[type=submit]', form);
    error.textContent = '';
    textarea.removeAttribute('aria-invalid');
    button.disabled = true;
    try {
      const comment = await api('POST', `/videos/${video.id}/comments`, { content: textarea.value });
      list.prepend(commentItem(comment));
      textarea.value = '';
      showEmptyState();
    } catch (failure) {
      error.textContent = failure.message;
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
    } finally {
      button.disabled = false;
    }
  }

  more.addEventListener('click', () => void loadPage());
  if (form) {
    form.addEventListener('submit', post);
    // Ctrl+Enter / Cmd+Enter posts from the textarea, as in most comment boxes.
    form.elements.content.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
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
      if (form) $('[data-error]', form).textContent = '';
      void loadPage();
    },
  };
}
