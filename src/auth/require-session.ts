// Who is asking: the session from `X-Session-Id` or the `session` cookie, and the checks handlers need.
import type { AppContext } from '../app.js';
import type { Session } from './session-store.js';
import { SESSION_COOKIE, readCookie } from '../http/cookies.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { isCrossSiteRequest } from '../http/same-origin.js';

export function sessionIdOf(ctx: AppContext): { id: string; byCookie: boolean } | undefined {
  const header = ctx.req.headers['x-session-id'];
  if (typeof header === 'string' && header !== '') return { id: header, byCookie: false };
  const cookie = readCookie(ctx.req.headers.cookie, SESSION_COOKIE);
  return cookie ? { id: cookie, byCookie: true } : undefined;
}

/** The signed-in user, or undefined; pages use it to choose what to show. */
export function optionalSession(ctx: AppContext): Session | undefined {
  const sid = sessionIdOf(ctx);
  return sid && ctx.app.sessions.get(sid.id);
}

/** 401 without a live session; 403 for a cookie-only state change that another site started. */
export function requireSession(ctx: AppContext): Session {
  const sid = sessionIdOf(ctx);
  const session = sid && ctx.app.sessions.get(sid.id);
  if (!sid || !session) throw unauthorized(sid ? 'Session is unknown or has expired' : 'Sign in first');
  if (sid.byCookie && isCrossSiteRequest(ctx.req.method ?? 'GET', ctx.req.headers)) {
    throw forbidden('Cross-site request refused: send X-Session-Id or use the site itself');
  }
  return session;
}

export function isSameUser(session: Session, userName: string): boolean {
  return session.userName.toLowerCase() === userName.toLowerCase();
}

/** The session of the user named in the path: 401, then 403 for anyone else. */
export function requireSelf(ctx: AppContext, userName: string): Session {
  const session = requireSession(ctx);
  if (!isSameUser(session, userName)) throw forbidden(`Signed in as ${session.userName}, not ${userName}`);
  return session;
}
