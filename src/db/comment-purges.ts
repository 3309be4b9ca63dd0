// The comment_purges table: the comments of a deleted video, or by a deleted account, that the scheduler
// must still remove in batches. Written in the deleting transaction, removed once the last batch is gone.
import type { Db } from './open.js';

export type CommentPurge = { seq: number; kind: 'video'; videoId: string } | { seq: number; kind: 'author'; authorId: number };

interface PurgeRow {
  seq: number;
  video_id: string | null;
  author_id: number | null;
}

const toPurge = (row: PurgeRow): CommentPurge =>
  row.video_id !== null ? { seq: row.seq, kind: 'video', videoId: row.video_id } : { seq: row.seq, kind: 'author', authorId: row.author_id! };

export function createCommentPurgesTable(db: Db) {
  const queueVideo = db.prepare<[string]>('INSERT INTO comment_purges (video_id) VALUES (?)');
  const queueVideosOfAuthor = db.prepare<[number]>('INSERT INTO comment_purges (video_id) SELECT id FROM video_info WHERE author_id = ?');
  const queueAuthor = db.prepare<[number]>('INSERT INTO comment_purges (author_id) VALUES (?)');
  const after = db.prepare<[number, number], PurgeRow>('SELECT * FROM comment_purges WHERE seq > ? ORDER BY seq LIMIT ?');
  const remove = db.prepare<[number]>('DELETE FROM comment_purges WHERE seq = ?');
  const count = db.prepare<[], number>('SELECT COUNT(*) FROM comment_purges').pluck();

  return {
    queueVideo(videoId: string): void {
      queueVideo.run(videoId);
    },
    /** Every video of the account: call before the account (and so its videos) is deleted. */
    queueVideosOfAuthor(authorId: number): void {
      queueVideosOfAuthor.run(authorId);
    },
    queueAuthor(authorId: number): void {
      queueAuthor.run(authorId);
    },
    /** Up to limit purges in queue order, after the one numbered afterSeq (from the start when 0). */
    after(afterSeq: number, limit: number): CommentPurge[] {
      return after.all(afterSeq, limit).map(toPurge);
    },
    remove(seq: number): void {
      remove.run(seq);
    },
    count(): number {
      return count.get()!;
    },
  };
}

export type CommentPurgesTable = ReturnType<typeof createCommentPurgesTable>;
