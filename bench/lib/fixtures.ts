// The video-like files every target serves: random bytes behind a valid MP4 `ftyp` box and an `mdat` box
// header covering the rest, so a container sniffer accepts them. Kept in a temp-dir cache between runs.
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MiB = 1024 * 1024;

export interface Fixture {
  name: 'small.mp4' | 'large.mp4';
  path: string;
  size: number;
}

export interface Fixtures {
  dir: string;
  small: Fixture;
  large: Fixture;
}

export const FIXTURE_DIR = join(tmpdir(), 'moviedash-bench-files');

function mp4Header(size: number): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32BE(32, 0);
  header.write('ftypisom', 4, 'latin1');
  header.writeUInt32BE(0x200, 12);
  header.write('isomiso2avc1mp41', 16, 'latin1');
  header.writeUInt32BE(size - 32, 32);
  header.write('mdat', 36, 'latin1');
  return header;
}

function isValid(path: string, size: number): boolean {
  if (!existsSync(path) || statSync(path).size !== size) return false;
  const expected = mp4Header(size);
  const actual = Buffer.alloc(expected.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, actual, 0, actual.length, 0);
  } finally {
    closeSync(fd);
  }
  return actual.equals(expected);
}

function generate(path: string, size: number): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w', 0o644);
  try {
    const header = mp4Header(size);
    writeSync(fd, header);
    const chunk = Buffer.allocUnsafe(8 * MiB);
    for (let written = header.length; written < size; ) {
      const n = Math.min(chunk.length, size - written);
      randomFillSync(chunk, 0, n);
      written += writeSync(fd, chunk, 0, n);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}

export function prepareFixtures(log: (line: string) => void): Fixtures {
  mkdirSync(FIXTURE_DIR, { recursive: true, mode: 0o755 });
  const make = (name: Fixture['name'], size: number): Fixture => {
    const path = join(FIXTURE_DIR, name);
    if (!isValid(path, size)) {
      log(`generating ${name} (${size / MiB} MiB) in ${FIXTURE_DIR}`);
      generate(path, size);
    }
    return { name, path, size };
  };
  return { dir: FIXTURE_DIR, small: make('small.mp4', 64 * MiB), large: make('large.mp4', 1024 * MiB) };
}
