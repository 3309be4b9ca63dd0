// BCP 47 language tags (RFC 5646) as caption tracks are named: `en`, `pt-BR`, `zh-Hant-TW`, `sr-Latn`.

/** RFC 5646 4.4.1: implementations should handle tags of at least 35 characters. */
const MAX_TAG_CHARS = 35;

// language (2-3 letters) [-extlang]{0,3} [-script] [-region] [-variant]* [-extension]* [-privateuse]
// Bounded by MAX_TAG_CHARS before it runs, so its backtracking is bounded too.
const LANGUAGE_TAG = new RegExp(
  '^[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\\d{3}))?' +
    '(?:-(?:[a-z\\d]{5,8}|\\d[a-z\\d]{3}))*(?:-[a-wyz\\d](?:-[a-z\\d]{2,8})+)*(?:-x(?:-[a-z\\d]{1,8})+)?$',
  'i',
);

/**
 * The tag in RFC 5646 2.1.1's conventional case (`pt-br` -> `pt-BR`, `ZH-HANT` -> `zh-Hant`), or
 * undefined when it is not a well-formed tag. Tags compare equal case-insensitively, so this is the key.
 */
export function canonicalLanguageTag(text: string): string | undefined {
  if (text.length > MAX_TAG_CHARS || !LANGUAGE_TAG.test(text)) return undefined;
  let isAfterSingleton = false;
  return text
    .split('-')
    .map((subtag, index) => {
      if (subtag.length === 1) isAfterSingleton = true;
      if (index === 0 || isAfterSingleton) return subtag.toLowerCase();
      if (subtag.length === 4 && /^[a-z]+$/i.test(subtag)) return subtag[0]!.toUpperCase() + subtag.slice(1).toLowerCase();
      if (subtag.length === 2) return subtag.toUpperCase();
      return subtag.toLowerCase();
    })
    .join('-');
}

const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** The track's label in the player's menu: `Portuguese (Brazil)`; the tag itself when ICU does not know it. */
export function languageName(tag: string): string {
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
