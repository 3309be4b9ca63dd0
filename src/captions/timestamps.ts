// Cue times as whole milliseconds: WebVTT's `[hh:]mm:ss.ttt` and SubRip's `hh:mm:ss,ttt`.

/** Longer than any film: a later time is a typo, or a way to make a player misbehave. */
export const MAX_CUE_MS = 100 * 3_600_000 - 1;

// WebVTT: hours are optional and have two or more digits; minutes and seconds 00-59; exactly 3 fraction digits.
const WEBVTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
// SubRip writers vary: one- or two-digit fields, `.` for `,`, fewer fraction digits (`,5` is half a second).
const SUBRIP_TIME = /^(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})$/;

function toMs(hours: string | undefined, minutes: string, seconds: string, fraction: string): number | undefined {
  const m = Number(minutes);
  const s = Number(seconds);
  if (m > 59 || s > 59) return undefined;
  const ms = ((Number(hours ?? '0') * 60 + m) * 60 + s) * 1000 + Number(fraction.padEnd(3, '0'));
  return ms <= MAX_CUE_MS ? ms : undefined;
}

export function parseWebVttTime(text: string): number | undefined {
  const match = WEBVTT_TIME.exec(text);
  return match ? toMs(match[1], match[2]!, match[3]!, match[4]!) : undefined;
}

export function parseSubRipTime(text: string): number | undefined {
  const match = SUBRIP_TIME.exec(text);
  return match ? toMs(match[1], match[2]!, match[3]!, match[4]!) : undefined;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Always with hours: `01:02:03.004`. */
export function formatWebVttTime(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(ms % 1000, 3)}`;
}
