// A video's length as players show it. statics/common.js formats the lists the pages build the same way.

/** 247 -> `4:07`, 3725 -> `1:02:05`. */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60) % 60;
  const secondsPart = String(total % 60).padStart(2, '0');
  return total >= 3600 ? `${Math.floor(total / 3600)}:${String(minutes).padStart(2, '0')}:${secondsPart}` : `${minutes}:${secondsPart}`;
}
