// Writes straight into a stopped moviedash's database: the comments the list scenarios read, and (until
// PUT /upload exists on this branch) the files of the stream scenarios, hard-linked in and marked ready.
import { randomUUID } from 'node:crypto';
import { copyFileSync, linkSync } from 'node:fs';
import { encodeCursor } from '../../src/db/cursor.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';
import { NO_MEDIA_INFO } from '../../src/media/media-info.js';
import { VideoFiles } from '../../src/video-files.js';
import type { Fixture } from '../lib/fixtures.js';

export function withDatabase<T>(dataDir: string, work: (db: Db) => T): T {
  const db = openDatabase(dataDir);
  try {
    return work(db);
  } finally {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
}

/** The stand-in for an upload: the file under its final name, the row `ready` with size and mime. */
export function registerFile(db: Db, videoDir: string, videoId: string, fixture: Fixture): void {
  const target = new VideoFiles(videoDir).finalPath(videoId, 'video');
  try {
    linkSync(fixture.path, target);
  } catch {
    copyFileSync(fixture.path, target);
  }
  if (!createStore(db).videos.markReady(videoId, { size: fixture.size, mime: 'video/mp4', media: NO_MEDIA_INFO })) throw new Error(`video ${videoId} is not pending`);
}

/** Inserts `count` comments in one transaction; returns a cursor to the middle of the list (a deep page). */
export function seedComments(db: Db, videoId: string, authorId: number, count: number): string {
  const insert = db.prepare('INSERT INTO comments (id, video_id, author_id, content, created_at) VALUES (?, ?, ?, ?, ?)');
  const start = Date.now() - count * 1000;
  db.pragma('cache_size = -262144');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      // The id keeps a UUID's shape but rises with i, so the unique index grows at its end: 1M rows in seconds.
      const id = `${i.toString(16).padStart(8, '0')}${randomUUID().slice(8)}`;
      insert.run(id, videoId, authorId, `Comment number ${i}: the part at 12:34 is the best, watch it twice.`, start + i * 1000);
    }
  })();
  const middle = db
    .prepare<[string, number], { seq: number }>('SELECT seq FROM comments WHERE video_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?')
    .get(videoId, Math.floor(count / 2))!;
  return encodeCursor(middle.seq);
}
