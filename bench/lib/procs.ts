// Every process the bench starts is tracked here and ended on any exit: normal end, error, Ctrl-C, SIGTERM.
// Each child leads its own process group, so ending the group also ends what it started (nginx's workers).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function describeExit(child: ChildProcess): string {
  if (!hasExited(child)) return `pid ${child.pid} is running`;
  return `pid ${child.pid} has exited with ${child.exitCode ?? child.signalCode}`;
}

/** Sends `signal` to the child's group, then SIGKILL if it has not exited after graceMs. */
export async function stopTracked(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, signal);
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A directory removed when the bench exits, however it exits. */
export function removeOnExit(dir: string): void {
  tempDirs.add(dir);
}

function cleanUpNow(): void {
  for (const child of children) if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function installCleanup(): void {
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every process it started\n`);
      cleanUpNow();
      process.exit(130);
    });
  }
}

/** Runs a command to its end and returns its output; rejects on a non-zero exit. */
export function runCommand(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${stderr.trim() || stdout.trim()}`));
    });
  });
}
