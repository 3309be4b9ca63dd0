// Sign up, sign in, the user's own record, account deletion and sign out.
import type { AppContext } from '../app.js';
import { hashPassword, verifyAgainstNobody, verifyPassword } from '../auth/passwords.js';
import { isSameUser, requireSelf, requireSession } from '../auth/require-session.js';
import { UserNameTakenError } from '../db/users.js';
import { param } from '../http/context.js';
import { clearedSessionCookie, sessionCookie } from '../http/cookies.js';
import { conflict, forbidden, invalidField, notFound, unauthorized } from '../http/errors.js';
import { readJsonObject } from '../http/json-body.js';
import { sendJson, sendNoContent } from '../http/respond.js';
import { isCrossSiteRequest } from '../http/same-origin.js';
import { validateCredentials, validatePwd } from '../http/validate.js';
import { beginSignIn, signInSucceeded, takeAuthAttempt } from '../limits/auth-attempts.js';
import { storageOf } from '../limits/storage-quota.js';
import { toUserJson } from './wire.js';

function sendNewSession(ctx: AppContext, status: number, user: { id: number; userName: string }): void {
  const sessionId = ctx.app.sessions.create(user.id, user.userName);
  // The account was deleted while its password was being checked.
  if (sessionId === undefined) throw unauthorized('Wrong user name or password');
  sendJson(ctx.res, status, { success: true, session_id: sessionId }, { 'Set-Cookie': sessionCookie(sessionId) });
}

/** Login CSRF: another site's page must not sign a visitor in to an account of its choosing. */
function refuseCrossSite(ctx: AppContext): void {
  if (isCrossSiteRequest(ctx.req.method ?? 'POST', ctx.req.headers)) throw forbidden('Cross-site sign-in refused: use the site itself');
}

export async function signUp(ctx: AppContext): Promise<void> {
  if (ctx.app.config.signup === 'closed') throw forbidden('Sign-up is closed on this server: ask its operator for an account');
  refuseCrossSite(ctx);
  takeAuthAttempt(ctx);
  const { userName, pwd } = validateCredentials(await readJsonObject(ctx.req));
  const { users } = ctx.app.store;
  if (users.byName(userName)) throw conflict(`User name ${userName} is taken`);
  const pwdHash = await hashPassword(pwd);
  let user;
  try {
    user = users.insert(userName, pwdHash, Date.now());
  } catch (error) {
    if (error instanceof UserNameTakenError) throw conflict(`User name ${userName} is taken`);
    throw error;
  }
  sendNewSession(ctx, 201, user);
}

export async function signIn(ctx: AppContext): Promise<void> {
  refuseCrossSite(ctx);
  takeAuthAttempt(ctx);
  const pathName = param(ctx, 'username');
  const body = await readJsonObject(ctx.req);
  const { userName, pwd } = validateCredentials({ user_name: pathName, ...body });
  if (userName.toLowerCase() !== pathName.toLowerCase()) {
    throw invalidField('user_name', 'must match the name in the path');
  }
  beginSignIn(ctx, userName);
  const user = ctx.app.store.users.byName(userName);
  const isValid = user ? await verifyPassword(pwd, user.pwdHash) : await verifyAgainstNobody(pwd);
  if (!user || !isValid) throw unauthorized('Wrong user name or password');
  signInSucceeded(ctx, userName);
  sendNewSession(ctx, 200, user);
}

export function getUser(ctx: AppContext): void {
  const userName = param(ctx, 'username');
  const session = requireSession(ctx);
  const user = ctx.app.store.users.byName(userName);
  if (!user) throw notFound('user');
  if (!isSameUser(session, userName)) throw forbidden(`Signed in as ${session.userName}, not ${userName}`);
  sendJson(ctx.res, 200, { ...toUserJson(user), ...storageOf(ctx, user.id) });
}

export async function deleteUser(ctx: AppContext): Promise<void> {
  const session = requireSelf(ctx, param(ctx, 'username'));
  // A password check like sign-in's, under its limits: a stolen session must not guess the password on here.
  takeAuthAttempt(ctx);
  const pwd = validatePwd(await readJsonObject(ctx.req));
  const user = ctx.app.store.users.byName(session.userName);
  if (!user) throw notFound('user');
  beginSignIn(ctx, user.userName);
  if (!(await verifyPassword(pwd, user.pwdHash))) throw unauthorized('Wrong password');
  signInSucceeded(ctx, user.userName);
  ctx.app.store.deleteAccount(user.id, Date.now());
  ctx.app.sessions.forgetUser(user.id);
  sendNoContent(ctx.res, { 'Set-Cookie': clearedSessionCookie() });
}

export function signOut(ctx: AppContext): void {
  const session = requireSelf(ctx, param(ctx, 'username'));
  ctx.app.sessions.end(session.id);
  sendNoContent(ctx.res, { 'Set-Cookie': clearedSessionCookie() });
}
