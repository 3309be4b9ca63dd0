// Calls to the API from the pages: JSON in, JSON out, errors as ApiError. A 401 on a page that was
// signed in means the session ended meanwhile: the header then says so and offers "Sign in again",
// which brings the person back to this very page.
import { $, currentUser, el } from './common.js';

export class ApiError extends Error {
  constructor(status, message, code, retryAfterS) {
    super(message);
    this.status = status;
    this.code = code;
    /** Seconds, from the Retry-After header of a 429. */
    this.retryAfterS = retryAfterS;
  }
}

/** The session of a signed-in page ended (idle too long, signed out elsewhere, account removed). */
export class SessionEnded extends ApiError {}

/** The front page signs the person in again and sends them back here, fragment included. */
export function signInAgainHref() {
  return `/?next=${encodeURIComponent(location.pathname + location.hash)}`;
}

let isSessionEnded = false;

/** The header stops claiming "Signed in as" and offers the way back instead. */
export function markSessionEnded() {
  if (isSessionEnded) return;
  isSessionEnded = true;
  const link = el('a', { class: 'button', href: signInAgainHref(), text: 'Sign in again' });
  // The page may have moved on (another video selected) since: take the place as it is at the click.
  link.addEventListener('click', () => (link.href = signInAgainHref()));
  $('[data-account]')?.replaceChildren(el('span', { class: 'who session-ended', text: 'Your session has ended' }), link);
}

/** Builds the error for a failed response (or a network failure: status 0). */
export function apiError(status, data, retryAfter) {
  const message = data?.error ?? `Request failed (HTTP ${status})`;
  const retryAfterS = retryAfter ? Number(retryAfter) : undefined;
  if (status === 401 && currentUser() !== undefined) {
    markSessionEnded();
    return new SessionEnded(status, message, data?.error_code, retryAfterS);
  }
  return new ApiError(status, message, data?.error_code, retryAfterS);
}

/** JSON in, JSON out; throws ApiError. `body` may also be a Blob or File, sent as it is. */
export async function api(method, path, body, contentType = 'application/json') {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw apiError(res.status, data, res.headers.get('Retry-After'));
  return data;
}
