// --profile: moviedash runs under `node --cpu-prof`; this reads the .cpuprofile it writes at exit and lists
// where its CPU time went (self time per function, as a share of the time it was not idle), so a tuning
// round starts from data.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  fn: string;
  where: string;
  selfMs: number;
  percent: number;
}

/** Every .cpuprofile in dir (one per server process: setup, the run, restarts), summed by function. */
export function summarizeProfile(dir: string, top = 25): { files: string[]; busyMs: number; idleMs: number; hotspots: Hotspot[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = frameOf.get(id)!;
      const delta = profile.timeDeltas[i] ?? 0;
      if (frame.functionName === '(idle)') {
        idleUs += delta;
        return;
      }
      const url = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
      const key = `${frame.functionName || '(anonymous)'}\t${url ? `${url}:${frame.lineNumber + 1}` : ''}`;
      selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
      busyUs += delta;
    });
  }
  const hotspots = [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [fn, where] = key.split('\t') as [string, string];
      return { fn, where, selfMs: us / 1000, percent: (100 * us) / busyUs };
    });
  return { files, busyMs: busyUs / 1000, idleMs: idleUs / 1000, hotspots };
}

export function formatHotspots(hotspots: readonly Hotspot[]): string {
  return hotspots
    .map((h) => `${h.percent.toFixed(1).padStart(5)}%  ${h.selfMs.toFixed(0).padStart(7)} ms  ${h.fn.slice(0, 40).padEnd(40)}  ${h.where}`)
    .join('\n');
}
