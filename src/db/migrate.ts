// Versioned, idempotent schema steps: PRAGMA user_version says how many have run. Each step runs in
// one IMMEDIATE transaction that re-reads the version, so processes starting together apply it once.
import type Database from 'better-sqlite3';

const STEPS: readonly string[] = [
  `
  CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    pwd_hash    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_user ON sessions(user_id);
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  CREATE TABLE video_info (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    author_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
    size         INTEGER,
    mime         TEXT,
    poster_mime  TEXT
  );
  CREATE INDEX video_info_by_author ON video_info(author_id, seq);
  CREATE INDEX video_info_ready ON video_info(seq) WHERE status = 'ready';
  CREATE TABLE comments (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    video_id    TEXT NOT NULL REFERENCES video_info(id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX comments_by_video ON comments(video_id, seq);
  CREATE INDEX comments_by_author ON comments(author_id);
  CREATE TABLE video_del_rec (
    video_id         TEXT PRIMARY KEY,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT
  ) WITHOUT ROWID;
  CREATE INDEX video_del_rec_due ON video_del_rec(next_attempt_at);
  `,
  // An upload's claim on a pending video, shared by every process on the database; it expires so a
  // crashed upload cannot block the video for ever.
  `
  ALTER TABLE video_info ADD COLUMN upload_token TEXT;
  ALTER TABLE video_info ADD COLUMN upload_expires_at INTEGER;
  `,
  // Caption tracks, WebVTT text per video and BCP 47 language tag; they go with their video row.
  `
  CREATE TABLE captions (
    video_id    TEXT NOT NULL REFERENCES video_info(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    vtt         TEXT NOT NULL,
    PRIMARY KEY (video_id, lang)
  );
  `,
];

export const SCHEMA_VERSION = STEPS.length;

export function migrate(db: Database.Database): void {
  STEPS.forEach((sql, index) => {
    const version = index + 1;
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  });
}
