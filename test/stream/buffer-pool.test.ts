import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { giveBuffer, takeBuffer } from '../../src/stream/buffer-pool.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('takeBuffer / giveBuffer', () => {
  const sizes: [number, number][] = [[1, 64 * KiB], [64 * KiB, 64 * KiB], [64 * KiB + 1, 256 * KiB], [300 * KiB, 512 * KiB], [MiB, MiB]];
  for (const [asked, size] of sizes) {
    it(`takes a ${size / KiB} KiB buffer for ${asked} bytes`, () => {
      assert.equal(takeBuffer(asked).length, size);
    });
  }

  it('refuses more than 1 MiB', () => {
    assert.throws(() => takeBuffer(MiB + 1), RangeError);
  });

  it('hands a given-back buffer out again', () => {
    const buffer = takeBuffer(256 * KiB);
    giveBuffer(buffer);
    assert.equal(takeBuffer(256 * KiB), buffer);
  });

  it('keeps at most 32 MiB of free buffers', () => {
    const taken = Array.from({ length: 40 }, () => takeBuffer(MiB));
    for (const buffer of taken) giveBuffer(buffer);
    const again = Array.from({ length: 40 }, () => takeBuffer(MiB));
    assert.equal(again.filter((buffer) => taken.includes(buffer)).length, 32);
    for (const buffer of again) giveBuffer(buffer);
  });

  it('makes room for the size in use by dropping sizes not asked for since', () => {
    // Out of the pool: the 1 MiB buffers earlier tests gave back.
    Array.from({ length: 40 }, () => takeBuffer(MiB));
    // What 100 slow streams leave behind when they end: the budget full of small buffers.
    const small = Array.from({ length: 128 }, () => takeBuffer(256 * KiB));
    for (const buffer of small) giveBuffer(buffer);
    const large = Array.from({ length: 32 }, () => takeBuffer(MiB));
    for (const buffer of large) giveBuffer(buffer);
    const again = Array.from({ length: 32 }, () => takeBuffer(MiB));
    assert.equal(again.filter((buffer) => large.includes(buffer)).length, 32);
    for (const buffer of again) giveBuffer(buffer);
  });

  it('does not drop buffers of a size asked for more lately than the one given back', () => {
    const small = takeBuffer(64 * KiB);
    const large = Array.from({ length: 32 }, () => takeBuffer(MiB));
    for (const buffer of large) giveBuffer(buffer);
    giveBuffer(small);
    assert.notEqual(takeBuffer(64 * KiB), small);
    const again = Array.from({ length: 32 }, () => takeBuffer(MiB));
    assert.equal(again.filter((buffer) => large.includes(buffer)).length, 32);
    for (const buffer of again) giveBuffer(buffer);
  });
});
