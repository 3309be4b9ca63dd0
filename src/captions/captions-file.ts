// An uploaded caption file, WebVTT or SubRip, read into cues and written out again as clean WebVTT:
// validated timings, at most MAX_CUES cues, only WebVTT's own markup, cues in start-time order.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LINES_PER_TURN, MAX_CUES, type Cue, type CueParse, type CueParser } from './cue.js';
import { parseSubRip, looksLikeSubRip } from './subrip.js';
import { formatWebVttTime } from './timestamps.js';
import { parseWebVtt, WEBVTT_SIGNATURE } from './webvtt.js';

export type CaptionsFile =
  | { kind: 'captions'; vtt: string; cueCount: number }
  /** Neither WebVTT nor SubRip: 415. */
  | { kind: 'unknown-format' }
  /** reason names the line: 400. */
  | { kind: 'invalid'; reason: string }
  | { kind: 'too-many-cues'; max: number };

// Windows-1252's 0x80-0x9F (Node's TextDecoder decodes 'windows-1252' as Latin-1, leaving C1 controls).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const WINDOWS_1252 = Uint16Array.from({ length: 256 }, (_, byte) => (byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH.charCodeAt(byte - 0x80) : byte));

/** Byte by byte through a table: a regex replace calling back per C1 byte held the event loop ~350 ms on 1 MiB of them. */
function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let at = 0; at < bytes.length; at++) units[at] = WINDOWS_1252[bytes[at]!]!;
  return utf16ToString(units, units.length);
}

function utf16ToString(units: Uint16Array, length: number): string {
  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le');
}

/**
 * WebVTT is UTF-8; SubRip files are often UTF-16 (with a byte order mark) or Windows-1252 from older
 * tools. A BOM decides; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252.
 */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0;
const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * WebVTT's preprocessing: CRLF and CR become LF, NUL becomes U+FFFD. (TextDecoder already dropped the BOM.)
 * One pass over the text: regex replaces of a million lone CRs or NULs held the event loop 200-300 ms.
 */
function normalize(text: string): string {
  if (!text.includes('\r') && !text.includes('\0')) return text;
  const units = new Uint16Array(text.length);
  let length = 0;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    if (unit === CR) {
      units[length++] = LF;
      if (text.charCodeAt(at + 1) === LF) at++;
    } else {
      units[length++] = unit === NUL ? REPLACEMENT_CHARACTER : unit;
    }
  }
  return utf16ToString(units, length);
}

function cueBlock(cue: Cue): string {
  const timing = `${formatWebVttTime(cue.startMs)} --> ${formatWebVttTime(cue.endMs)}${cue.settings ? ` ${cue.settings}` : ''}`;
  return [cue.id, timing, cue.text].filter((line) => line !== '').join('\n');
}

/** Cues in the order given, as a WebVTT file; a turn of the event loop goes to others every LINES_PER_TURN cues. */
export async function renderWebVtt(cues: readonly Cue[]): Promise<string> {
  const blocks = ['WEBVTT'];
  for (const cue of cues) {
    blocks.push(cueBlock(cue));
    if (blocks.length % LINES_PER_TURN === 0) await nextTurn();
  }
  return blocks.join('\n\n') + '\n';
}

/** Runs a parser, letting other requests in whenever it pauses: a 1 MiB file never holds the event loop long. */
async function runParser(parser: CueParser): Promise<CueParse> {
  for (;;) {
    const step = parser.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** Decoding, parsing and writing each take their own turns of the event loop: other requests go between. */
export async function readCaptionsFile(bytes: Uint8Array): Promise<CaptionsFile> {
  const text = normalize(decode(bytes));
  await nextTurn();
  let parser;
  if (WEBVTT_SIGNATURE.test(text)) parser = parseWebVtt(text);
  else if (looksLikeSubRip(text)) parser = parseSubRip(text);
  else return { kind: 'unknown-format' };
  const parsed = await runParser(parser);
  if (parsed.kind === 'too-many-cues') return { kind: 'too-many-cues', max: MAX_CUES };
  if (parsed.kind === 'invalid') return parsed;
  if (parsed.cues.length === 0) return { kind: 'invalid', reason: 'no cue found' };
  // WebVTT wants cues in start-time order; the sort is stable, so cues starting together keep theirs.
  const cues = parsed.cues.sort((a, b) => a.startMs - b.startMs);
  return { kind: 'captions', vtt: await renderWebVtt(cues), cueCount: cues.length };
}
