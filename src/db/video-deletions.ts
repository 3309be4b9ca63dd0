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

const toRecord = (row: DeletionRow): DeletionRecord => ({
  videoId: row.video_id,
  createdAt: row.created_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
});

export function createVideoDeletionsTable(db: Db) {
  // OR IGNORE: queueing a video twice (API delete, then the operator endpoint) keeps one record.
  const queue = db.prepare<[string, number, number]>(
    'INSERT OR IGNORE INTO video_del_rec (video_id, created_at, next_attempt_at) VALUES (?, ?, ?)',
  );
  const queueByAuthor = db.prepare<{ now: number; authorId: number }>(
    `INSERT OR IGNORE INTO video_del_rec (video_id, created_at, next_attempt_at)
     SELECT id, @now, @now FROM video_info WHERE author_id = @authorId`,
  );
  const byVideoId = db.prepare<[string], DeletionRow>('SELECT * FROM video_del_rec WHERE video_id = ?');

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
  };
}

export type VideoDeletionsTable = ReturnType<typeof createVideoDeletionsTable>;
