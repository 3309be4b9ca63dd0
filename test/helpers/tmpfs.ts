// A small real filesystem that can fill up: a tmpfs mounted for one describe block (root only, as in CI),
// and a filler file that takes all of its space but what a test leaves free.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

export interface SuiteTmpfs {
  mountPoint: string;
  /** Why no tmpfs could be mounted here (the tests skip with it), once the suite's before hook has run. */
  cannotMount(): string | undefined;
}

/** Mounts a tmpfs of sizeMb before the suite's tests and unmounts it after them. */
export function tmpfsForSuite(sizeMb: number): SuiteTmpfs {
  const mountPoint = mkdtempSync(join(tmpdir(), 'moviedash-tmpfs-'));
  let cannotMount: string | undefined;
  before(() => {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mounted.status !== 0) cannotMount = `cannot mount a tmpfs here (needs root): ${(mounted.stderr || mounted.error?.message || '').trim()}`;
  });
  after(() => {
    if (!cannotMount) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  return { mountPoint, cannotMount: () => cannotMount };
}

/** Writes a file into dir until the disk is full, then gives back `leaveFree` bytes; returns its path. */
export function fillDisk(dir: string, leaveFree = 0): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  if (leaveFree > 0) spawnSync('truncate', ['-s', String(Math.max(0, written - leaveFree)), path]);
  return path;
}
