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
  // Which storage (STORAGE=local or s3) holds each video file and poster, under which key, so files can move to
  // a bucket one by one. No foreign key: the deletion task reads a deleted video's rows to find its files. A file
  // without a row is on the local disk under its video-files.ts name (every file stored before this step).
  `
  CREATE TABLE stored_files (
    video_id  TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('video', 'poster')),
    storage   TEXT NOT NULL CHECK (storage IN ('local', 's3')),
    key       TEXT NOT NULL,
    size      INTEGER NOT NULL,
    mtime_ms  INTEGER NOT NULL,
    PRIMARY KEY (video_id, kind)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX stored_files_by_key ON stored_files(storage, key);
  `,
  // Abuse limits: failed sign-ins per account name (known or not, so a lock-out does not tell which names
  // exist), uploads receiving bytes per account, bytes reserved by uploads in progress and the poster sizes
  // that storage quotas add up, and the indexes that count pending videos and recent comments.
  `
  CREATE TABLE sign_in_failures (
    user_name  TEXT NOT NULL COLLATE NOCASE,
    failed_at  INTEGER NOT NULL
  );
  CREATE INDEX sign_in_failures_by_name ON sign_in_failures(user_name, failed_at);
  CREATE TABLE upload_slots (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX upload_slots_by_user ON upload_slots(user_id, expires_at);
  CREATE TABLE storage_reservations (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX storage_reservations_by_user ON storage_reservations(user_id, expires_at);
  ALTER TABLE video_info ADD COLUMN poster_size INTEGER;
  CREATE INDEX video_info_pending_by_author ON video_info(author_id) WHERE status = 'pending';
  CREATE INDEX comments_by_author_time ON comments(author_id, created_at);
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
