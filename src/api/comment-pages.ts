// Comment pages as last sent, kept until any data could have changed: the list is the API's hottest read.
// The database's stamp moves with every write of this process and every commit of another (a worker), so
// a post, a deletion (of a comment, a video, an account) anywhere is seen at once.
import { isSameStamp, type DataStamp } from '../db/data-stamp.js';
import type { CommentJson } from './wire.js';

export interface CommentsPageJson {
  comments: CommentJson[];
  next_cursor: string | null;
}

/** Roughly the characters kept in all pages; the least recently used pages go first beyond it. */
const BUDGET_CHARS = 2 * 1024 * 1024;
/** Per comment, the JSON around its content and author. */
const COMMENT_OVERHEAD_CHARS = 200;

export class CommentPages {
  readonly #pages = new Map<string, { page: CommentsPageJson; chars: number }>();
  #chars = 0;
  #stamp: DataStamp = [-1, -1];

  /** Forgets every page unless the database is as it was at the last call. */
  sync(stamp: DataStamp): void {
    if (isSameStamp(stamp, this.#stamp)) return;
    this.#stamp = stamp;
    this.#pages.clear();
    this.#chars = 0;
  }

  get(key: string): CommentsPageJson | undefined {
    const entry = this.#pages.get(key);
    if (!entry) return undefined;
    this.#pages.delete(key);
    this.#pages.set(key, entry);
    return entry.page;
  }

  set(key: string, page: CommentsPageJson): void {
    let chars = 0;
    for (const comment of page.comments) chars += comment.content.length + comment.author.length + COMMENT_OVERHEAD_CHARS;
    if (this.#pages.has(key) || chars > BUDGET_CHARS) return;
    this.#pages.set(key, { page, chars });
    this.#chars += chars;
    for (const [oldKey, old] of this.#pages) {
      if (this.#chars <= BUDGET_CHARS) return;
      this.#pages.delete(oldKey);
      this.#chars -= old.chars;
    }
  }
}
