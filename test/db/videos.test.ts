import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/open.js';
import { createStore } from '../../src/db/store.js';
import { NO_MEDIA_INFO } from '../../src/media/media-info.js';

const TTL = 1000;

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
  store.videos.insert(id, user.id, 'clip', 0);
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
