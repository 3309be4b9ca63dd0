// Cue text reduced to WebVTT's own markup: <c>, <i>, <b>, <u>, <ruby>, <rt>, <v>, <lang> and timestamp
// tags, with classes. Anything else (SubRip's <font>, HTML, ASS override codes like {\an8}) is dropped and
// its text kept. One pass over the text; every search for a `>` or `}` starts where the last one ended.
import { canonicalLanguageTag } from './language-tag.js';
import { formatWebVttTime, parseWebVttTime } from './timestamps.js';

export type Dialect = 'webvtt' | 'subrip';

const TAGS = new Set(['c', 'i', 'b', 'u', 'ruby', 'rt', 'v', 'lang']);
const MAX_DEPTH = 8;
const MAX_CLASSES = 8;
const CLASS_NAME = /^[A-Za-z0-9_-]{1,32}$/;
// A character reference WebVTT decodes (`&amp;`, `&#233;`, `&#xE9;`); any other `&` is a literal ampersand.
const REFERENCE = /&(?:[A-Za-z][A-Za-z0-9]{0,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});/y;
const WHITESPACE = /[ \t\n\f]+/;

/** Positions of the next `char` at or after a point, for a cursor that only moves forward. */
function forwardFinder(text: string, char: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = text.indexOf(char, from);
    return found;
  };
}

/** Escapes text for a cue: `<`, `&` unless it starts a reference, and `>` (so no `-->` can end up in a cue). */
function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '&') {
      REFERENCE.lastIndex = i;
      const reference = REFERENCE.exec(text);
      if (reference) {
        out += reference[0];
        i += reference[0].length - 1;
      } else {
        out += '&amp;';
      }
    } else if (char === '<') {
      out += '&lt;';
    } else if (char === '>') {
      out += '&gt;';
    } else {
      out += char;
    }
  }
  return out;
}

/** SubRip files from Aegisub and friends carry `{\an8}`-style override codes: remove each whole. */
function withoutOverrideCodes(text: string): string {
  if (!text.includes('{\\')) return text;
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('{\\', at);
    const close = open === -1 ? -1 : text.indexOf('}', open + 2);
    if (close === -1) return out + text.slice(at);
    out += text.slice(at, open);
    at = close + 1;
  }
}

class CueMarkup {
  out = '';
  readonly open: string[] = [];

  constructor(readonly dialect: Dialect) {}

  /** `tag` is what stood between `<` and `>`. */
  tag(tag: string): void {
    if (tag.startsWith('/')) this.endTag(tag.slice(1).trim());
    else if (/^\d/.test(tag)) this.timestampTag(tag);
    else this.startTag(tag);
  }

  private name(raw: string): string {
    return this.dialect === 'subrip' ? raw.toLowerCase() : raw;
  }

  private startTag(tag: string): void {
    const [head = '', ...annotationWords] = tag.split(WHITESPACE);
    const [rawName = '', ...classes] = head.split('.');
    const name = this.name(rawName);
    if (!TAGS.has(name) || this.open.length >= MAX_DEPTH) return;
    // <rt> is only meaningful directly inside <ruby>.
    if (name === 'rt' && this.open.at(-1) !== 'ruby') return;
    const annotation = annotationWords.join(' ').trim();
    let suffix = '';
    if (name === 'v' && annotation !== '') suffix = ` ${escapeText(annotation)}`;
    if (name === 'lang') {
      const language = canonicalLanguageTag(annotation);
      if (language === undefined) return;
      suffix = ` ${language}`;
    }
    const keptClasses = classes.filter((className) => CLASS_NAME.test(className)).slice(0, MAX_CLASSES);
    this.out += `<${[name, ...keptClasses].join('.')}${suffix}>`;
    this.open.push(name);
  }

  /** Closes the nearest open tag of that name and every tag opened inside it; a stray end tag is dropped. */
  private endTag(rawName: string): void {
    const index = this.open.lastIndexOf(this.name(rawName));
    if (index === -1) return;
    while (this.open.length > index) this.out += `</${this.open.pop()}>`;
  }

  private timestampTag(tag: string): void {
    if (this.dialect !== 'webvtt') return;
    const ms = parseWebVttTime(tag);
    if (ms !== undefined) this.out += `<${formatWebVttTime(ms)}>`;
  }

  text(text: string): void {
    this.out += escapeText(text);
  }

  finish(): string {
    while (this.open.length > 0) this.out += `</${this.open.pop()}>`;
    return this.out;
  }
}

/**
 * A cue's payload as safe WebVTT cue text. In WebVTT every `<` opens a tag (a literal one is `&lt;`);
 * SubRip has no such rule, so there a `<` that does not start a tag (`a < b`) stays text.
 */
export function sanitizeCueText(payload: string, dialect: Dialect): string {
  if (!/[<>&{]/.test(payload)) return withoutBlankLines(payload);
  const source = dialect === 'subrip' ? withoutOverrideCodes(payload) : payload;
  const nextClose = forwardFinder(source, '>');
  const nextOpen = forwardFinder(source, '<');
  const markup = new CueMarkup(dialect);
  // SubRip: a `<` starts a tag only when a letter or `/` follows and a `>` comes before any other `<`.
  const isSubRipTag = (open: number, close: number): boolean => {
    const following = nextOpen(open + 1);
    return close !== -1 && /^[A-Za-z/]/.test(source[open + 1] ?? '') && (following === -1 || following > close);
  };
  let at = 0;
  while (at < source.length) {
    const open = nextOpen(at);
    if (open === -1) {
      markup.text(source.slice(at));
      break;
    }
    markup.text(source.slice(at, open));
    const close = nextClose(open + 1);
    if (dialect === 'webvtt') {
      // Everything up to the next `>` is the tag; an unterminated one runs to the end and is dropped.
      if (close === -1) break;
      markup.tag(source.slice(open + 1, close));
      at = close + 1;
    } else if (isSubRipTag(open, close)) {
      markup.tag(source.slice(open + 1, close));
      at = close + 1;
    } else {
      markup.text('<');
      at = open + 1;
    }
  }
  return withoutBlankLines(markup.finish());
}

/** A blank line would end the cue in WebVTT; trailing spaces are invisible. */
function withoutBlankLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}
