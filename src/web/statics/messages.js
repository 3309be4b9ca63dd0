// What a failed request means, in sentences for a person. The API keeps its codes and its field names
// ("Invalid pwd: …"); the pages say what to do instead.
import { SessionEnded, signInAgainHref } from './api.js';
import { el } from './common.js';

const FIELDS = {
  user_name: 'User names can use letters, digits, _ . and -, up to 64 characters.',
  pwd: 'Passwords need at least 8 characters (and at most 256).',
  content: 'Write a comment of up to 2000 characters.',
  name: 'Give the video a name of up to 200 characters.',
  description: 'Descriptions can be up to 5000 characters.',
  lang: 'Choose a language tag such as en, nl or pt-BR.',
  q: 'Search with words, up to 200 characters.',
};

function seconds(n) {
  return n === 1 ? 'a second' : n < 90 ? `${n} seconds` : `${Math.ceil(n / 60)} minutes`;
}

/** `action` finishes "Sign in again to …", e.g. 'post your comment'. */
export function explain(error, action = 'continue') {
  if (error instanceof SessionEnded) return `Your session has ended. Sign in again to ${action}.`;
  switch (error.status) {
    case 0:
      return 'Cannot reach the server. Check your connection and try again.';
    case 400:
      return FIELDS[/^Invalid (\w+):/.exec(error.message)?.[1]] ?? 'The server could not use that. Check it and try again.';
    case 403:
      return 'Only the owner can do that.';
    case 404:
      return 'It is not there any more: it may have been deleted meanwhile.';
    case 413:
      return 'That is more than the server takes.';
    case 429:
      return error.code === '014' && error.retryAfterS
        ? `Too many tries in a short time. Wait ${seconds(error.retryAfterS)} and try again.`
        : 'The server is busy. Try again in a moment.';
    case 507:
      return 'The server has no room to store that. Remove something, or ask whoever runs the site.';
  }
  return error.status >= 500 ? 'Something went wrong on the server. Try again in a moment.' : error.message;
}

/** Writes `sentence` about `error` into `box` (a live region); a session that ended gets its "Sign in again" link. */
export function showFailure(box, error, sentence = explain(error)) {
  box.replaceChildren(sentence);
  if (error instanceof SessionEnded) box.append(' ', el('a', { href: signInAgainHref(), text: 'Sign in again' }));
}
