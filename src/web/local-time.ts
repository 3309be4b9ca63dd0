// A <time> that shows the UTC date until the page's script rewrites it in the viewer's locale.
import { displayCtime } from '../api/wire.js';
import { html, type SafeHtml } from './html.js';

export function localTime(ms: number): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${displayCtime(ms)} UTC</time>`;
}
