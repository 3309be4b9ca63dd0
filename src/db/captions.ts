// The video_captions table: one WebVTT text per video and language. Caption files are small text, so they live
// in the database and leave with their video row (ON DELETE CASCADE) in the deletion's own transaction:
// no file for the scheduler to chase. `size` (bytes of the stored WebVTT) is what counts against a quota.
// A video's languages reach its `captions` field through the videos table's SELECT (db/videos.ts).
import { createHash } from 'node:crypto';
import type { Db } from './open.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

export interface CaptionTrack {
  lang: string;
  size: number;
  /** Strong entity-tag of the WebVTT text, quotes included. */
  etag: string;
  updatedAt: number;
}

interface CaptionTrackRow {
  lang: string;
  size: number;
  etag: string;
  updated_at: number;
}

const toTrack = (row: CaptionTrackRow): CaptionTrack => ({ lang: row.lang, size: row.size, etag: row.etag, updatedAt: row.updated_at });

export function createCaptionsTable(db: Db) {
  const put = db.prepare<[string, string, number, string, number, string]>(
    `INSERT INTO video_captions (video_id, lang, size, etag, updated_at, vtt) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (video_id, lang) DO UPDATE
       SET size = excluded.size, etag = excluded.etag, updated_at = excluded.updated_at, vtt = excluded.vtt`,
  );
  const track = db.prepare<[string, string], CaptionTrackRow>(
    'SELECT lang, size, etag, updated_at FROM video_captions WHERE video_id = ? AND lang = ?',
  );
  const text = db.prepare<[string, string], string>('SELECT vtt FROM video_captions WHERE video_id = ? AND lang = ?').pluck();
  const remove = db.prepare<[string, string]>('DELETE FROM video_captions WHERE video_id = ? AND lang = ?');

  return {
    /** Adds or replaces a language's captions; undefined when the video is gone (deleted meanwhile). */
    put(videoId: string, lang: string, vtt: string, now: number): CaptionTrack | undefined {
      const size = Buffer.byteLength(vtt);
      const etag = `"${createHash('sha256').update(vtt).digest('base64url').slice(0, 27)}"`;
      try {
        put.run(videoId, lang, size, etag, now, vtt);
      } catch (error) {
        if (isForeignKeyViolation(error)) return undefined;
        throw error;
      }
      return { lang, size, etag, updatedAt: now };
    },
    track(videoId: string, lang: string): CaptionTrack | undefined {
      const row = track.get(videoId, lang);
      return row && toTrack(row);
    },
    /** The WebVTT text, read only when it is to be sent (the track's etag answers a 304 without it). */
    text(videoId: string, lang: string): string | undefined {
      return text.get(videoId, lang);
    },
    remove(videoId: string, lang: string): boolean {
      return remove.run(videoId, lang).changes === 1;
    },
  };
}

export type CaptionsTable = ReturnType<typeof createCaptionsTable>;
