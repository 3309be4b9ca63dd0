// A caption cue as both formats parse it, and the limits every caption file is held to.

export interface Cue {
  /** WebVTT's optional cue identifier; SubRip's counters are not kept (cues are renumbered by order). */
  id: string;
  startMs: number;
  endMs: number;
  /** WebVTT cue settings that passed validation, space-separated; '' for none. */
  settings: string;
  /** Cue text already reduced to WebVTT's own markup, lines joined by '\n', no blank line. */
  text: string;
}

/** More cues than a three-hour film with dense dialogue has (about 3000). */
export const MAX_CUES = 10_000;
/** A cue is a line or two on screen; this leaves room for markup. */
export const MAX_CUE_CHARS = 2000;
/** A cue identifier is a short label. */
export const MAX_ID_CHARS = 256;

export type CueParse =
  | { kind: 'cues'; cues: Cue[] }
  /** reason names the line: `line 12: the cue ends before it starts`. */
  | { kind: 'invalid'; reason: string }
  | { kind: 'too-many-cues' };

/** Parsers yield every this many lines (the writer every this many cues), so others get turns of the event loop. */
export const LINES_PER_TURN = 256;

/** A parse that pauses (yields) now and then; run it with readCaptionsFile's loop. */
export type CueParser = Generator<void, CueParse, void>;

export const invalidAt = (line: number, problem: string): CueParse => ({ kind: 'invalid', reason: `line ${line}: ${problem}` });

/** The two times of a timing line and what follows them; the format's own parser reads each time. */
export interface TimingLine {
  start: string;
  end: string;
  rest: string;
}

/** `00:01.000 --> 00:02.000 align:start`: split at the first `-->`, the end time is the next word. */
export function splitTimingLine(line: string): TimingLine | undefined {
  const arrow = line.indexOf('-->');
  if (arrow === -1) return undefined;
  const start = line.slice(0, arrow).trim();
  const after = line.slice(arrow + 3).replace(/^[ \t]+/, '');
  const space = after.search(/[ \t]/);
  const end = space === -1 ? after : after.slice(0, space);
  return { start, end, rest: space === -1 ? '' : after.slice(space + 1) };
}
