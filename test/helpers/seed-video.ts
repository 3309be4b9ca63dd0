// A ready video for stream tests: created through the API, its file copied into VIDEO_DIR and the row
// marked ready directly in the server's SQLite file. The body will become a real PUT /upload/:vid-id.
import Database from 'better-sqlite3';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createVideo, type TestUser } from './http.js';
import type { TestServer } from './server.js';

/** Returns the new video's id. */
export async function seedReadyVideo(server: TestServer, user: TestUser, fixturePath: string, mime: string): Promise<string> {
  const { id } = await createVideo(server, user);
  copyFileSync(fixturePath, join(server.videoDir, id));
  const db = new Database(join(server.dataDir, 'moviedash.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare("UPDATE video_info SET status = 'ready', size = ?, mime = ? WHERE id = ?").run(statSync(fixturePath).size, mime, id);
  } finally {
    db.close();
  }
  return id;
}

/** Gives a video a poster as PUT /upload/:vid-id/poster would: the file beside the video, its mime in the row. */
export function seedPoster(server: TestServer, videoId: string, fixturePath: string, mime: string): void {
  copyFileSync(fixturePath, join(server.videoDir, `${videoId}.poster`));
  const db = new Database(join(server.dataDir, 'moviedash.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE video_info SET poster_mime = ? WHERE id = ?').run(mime, videoId);
  } finally {
    db.close();
  }
}
