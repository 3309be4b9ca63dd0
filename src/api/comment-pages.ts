// Comment pages as last sent, kept until any data could have changed: the list is the API's hottest read.
// The database's stamp moves with every write of this process and every commit of another (a worker), so
// a post, a deletion (of a comment, a video, an account) here is seen at once, and elsewhere from the next turn
// of the event loop on (see data-stamp.ts).
import { isSameStamp, type DataStamp } from '../db/data-stamp.js';
import type { CommentJson } from './wire.js';

export interface CommentsPageJson {
  comments: CommentJson[];
  next_cursor: string | null;
}

/** Pages kept at most: a scan of made-up cursors (`k1:<n>`) on one video adds empty pages, each an entry. */
export const MAX_PAGES = 4096;
/** Roughly the bytes kept in all pages; the least recently used pages go first beyond either bound. */
export const BUDGET_BYTES = 2 * 1024 * 1024;
/** What any page costs besides its comments (its key, the Map entry, the page object): never 0. */
const PAGE_OVERHEAD_BYTES = 256;
/** Per comment, the JSON around its content and author. */
const COMMENT_OVERHEAD_BYTES = 200;

export class CommentPages {
  readonly #pages = new Map<string, { page: CommentsPageJson; bytes: number }>();
  #bytes = 0;
  #stamp: DataStamp = [-1, -1];

  /** Pages kept now. */
  get size(): number {
    return this.#pages.size;
  }

  /** Estimated bytes of the pages kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Forgets every page unless the database is as it was at the last call. */
  sync(stamp: DataStamp): void {
    if (isSameStamp(stamp, this.#stamp)) return;
    this.#stamp = stamp;
    this.#pages.clear();
    this.#bytes = 0;
  }

  get(key: string): CommentsPageJson | undefined {
    const entry = this.#pages.get(key);
    if (!entry) return undefined;
    // A Map iterates in insertion order: moving a page to the end keeps the least recently used first.
    this.#pages.delete(key);
    this.#pages.set(key, entry);
    return entry.page;
  }

  set(key: string, page: CommentsPageJson): void {
    let bytes = PAGE_OVERHEAD_BYTES + key.length;
    for (const comment of page.comments) bytes += comment.content.length + comment.author.length + COMMENT_OVERHEAD_BYTES;
    if (this.#pages.has(key) || bytes > BUDGET_BYTES) return;
    this.#pages.set(key, { page, bytes });
    this.#bytes += bytes;
    if (this.#bytes > BUDGET_BYTES || this.#pages.size > MAX_PAGES) this.#evict();
  }

  /**
   * Drops the least recently used pages down to 7/8 of both bounds. In bulk: a walk from a Map's start skips
   * the holes its deletions left there, so evicting one page per set would walk them again on every set.
   */
  #evict(): void {
    for (const [key, entry] of this.#pages) {
      if (this.#bytes <= (BUDGET_BYTES / 8) * 7 && this.#pages.size <= (MAX_PAGES / 8) * 7) return;
      this.#pages.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}
