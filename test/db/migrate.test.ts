import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate, SCHEMA_VERSION, STEPS } from '../../src/db/migrate.js';
import { DB_FILE, openDatabase } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';

const SEARCH_STEP = STEPS.findIndex((sql) => sql.includes('CREATE VIRTUAL TABLE video_search'));
const SEARCH_REBUILD_STEP = STEPS.findLastIndex((sql) => sql.includes('CREATE VIRTUAL TABLE video_search'));

/** A database made by the steps before `step`, as an older moviedash left it. */
function databaseBefore(step: number, dir: string): Database.Database {
  const old = new Database(join(dir, DB_FILE));
  for (const [index, sql] of STEPS.slice(0, step).entries()) {
    old.exec(sql);
    old.pragma(`user_version = ${index + 1}`);
  }
  return old;
}

describe('migrate()', () => {
  it('brings videos made before search into the index (ready ones only), with an empty description and media to read', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-migrate-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const old = databaseBefore(SEARCH_STEP, dir);
    old.prepare("INSERT INTO users (id, user_name, pwd_hash, created_at) VALUES (1, 'old', 'hash', 0)").run();
    const insert = old.prepare("INSERT INTO video_info (id, author_id, name, created_at, status) VALUES (?, 1, ?, 0, ?)");
    insert.run('00000000-0000-4000-8000-000000000001', 'Pelican ready', 'ready');
    insert.run('00000000-0000-4000-8000-000000000002', 'Pelican pending', 'pending');
    old.close();

    const db = openDatabase(dir);
    t.after(() => db.close());
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const { videos } = createStore(db);
    const found = videos.search(['pelican'], undefined, 10).items;
    assert.deepEqual(found.map((v) => [v.name, v.description]), [['Pelican ready', '']]);
    assert.deepEqual(videos.unreadMedia(10), ['00000000-0000-4000-8000-000000000001']);
    migrate(db);
    assert.equal(videos.search(['pelican'], undefined, 10).items.length, 1, 'a second migrate changes nothing');
  });

  it('rebuilds the search index with its prefix indexes from the ready videos, and the triggers keep it in step', (t) => {
    assert.ok(SEARCH_REBUILD_STEP > SEARCH_STEP);
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-migrate-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const old = databaseBefore(SEARCH_REBUILD_STEP, dir);
    old.prepare("INSERT INTO users (id, user_name, pwd_hash, created_at) VALUES (1, 'old', 'hash', 0)").run();
    const insert = old.prepare('INSERT INTO video_info (id, author_id, name, description, created_at, status) VALUES (?, 1, ?, ?, 0, ?)');
    insert.run('00000000-0000-4000-8000-000000000001', 'Pelican', 'over the bay', 'ready');
    insert.run('00000000-0000-4000-8000-000000000002', 'Pelican pending', '', 'pending');
    old.close();

    const db = openDatabase(dir);
    t.after(() => db.close());
    const { videos } = createStore(db);
    const names = (words: string[]) => videos.search(words, undefined, 10).items.map((v) => v.name);
    assert.deepEqual(names(['p']), ['Pelican']);
    assert.deepEqual(names(['bay']), ['Pelican']);
    assert.equal(videos.edit('00000000-0000-4000-8000-000000000001', { name: 'Heron' })?.name, 'Heron');
    assert.deepEqual(names(['pelican']), []);
    assert.deepEqual(names(['he']), ['Heron']);
    videos.remove('00000000-0000-4000-8000-000000000001');
    assert.deepEqual(names(['bay']), []);
  });
});
