// The comments table.
import type { Db } from './open.js';
import { FIRST_PAGE_SEQ, toPage, type Page } from './cursor.js';

export interface Comment {
  seq: number;
  id: string;
  videoId: string;
  authorId: number;
  author: string;
  content: string;
  createdAt: number;
}

interface CommentRow {
  seq: number;
  id: string;
  video_id: string;
  author_id: number;
  author: string;
  content: string;
  created_at: number;
}

/** [rows this connection has written since it opened, PRAGMA data_version]: see dataStamp(). */
export type DataStamp = [changes: number, version: number];

type PageRow = [seq: number, id: string, authorId: number, author: string, content: string, createdAt: number];

const toComment = (row: CommentRow): Comment => ({
  seq: row.seq,
  id: row.id,
  videoId: row.video_id,
  authorId: row.author_id,
  author: row.author,
  content: row.content,
  createdAt: row.created_at,
});

const SELECT = `SELECT c.seq, c.id, c.video_id, c.author_id, u.user_name AS author, c.content, c.created_at
                  FROM comments c JOIN users u ON u.id = c.author_id`;

export function createCommentsTable(db: Db) {
  // Comments have no foreign keys (see migrate.ts): the insert itself checks that the video and the author
  // exist, in the same statement, so no comment can be added to a video or by an account once it is deleted.
  const insert = db.prepare<{ id: string; videoId: string; authorId: number; content: string; now: number }>(
    `INSERT INTO comments (id, video_id, author_id, content, created_at)
     SELECT @id, @videoId, @authorId, @content, @now
      WHERE EXISTS (SELECT 1 FROM video_info WHERE id = @videoId) AND EXISTS (SELECT 1 FROM users WHERE id = @authorId)`,
  );
  const byId = db.prepare<[string], CommentRow>(`${SELECT} WHERE c.id = ?`);
  // Rows as arrays (raw), without the video id the caller already has: better-sqlite3 makes an array per
  // row far faster than an object with named keys, and the list is the hottest query of the API.
  const pageByVideo = db
    .prepare<[string, number, number], PageRow>(
      `SELECT c.seq, c.id, c.author_id, u.user_name, c.content, c.created_at
         FROM video_info v JOIN comments c ON c.video_id = v.id JOIN users u ON u.id = c.author_id
        WHERE v.id = ? AND c.seq < ? ORDER BY c.seq DESC LIMIT ?`,
    )
    .raw();
  const remove = db.prepare<[string]>('DELETE FROM comments WHERE id = ?');
  // One batch of a purge; the NOT EXISTS guards keep a purge from ever touching a live video's or user's comments.
  const removeBatchOfVideo = db.prepare<{ videoId: string; limit: number }>(
    `DELETE FROM comments WHERE seq IN (
       SELECT seq FROM comments WHERE video_id = @videoId AND NOT EXISTS (SELECT 1 FROM video_info WHERE id = @videoId) LIMIT @limit)`,
  );
  const removeBatchByAuthor = db.prepare<{ authorId: number; limit: number }>(
    `DELETE FROM comments WHERE seq IN (
       SELECT seq FROM comments WHERE author_id = @authorId AND NOT EXISTS (SELECT 1 FROM users WHERE id = @authorId) LIMIT @limit)`,
  );
  const dataStamp = db.prepare<[], DataStamp>('SELECT total_changes(), data_version FROM pragma_data_version').raw();

  return {
    /** Undefined when the video or the author no longer exists (deleted meanwhile). */
    insert(id: string, videoId: string, authorId: number, content: string, now: number): Comment | undefined {
      if (insert.run({ id, videoId, authorId, content, now }).changes === 0) return undefined;
      return toComment(byId.get(id)!);
    },
    byId(id: string): Comment | undefined {
      const row = byId.get(id);
      return row && toComment(row);
    },
    pageByVideo(videoId: string, beforeSeq: number | undefined, limit: number): Page<Comment> {
      const rows = pageByVideo.all(videoId, beforeSeq ?? FIRST_PAGE_SEQ, limit + 1) as unknown as PageRow[];
      return toPage(rows.map(([seq, id, authorId, author, content, createdAt]) => ({ seq, id, videoId, authorId, author, content, createdAt })), limit);
    },
    remove(id: string): void {
      remove.run(id);
    },
    /** Removes up to limit comments of a deleted video; returns how many (fewer than limit: none are left). */
    removeBatchOfVideo(videoId: string, limit: number): number {
      return removeBatchOfVideo.run({ videoId, limit }).changes;
    },
    /** Removes up to limit comments by a deleted account; returns how many. */
    removeBatchByAuthor(authorId: number, limit: number): number {
      return removeBatchByAuthor.run({ authorId, limit }).changes;
    },
    /**
     * Changes whenever any data could have: total_changes() counts this connection's writes (cascades come
     * with a write of their own), data_version moves when another connection (another worker) commits.
     */
    dataStamp(): DataStamp {
      return dataStamp.get() as unknown as DataStamp;
    },
  };
}

export type CommentsTable = ReturnType<typeof createCommentsTable>;
