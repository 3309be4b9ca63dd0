// A video's caption tracks as <track> elements, labelled with the language's English name.
import { languageName } from '../captions/language-tag.js';
import { html, type SafeHtml } from './html.js';

export function captionTracks(videoId: string, languages: readonly string[]): SafeHtml[] {
  return languages.map(
    (lang) => html`<track kind="captions" srclang="${lang}" label="${languageName(lang)}" src="/videos/${videoId}/captions/${lang}">`,
  );
}
