// The resumable_uploads table: one row per unfinished tus upload, and the lock of the PATCH writing to it.
// A lock is a token with a lease (patch_alive_until) that its holder keeps renewing; another request that
// wants the upload raises takeover_wanted, and the holder lets go at its next renewal.
import type { Db } from './open.js';

export interface ResumableUpload {
  id: string;
  videoId: string;
  ownerId: number;
  length: number;
  /** Bytes written to the partial file and counted; bytes past it in the file are not the upload's. */
  offset: number;
  expiresAt: number;
}

/** What a PATCH records: bytes written in the boot `boot` of the machine, and how many of them are fsynced. */
export interface RecordedOffsets {
  written: number;
  durable: number;
  boot: string;
}

interface ResumableUploadRow {
  id: string;
  video_id: string;
  owner_id: number;
  upload_length: number;
  upload_offset: number;
  expires_at: number;
}

const toResumableUpload = (row: ResumableUploadRow): ResumableUpload => ({
  id: row.id,
  videoId: row.video_id,
  ownerId: row.owner_id,
  length: row.upload_length,
  offset: row.upload_offset,
  expiresAt: row.expires_at,
});

const COLUMNS = 'id, video_id, owner_id, upload_length, upload_offset, expires_at';
// No PATCH holds the lock, or its holder stopped renewing it (it crashed).
const UNLOCKED = '(patch_token IS NULL OR patch_alive_until <= @now)';

