import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_MEDIA_INFO } from '../../src/media/media-fields.js';
import { tempStore } from '../helpers/temp-db.js';

const TTL = 1000;
const QUOTA = 100;

describe('storage_reservations', () => {
  it('counts an account\'s files and live reservations, and reserves only what fits its quota', (t) => {
    const { store } = tempStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    const video = store.videos.insert('v1', user.id, 'clip', 0)!;
    store.videos.markReady(video.id, { size: 40, mime: 'video/mp4', media: NO_MEDIA_INFO });
    assert.equal(store.storageReservations.usedBy(user.id, 0), 40);
    assert.equal(store.storageReservations.reserve('a', user.id, 60, 0, QUOTA, 0, TTL), true);
    assert.equal(store.storageReservations.reserve('b', user.id, 1, 0, QUOTA, 0, TTL), false, 'one byte over');
    assert.equal(store.storageReservations.reserve('a', user.id, 50, 0, QUOTA, 0, TTL), true, 'a reservation replaces its own bytes');
    assert.equal(store.storageReservations.reserve('b', user.id, 20, 10, QUOTA, 0, TTL), true, 'with 10 bytes credited');
    assert.equal(store.storageReservations.usedBy(user.id, 0), 110);
  });

  it('stops counting a reservation once its lease expires, and purges it', (t) => {
    const { store } = tempStore(t);
    const user = store.users.insert('alice', 'hash', 0);
    store.storageReservations.reserve('a', user.id, QUOTA, 0, QUOTA, 0, TTL);
    assert.equal(store.storageReservations.reserve('b', user.id, 1, 0, QUOTA, TTL - 1, TTL), false);
    assert.equal(store.storageReservations.usedBy(user.id, TTL), 0);
    assert.equal(store.storageReservations.purgeExpired(TTL), 1);
  });
});

describe('upload_slots', () => {
  it('gives a user at most maxSlots live slots, freed by release or expiry', (t) => {
    const { store } = tempStore(t);
    const { uploadSlots } = store;
    assert.equal(uploadSlots.take('a', 1, 0, TTL, 2), true);
    assert.equal(uploadSlots.take('b', 1, 0, TTL, 2), true);
    assert.equal(uploadSlots.take('c', 1, 0, TTL, 2), false);
    assert.equal(uploadSlots.take('c', 2, 0, TTL, 2), true, 'another user');
    uploadSlots.release('a');
    assert.equal(uploadSlots.take('d', 1, 0, TTL, 2), true);
    assert.equal(uploadSlots.take('e', 1, TTL, TTL, 2), true, 'the others expired');
    assert.equal(uploadSlots.purgeExpired(2 * TTL), 2);
  });
});
