import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createStore, type Store } from '../../src/db/store.js';
import type { StoredFile } from '../../src/db/stored-files.js';

function tempStore(t: TestContext): Store {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-db-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return createStore(db);
}

function inBucket(videoId: string, kind: StoredFile['kind']): StoredFile {
  return { videoId, kind, storage: 's3', key: `moviedash/${kind}s/${videoId}`, size: 1234, mtimeMs: 1_796_000_000_000 };
}

describe('storedFiles', () => {
  it('records where a file is and reads it back', (t) => {
    const { storedFiles } = tempStore(t);
    const id = randomUUID();
    storedFiles.record(inBucket(id, 'video'));
    assert.deepEqual(storedFiles.one(id, 'video'), inBucket(id, 'video'));
    assert.equal(storedFiles.one(id, 'poster'), undefined);
    assert.ok(storedFiles.hasKey('s3', `moviedash/videos/${id}`));
    assert.ok(!storedFiles.hasKey('local', `moviedash/videos/${id}`));
  });

  it('replaces the record of a file stored again (a new poster, a move to the bucket)', (t) => {
    const { storedFiles } = tempStore(t);
    const id = randomUUID();
    storedFiles.record({ videoId: id, kind: 'poster', storage: 'local', key: `${id}.poster`, size: 10, mtimeMs: 1.5 });
    storedFiles.record(inBucket(id, 'poster'));
    assert.deepEqual(storedFiles.byVideo(id), [inBucket(id, 'poster')]);
    assert.ok(!storedFiles.hasKey('local', `${id}.poster`));
  });

  it('keeps the records of a deleted video for the deletion task, until it removes them', (t) => {
    const store = tempStore(t);
    const user = store.users.insert('ann', 'hash', 1);
    const video = store.videos.insert(randomUUID(), user.id, 'film', 1)!;
    store.storedFiles.record(inBucket(video.id, 'video'));
    store.storedFiles.record(inBucket(video.id, 'poster'));
    store.deleteVideo(video.id, 2);
    assert.deepEqual(store.storedFiles.byVideo(video.id).map((file) => file.kind), ['poster', 'video']);
    store.storedFiles.removeByVideo(video.id);
    assert.deepEqual(store.storedFiles.byVideo(video.id), []);
  });

  it('refuses a storage or kind it does not know', (t) => {
    const { storedFiles } = tempStore(t);
    assert.throws(() => storedFiles.record({ ...inBucket(randomUUID(), 'video'), storage: 'ftp' as 's3' }), /CHECK constraint/);
    assert.throws(() => storedFiles.record({ ...inBucket(randomUUID(), 'video'), kind: 'thumb' as 'video' }), /CHECK constraint/);
  });
});
