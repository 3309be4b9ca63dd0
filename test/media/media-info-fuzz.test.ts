// Property-based fuzzing of the media readers: random bytes behind each container's magic, and real files
// with bytes overwritten, cut short or spliced. Whatever the bytes, the reader answers (never throws), every
// field is null or sane, and it reads within its budget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MEDIA_LIMITS, type ByteSource } from '../../src/media/media-bytes.js';
import { NO_MEDIA_INFO, type MediaInfo } from '../../src/media/media-fields.js';
import { readMediaInfoFrom } from '../../src/media/media-info.js';
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

// Structure-aware inputs: files shaped as the readers expect (an MP4 moov with its tracks down to the codec
// configuration box; a WebM Segment with Info, Tracks and a Cluster) whose fields are random bytes of random
// lengths, and where at most one box or element gets a size that is 64-bit, "to the end"/"unknown" or wrong.
interface Spec {
  name: string;
  payload?: Uint8Array;
  children?: Spec[];
}

type SizeKind = 'large' | 'zero' | 'wrong';
interface Damage {
  /** The n-th box or element, in file order, whose size is changed. */
  at: number;
  size: SizeKind;
  by: number;
}

const damage = fc.option(fc.record({ at: fc.nat({ max: 24 }), size: fc.constantFrom<SizeKind>('large', 'zero', 'wrong'), by: fc.integer({ min: -16, max: 16 }) }), { freq: 2 });
/** Random bytes, mostly at least `length` long (a header's fixed fields), sometimes shorter. */
const field = (length: number) =>
  fc.oneof({ weight: 6, arbitrary: fc.uint8Array({ minLength: length, maxLength: length + 12 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: length + 12 }) });

/** Writes the specs in order; `header` makes one box's or element's header for its body length. */
function serialize(specs: Spec[], header: (spec: Spec, bodyLength: number, damaged: Damage | null) => Buffer, hurt: Damage | null): Buffer {
  let index = 0;
  const write = (spec: Spec): Buffer => {
    const damaged = hurt && hurt.at === index++ ? hurt : null;
    const body = Buffer.concat([spec.payload ?? new Uint8Array(0), ...(spec.children ?? []).map(write)]);
    return Buffer.concat([header(spec, body.length, damaged), body]);
  };
  return Buffer.concat(specs.map(write));
}

function boxHeader(spec: Spec, bodyLength: number, damaged: Damage | null): Buffer {
  const type = Buffer.from(spec.name, 'latin1');
  if (damaged?.size === 'large') {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1);
    type.copy(header, 4);
    header.writeBigUInt64BE(BigInt(16 + bodyLength), 8);
    return header;
  }
  const header = Buffer.alloc(8);
  const size = damaged?.size === 'zero' ? 0 : 8 + bodyLength + (damaged?.size === 'wrong' ? damaged.by : 0);
  header.writeUInt32BE(Math.max(0, size));
  type.copy(header, 4);
  return header;
}

const SAMPLE_ENTRIES: Record<string, string | null> = { avc1: 'avcC', hvc1: 'hvcC', av01: 'av1C', vp09: 'vpcC', mp4v: 'esds', mp4a: 'esds', Opus: null, apcn: null };

const mp4Track = fc.record({
  tkhd: field(96),
  handler: fc.constantFrom('vide', 'soun', 'text'),
  entry: fc.constantFrom(...Object.keys(SAMPLE_ENTRIES)),
  entryFields: field(78),
  config: field(4),
});

const mp4File = fc.record({ mvhd: field(112), mehd: fc.option(field(12)), tracks: fc.array(mp4Track, { minLength: 1, maxLength: 2 }), isMoovFirst: fc.boolean() }).map(
  ({ mvhd, mehd, tracks, isMoovFirst }): Spec[] => {
    const trak = (t: (typeof tracks)[number]): Spec => {
      const config = SAMPLE_ENTRIES[t.entry];
      const entry: Spec = { name: t.entry, payload: t.entryFields, children: config ? [{ name: config, payload: t.config }] : [] };
      const stsd: Spec = { name: 'stsd', payload: Buffer.from('0000000000000001', 'hex'), children: [entry] };
      const hdlr: Spec = { name: 'hdlr', payload: Buffer.concat([Buffer.alloc(8), Buffer.from(t.handler, 'latin1')]) };
      const minf: Spec = { name: 'minf', children: [{ name: 'stbl', children: [stsd] }] };
      return { name: 'trak', children: [{ name: 'tkhd', payload: t.tkhd }, { name: 'mdia', children: [hdlr, minf] }] };
    };
    const moov: Spec = { name: 'moov', children: [{ name: 'mvhd', payload: mvhd }, ...(mehd ? [{ name: 'mvex', children: [{ name: 'mehd', payload: mehd }] }] : []), ...tracks.map(trak)] };
    const mdat: Spec = { name: 'mdat', payload: new Uint8Array(64) };
    return [{ name: 'ftyp', payload: Buffer.from('isom\0\0\0\0', 'latin1') }, ...(isMoovFirst ? [moov, mdat] : [mdat, moov])];
  },
);

