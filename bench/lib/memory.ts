// A server's memory from /proc: resident set (VmRSS) and its peak (VmHWM), summed over a process tree.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Memory {
  rssMiB: number;
  peakMiB: number;
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

/** The pid and every descendant (nginx's master and its workers). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {
      // The process ended between the two reads.
    }
  }
  return pids;
}

export function readMemory(pids: readonly number[]): Memory {
  let rssMiB = 0;
  let peakMiB = 0;
  for (const pid of pids) {
    rssMiB += statusField(pid, 'VmRSS');
    peakMiB += statusField(pid, 'VmHWM');
  }
  return { rssMiB, peakMiB };
}

/** Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs), so a peak is measured from now on. */
export function resetPeak(pids: readonly number[]): void {
  for (const pid of pids) writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
