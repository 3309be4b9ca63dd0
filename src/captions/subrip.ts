// SubRip (.srt): blocks of a counter line, a timing line (`00:00:01,000 --> 00:00:04,000`, perhaps
// followed by `X1:` coordinates, which are dropped) and text lines, separated by blank lines. Files from
// the wild miss blank lines or counters, so a timing line is what starts a cue. Input: '\n' line ends.
import { invalidAt, LINES_PER_TURN, MAX_CUE_CHARS, MAX_CUES, splitTimingLine, type Cue, type CueParse, type CueParser } from './cue.js';
import { sanitizeCueText } from './cue-text.js';
import { parseSubRipTime } from './timestamps.js';

const COUNTER = /^\d+$/;
const isBlank = (line: string) => line.trim() === '';

/** True when the first block opens like SubRip: a timing line, or a counter and then a timing line. */
export function looksLikeSubRip(text: string): boolean {
  const lines = text.replace(/^\s+/, '').split('\n', 2).map((line) => line.trim());
  const timing = COUNTER.test(lines[0] ?? '') ? lines[1] : lines[0];
  const parts = timing === undefined ? undefined : splitTimingLine(timing);
  return parts !== undefined && parseSubRipTime(parts.start) !== undefined && parseSubRipTime(parts.end) !== undefined;
}

interface OpenCue {
  line: number;
  startMs: number;
  endMs: number;
  lines: string[];
  /** A blank line ended its text: what follows until the next timing is a counter or junk. */
  isClosed: boolean;
}

export function* parseSubRip(text: string): CueParser {
  const lines = text.split('\n');
  const cues: Cue[] = [];
  let current: OpenCue | undefined;
  const finish = (cue: OpenCue): CueParse | undefined => {
    const payload = cue.lines.join('\n');
    if (payload.length > MAX_CUE_CHARS) return invalidAt(cue.line + 1, `a cue's text must be at most ${MAX_CUE_CHARS} characters`);
    if (cues.length === MAX_CUES) return { kind: 'too-many-cues' };
    cues.push({ id: '', startMs: cue.startMs, endMs: cue.endMs, settings: '', text: sanitizeCueText(payload, 'subrip') });
    return undefined;
  };
  for (let at = 0; at < lines.length; at++) {
    if (at % LINES_PER_TURN === LINES_PER_TURN - 1) yield;
    const line = lines[at]!.trim();
    if (line.includes('-->')) {
      const timing = splitTimingLine(line)!;
      const startMs = parseSubRipTime(timing.start);
      const endMs = parseSubRipTime(timing.end);
      if (startMs === undefined || endMs === undefined) return invalidAt(at + 1, 'a cue timing must read like 00:01:02,500 --> 00:01:04,000');
      if (endMs <= startMs) return invalidAt(at + 1, 'the cue ends before it starts');
      if (current) {
        // No blank line before this cue: its counter was taken for the previous cue's last text line.
        if (!current.isClosed && COUNTER.test(current.lines.at(-1) ?? '')) current.lines.pop();
        const failure = finish(current);
        if (failure) return failure;
      }
      current = { line: at + 1, startMs, endMs, lines: [], isClosed: false };
    } else if (isBlank(line)) {
      if (current) current.isClosed = true;
    } else if (current && !current.isClosed) {
      current.lines.push(line);
    }
  }
  const failure = current && finish(current);
  return failure ?? { kind: 'cues', cues };
}
