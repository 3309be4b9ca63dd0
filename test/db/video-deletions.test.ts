import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createVideoDeletionsTable, type VideoDeletionsTable } from '../../src/db/video-deletions.js';

function tempTable(t: TestContext): VideoDeletionsTable {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-db-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return createVideoDeletionsTable(db);
}

const ids = (records: { videoId: string }[]) => records.map((record) => record.videoId);

describe('videoDeletions.due()', () => {
  it('pages the records due at now by (next_attempt_at, video_id) and leaves out later ones', (t) => {
    const table = tempTable(t);
    table.queue('c', 100);
    table.queue('a', 100);
    table.queue('b', 50);
    table.queue('d', 200);
    table.queue('later', 301);
    const first = table.due(300, undefined, 2);
    assert.deepEqual(ids(first), ['b', 'a']);
    const second = table.due(300, first.at(-1), 2);
    assert.deepEqual(ids(second), ['c', 'd']);
    assert.deepEqual(table.due(300, second.at(-1), 2), []);
  });

  it('skips a record whose failure moved it past now', (t) => {
    const table = tempTable(t);
    table.queue('a', 100);
    table.queue('b', 100);
    table.recordFailure('a', 1, 1000, 'EISDIR');
    assert.deepEqual(ids(table.due(500, undefined, 10)), ['b']);
    assert.deepEqual(table.byVideoId('a'), { videoId: 'a', createdAt: 100, attempts: 1, nextAttemptAt: 1000, lastError: 'EISDIR' });
  });
});

describe('videoDeletions.queue()', () => {
  it('makes a record waiting on backoff due at once and keeps its attempts and error for a second queue', (t) => {
    const table = tempTable(t);
    table.queue('a', 100);
    table.recordFailure('a', 3, 10_000, 'EACCES');
    table.queue('a', 200);
    assert.deepEqual(table.byVideoId('a'), { videoId: 'a', createdAt: 100, attempts: 3, nextAttemptAt: 200, lastError: 'EACCES' });
    assert.equal(table.count(), 1);
  });
});

describe('videoDeletions.remove()', () => {
  it('removes one record and count() follows', (t) => {
    const table = tempTable(t);
    table.queue('a', 100);
    table.queue('b', 100);
    table.remove('a');
    assert.equal(table.byVideoId('a'), undefined);
    assert.equal(table.count(), 1);
  });
});
