// Video files kept open between requests: a player's many small range requests then cost no open, fstat and
// close each (three thread-pool round trips). Files under VIDEO_DIR never change after upload, so the size and
// mtime read when a file was opened stay true while it is cached. Should a cached file change after all
// (unlinked, replaced, touched), a watch on it drops it from the cache; the scheduler's removal drops it too.
// A file dropped while streams read it stays open until the last of them lets go.
import { watch, type FSWatcher } from 'node:fs';
import { closeQuietly, openAndStat, readHead, type OpenFile, type StatFile } from './open-file.js';
import { videoValidators, type FileValidators } from './preconditions.js';

/**
 * A cached file's first bytes are kept in memory: every player starts there (Safari asks for bytes 0-1,
 * others for bytes=0- or a first block), and a reply from memory needs no read at all.
 */
const HEAD_BYTES = 64 * 1024;

type CachedFile = StatFile & { head: Buffer; validators: FileValidators };

/** A video file held open, with its first bytes and its validators (made once per file, not per request). */
export type KeptFile = OpenFile & CachedFile;

interface Entry {
  path: string;
  /** The file once open; undefined when there is none at path. */
  ready: Promise<CachedFile | undefined>;
  /** The same file once ready resolved: a cached file is then handed out without waiting a tick. */
  file: CachedFile | undefined;
  readers: number;
  /** Out of the cache (evicted, changed, removed): closes when its last reader lets go. */
  dropped: boolean;
  /** The cache's clock when a reader last asked for it: the least recently used goes first. */
  usedAt: number;
  watcher: FSWatcher | undefined;
}

export class FileCache {
  readonly #entries = new Map<string, Entry>();
  #clock = 0;

  /** capacity: files kept open when no stream reads them (streams may hold more). */
  constructor(readonly capacity: number) {}

  /** The file at path, open until release() (undefined when there is no file): from the cache or opened now. */
  async open(path: string): Promise<KeptFile | undefined> {
    const entry = this.#touch(path) ?? this.#add(path);
    entry.readers++;
    let file: CachedFile | undefined;
    try {
      file = await entry.ready;
    } finally {
      if (!file) this.#letGo(entry);
    }
    return file && this.#hold(entry, file);
  }

  /** The file at path if the cache holds it open already (else undefined: call open), without waiting. */
  kept(path: string): KeptFile | undefined {
    const entry = this.#entries.get(path);
    if (!entry?.file) return undefined;
    entry.usedAt = ++this.#clock;
    entry.readers++;
    return this.#hold(entry, entry.file);
  }

  /** Drops path from the cache: a reader that asks next opens the file anew. */
  forget(path: string): void {
    const entry = this.#entries.get(path);
    if (entry) this.#drop(entry);
  }

  /** Drops everything (at shutdown); files in use close when their streams end. */
  clear(): void {
    for (const entry of [...this.#entries.values()]) this.#drop(entry);
  }

  /** How many files the cache holds (open or opening). */
  get size(): number {
    return this.#entries.size;
  }

  #hold(entry: Entry, file: CachedFile): KeptFile {
    return new Hold(file, entry, this.#letGoOf);
  }

  // A clock reading rather than Map order (delete and set again) for recency: a hit then changes no Map, whose
  // table a delete-and-set on every request kept growing and copying.
  #touch(path: string): Entry | undefined {
    const entry = this.#entries.get(path);
    if (entry) entry.usedAt = ++this.#clock;
    return entry;
  }

  #add(path: string): Entry {
    const entry: Entry = { path, ready: Promise.resolve(undefined), file: undefined, readers: 0, dropped: false, usedAt: ++this.#clock, watcher: undefined };
    // Watch before opening, so a change after the open is never missed.
    try {
      entry.watcher = watch(path, { persistent: false }, () => this.#drop(entry));
      entry.watcher.on('error', () => this.#drop(entry));
    } catch {
      // No file to watch (it is opened anyway, to tell "gone" from other errors) or no watch left:
      // this reader gets the file uncached.
      entry.dropped = true;
    }
    entry.ready = openWithHead(path).then((file) => {
      if (!file) this.#drop(entry);
      else if (!entry.dropped) entry.file = file;
      return file;
    }, (error: unknown) => {
      this.#drop(entry);
      throw error;
    });
    if (!entry.dropped) {
      this.#entries.set(path, entry);
      this.#evictOverCapacity();
    }
    return entry;
  }

  #evictOverCapacity(): void {
    while (this.#entries.size > this.capacity) {
      let oldest: Entry | undefined;
      for (const entry of this.#entries.values()) if (!oldest || entry.usedAt < oldest.usedAt) oldest = entry;
      this.#drop(oldest!);
    }
  }

  #drop(entry: Entry): void {
    if (this.#entries.get(entry.path) === entry) this.#entries.delete(entry.path);
    entry.watcher?.close();
    entry.watcher = undefined;
    const wasDropped = entry.dropped;
    entry.dropped = true;
    if (!wasDropped && entry.readers === 0) void this.#close(entry);
  }

  readonly #letGoOf = (entry: Entry): void => this.#letGo(entry);

  #letGo(entry: Entry): void {
    entry.readers--;
    if (entry.dropped && entry.readers === 0) void this.#close(entry);
  }

  async #close(entry: Entry): Promise<void> {
    const file = await entry.ready.catch(() => undefined);
    if (file) closeQuietly(file.fd);
  }
}

/** One reader's hold on a kept file: release() lets go once, however often it is called. */
class Hold implements KeptFile {
  readonly fd: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly head: Buffer;
  readonly validators: FileValidators;
  #entry: Entry | undefined;
  readonly #letGo: (entry: Entry) => void;

  constructor(file: CachedFile, entry: Entry, letGo: (entry: Entry) => void) {
    this.fd = file.fd;
    this.size = file.size;
    this.mtimeMs = file.mtimeMs;
    this.head = file.head;
    this.validators = file.validators;
    this.#entry = entry;
    this.#letGo = letGo;
  }

  release(): void {
    const entry = this.#entry;
    this.#entry = undefined;
    if (entry) this.#letGo(entry);
  }
}

async function openWithHead(path: string): Promise<CachedFile | undefined> {
  const file = await openAndStat(path);
  if (!file) return undefined;
  try {
    return { ...file, head: await readHead(file, HEAD_BYTES), validators: videoValidators(file) };
  } catch (error) {
    closeQuietly(file.fd);
    throw error;
  }
}
