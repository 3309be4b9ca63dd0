// Versioned, idempotent schema steps: PRAGMA user_version says how many have run. Each step runs in
// one IMMEDIATE transaction that re-reads the version, so processes starting together apply it once.
import type Database from 'better-sqlite3';

export const STEPS: readonly string[] = [
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
  // Issue 15: a description; what the file's headers say (media_version: which reader read them, 0 = not
  // yet, so the scheduler reads the files uploaded before); caption languages; full-text search over the
  // ready videos' names and descriptions, kept in step by triggers (a contentless FTS5 table: the text
  // stays in video_info; contentless_delete lets a trigger remove a row by its rowid alone).
  `
  ALTER TABLE video_info ADD COLUMN description TEXT NOT NULL DEFAULT '';
  ALTER TABLE video_info ADD COLUMN duration_s REAL;
  ALTER TABLE video_info ADD COLUMN width INTEGER;
  ALTER TABLE video_info ADD COLUMN height INTEGER;
  ALTER TABLE video_info ADD COLUMN video_codec TEXT;
  ALTER TABLE video_info ADD COLUMN audio_codec TEXT;
  ALTER TABLE video_info ADD COLUMN media_version INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX video_info_by_media_version ON video_info(media_version) WHERE status = 'ready';
  CREATE TABLE video_captions (
    video_id  TEXT NOT NULL REFERENCES video_info(id) ON DELETE CASCADE,
    lang      TEXT NOT NULL,
    PRIMARY KEY (video_id, lang)
  ) WITHOUT ROWID;
  CREATE VIRTUAL TABLE video_search USING fts5(
    name, description, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
  );
  CREATE TRIGGER video_search_on_insert AFTER INSERT ON video_info WHEN new.status = 'ready' BEGIN
    INSERT INTO video_search(rowid, name, description) VALUES (new.seq, new.name, new.description);
  END;
  CREATE TRIGGER video_search_on_update AFTER UPDATE OF name, description, status ON video_info BEGIN
    DELETE FROM video_search WHERE rowid = old.seq;
    INSERT INTO video_search(rowid, name, description) SELECT new.seq, new.name, new.description WHERE new.status = 'ready';
  END;
  CREATE TRIGGER video_search_on_delete AFTER DELETE ON video_info BEGIN
    DELETE FROM video_search WHERE rowid = old.seq;
  END;
  INSERT INTO video_search(rowid, name, description) SELECT seq, name, description FROM video_info WHERE status = 'ready';
  `,
  // Comments lose their foreign keys: ON DELETE CASCADE removed all of a video's or an account's comments
  // in the deleting transaction (300k comments held the event loop for 1.4 s). The scheduler now removes
  // them in small batches, from comment_purges; queries join video_info and users, so they are never seen.
  // SQLite changes a foreign key only by rebuilding the table; seq keeps counting where it was.
  `
  CREATE TABLE comments_new (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    video_id    TEXT NOT NULL,
    author_id   INTEGER NOT NULL,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  INSERT INTO comments_new (seq, id, video_id, author_id, content, created_at)
    SELECT seq, id, video_id, author_id, content, created_at FROM comments;
  DELETE FROM sqlite_sequence WHERE name = 'comments_new';
  UPDATE sqlite_sequence SET name = 'comments_new' WHERE name = 'comments';
  DROP TABLE comments;
  ALTER TABLE comments_new RENAME TO comments;
  CREATE INDEX comments_by_video ON comments(video_id, seq);
  CREATE INDEX comments_by_author ON comments(author_id);
  CREATE TABLE comment_purges (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    video_id    TEXT,
    author_id   INTEGER,
    CHECK ((video_id IS NULL) <> (author_id IS NULL))
  );
  `,
  // Sessions are stored as the SHA-256 of their id only, so a copy of the database holds no live session.
  // SQLite has no SHA-256 to hash the ids in place: everyone signs in again once.
  `
  DELETE FROM sessions;
  ALTER TABLE sessions RENAME COLUMN id TO id_hash;
  `,
  // Resumable (tus) uploads: the bytes so far live in VIDEO_DIR and the row says how many of them count
  // (upload_offset). Its id is the token of the video's upload claim; patch_* is the lock of a PATCH in flight.
  `
  CREATE TABLE resumable_uploads (
    id                TEXT PRIMARY KEY,
    video_id          TEXT NOT NULL REFERENCES video_info(id) ON DELETE CASCADE,
    owner_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    upload_length     INTEGER NOT NULL,
    upload_offset     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    patch_token       TEXT,
    patch_alive_until INTEGER,
    takeover_wanted   INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX resumable_uploads_by_expiry ON resumable_uploads(expires_at);
  CREATE INDEX resumable_uploads_by_video ON resumable_uploads(video_id);
  CREATE INDEX resumable_uploads_by_owner ON resumable_uploads(owner_id);
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
  // Caption tracks: the WebVTT text per video and BCP 47 tag, its size (for quotas) and ETag. They replace
  // the video_captions of the media step above, which held only the languages and which no route ever
  // wrote to: the table is empty wherever this runs, and rows of up to 2 MiB of text want a rowid table.
  // No foreign key, like comments: the scheduler removes a deleted video's captions (db/captions.ts).
  `
  DROP TABLE video_captions;
  CREATE TABLE video_captions (
    video_id    TEXT NOT NULL,
    lang        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    vtt         TEXT NOT NULL,
    PRIMARY KEY (video_id, lang)
  );
  `,
  // A resumable upload counts its bytes once the kernel has them (upload_offset, which a crash of the server
  // does not undo) and fsyncs them after answering: durable_offset is how far the disk surely holds them, and
  // written_boot the boot of the machine (Linux boot_id) that wrote the rest. After a reboot only
  // durable_offset counts (src/tus/uploads.ts).
  `
  ALTER TABLE resumable_uploads ADD COLUMN durable_offset INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE resumable_uploads ADD COLUMN written_boot TEXT;
  UPDATE resumable_uploads SET durable_offset = upload_offset;
  `,
  // Search speed: prefix indexes for every prefix of 1 to 6 characters, so the last word of a query (always a
  // prefix) reads one list of the index instead of merging the lists of every word it begins (a common 4-letter
  // word over 100k videos: 5 ms a query, down to 1). The index grows by about 75%. FTS5 options are fixed at
  // creation: the table is made again and filled from video_info; the triggers name it and carry on.
  `
  DROP TABLE video_search;
  CREATE VIRTUAL TABLE video_search USING fts5(
    name, description, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6'
  );
  INSERT INTO video_search(rowid, name, description) SELECT seq, name, description FROM video_info WHERE status = 'ready';
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
