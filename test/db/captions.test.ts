import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';

function storeWithVideo(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-db-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = createStore(db);
  const user = store.users.insert('owner', 'hash', 0);
  const id = randomUUID();
  store.videos.insert(id, user!.id, 'clip', 0);
  return { store, id };
}

const VTT = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n';

describe('captions table', () => {
  it('stores a track with its byte size and a strong ETag, and replaces it by language', (t) => {
    const { store, id } = storeWithVideo(t);
    const first = store.captions.put(id, 'en', VTT, 1000);
    assert.deepEqual({ ...first, etag: undefined }, { lang: 'en', size: Buffer.byteLength(VTT), etag: undefined, updatedAt: 1000 });
    assert.match(first!.etag, /^"[\w-]{27}"$/);
    const second = store.captions.put(id, 'en', `${VTT}\n00:00:03.000 --> 00:00:04.000\nBye\n`, 2000);
    assert.notEqual(second!.etag, first!.etag);
    assert.equal(store.captions.track(id, 'en')?.updatedAt, 2000);
    assert.deepEqual(store.videos.byId(id)?.captions, ['en']);
  });

  it('stores nothing for a video deleted meanwhile (no row the scheduler would never remove)', (t) => {
    const { store, id } = storeWithVideo(t);
    store.deleteVideo(id, 0);
    assert.equal(store.captions.put(id, 'en', VTT, 1000), undefined);
    assert.equal(store.captions.text(id, 'en'), undefined);
  });

  it("keeps a deleted video's captions until the scheduler's removeAll, which leaves other videos' alone", (t) => {
    const { store, id } = storeWithVideo(t);
    const other = randomUUID();
    store.videos.insert(other, store.videos.byId(id)!.authorId, 'other', 0);
    store.captions.put(id, 'en', VTT, 1);
    store.captions.put(other, 'en', VTT, 1);
    store.deleteVideo(id, 0);
    assert.equal(store.captions.text(id, 'en'), VTT, 'no cascade in the deleting transaction');
    store.captions.removeAll(id);
    assert.equal(store.captions.text(id, 'en'), undefined);
    assert.equal(store.captions.text(other, 'en'), VTT);
  });
});
