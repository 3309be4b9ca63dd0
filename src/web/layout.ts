// The frame every page shares (head, header, footer) and the security headers pages are sent with.
import type { AppContext } from '../app.js';
import { sendHtml } from '../http/respond.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { STATICS } from './statics.js';

// Pages run only our own script files: no inline script or style, nothing from other origins. Media may come
// from one other origin: the bucket or CDN that S3_DELIVERY=redirect sends the player to.
// blob: lets the upload dialog preview the chosen file and grab its poster frame.
function contentSecurityPolicy(mediaOrigin: string | undefined): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    mediaOrigin === undefined ? "media-src 'self' blob:" : `media-src 'self' blob: ${mediaOrigin}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The headers every page is sent with; one set per media origin, made once. */
const pageHeaders = new Map<string | undefined, Readonly<Record<string, string>>>();

function pageHeadersFor(mediaOrigin: string | undefined): Readonly<Record<string, string>> {
  let headers = pageHeaders.get(mediaOrigin);
  if (!headers) {
    headers = { 'Content-Security-Policy': contentSecurityPolicy(mediaOrigin), 'Referrer-Policy': 'same-origin' };
    pageHeaders.set(mediaOrigin, headers);
  }
  return headers;
}

export interface Page {
  title: string;
  /** The page's entry module in statics/; every module it imports is preloaded with it. */
  script: string;
  /** Classic scripts in statics/ (vendor builds that set a global, e.g. window.tus), run in order before the module. */
  classicScripts?: string[];
  /** The signed-in user's name; the header then offers their page and sign out. */
  userName?: string | undefined;
  /** The front page holds the sign-in form itself, so its header links nowhere. */
  isFrontPage?: boolean;
  /** Where the header's "Sign in" brings the visitor back to (a watch page). */
  returnPath?: string;
  /** The first Tab stop: a link past the header to the element with this id (default: main, "Skip to content"). */
  skipTo?: { id: string; label: string };
  /** data-* attributes of <body> that the page's script reads. */
  data?: Record<string, string>;
  /** The page's <main id="main" tabindex="-1">…</main>. */
  main: SafeHtml;
}

function header(page: Page): SafeHtml {
  const signInHref = page.returnPath ? `/?next=${encodeURIComponent(page.returnPath)}` : '/';
  const links = page.userName
    ? html`<span class="who">Signed in as <strong>${page.userName}</strong></span>
        <a class="button ghost" href="/userhome">My videos</a>
        <button type="button" class="ghost" data-sign-out>Sign out</button>`
    : !page.isFrontPage && html`<a class="button ghost" href="${signInHref}">Sign in</a>`;
  return html`<header class="site-header">
    <a class="brand" href="/"><img src="${STATICS.url('images/logo.svg')}" alt="" width="28" height="28"><span>moviedash</span></a>
    ${links && html`<nav class="site-nav" aria-label="Account" data-account>${links}</nav>`}
  </header>`;
}

export function renderPage(page: Page): string {
  const dataAttributes: HtmlValue[] = Object.entries(page.data ?? {}).map(([name, value]) => html` data-${name}="${value}"`);
  const userAttribute = page.userName === undefined ? '' : html` data-user="${page.userName}"`;
  const skipTo = page.skipTo ?? { id: 'main', label: 'Skip to content' };
  // Without the preloads the browser finds each import only after the module that names it has arrived.
  const preloads = STATICS.moduleGraph(page.script).map((url) => html`\n  <link rel="modulepreload" href="${url}">`);
  // Deferred: fetched alongside the modules, run before them (document order), never blocking the parser.
  const classicScripts = (page.classicScripts ?? []).map((name) => html`<script defer src="${STATICS.url(name)}"></script>\n  `);
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>${page.title}</title>
  <link rel="icon" href="${STATICS.url('images/logo.svg')}" type="image/svg+xml">
  <link rel="stylesheet" href="${STATICS.url('app.css')}">
  ${classicScripts}<script type="module" src="${STATICS.url(page.script)}"></script>${preloads}
</head>
<body${userAttribute}${dataAttributes}>
  <a class="skip-link" href="#${skipTo.id}">${skipTo.label}</a>
  ${header(page)}
  ${page.main}
  <footer class="site-footer">moviedash · self-hosted video</footer>
</body>
</html>
`.value;
}

export function sendPage(ctx: AppContext, status: number, page: Page): void {
  sendHtml(ctx.res, status, renderPage(page), pageHeadersFor(ctx.app.videoDelivery.mediaOrigin));
}
