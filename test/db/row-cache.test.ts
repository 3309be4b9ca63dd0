import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { DataStamp } from '../../src/db/data-stamp.js';
import { DB_FILE, openDatabase } from '../../src/db/open.js';
import { RowCache } from '../../src/db/row-cache.js';
import { createStore } from '../../src/db/store.js';
import type { Video } from '../../src/db/videos.js';

const LIMITS = { entries: 100, chars: 1_000_000 };

function videoRows(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-rows-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = createStore(db);
  const user = store.users.insert('alice', 'hash', 0);
  const video = store.videos.insert('3f2c8a7e-0000-4000-8000-000000000001', user.id, 'clip', 0)!;
  let loads = 0;
  const rows = new RowCache<Video>((id) => (loads++, store.videos.byId(id)), store.dataStamp, LIMITS);
  /** Another connection to the same file, as another worker or a command run beside the server has. */
  const other = () => {
    const connection = new Database(join(dir, DB_FILE));
    t.after(() => connection.close());
    return connection;
  };
  return { db, store, video, rows, loads: () => loads, other };
}

/** A cache over a table of plain rows, with a stamp the test moves and counts. */
function fakeRows(limits = LIMITS) {
  const table = new Map<string, { id: string; text: string }>();
  let stamp: DataStamp = [0, 0];
  let stampReads = 0;
  const rows = new RowCache((id) => table.get(id), () => (stampReads++, stamp), limits);
  return { table, rows, stampReads: () => stampReads, moveStamp: () => (stamp = [stamp[0] + 1, 0]) };
}

describe('RowCache', () => {
  it('loads a row once and keeps it while the database stays the same', (t) => {
    const { video, rows, loads } = videoRows(t);
    for (let i = 0; i < 3; i++) assert.equal(rows.get(video.id)?.name, 'clip');
    assert.equal(loads(), 1);
  });

  it('reads the stamp before every lookup, and the table only when the stamp moved', () => {
    const { table, rows, stampReads, moveStamp } = fakeRows();
    table.set('a', { id: 'a', text: 'x' });
    for (let i = 0; i < 5; i++) assert.equal(rows.get('a')?.id, 'a');
    assert.equal(stampReads(), 5);
    moveStamp();
    table.delete('a');
    assert.equal(rows.get('a'), undefined);
  });

  it('sees a deletion by this process at once', (t) => {
    const { store, video, rows } = videoRows(t);
    assert.ok(rows.get(video.id));
    store.deleteVideo(video.id, 0);
    assert.equal(rows.get(video.id), undefined);
  });

  it('sees at once a write of this process made through any statement prepared on its connection, RETURNING ones too', (t) => {
    const { db, video, rows } = videoRows(t);
    assert.equal(rows.get(video.id)?.name, 'clip');
    db.prepare("UPDATE video_info SET name = 'renamed' WHERE id = ? RETURNING id").get(video.id);
    assert.equal(rows.get(video.id)?.name, 'renamed');
  });

  it('sees a deletion committed by another connection from the next turn of the event loop on', async (t) => {
    const { video, rows, other } = videoRows(t);
    assert.ok(rows.get(video.id));
    other().prepare('DELETE FROM video_info WHERE id = ?').run(video.id);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rows.get(video.id), undefined);
  });

  it('keeps no answer for an id with no row, so a row added later is found', () => {
    const { table, rows } = fakeRows();
    assert.equal(rows.get('late'), undefined);
    table.set('late', { id: 'late', text: '' });
    assert.equal(rows.get('late')?.id, 'late');
  });

  it('drops the least recently used rows beyond its bound in entries, down to seven eighths of it', () => {
    const { table, rows } = fakeRows({ entries: 8, chars: 1_000_000 });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    for (const id of ids) table.set(id, { id, text: '' });
    for (const id of ids.slice(0, 8)) rows.get(id);
    rows.get('a');
    rows.get('i');
    assert.equal(rows.size, 7);
    for (const id of ids) table.delete(id);
    assert.ok(rows.get('a'), 'a was asked for again: kept');
    assert.ok(rows.get('i'), 'i is the newest: kept');
    assert.equal(rows.get('b'), undefined, 'b was the least recently used: dropped');
    assert.equal(rows.get('c'), undefined, 'c was next: dropped');
    assert.ok(rows.get('d'));
  });

  it('drops rows beyond its bound in characters, and keeps none bigger than the bound', () => {
    const { table, rows } = fakeRows({ entries: 100, chars: 1000 });
    table.set('a', { id: 'a', text: 'x'.repeat(500) });
    table.set('b', { id: 'b', text: 'x'.repeat(500) });
    table.set('huge', { id: 'huge', text: 'x'.repeat(2000) });
    rows.get('a');
    rows.get('b');
    assert.equal(rows.size, 1);
    assert.ok(rows.get('huge'));
    assert.equal(rows.size, 1);
  });

  it('forgets every row once the stamp moves', () => {
    const { table, rows, moveStamp } = fakeRows();
    table.set('a', { id: 'a', text: 'old' });
    rows.get('a');
    table.set('a', { id: 'a', text: 'new' });
    assert.equal(rows.get('a')?.text, 'old');
    moveStamp();
    assert.equal(rows.get('a')?.text, 'new');
  });

  it('throws what the database throws, and answers once it is back', () => {
    let isDown = true;
    const rows = new RowCache(() => ({ id: 'a' }), () => {
      if (isDown) throw new Error('SQLITE_IOERR');
      return [0, 0];
    }, LIMITS);
    assert.throws(() => rows.get('a'), /SQLITE_IOERR/);
    isDown = false;
    assert.deepEqual(rows.get('a'), { id: 'a' });
  });
});
