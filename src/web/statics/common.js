// Shared by the pages' scripts: building elements (text only, never innerHTML), dates, sizes,
// durations and copying links.

/** el('p', { class: 'x', text: name }, child…): strings become text nodes, never markup. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** The signed-in user's name, rendered by the server into <body data-user>. */
export const currentUser = () => document.body.dataset.user;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export const formatDate = (iso) => dateFormat.format(new Date(iso));

export function formatRelative(iso) {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** A <time datetime> element showing the date in the viewer's locale. */
export function timeElement(iso, relative = false) {
  return el('time', { datetime: iso, title: formatDate(iso), text: relative ? formatRelative(iso) : formatDate(iso) });
}

/** Server-rendered dates are UTC; show them in the viewer's locale and time zone. */
export function localizeTimes(root = document) {
  for (const time of root.querySelectorAll('time[datetime]')) time.textContent = formatDate(time.dateTime);
}

/** 247 -> `4:07`, 3725 -> `1:02:05`: the length on a poster card. */
export function formatDuration(seconds) {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** `pt-BR` -> `Brazilian Portuguese`, as the server labels caption tracks; the tag when unknown. */
export function languageName(tag) {
  try {
    return languageNames.of(tag);
  } catch {
    return tag;
  }
}

export function formatBytes(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Clipboard API where allowed (https, localhost); a selected textarea and execCommand elsewhere. */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied (no focus or permission): fall through to the old way.
    }
  }
  const area = el('textarea', { class: 'offscreen', readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  const isCopied = document.execCommand('copy');
  area.remove();
  return isCopied;
}

/** Copies url and says how it went, in words for the person. */
export async function copyLink(url) {
  return (await copyText(url)) ? 'Link copied' : `Copy this link: ${url}`;
}
