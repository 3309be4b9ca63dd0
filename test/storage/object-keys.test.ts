import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ObjectKeys } from '../../src/storage/object-keys.js';

describe('ObjectKeys', () => {
  const prefixes = [
    { what: 'no prefix', prefix: '', expected: '' },
    { what: 'a folder name', prefix: 'moviedash', expected: 'moviedash/' },
    { what: 'a folder with its slash', prefix: 'sites/moviedash/', expected: 'sites/moviedash/' },
    { what: 'a leading slash', prefix: '/moviedash', expected: 'moviedash/' },
  ];
  for (const { what, prefix, expected } of prefixes) {
    it(`puts videos and posters under ${JSON.stringify(expected)} for ${what}`, () => {
      const keys = new ObjectKeys(prefix);
      const id = randomUUID();
      assert.equal(keys.keyOf(id, 'video'), `${expected}videos/${id}`);
      assert.equal(keys.keyOf(id, 'poster'), `${expected}posters/${id}`);
      assert.deepEqual(keys.refOf(keys.keyOf(id, 'video')), { videoId: id, kind: 'video' });
      assert.deepEqual(keys.refOf(keys.keyOf(id, 'poster')), { videoId: id, kind: 'poster' });
    });
  }

  it('makes keys only from lowercase UUIDs', () => {
    const keys = new ObjectKeys('moviedash');
    for (const id of ['../x', '', randomUUID().toUpperCase(), `${randomUUID()}/x`]) assert.throws(() => keys.keyOf(id, 'video'), TypeError);
  });

  it('leaves keys outside its layout alone', () => {
    const keys = new ObjectKeys('moviedash');
    const id = randomUUID();
    for (const key of [`videos/${id}`, `other/videos/${id}`, `moviedash/videos/${id}.bak`, `moviedash/videos/${id}/x`, `moviedash/thumbs/${id}`, 'moviedash/videos/', `moviedash/posters/${id.toUpperCase()}`]) {
      assert.equal(keys.refOf(key), undefined, key);
    }
  });
});
