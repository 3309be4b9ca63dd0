// Property-based fuzzing of the media readers: random bytes behind each container's magic, and real files
// with bytes overwritten, cut short or spliced. Whatever the bytes, the reader answers (never throws), every
// field is null or sane, and it reads within its budget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MEDIA_LIMITS, type ByteSource } from '../../src/media/media-bytes.js';
import { NO_MEDIA_INFO, readMediaInfoFrom, type MediaInfo } from '../../src/media/media-info.js';
import { samplePath, SAMPLES } from '../helpers/media-samples.js';

/** The most a reading may take: the head, and the budget for everything else. */
const MAX_BYTES_READ = MEDIA_LIMITS.headBytes + MEDIA_LIMITS.maxTotalBytes;

interface Counted extends ByteSource {
  bytesRead: number;
}

function source(bytes: Uint8Array): Counted {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const counted: Counted = {
    size: buffer.length,
    bytesRead: 0,
    async read(offset, length) {
      counted.bytesRead += length;
      return buffer.subarray(offset, offset + length);
    },
  };
  return counted;
}

function assertSane(info: MediaInfo): void {
  const { durationS, width, height, videoCodec, audioCodec } = info;
  assert.ok(durationS === null || (Number.isFinite(durationS) && durationS > 0));
  assert.ok((width === null) === (height === null));
  for (const size of [width, height]) assert.ok(size === null || (Number.isInteger(size) && size > 0 && size <= 65535));
  for (const codec of [videoCodec, audioCodec]) assert.ok(codec === null || /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(codec));
}

async function readSanely(bytes: Uint8Array): Promise<MediaInfo> {
  const counted = source(bytes);
  const info = await readMediaInfoFrom(counted);
  assertSane(info);
  assert.ok(counted.bytesRead <= MAX_BYTES_READ, `read ${counted.bytesRead} bytes`);
  return info;
}

const MAGICS = [
  Buffer.from('00000018667479706d703432', 'hex'), // ftyp mp42
  Buffer.from('0000000c6d6f6f76', 'hex'), // moov
  Buffer.from('1a45dfa3', 'hex'), // EBML
  Buffer.from('OggS\0\x02', 'latin1'),
];

const SAMPLE_FILES = [SAMPLES.h264Faststart, SAMPLES.h264MoovAtEnd, SAMPLES.vp9, SAMPLES.theora, SAMPLES.prores];

/** Byte edits of a file: overwrite a run, cut the file, or splice random bytes in. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** Header bytes are where the interesting damage is: positions are taken mostly from the first 4 KiB and the last. */
function applyEdit(file: Buffer, change: Edit): Buffer {
  if (file.length === 0) return file;
  const near = change.at % 2 === 0 ? change.at % Math.min(file.length, 4096) : file.length - 1 - (change.at % Math.min(file.length, 4096));
  if (change.kind === 'cut') return file.subarray(0, near);
  if (change.kind === 'splice') return Buffer.concat([file.subarray(0, near), change.bytes, file.subarray(near)]);
  const out = Buffer.from(file);
  out.set(change.bytes.subarray(0, out.length - near), near);
  return out;
}

describe('readMediaInfoFrom() fuzzing', () => {
  it('answers with sane fields for random bytes behind each container magic', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MAGICS), fc.uint8Array({ maxLength: 4096 }), async (magic, rest) => {
        await readSanely(Buffer.concat([magic, rest]));
      }),
      { numRuns: 400 },
    );
  });

  it('answers with sane fields for real files with their bytes overwritten, cut short or spliced', async () => {
    const files = SAMPLE_FILES.map((sample) => readFileSync(samplePath(sample)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 4 }), async (file, edits) => {
        await readSanely(edits.reduce(applyEdit, file));
      }),
      { numRuns: 400 },
    );
  });

  it('answers a real file unchanged exactly as before any fuzzing (the properties start from working files)', async () => {
    for (const sample of SAMPLE_FILES) assert.notDeepEqual(await readSanely(readFileSync(samplePath(sample))), NO_MEDIA_INFO);
  });
});