export function createResumableUploadsTable(db: Db) {
  const insert = db.prepare<[string, string, number, number, number, number]>(
    `INSERT INTO resumable_uploads (id, video_id, owner_id, upload_length, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], ResumableUploadRow>(`SELECT ${COLUMNS} FROM resumable_uploads WHERE id = ?`);
  const isLocked = db.prepare<{ id: string; now: number }, { locked: number }>(
    `SELECT NOT ${UNLOCKED} AS locked FROM resumable_uploads WHERE id = @id`,
  );
  const lock = db.prepare<{ id: string; token: string; now: number; aliveUntil: number }>(
    `UPDATE resumable_uploads SET patch_token = @token, patch_alive_until = @aliveUntil, takeover_wanted = 0
      WHERE id = @id AND expires_at > @now AND ${UNLOCKED}`,
  );
  const unlockAll = db.prepare('UPDATE resumable_uploads SET patch_token = NULL, patch_alive_until = NULL, takeover_wanted = 0');
  const wantTakeover = db.prepare<[string]>('UPDATE resumable_uploads SET takeover_wanted = 1 WHERE id = ? AND patch_token IS NOT NULL');
  const renewLock = db.prepare<{ id: string; token: string; aliveUntil: number; expiresAt: number }, { takeover_wanted: number }>(
    `UPDATE resumable_uploads SET patch_alive_until = @aliveUntil, expires_at = @expiresAt
      WHERE id = @id AND patch_token = @token RETURNING takeover_wanted`,
  );
  const recordOffset = db.prepare<{ id: string; token: string; offset: number; durableOffset: number; boot: string; expiresAt: number }>(
    `UPDATE resumable_uploads
        SET upload_offset = @offset, durable_offset = max(durable_offset, @durableOffset), written_boot = @boot, expires_at = @expiresAt
      WHERE id = @id AND patch_token = @token`,
  );
  // The bytes before a recorded offset never change again (in this boot), so no lock is needed to say they are on disk.
  const recordDurable = db.prepare<{ id: string; offset: number }>(
    'UPDATE resumable_uploads SET durable_offset = @offset WHERE id = @id AND durable_offset < @offset AND upload_offset >= @offset',
  );
  const fallBackToDurable = db.prepare<[string]>(
    'UPDATE resumable_uploads SET upload_offset = durable_offset, written_boot = NULL WHERE upload_offset > durable_offset AND written_boot IS NOT ?',
  );
  const unlock = db.prepare<[string, string]>(
    'UPDATE resumable_uploads SET patch_token = NULL, patch_alive_until = NULL, takeover_wanted = 0 WHERE id = ? AND patch_token = ?',
  );
  const remove = db.prepare<[string], { video_id: string }>('DELETE FROM resumable_uploads WHERE id = ? RETURNING video_id');
  const removeIfExpired = db.prepare<{ id: string; now: number }, { video_id: string }>(
    `DELETE FROM resumable_uploads WHERE id = @id AND expires_at <= @now AND ${UNLOCKED} RETURNING video_id`,
  );
  const removeUntouched = db.prepare<{ videoId: string; ownerId: number; now: number }, { id: string }>(
    `DELETE FROM resumable_uploads WHERE video_id = @videoId AND owner_id = @ownerId AND upload_offset = 0 AND ${UNLOCKED} RETURNING id`,
  );
  const removeByVideo = db.prepare<[string]>('DELETE FROM resumable_uploads WHERE video_id = ?');
  const expired = db.prepare<{ now: number; limit: number }, ResumableUploadRow>(
    `SELECT ${COLUMNS} FROM resumable_uploads WHERE expires_at <= @now AND ${UNLOCKED} ORDER BY expires_at LIMIT @limit`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM resumable_uploads');

  return {
    insert(id: string, videoId: string, ownerId: number, length: number, now: number, expiresAt: number): void {
      insert.run(id, videoId, ownerId, length, now, expiresAt);
    },
    byId(id: string): ResumableUpload | undefined {
      const row = byId.get(id);
      return row && toResumableUpload(row);
    },
    isLocked(id: string, now: number): boolean {
      return isLocked.get({ id, now })?.locked === 1;
    },
    /** False while another PATCH holds the lock, or once the upload is gone or expired. */
    lock(id: string, token: string, now: number, aliveUntil: number): boolean {
      return lock.run({ id, token, now, aliveUntil }).changes === 1;
    },
    /** At start-up, before any PATCH can run. */
    unlockAll(): void {
      unlockAll.run();
    },
    /** Asks the PATCH holding the lock, in whatever process, to let go. */
    wantTakeover(id: string): void {
      wantTakeover.run(id);
    },
    /** Undefined once the lock is no longer this token's (the upload was terminated or removed). */
    renewLock(id: string, token: string, aliveUntil: number, expiresAt: number): { isTakeoverWanted: boolean } | undefined {
      const row = renewLock.get({ id, token, aliveUntil, expiresAt });
      return row && { isTakeoverWanted: row.takeover_wanted === 1 };
    },
    recordOffset(id: string, token: string, { written, durable, boot }: RecordedOffsets, expiresAt: number): boolean {
      return recordOffset.run({ id, token, offset: written, durableOffset: durable, boot, expiresAt }).changes === 1;
    },
    /** The bytes before offset, all counted, are fsynced. */
    recordDurable(id: string, offset: number): void {
      recordDurable.run({ id, offset });
    },
    /** At start-up: bytes written in another boot than this one count only as far as they were fsynced. */
    fallBackToDurable(boot: string): void {
      fallBackToDurable.run(boot);
    },
    unlock(id: string, token: string): void {
      unlock.run(id, token);
    },
    /** The removed upload's video, or undefined when it was already gone. */
    remove(id: string): string | undefined {
      return remove.get(id)?.video_id;
    },
    /** Like remove, but only when it is still expired and unlocked at `now`. */
    removeIfExpired(id: string, now: number): string | undefined {
      return removeIfExpired.get({ id, now })?.video_id;
    },
    /** The owner's uploads of the video that hold no byte and no PATCH; returns their ids. */
    removeUntouched(videoId: string, ownerId: number, now: number): string[] {
      return removeUntouched.all({ videoId, ownerId, now }).map((row) => row.id);
    },
    removeByVideo(videoId: string): void {
      removeByVideo.run(videoId);
    },
    expired(now: number, limit: number): ResumableUpload[] {
      return expired.all({ now, limit }).map(toResumableUpload);
    },
    count(): number {
      return count.get()!.n;
    },
  };
}

export type ResumableUploadsTable = ReturnType<typeof createResumableUploadsTable>;
