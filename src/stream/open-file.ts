// A file under VIDEO_DIR as a plain descriptor with its size and mtime. Plain fs callbacks, not FileHandle:
// streams read it at positions they choose, and one descriptor may serve many streams at once.
import { close, fstat, open, read } from 'node:fs';

export interface StatFile {
  fd: number;
  size: number;
  mtimeMs: number;
}

/** An open file a reply may read until it calls release(), once. */
export interface OpenFile extends StatFile {
  /** The file's first bytes, when they are kept in memory (never changed: shared by every reply). */
  head?: Buffer;
  release(): void;
}

/** The file and its fstat (not a second lookup by name), or undefined when no regular file is at path. */
export function openAndStat(path: string): Promise<StatFile | undefined> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (openError, fd) => {
      if (openError) {
        if (openError.code === 'ENOENT') resolve(undefined);
        else reject(openError);
        return;
      }
      fstat(fd, (statError, stat) => {
        if (statError || !stat.isFile()) closeQuietly(fd);
        if (statError) reject(statError);
        else resolve(stat.isFile() ? { fd, size: stat.size, mtimeMs: stat.mtimeMs } : undefined);
      });
    });
  });
}

/** The file at path for one reply, closed on release (posters: small, and replaced now and then). */
export async function openFile(path: string): Promise<OpenFile | undefined> {
  const file = await openAndStat(path);
  if (!file) return undefined;
  let isOpen = true;
  return {
    ...file,
    release: () => {
      if (!isOpen) return;
      isOpen = false;
      closeQuietly(file.fd);
    },
  };
}

export function closeQuietly(fd: number): void {
  // Nothing was written through a read-only descriptor, so a failed close loses nothing.
  close(fd, () => {});
}

/** The file's first bytes (all of it when it is shorter than bytes), in a buffer of their own. */
export async function readHead(file: StatFile, bytes: number): Promise<Buffer> {
  const head = Buffer.allocUnsafeSlow(Math.min(bytes, file.size));
  for (let got = 0; got < head.length; ) {
    const bytesRead = await readAt(file.fd, head.subarray(got), head.length - got, got);
    if (bytesRead === 0) throw new Error(`The file ended at byte ${got}, before the ${file.size} its size promised`);
    got += bytesRead;
  }
  return head;
}

/** Reads up to length bytes at position into buffer[0..]; resolves with how many came (0 at the end of the file). */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}
