// The video_del_rec table: one row per video whose files the scheduler must still remove.
import type { Db } from './open.js';

export interface DeletionRecord {
  videoId: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

interface DeletionRow {
  video_id: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/** Where the previous page of due records ended: records are ordered by (nextAttemptAt, videoId). */
export type DueKey = Pick<DeletionRecord, 'nextAttemptAt' | 'videoId'>;

const MAX_ERROR_CHARS = 500;

const toRecord = (row: DeletionRow): DeletionRecord => ({
  videoId: row.video_id,
  createdAt: row.created_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
});

export function createVideoDeletionsTable(db: Db) {
  // Queueing a video again (API delete, then the operator endpoint) keeps one record, with its attempts
  // and last error, and makes it due at once: the operator has presumably fixed the cause.
  const queue = db.prepare<[string, number, number]>(
    `INSERT INTO video_del_rec (video_id, created_at, next_attempt_at) VALUES (?, ?, ?)
     ON CONFLICT (video_id) DO UPDATE SET next_attempt_at = MIN(next_attempt_at, excluded.next_attempt_at)`,
  );
  const queueByAuthor = db.prepare<{ now: number; authorId: number }>(
    `INSERT OR IGNORE INTO video_del_rec (video_id, created_at, next_attempt_at)
     SELECT id, @now, @now FROM video_info WHERE author_id = @authorId`,
  );
  const byVideoId = db.prepare<[string], DeletionRow>('SELECT * FROM video_del_rec WHERE video_id = ?');
  // Keyset paging over the (next_attempt_at, video_id) index: each page starts after the last one's key.
  const due = db.prepare<{ now: number; afterAt: number; afterId: string; limit: number }, DeletionRow>(
    `SELECT * FROM video_del_rec
      WHERE next_attempt_at <= @now AND (next_attempt_at, video_id) > (@afterAt, @afterId)
      ORDER BY next_attempt_at, video_id LIMIT @limit`,
  );
  const recordFailure = db.prepare<[number, number, string, string]>(
    'UPDATE video_del_rec SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE video_id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM video_del_rec WHERE video_id = ?');
  const count = db.prepare<[], number>('SELECT COUNT(*) FROM video_del_rec').pluck();

  return {
    queue(videoId: string, now: number): void {
      queue.run(videoId, now, now);
    },
    queueByAuthor(authorId: number, now: number): void {
      queueByAuthor.run({ now, authorId });
    },
    byVideoId(videoId: string): DeletionRecord | undefined {
      const row = byVideoId.get(videoId);
      return row && toRecord(row);
    },
    /** Records due at `now`, in key order, after `after` (from the start when undefined). */
    due(now: number, after: DueKey | undefined, limit: number): DeletionRecord[] {
      const afterAt = after?.nextAttemptAt ?? Number.MIN_SAFE_INTEGER;
      return due.all({ now, afterAt, afterId: after?.videoId ?? '', limit }).map(toRecord);
    },
    recordFailure(videoId: string, attempts: number, nextAttemptAt: number, error: string): void {
      recordFailure.run(attempts, nextAttemptAt, error.slice(0, MAX_ERROR_CHARS), videoId);
    },
    remove(videoId: string): void {
      remove.run(videoId);
    },
    count(): number {
      return count.get()!;
    },
  };
}

export type VideoDeletionsTable = ReturnType<typeof createVideoDeletionsTable>;
