// WebVTT files (https://www.w3.org/TR/webvtt1/): the signature line, then blocks separated by blank
// lines. A block with a timing line is a cue (an identifier line may come first); NOTE, STYLE, REGION and
// anything else without a timing are skipped, as the spec's parser does. Input: text with '\n' line ends.
import { invalidAt, LINES_PER_TURN, MAX_CUE_CHARS, MAX_CUES, MAX_ID_CHARS, splitTimingLine, type Cue, type CueParser } from './cue.js';
import { sanitizeCueSettings } from './cue-settings.js';
import { sanitizeCueText } from './cue-text.js';
import { parseWebVttTime } from './timestamps.js';

/** `WEBVTT`, alone or followed by a space or tab and anything. */
export const WEBVTT_SIGNATURE = /^WEBVTT(?:[ \t][^\n]*)?(?:\n|$)/;

export function* parseWebVtt(text: string): CueParser {
  const lines = text.split('\n');
  const cues: Cue[] = [];
  let at = 1;
  // The header runs to the first blank line, unless a timing line shows the first cue has begun.
  while (at < lines.length && lines[at] !== '' && !lines[at]!.includes('-->')) at++;
  let pausedAt = at;
  while (at < lines.length) {
    if (at - pausedAt >= LINES_PER_TURN) {
      pausedAt = at;
      yield;
    }
    if (lines[at] === '') {
      at++;
      continue;
    }
    // lines[at] starts a block: the timing is its first or second line.
    let timingAt = at;
    if (!lines[at]!.includes('-->')) timingAt = at + 1 < lines.length && lines[at + 1]!.includes('-->') ? at + 1 : -1;
    if (timingAt === -1) {
      while (at < lines.length && lines[at] !== '') at++;
      continue;
    }
    const timing = splitTimingLine(lines[timingAt]!)!;
    const startMs = parseWebVttTime(timing.start);
    const endMs = parseWebVttTime(timing.end);
    if (startMs === undefined || endMs === undefined) {
      return invalidAt(timingAt + 1, 'a cue timing must read like 00:01:02.500 --> 00:01:04.000');
    }
    if (endMs <= startMs) return invalidAt(timingAt + 1, 'the cue ends before it starts');
    // The payload runs to a blank line, or to a line that is itself the next cue's timing.
    let end = timingAt + 1;
    let payloadChars = 0;
    while (end < lines.length && lines[end] !== '' && !lines[end]!.includes('-->')) {
      payloadChars += lines[end]!.length + 1;
      if (payloadChars > MAX_CUE_CHARS + 1) return invalidAt(timingAt + 2, `a cue's text must be at most ${MAX_CUE_CHARS} characters`);
      end++;
    }
    const payload = lines.slice(timingAt + 1, end).join('\n');
    if (cues.length === MAX_CUES) return { kind: 'too-many-cues' };
    const id = timingAt === at ? '' : lines[at]!.trim().slice(0, MAX_ID_CHARS);
    cues.push({ id, startMs, endMs, settings: sanitizeCueSettings(timing.rest), text: sanitizeCueText(payload, 'webvtt') });
    at = end;
  }
  return { kind: 'cues', cues };
}
