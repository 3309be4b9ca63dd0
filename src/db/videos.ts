// The video_info table. A video is `pending` from creation until its file is uploaded, then `ready`.
import { MEDIA_INFO_VERSION, NO_MEDIA_INFO, type MediaInfo } from '../media/media-fields.js';
import type { Db } from './open.js';
import { encodeRankedCursor, FIRST_PAGE_SEQ, toPage, type Page, type RankedPosition } from './cursor.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

export type VideoStatus = 'pending' | 'ready';

export interface Video {
  seq: number;
  id: string;
  authorId: number;
  author: string;
  name: string;
  description: string;
  createdAt: number;
  status: VideoStatus;
  size: number | null;
  mime: string | null;
  posterMime: string | null;
  /** Bytes of the poster file (null when none, or uploaded before sizes were kept). */
  posterSize: number | null;
  /** What the file's headers say; all null until it is ready and read. */
  media: MediaInfo;
  /** Language tags of its caption tracks, sorted. */
  captions: string[];
}

/** What an upload's completion records: the file, and what its headers say. */
export interface ReadyFile {
  size: number;
  mime: string;
  media: MediaInfo;
}

export interface VideoEdit {
  name?: string;
  description?: string;
}

interface VideoRow {
  seq: number;
  id: string;
  author_id: number;
  author: string;
  name: string;
  description: string;
  created_at: number;
  status: VideoStatus;
  size: number | null;
  mime: string | null;
  poster_mime: string | null;
  poster_size: number | null;
  duration_s: number | null;
  width: number | null;
  height: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  /** Space-separated language tags, or null for none. */
  captions: string | null;
}

const toVideo = (row: VideoRow): Video => ({
  seq: row.seq,
  id: row.id,
  authorId: row.author_id,
  author: row.author,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
  status: row.status,
  size: row.size,
  mime: row.mime,
  posterMime: row.poster_mime,
  posterSize: row.poster_size,
  media: row.status === 'ready'
    ? { durationS: row.duration_s, width: row.width, height: row.height, videoCodec: row.video_codec, audioCodec: row.audio_codec }
    : NO_MEDIA_INFO,
  captions: row.captions === null ? [] : row.captions.split(' ').sort(),
});

const COLUMNS = `v.seq, v.id, v.author_id, u.user_name AS author, v.name, v.description, v.created_at, v.status,
                 v.size, v.mime, v.poster_mime, v.poster_size, v.duration_s, v.width, v.height, v.video_codec, v.audio_codec,
                 (SELECT group_concat(c.lang, ' ') FROM video_captions c WHERE c.video_id = v.id) AS captions`;
const SELECT = `SELECT ${COLUMNS} FROM video_info v JOIN users u ON u.id = v.author_id`;

// Search ranks by bm25 with a name match worth 4 description matches. Ranking costs about 0.5-1 microsecond per
// ranked match (all 64k matches of a word in most of 100k videos: 30-50 ms), so only the newest SEARCH_WINDOW
// matches are ranked (all of them for any query with fewer): one pass of MATCH walks the index newest first,
// ranks each match and stops at the window's edge; the rows are joined only for the page. Such a word then takes
// some 2 ms (5,000 ranked behind a second MATCH for the window's edge took 7-9), most of it bm25 counting the
// videos that hold each word (its IDF: some 20 ns a video, on every query); the price is that it shows the best
// of its newest 1,000 matches only (README, "Search").
// video_search holds only ready videos (see the triggers in migrate.ts).
export const SEARCH_WINDOW = 1000;
const SEARCH = (after: string) => `
  WITH ranked AS (
    SELECT rowid AS seq, bm25(video_search, 4.0, 1.0) AS rank FROM video_search
     WHERE video_search MATCH :match ORDER BY rowid DESC LIMIT ${SEARCH_WINDOW}
  ), hits AS (
    SELECT seq, rank FROM ranked ${after} ORDER BY rank, seq DESC LIMIT :limit
  )
  SELECT ${COLUMNS}, hits.rank AS rank
    FROM hits JOIN video_info v ON v.seq = hits.seq JOIN users u ON u.id = v.author_id
   ORDER BY hits.rank, hits.seq DESC`;

