import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, STEPS } from '../../src/db/migrate.js';
import { timeOrderedUuid } from '../../src/db/time-ordered-id.js';
import { tempStore } from '../helpers/temp-db.js';

function storeWithVideo(t: { after(fn: () => void): void }) {
  const { store } = tempStore(t);
  const owner = store.users.insert('owner', 'hash', 0);
  const commenter = store.users.insert('commenter', 'hash', 0);
  const videoId = randomUUID();
  store.videos.insert(videoId, owner.id, 'clip', 0);
  return { store, owner, commenter, videoId };
}

describe('comments.insert()', () => {
  // The check and the insert are one statement, so a post racing a deletion either lands before it (and
  // is purged with the rest) or finds the video gone: nothing can outlive the deletion.
  it('writes nothing for a video deleted meanwhile', (t) => {
    const { store, commenter, videoId } = storeWithVideo(t);
    store.deleteVideo(videoId, 0);
    assert.equal(store.comments.insert(timeOrderedUuid(), videoId, commenter.id, 'late', 0), undefined);
    assert.equal(store.comments.removeBatchOfVideo(videoId, 10), 0);
  });

  it('writes nothing for an author deleted meanwhile', (t) => {
    const { store, commenter, videoId } = storeWithVideo(t);
    store.deleteAccount(commenter.id, 0);
    assert.equal(store.comments.insert(timeOrderedUuid(), videoId, commenter.id, 'late', 0), undefined);
    assert.equal(store.comments.pageByVideo(videoId, undefined, 10).items.length, 0);
  });
});

describe('comments.removeBatchOfVideo() and removeBatchByAuthor()', () => {
  it('remove a deleted video\'s comments a batch at a time, and never a live video\'s or a live author\'s', (t) => {
    const { store, commenter, videoId } = storeWithVideo(t);
    for (let i = 0; i < 5; i++) store.comments.insert(timeOrderedUuid(), videoId, commenter.id, `c${i}`, i);
    assert.equal(store.comments.removeBatchOfVideo(videoId, 10), 0);
    assert.equal(store.comments.removeBatchByAuthor(commenter.id, 10), 0);
    store.deleteVideo(videoId, 0);
    assert.deepEqual([2, 2, 1, 0].map(() => store.comments.removeBatchOfVideo(videoId, 2)), [2, 2, 1, 0]);
  });

  it('hide a deleted author\'s comments at once and remove them by author', (t) => {
    const { store, owner, commenter, videoId } = storeWithVideo(t);
    store.comments.insert(timeOrderedUuid(), videoId, owner.id, 'stays', 0);
    const gone = store.comments.insert(timeOrderedUuid(), videoId, commenter.id, 'goes', 1)!;
    store.deleteAccount(commenter.id, 0);
    assert.deepEqual(store.comments.pageByVideo(videoId, undefined, 10).items.map((comment) => comment.content), ['stays']);
    assert.equal(store.comments.byId(gone.id), undefined);
    assert.equal(store.comments.removeBatchByAuthor(commenter.id, 10), 1);
  });
});

describe('store.deleteVideo() and deleteAccount()', () => {
  it('queue a purge for the video, and for each video and the comments of a deleted account', (t) => {
    const { store, owner, commenter, videoId } = storeWithVideo(t);
    const second = randomUUID();
    store.videos.insert(second, owner.id, 'second', 0);
    store.deleteVideo(videoId, 0);
    assert.deepEqual(store.commentPurges.after(0, 10).map(({ seq: _, ...purge }) => purge), [{ kind: 'video', videoId }]);
    store.deleteAccount(owner.id, 0);
    store.deleteAccount(commenter.id, 0);
    assert.deepEqual(store.commentPurges.after(1, 10).map(({ seq: _, ...purge }) => purge), [
      { kind: 'video', videoId: second },
      { kind: 'author', authorId: owner.id },
      { kind: 'author', authorId: commenter.id },
    ]);
  });

  it('queue nothing for an id with no video (the operator endpoint accepts any)', (t) => {
    const { store } = storeWithVideo(t);
    assert.equal(store.deleteVideo(randomUUID(), 0), false);
    assert.equal(store.commentPurges.count(), 0);
  });
});

describe('the migration that drops the comments\' foreign keys', () => {
  it('keeps every comment and goes on counting seq after the last one ever written', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-migrate-'));
    const db = new Database(join(dir, 'old.db'));
    t.after(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    db.pragma('foreign_keys = ON');
    const before = STEPS.findIndex((sql) => sql.includes('comments_new'));
    for (const sql of STEPS.slice(0, before)) db.exec(sql);
    db.pragma(`user_version = ${before}`);
    db.exec(`INSERT INTO users (user_name, pwd_hash, created_at) VALUES ('u', 'h', 0);
             INSERT INTO video_info (id, author_id, name, created_at) VALUES ('v', 1, 'n', 0);
             INSERT INTO comments (id, video_id, author_id, content, created_at) VALUES ('a', 'v', 1, 'one', 0), ('b', 'v', 1, 'two', 0), ('c', 'v', 1, 'three', 0);
             DELETE FROM comments WHERE id = 'c';`);
    migrate(db);
    assert.deepEqual(db.prepare('SELECT seq, id FROM comments ORDER BY seq').all(), [{ seq: 1, id: 'a' }, { seq: 2, id: 'b' }]);
    db.exec(`INSERT INTO comments (id, video_id, author_id, content, created_at) VALUES ('d', 'v', 1, 'four', 0)`);
    assert.equal(db.prepare(`SELECT seq FROM comments WHERE id = 'd'`).pluck().get(), 4);
    assert.deepEqual(db.pragma('foreign_key_list(comments)'), []);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  });
});
