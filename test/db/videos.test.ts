import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';
import { SEARCH_WINDOW } from '../../src/db/videos.js';
import { NO_MEDIA_INFO } from '../../src/media/media-fields.js';

const TTL = 1000;

function emptyStore(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-db-'));
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = createStore(db);
  return { store, userId: store.users.insert('owner', 'hash', 0).id };
}

function storeWithVideo(t: { after(fn: () => void): void }) {
  const { store, userId } = emptyStore(t);
  const id = randomUUID();
  store.videos.insert(id, userId, 'clip', 0);
  return { videos: store.videos, id };
}

describe('videos upload claim', () => {
  it('gives the claim to one token at a time until it is released', (t) => {
    const { videos, id } = storeWithVideo(t);
    assert.equal(videos.claimUpload(id, 'a', 100, TTL), true);
    assert.equal(videos.claimUpload(id, 'b', 200, TTL), false);
    videos.releaseUploadClaim(id, 'b');
    assert.equal(videos.claimUpload(id, 'b', 300, TTL), false, 'a release by the wrong token changes nothing');
    videos.releaseUploadClaim(id, 'a');
    assert.equal(videos.claimUpload(id, 'b', 400, TTL), true);
  });

  it('lets a new upload take an expired claim (a crashed upload), and the old holder cannot renew it', (t) => {
    const { videos, id } = storeWithVideo(t);
    assert.equal(videos.claimUpload(id, 'crashed', 100, TTL), true);
    assert.equal(videos.claimUpload(id, 'next', 100 + TTL - 1, TTL), false);
    assert.equal(videos.claimUpload(id, 'next', 100 + TTL, TTL), true);
    assert.equal(videos.renewUploadClaim(id, 'crashed', 100 + TTL, TTL), false);
    assert.equal(videos.renewUploadClaim(id, 'next', 100 + TTL, TTL), true);
  });

  it('renewing pushes the expiry forward', (t) => {
    const { videos, id } = storeWithVideo(t);
    assert.equal(videos.claimUpload(id, 'a', 0, TTL), true);
    assert.equal(videos.renewUploadClaim(id, 'a', 900, TTL), true);
    assert.equal(videos.claimUpload(id, 'b', 1500, TTL), false);
  });

  it('refuses to claim or renew once the video is ready or deleted', (t) => {
    const { videos, id } = storeWithVideo(t);
    assert.equal(videos.claimUpload(id, 'a', 0, TTL), true);
    assert.equal(videos.markReady(id, { size: 10, mime: 'video/mp4', media: NO_MEDIA_INFO }), true);
    assert.equal(videos.renewUploadClaim(id, 'a', 1, TTL), false);
    videos.releaseUploadClaim(id, 'a');
    assert.equal(videos.claimUpload(id, 'b', 2, TTL), false);
    assert.equal(videos.claimUpload(randomUUID(), 'c', 2, TTL), false);
  });
});

describe('videos search', () => {
  it(`ranks only the newest ${SEARCH_WINDOW} matches of a word found in more videos`, (t) => {
    const { store, userId } = emptyStore(t);
    const ready = (name: string) => {
      const id = randomUUID();
      store.videos.insert(id, userId, name, 0);
      store.videos.markReady(id, { size: 1, mime: 'video/mp4', media: NO_MEDIA_INFO });
      return id;
    };
    const best = ready('common common common');
    const others = store.db.transaction(() => Array.from({ length: SEARCH_WINDOW }, (_, i) => ready(`common video number ${i}`)))();
    assert.notEqual(store.videos.search(['common'], undefined, 1).items[0]!.id, best, 'the oldest match is outside the window');
    store.videos.remove(others[0]!);
    assert.equal(store.videos.search(['common'], undefined, 1).items[0]!.id, best, `with ${SEARCH_WINDOW} matches all are ranked`);
  });
});
