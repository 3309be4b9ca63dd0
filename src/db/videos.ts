// The video_info table. A video is `pending` from creation until its file is uploaded, then `ready`.
import type { Db } from './open.js';
import { FIRST_PAGE_SEQ, toPage, type Page } from './cursor.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

export type VideoStatus = 'pending' | 'ready';

export interface Video {
  seq: number;
  id: string;
  authorId: number;
  author: string;
  name: string;
  createdAt: number;
  status: VideoStatus;
  size: number | null;
  mime: string | null;
  posterMime: string | null;
  /** Language tags of its caption tracks, in tag order. */
  captions: string[];
}

interface VideoRow {
  seq: number;
  id: string;
  author_id: number;
  author: string;
  name: string;
  created_at: number;
  status: VideoStatus;
  size: number | null;
  mime: string | null;
  poster_mime: string | null;
  /** Space-separated language tags (tags have no spaces), or null for none. */
  captions: string | null;
}

const toVideo = (row: VideoRow): Video => ({
  seq: row.seq,
  id: row.id,
  authorId: row.author_id,
  author: row.author,
  name: row.name,
  createdAt: row.created_at,
  status: row.status,
  size: row.size,
  mime: row.mime,
  posterMime: row.poster_mime,
  captions: row.captions === null ? [] : row.captions.split(' '),
});

const SELECT = `SELECT v.seq, v.id, v.author_id, u.user_name AS author, v.name, v.created_at, v.status,
                       v.size, v.mime, v.poster_mime,
                       (SELECT group_concat(c.lang, ' ' ORDER BY c.lang) FROM captions c WHERE c.video_id = v.id) AS captions
                  FROM video_info v JOIN users u ON u.id = v.author_id`;

export function createVideosTable(db: Db) {
  const insert = db.prepare<[string, number, string, number]>(
    'INSERT INTO video_info (id, author_id, name, created_at) VALUES (?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], VideoRow>(`${SELECT} WHERE v.id = ?`);
  const pageByAuthor = db.prepare<[number, number, number], VideoRow>(
    `${SELECT} WHERE v.author_id = ? AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`,
  );
  const pageReady = db.prepare<[number, number], VideoRow>(
    `${SELECT} WHERE v.status = 'ready' AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`,
  );
  const markReady = db.prepare<[number, string, string]>(
    `UPDATE video_info SET status = 'ready', size = ?, mime = ? WHERE id = ? AND status = 'pending'`,
  );
  const setPoster = db.prepare<[string, string]>('UPDATE video_info SET poster_mime = ? WHERE id = ?');
  const claimUpload = db.prepare<[string, number, string, number]>(
    `UPDATE video_info SET upload_token = ?, upload_expires_at = ?
      WHERE id = ? AND status = 'pending' AND (upload_token IS NULL OR upload_expires_at <= ?)`,
  );
  const renewUploadClaim = db.prepare<[number, string, string]>(
    `UPDATE video_info SET upload_expires_at = ? WHERE id = ? AND upload_token = ? AND status = 'pending'`,
  );
  const releaseUploadClaim = db.prepare<[string, string]>(
    'UPDATE video_info SET upload_token = NULL, upload_expires_at = NULL WHERE id = ? AND upload_token = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM video_info WHERE id = ?');

  return {
    /** Undefined when the author no longer exists (the account was deleted meanwhile). */
    insert(id: string, authorId: number, name: string, now: number): Video | undefined {
      try {
        insert.run(id, authorId, name, now);
      } catch (error) {
        if (isForeignKeyViolation(error)) return undefined;
        throw error;
      }
      return toVideo(byId.get(id)!);
    },
    byId(id: string): Video | undefined {
      const row = byId.get(id);
      return row && toVideo(row);
    },
    pageByAuthor(authorId: number, beforeSeq: number | undefined, limit: number): Page<Video> {
      return toPage(pageByAuthor.all(authorId, beforeSeq ?? FIRST_PAGE_SEQ, limit + 1).map(toVideo), limit);
    },
    pageReady(beforeSeq: number | undefined, limit: number): Page<Video> {
      return toPage(pageReady.all(beforeSeq ?? FIRST_PAGE_SEQ, limit + 1).map(toVideo), limit);
    },
    /** False when the video is gone or was already ready: the caller's file is then not wanted. */
    markReady(id: string, size: number, mime: string): boolean {
      return markReady.run(size, mime, id).changes === 1;
    },
    /** One upload at a time per video, across processes: false when it is not pending or another claim is live. */
    claimUpload(id: string, token: string, now: number, ttlMs: number): boolean {
      return claimUpload.run(token, now + ttlMs, id, now).changes === 1;
    },
    /** False once the video is gone, ready, or the claim was lost (it expired and another upload took it). */
    renewUploadClaim(id: string, token: string, now: number, ttlMs: number): boolean {
      return renewUploadClaim.run(now + ttlMs, id, token).changes === 1;
    },
    releaseUploadClaim(id: string, token: string): void {
      releaseUploadClaim.run(id, token);
    },
    setPoster(id: string, mime: string): boolean {
      return setPoster.run(mime, id).changes === 1;
    },
    /** Its comments go with it (ON DELETE CASCADE); the caller queues its files' deletion. */
    remove(id: string): boolean {
      return remove.run(id).changes === 1;
    },
  };
}

export type VideosTable = ReturnType<typeof createVideosTable>;