/** An EBML vint: the smallest width for value, or 8 bytes (a muxer reserving room), or the all-ones "unknown". */
function vint(value: number | 'unknown', isWide = false): Buffer {
  if (value === 'unknown') return Buffer.from('01ffffffffffffff', 'hex');
  let width = isWide ? 8 : 1;
  while (value >= 2 ** (7 * width) - 1) width++;
  const bytes = Buffer.alloc(width);
  for (let i = width - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  bytes[0]! |= 0x80 >> (width - 1);
  return bytes;
}

function elementHeader(spec: Spec, bodyLength: number, damaged: Damage | null): Buffer {
  const size = damaged?.size === 'zero' ? 'unknown' : Math.max(0, bodyLength + (damaged?.size === 'wrong' ? damaged.by : 0));
  return Buffer.concat([Buffer.from(spec.name, 'hex'), vint(size, damaged?.size === 'large')]);
}

const CODEC_IDS = ['V_VP9', 'V_VP8', 'V_AV1', 'V_MPEG4/ISO/AVC', 'V_MPEGH/ISO/HEVC', 'V_THEORA', 'A_OPUS', 'A_AAC', 'A_VORBIS', 'A_AC3'];
const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
/** An integer element: mostly 1-4 bytes, sometimes up to 10 (past 8 is invalid, and 8 random bytes too large). */
const uint = () => fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }).chain(bytes) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 10 }) });

const webmTrack = fc.record({
  number: fc.oneof(fc.constant(Buffer.from([1])), uint()), type: fc.oneof(fc.constantFrom(Buffer.from([1]), Buffer.from([2])), uint()),
  codecId: fc.constantFrom(...CODEC_IDS), codecPrivate: fc.option(field(4)), defaultDuration: uint(), width: uint(), height: uint(),
});

const webmFile = fc.record({ scale: uint(), duration: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(4, 8).chain(bytes) }, { weight: 1, arbitrary: uint() }), tracks: fc.array(webmTrack, { minLength: 1, maxLength: 2 }), block: field(24) }).map(
  ({ scale, duration, tracks, block }): Spec[] => {
    const entry = (t: (typeof tracks)[number]): Spec => ({
      name: 'ae',
      children: [
        { name: 'd7', payload: t.number }, { name: '83', payload: t.type }, { name: '86', payload: Buffer.from(t.codecId, 'latin1') },
        ...(t.codecPrivate ? [{ name: '63a2', payload: t.codecPrivate }] : []),
        { name: '23e383', payload: t.defaultDuration }, { name: 'e0', children: [{ name: 'b0', payload: t.width }, { name: 'ba', payload: t.height }] },
      ],
    });
    // A SimpleBlock of track 1 starting with a VP9 key frame's header, then random bytes.
    const simpleBlock = Buffer.concat([Buffer.from('8100008082498342', 'hex'), block]);
    return [
      { name: '1a45dfa3', children: [{ name: '4282', payload: Buffer.from('webm', 'latin1') }] },
      { name: '18538067', children: [
        { name: '1549a966', children: [{ name: '2ad7b1', payload: scale }, { name: '4489', payload: duration }] },
        { name: '1654ae6b', children: tracks.map(entry) },
        { name: '1f43b675', children: [{ name: 'e7', payload: Buffer.from([0]) }, { name: 'a3', payload: simpleBlock }] },
      ] },
    ];
  },
);

describe('readMediaInfoFrom() fuzzing', () => {
  it('answers with sane fields for MP4 files of random fields and one damaged box size', async () => {
    await fc.assert(fc.asyncProperty(mp4File, damage, async (specs, hurt) => void (await readSanely(serialize(specs, boxHeader, hurt)))), { numRuns: 400 });
  });

  it('answers with sane fields for WebM files of random fields and one damaged element size', async () => {
    await fc.assert(fc.asyncProperty(webmFile, damage, async (specs, hurt) => void (await readSanely(serialize(specs, elementHeader, hurt)))), { numRuns: 400 });
  });

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
