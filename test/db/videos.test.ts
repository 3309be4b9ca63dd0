import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeRankedCursor, type RankedPosition } from '../../src/db/cursor.js';
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
  function readyVideos(t: { after(fn: () => void): void }) {
    const { store, userId } = emptyStore(t);
    const ready = (name: string, description = '') => {
      const id = randomUUID();
      store.videos.insert(id, userId, name, 0, description);
      store.videos.markReady(id, { size: 1, mime: 'video/mp4', media: NO_MEDIA_INFO });
      return id;
    };
    return { store, ready, many: <T>(work: () => T) => store.db.transaction(work)() };
  }

  it(`ranks only the newest ${SEARCH_WINDOW} matches of a word found in more videos`, (t) => {
    const { store, ready, many } = readyVideos(t);
    const best = ready('common common common');
    const others = many(() => Array.from({ length: SEARCH_WINDOW }, (_, i) => ready(`common video number ${i}`)));
    assert.notEqual(store.videos.search(['common'], undefined, 1).items[0]!.id, best, 'the oldest match is outside the window');
    store.videos.remove(others[0]!);
    assert.equal(store.videos.search(['common'], undefined, 1).items[0]!.id, best, `with ${SEARCH_WINDOW} matches all are ranked`);
  });

  it(`finds an old video by a word of its own, whatever the ${SEARCH_WINDOW} newer videos say`, (t) => {
    const { store, ready, many } = readyVideos(t);
    const old = ready('Holiday', 'the day we saw a platypus');
    many(() => Array.from({ length: SEARCH_WINDOW + 10 }, (_, i) => ready(`Holiday ${i}`, 'the beach')));
    assert.deepEqual(store.videos.search(['platypus'], undefined, 10).items.map((v) => v.id), [old]);
    assert.deepEqual(store.videos.search(['holiday', 'platy'], undefined, 10).items.map((v) => v.id), [old]);
    assert.equal(store.videos.search(['holiday'], undefined, SEARCH_WINDOW + 100).items.length, SEARCH_WINDOW);
  });

  it('pages through the whole window by cursor in the order of a single page, each match once', (t) => {
    const { store, ready, many } = readyVideos(t);
    // Names of 1 to 4 words rank apart, and the same name ties: pages must cross both.
    many(() => Array.from({ length: SEARCH_WINDOW + 50 }, (_, i) => ready(`Echidna${' walk'.repeat(i % 4)}`)));
    const whole = store.videos.search(['echidna'], undefined, SEARCH_WINDOW + 50);
    assert.equal(whole.items.length, SEARCH_WINDOW);
    assert.equal(whole.nextCursor, null);
    const paged: string[] = [];
    let after: RankedPosition | undefined;
    for (;;) {
      const page = store.videos.search(['echidna'], after, 70);
      paged.push(...page.items.map((v) => v.id));
      if (!page.nextCursor) break;
      after = decodeRankedCursor(page.nextCursor);
    }
    assert.deepEqual(paged, whole.items.map((v) => v.id));
  });

  it('takes a single letter as the start of a word', (t) => {
    const { store, ready } = readyVideos(t);
    const zebra = ready('Zebra crossing');
    ready('Lion', 'asleep in the sun');
    assert.deepEqual(store.videos.search(['z'], undefined, 10).items.map((v) => v.id), [zebra]);
    assert.deepEqual(store.videos.search(['Ž'], undefined, 10).items.map((v) => v.id), [zebra]);
  });
});
