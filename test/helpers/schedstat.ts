// What the kernel says of a process's main thread (Linux /proc/PID/schedstat): nanoseconds on a CPU, and
// nanoseconds runnable but waiting for one. On a machine shared by many test runs, wall time alone says as
// much about the neighbours as about our code; these two let the time checks tell the two apart.
import { readFileSync } from 'node:fs';

export interface ThreadTimes {
  /** Milliseconds the thread ran. */
  cpuMs: number;
  /** Milliseconds the thread was ready to run but had no CPU. */
  waitMs: number;
}

/** The main thread's times, or undefined where /proc/PID/schedstat does not exist (then wall time is all there is). */
export function threadTimes(pid: number = process.pid): ThreadTimes | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ');
    return { cpuMs: Number(cpu) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return undefined;
  }
}
