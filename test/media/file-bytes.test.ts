import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { NO_MEDIA_INFO, type MediaInfo } from '../../src/media/media-fields.js';
import { openFileBytes } from '../../src/media/file-bytes.js';
import { readMediaInfo } from '../../src/media/media-info.js';
import { samplePath, SAMPLES, writeBesideSamples } from '../helpers/media-samples.js';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

/** The close is not waited for: give it a moment to come back before counting. */
async function descriptorsSettleTo(expected: number): Promise<number> {
  for (let waited = 0; openDescriptors() !== expected && waited < 2000; waited += 20) await sleep(20);
  return openDescriptors();
}

describe('readMediaInfo() and openFileBytes() on a file', () => {
  const samples = [SAMPLES.h264Faststart, SAMPLES.h264MoovAtEnd, SAMPLES.vp9, SAMPLES.theora].map(samplePath);

  it('closes every file it opens: truncated, garbage, claimed larger than it is, or read well', async () => {
    const moovAtEnd = readFileSync(samplePath(SAMPLES.h264MoovAtEnd));
    const truncated = writeBesideSamples('truncated.mp4', moovAtEnd.subarray(0, moovAtEnd.length - 100));
    const garbage = writeBesideSamples('garbage.mp4', Buffer.alloc(200 * 1024, 0xa5));
    const before = openDescriptors();
    for (let round = 0; round < 20; round++) {
      assert.deepEqual(await readMediaInfo(truncated), NO_MEDIA_INFO);
      assert.deepEqual(await readMediaInfo(garbage, statSync(garbage).size), NO_MEDIA_INFO);
      // The size an upload says it wrote, when the file is shorter: "the file changed while it was read".
      assert.deepEqual(await readMediaInfo(samples[1]!, statSync(samples[1]!).size + 1), NO_MEDIA_INFO);
      assert.notEqual((await readMediaInfo(samples[0]!)).durationS, null);
    }
    assert.equal(await descriptorsSettleTo(before), before);
  });

  it('gives each of many readings at once its own answer (read buffers are reused only once a reading ends)', async () => {
    const alone: MediaInfo[] = [];
    for (const path of samples) alone.push(await readMediaInfo(path, statSync(path).size));
    const together = await Promise.all(Array.from({ length: 40 }, (_, i) => readMediaInfo(samples[i % samples.length]!)));
    together.forEach((info, i) => assert.deepEqual(info, alone[i % samples.length]));
  });

  it('keeps what it read of a file as read until the file is released, whatever other files are read meanwhile', async () => {
    const first = await openFileBytes(samples[0]!);
    const head = await first.read(0, 1000);
    const asRead = Buffer.from(head);
    const others = await Promise.all(samples.slice(1).map((path) => openFileBytes(path)));
    for (const other of others) await other.read(0, 64 * 1024);
    assert.deepEqual(head, asRead);
    for (const file of [first, ...others]) file.release();
  });

  it('reads a file written over since its last reading as it is now', async () => {
    const path = writeBesideSamples('rewritten.webm', readFileSync(samples[2]!));
    const webm = await readMediaInfo(path);
    writeFileSync(path, readFileSync(samples[3]!));
    assert.deepEqual(await readMediaInfo(path), await readMediaInfo(samples[3]!));
    assert.notDeepEqual(webm, await readMediaInfo(path));
  });
});
