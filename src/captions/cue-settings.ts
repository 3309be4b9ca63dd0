// WebVTT cue settings (`align:start line:90%`): the ones the spec defines with a valid value are kept;
// anything else is dropped, as a WebVTT parser would. Regions are not kept, so `region:` goes too.

const PERCENT = '\\d{1,3}(?:\\.\\d{1,3})?%';
// A Map, not an object: a setting named `constructor` must find nothing.
const RULES = new Map<string, RegExp>([
  ['vertical', /^(?:rl|lr)$/],
  ['line', new RegExp(`^(?:-?\\d{1,4}|${PERCENT})(?:,(?:start|center|end))?$`)],
  ['position', new RegExp(`^${PERCENT}(?:,(?:line-left|center|line-right|auto))?$`)],
  ['size', new RegExp(`^${PERCENT}$`)],
  ['align', /^(?:start|center|end|left|right)$/],
]);

/** Percentages over 100 are invalid (the spec drops them). */
function isWithinPercent(value: string): boolean {
  const percent = /(\d{1,3}(?:\.\d{1,3})?)%/.exec(value);
  return percent === null || Number(percent[1]) <= 100;
}

export function sanitizeCueSettings(text: string): string {
  if (text === '') return '';
  const kept = new Map<string, string>();
  for (const token of text.split(/[ \t]+/)) {
    const colon = token.indexOf(':');
    if (colon <= 0) continue;
    const name = token.slice(0, colon);
    const value = token.slice(colon + 1);
    const rule = RULES.get(name);
    if (rule && rule.test(value) && isWithinPercent(value)) kept.set(name, value);
  }
  return [...kept].map(([name, value]) => `${name}:${value}`).join(' ');
}
