// The video_captions table: one WebVTT text per video and language. Caption files are small text, so they live
// in the database. A deleted video's captions are removed by the scheduler with its files (no cascade: an
// account's worth of caption text freed in the deleting transaction would hold the event loop), and are never
// seen meanwhile, since every reader starts from the video row. `size` (bytes of the stored WebVTT) is what
// counts against a quota. A video's languages reach its `captions` field through db/videos.ts's SELECT.
import { createHash } from 'node:crypto';
import type { Db } from './open.js';

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
  // Only while the video exists: a video deleted meanwhile has had (or will have) its captions removed.
  const put = db.prepare<{ videoId: string; lang: string; size: number; etag: string; now: number; vtt: string }>(
    `INSERT INTO video_captions (video_id, lang, size, etag, updated_at, vtt)
     SELECT :videoId, :lang, :size, :etag, :now, :vtt WHERE EXISTS (SELECT 1 FROM video_info WHERE id = :videoId)
     ON CONFLICT (video_id, lang) DO UPDATE
       SET size = excluded.size, etag = excluded.etag, updated_at = excluded.updated_at, vtt = excluded.vtt`,
  );
  const track = db.prepare<[string, string], CaptionTrackRow>(
    'SELECT lang, size, etag, updated_at FROM video_captions WHERE video_id = ? AND lang = ?',
  );
  const text = db.prepare<[string, string], string>('SELECT vtt FROM video_captions WHERE video_id = ? AND lang = ?').pluck();
  const remove = db.prepare<[string, string]>('DELETE FROM video_captions WHERE video_id = ? AND lang = ?');
  const removeAll = db.prepare<[string]>('DELETE FROM video_captions WHERE video_id = ?');

  return {
    /** Adds or replaces a language's captions; undefined when the video is gone (deleted meanwhile). */
    put(videoId: string, lang: string, vtt: string, now: number): CaptionTrack | undefined {
      const size = Buffer.byteLength(vtt);
      const etag = `"${createHash('sha256').update(vtt).digest('base64url').slice(0, 27)}"`;
      if (put.run({ videoId, lang, size, etag, now, vtt }).changes === 0) return undefined;
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
    /** The scheduler's part of deleting a video. */
    removeAll(videoId: string): void {
      removeAll.run(videoId);
    },
  };
}

export type CaptionsTable = ReturnType<typeof createCaptionsTable>;
