// Writes straight into a stopped moviedash's database: the comments the list scenarios read, and (until
// PUT /upload exists on this branch) the files of the stream scenarios, hard-linked in and marked ready.
import { randomUUID } from 'node:crypto';
import { copyFileSync, linkSync } from 'node:fs';
import { encodeCursor } from '../../src/db/cursor.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';
import { NO_MEDIA_INFO } from '../../src/media/media-fields.js';
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

/** The queries of scenario S, from the vocabulary the seeded videos were written in. */
export interface SearchQueries {
  /** A word in most descriptions, like "the": the ranking window's worst case. */
  stopWord: string;
  common: string;
  rare: string;
  twoWords: string;
  prefix: string;
}

// Pronounceable made-up words, used with Zipf's law (the n-th most common word n times rarer than the first),
// so a seeded catalogue has the skew of real titles and descriptions.
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ra', 'to', 'su', 'vi', 'ba', 'de', 'fo', 'gu', 'pa', 'ri', 'sa', 'te', 'zo', 'ma', 'ni', 'le', 'ho', 'ju'];
const STOP_WORDS = ['the', 'a', 'of', 'and', 'in', 'to', 'with'];

function vocabulary(size: number): string[] {
  return Array.from({ length: size }, (_, i) => {
    let word = '';
    for (let n = i + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  });
}

/** Inserts `count` ready videos in one transaction (the search index follows by its triggers). */
export function seedSearchVideos(db: Db, authorId: number, count: number): SearchQueries {
  const words = vocabulary(5000);
  let state = 42;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const zipfWord = () => words[Math.min(words.length - 1, Math.floor(words.length ** random()) - 1)]!;
  const text = (n: number, stopWords: boolean) =>
    Array.from({ length: n }, () => (stopWords && random() < 0.3 ? STOP_WORDS[Math.floor(random() * STOP_WORDS.length)]! : zipfWord())).join(' ');
  const insert = db.prepare(`INSERT INTO video_info (id, author_id, name, description, created_at, status, size, mime)
                             VALUES (?, ?, ?, ?, ?, 'ready', 1, 'video/mp4')`);
  const start = Date.now() - count * 1000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `${i.toString(16).padStart(8, '0')}${randomUUID().slice(8)}`;
      insert.run(id, authorId, text(3 + Math.floor(random() * 5), false), text(Math.floor(random() * 60), true), start + i * 1000);
    }
  })();
  return { stopWord: 'the', common: words[10]!, rare: words[2000]!, twoWords: `${words[3]} ${words[150]}`, prefix: words[40]!.slice(0, 3) };
}