export function createVideosTable(db: Db) {
  const insert = db.prepare<[string, number, string, string, number]>(
    'INSERT INTO video_info (id, author_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], VideoRow>(`${SELECT} WHERE v.id = ?`);
  const pageByAuthor = db.prepare<[number, number, number], VideoRow>(
    `${SELECT} WHERE v.author_id = ? AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`,
  );
  const pageReady = db.prepare<[number, number], VideoRow>(
    `${SELECT} WHERE v.status = 'ready' AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`,
  );
  type SearchParams = { match: string; limit: number; rank?: number; seq?: number };
  const search = db.prepare<[SearchParams], VideoRow & { rank: number }>(SEARCH(''));
  const searchAfter = db.prepare<[SearchParams], VideoRow & { rank: number }>(SEARCH('WHERE rank > :rank OR (rank = :rank AND seq < :seq)'));
  const markReady = db.prepare<[number, string, ...MediaColumns, string]>(
    `UPDATE video_info SET status = 'ready', size = ?, mime = ?, ${SET_MEDIA} WHERE id = ? AND status = 'pending'`,
  );
  const setMedia = db.prepare<[...MediaColumns, string]>(
    `UPDATE video_info SET ${SET_MEDIA} WHERE id = ? AND status = 'ready'`,
  );
  const unreadMedia = db.prepare<[number, number], { id: string }>(
    `SELECT id FROM video_info WHERE status = 'ready' AND media_version < ? LIMIT ?`,
  );
  const edit = db.prepare<[string | null, string | null, string]>(
    'UPDATE video_info SET name = coalesce(?, name), description = coalesce(?, description) WHERE id = ?',
  );
  const setPoster = db.prepare<[string, number, string]>('UPDATE video_info SET poster_mime = ?, poster_size = ? WHERE id = ?');
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
  const isUploading = db.prepare<[string, number], number>(
    'SELECT 1 FROM video_info WHERE id = ? AND upload_token IS NOT NULL AND upload_expires_at > ?',
  ).pluck();
  const remove = db.prepare<[string]>('DELETE FROM video_info WHERE id = ?');
  const pendingCount = db.prepare<[number], number>(`SELECT count(*) FROM video_info WHERE author_id = ? AND status = 'pending'`).pluck();

  return {
    /** Undefined when the author no longer exists (the account was deleted meanwhile). */
    insert(id: string, authorId: number, name: string, now: number, description = ''): Video | undefined {
      try {
        insert.run(id, authorId, name, description, now);
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
    /** Videos of the author still waiting for their file. */
    pendingCount(authorId: number): number {
      return pendingCount.get(authorId)!;
    },
    pageByAuthor(authorId: number, beforeSeq: number | undefined, limit: number): Page<Video> {
      return toPage(pageByAuthor.all(authorId, beforeSeq ?? FIRST_PAGE_SEQ, limit + 1).map(toVideo), limit);
    },
    pageReady(beforeSeq: number | undefined, limit: number): Page<Video> {
      return toPage(pageReady.all(beforeSeq ?? FIRST_PAGE_SEQ, limit + 1).map(toVideo), limit);
    },
    /**
     * Ready videos whose name or description has every word (the last one as a prefix), best match first.
     * words come from validateSearchQuery: each is quoted, so nothing in them is FTS5 syntax.
     */
    search(words: readonly string[], after: RankedPosition | undefined, limit: number): Page<Video> {
      const match = toMatchQuery(words);
      const rows = after ? searchAfter.all({ match, limit: limit + 1, ...after }) : search.all({ match, limit: limit + 1 });
      if (rows.length <= limit) return { items: rows.map(toVideo), nextCursor: null };
      const last = rows[limit - 1]!;
      return { items: rows.slice(0, limit).map(toVideo), nextCursor: encodeRankedCursor({ rank: last.rank, seq: last.seq }) };
    },
    /** False when the video is gone or was already ready: the caller's file is then not wanted. */
    markReady(id: string, file: ReadyFile): boolean {
      return markReady.run(file.size, file.mime, ...mediaColumns(file.media), id).changes === 1;
    },
    /** The scheduler's backfill: false when the video is gone. */
    setMedia(id: string, media: MediaInfo): boolean {
      return setMedia.run(...mediaColumns(media), id).changes === 1;
    },
    /** Ready videos whose files were read by an older media reader, or never. */
    unreadMedia(limit: number): string[] {
      return unreadMedia.all(MEDIA_INFO_VERSION, limit).map((row) => row.id);
    },
    /** The edited video, or undefined when it is gone. */
    edit(id: string, changes: VideoEdit): Video | undefined {
      if (edit.run(changes.name ?? null, changes.description ?? null, id).changes === 0) return undefined;
      return toVideo(byId.get(id)!);
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
    /** True while an upload (plain or resumable) holds the video's claim. */
    isUploading(id: string, now: number): boolean {
      return isUploading.get(id, now) !== undefined;
    },
    setPoster(id: string, mime: string, size: number): boolean {
      return setPoster.run(mime, size, id).changes === 1;
    },
    /** The caller queues the removal of its files and comments (store.deleteVideo). */
    remove(id: string): boolean {
      return remove.run(id).changes === 1;
    },
  };
}

export type VideosTable = ReturnType<typeof createVideosTable>;

type MediaColumns = [number | null, number | null, number | null, string | null, string | null, number];
const SET_MEDIA = 'duration_s = ?, width = ?, height = ?, video_codec = ?, audio_codec = ?, media_version = ?';

const mediaColumns = (media: MediaInfo): MediaColumns => [
  media.durationS, media.width, media.height, media.videoCodec, media.audioCodec, MEDIA_INFO_VERSION,
];

/** Every word a quoted FTS5 string ("" escapes a quote), all required, the last one a prefix. */
function toMatchQuery(words: readonly string[]): string {
  return `${words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ')}*`;
}
