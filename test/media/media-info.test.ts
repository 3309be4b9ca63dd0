import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ByteSource } from '../../src/media/media-bytes.js';
import { NO_MEDIA_INFO, type MediaInfo } from '../../src/media/media-fields.js';
import { readMediaInfo, readMediaInfoFrom } from '../../src/media/media-info.js';
import { canMake, ffprobe, samplePath, SAMPLES, writeBesideSamples, type Probe, type Sample } from '../helpers/media-samples.js';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const dec2 = (n: number) => String(n).padStart(2, '0');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const AVC_PROFILES: Record<string, number> = { Baseline: 66, 'Constrained Baseline': 66, Main: 77, Extended: 88, High: 100, 'High 10': 110 };
const HEVC_PROFILES: Record<string, number> = { Main: 1, 'Main 10': 2, 'Main Still Picture': 3, Rext: 4 };
const AV1_PROFILES: Record<string, number> = { Main: 0, High: 1, Professional: 2 };
const AAC_OBJECT_TYPES: Record<string, number> = { LC: 2, 'HE-AAC': 5, 'HE-AACv2': 29 };
const VP9_LEVELS = ['10', '11', '20', '21', '30', '31', '40', '41', '50', '51', '52', '60', '61', '62'];

const bitDepthOf = (pixFmt = '') => (/p10/.test(pixFmt) ? 10 : /p12/.test(pixFmt) ? 12 : 8);

/** The codec string RFC 6381 gives for what ffprobe reports: a pattern where ffprobe does not tell every part. */
function expectedVideoCodec(stream: Probe['streams'][number]): RegExp {
  const { codec_name: name, profile = '', level = -99, codec_tag_string: tag } = stream;
  const depth = dec2(bitDepthOf(stream.pix_fmt));
  switch (name) {
    case 'h264':
      // The constraint-flags byte is not in ffprobe's output.
      return new RegExp(`^${tag}\\.${hex2(AVC_PROFILES[profile]!)}[0-9a-f]{2}${hex2(level)}$`);
    case 'hevc':
      return new RegExp(`^${tag}\\.${HEVC_PROFILES[profile]}\\.[0-9A-F]{1,8}\\.L${level}(\\.[0-9A-F]{1,2}){0,6}$`);
    case 'vp9':
      // WebM stores no level, nor does ffprobe report one: any VP9 level.
      return new RegExp(`^vp09\\.${dec2(Number(profile.replace('Profile ', '')))}\\.(${VP9_LEVELS.join('|')})\\.${depth}$`);
    case 'av1':
      return new RegExp(`^av01\\.${AV1_PROFILES[profile]}\\.${dec2(level)}M\\.${depth}$`);
    case 'prores':
      return new RegExp(`^${escape(tag)}$`);
    default:
      return new RegExp(`^${escape(name)}$`);
  }
}

function expectedAudioCodec(stream: Probe['streams'][number]): string {
  if (stream.codec_name === 'aac') return `mp4a.40.${AAC_OBJECT_TYPES[stream.profile!]}`;
  if (stream.codec_name.startsWith('pcm_')) return stream.codec_tag_string;
  return stream.codec_name;
}

/** Each field against ffprobe: duration within 0.1 s, sizes and codecs exactly. */
function assertMatchesProbe(info: MediaInfo, probe: Probe): void {
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  assert.ok(info.durationS !== null && Math.abs(info.durationS - Number(probe.format.duration)) <= 0.1, `duration ${info.durationS} vs ffprobe ${probe.format.duration}`);
  assert.equal(info.width, video?.width ?? null);
  assert.equal(info.height, video?.height ?? null);
  if (video) assert.match(info.videoCodec ?? 'null', expectedVideoCodec(video));
  else assert.equal(info.videoCodec, null);
  assert.equal(info.audioCodec, audio ? expectedAudioCodec(audio) : null);
}

/** A source that counts what is read, to show the reader never reads the whole file. */
function countingSource(bytes: Buffer): ByteSource & { bytesRead: number } {
  const source = {
    size: bytes.length,
    bytesRead: 0,
    async read(offset: number, length: number) {
      const slice = bytes.subarray(offset, offset + length);
      source.bytesRead += slice.length;
      return slice;
    },
  };
  return source;
}

const read = (bytes: Buffer) => readMediaInfoFrom(countingSource(bytes));

/** A source that counts round trips: reads started before any of them has answered are one. */
function roundTripSource(bytes: Buffer): ByteSource & { roundTrips: number } {
  let hasAnswered = true;
  const source = {
    size: bytes.length,
    roundTrips: 0,
    read(offset: number, length: number) {
      if (hasAnswered) source.roundTrips += 1;
      hasAnswered = false;
      return new Promise<Buffer>((resolve) =>
        setImmediate(() => {
          hasAnswered = true;
          resolve(bytes.subarray(offset, offset + length));
        }),
      );
    },
  };
  return source;
}

/** 3 MiB more of mdat, which the moov follows: a large file as a camera writes it, its moov in the last 64 KiB. */
function withLargeMdat(file: Buffer): Buffer {
  const [, mdatAt, mdatSize] = topBoxes(file).find(([type]) => type === 'mdat')!;
  assert.equal(topBoxes(file).at(-1)![0], 'moov');
  const out = Buffer.concat([file.subarray(0, mdatAt + mdatSize), Buffer.alloc(3 * 1024 * 1024), file.subarray(mdatAt + mdatSize)]);
  out.writeUInt32BE(mdatSize + 3 * 1024 * 1024, mdatAt);
  return out;
}

// Top-level MP4 boxes: [type, offset, size].
function topBoxes(file: Buffer): [string, number, number][] {
  const boxes: [string, number, number][] = [];
  for (let at = 0; at < file.length; at += file.readUInt32BE(at)) boxes.push([file.toString('latin1', at + 4, at + 8), at, file.readUInt32BE(at)]);
  return boxes;
}

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/** ffmpeg leaves an 8-byte `free` before mdat to grow it into a 64-bit size: do that, moving nothing. */
function withLargeSizeMdat(file: Buffer): Buffer {
  const [, freeAt] = topBoxes(file).find(([type]) => type === 'free')!;
  const mdatSize = file.readUInt32BE(freeAt + 8);
  const out = Buffer.from(file);
  out.writeUInt32BE(1, freeAt);
  out.write('mdat', freeAt + 4, 'latin1');
  out.writeBigUInt64BE(BigInt(mdatSize + 8), freeAt + 8);
  return out;
}

/** The last box's size set to 0: "to the end of the file". */
function withMoovSizeZero(file: Buffer): Buffer {
  const [type, at] = topBoxes(file).at(-1)!;
  assert.equal(type, 'moov');
  const out = Buffer.from(file);
  out.writeUInt32BE(0, at);
  return out;
}

/** 3 MiB of `free` before the moov and 2 MiB inside it after mvhd: moov starts outside both ends' reads. */
function withMoovFarAndLarge(file: Buffer): Buffer {
  const [type, at, size] = topBoxes(file).at(-1)!;
  assert.equal(type, 'moov');
  const moov = file.subarray(at, at + size);
  const mvhdEnd = 8 + moov.readUInt32BE(8);
  const bigMoov = box('moov', Buffer.concat([moov.subarray(8, mvhdEnd), box('free', Buffer.alloc(2 * 1024 * 1024)), moov.subarray(mvhdEnd)]));
  return Buffer.concat([file.subarray(0, at), box('free', Buffer.alloc(3 * 1024 * 1024)), bigMoov]);
}

const REAL_FILES: { what: string; sample: Sample }[] = [
  { what: 'H.264/AAC MP4 with moov at the start (+faststart)', sample: SAMPLES.h264Faststart },
  { what: 'H.264/AAC MP4 with moov at the end', sample: SAMPLES.h264MoovAtEnd },
  { what: 'H.264/AAC QuickTime MOV (AAC in a version 1 sound description)', sample: SAMPLES.h264Mov },
  { what: 'HEVC/AAC MP4 tagged hvc1', sample: SAMPLES.hevc },
  { what: 'VP9/Opus WebM', sample: SAMPLES.vp9 },
  { what: 'AV1/AAC MP4', sample: SAMPLES.av1Mp4 },
  { what: 'AV1/Opus WebM', sample: SAMPLES.av1Webm },
  { what: 'Theora/Vorbis Ogg', sample: SAMPLES.theora },
  { what: 'Opus Ogg (audio only)', sample: SAMPLES.opus },
  { what: 'ProRes/PCM MOV', sample: SAMPLES.prores },
];

describe('readMediaInfo()', () => {
  for (const { what, sample } of REAL_FILES) {
    const skip = canMake(sample) ? false : `this machine's ffmpeg has no ${sample.encoder} encoder`;
    it(`agrees with ffprobe on a ${what}`, { skip }, async () => {
      const path = samplePath(sample);
      assertMatchesProbe(await readMediaInfo(path), ffprobe(path));
    });
  }

  it('names the exact strings of the contract for the H.264, HEVC and VP9 samples', async () => {
    assert.equal((await readMediaInfo(samplePath(SAMPLES.h264Faststart))).videoCodec, 'avc1.64000c');
    assert.match((await readMediaInfo(samplePath(SAMPLES.hevc))).videoCodec!, /^hvc1\.1\.6\.L60\.[0-9A-F]0$/);
    assert.equal((await readMediaInfo(samplePath(SAMPLES.vp9))).videoCodec, 'vp09.00.11.08');
  });

  const moovAtEnd = () => readFileSync(samplePath(SAMPLES.h264MoovAtEnd));

  it('reads a moov after an mdat with a 64-bit size', async () => {
    const file = withLargeSizeMdat(moovAtEnd());
    assert.deepEqual(await read(file), await read(moovAtEnd()));
    assertMatchesProbe(await read(file), ffprobe(writeBesideSamples('64bit.mp4', file)));
  });

  it('reads a last moov whose size is 0 (to the end of the file)', async () => {
    assert.deepEqual(await read(withMoovSizeZero(moovAtEnd())), await read(moovAtEnd()));
  });

  it('reads a large moov far from both ends box by box, never the whole file', async () => {
    const file = withMoovFarAndLarge(moovAtEnd());
    const source = countingSource(file);
    const info = await readMediaInfoFrom(source);
    assertMatchesProbe(info, ffprobe(writeBesideSamples('far.mp4', file)));
    assert.ok(source.bytesRead < 2.1 * 1024 * 1024, `read ${source.bytesRead} of ${file.length} bytes`);
  });

  // Each round trip to the threadpool is a chance to wait for a CPU on a busy machine (bench M's p99).
  it('reads a large MP4 with its moov in the last 64 KiB in one round trip (head and tail together)', async () => {
    const source = roundTripSource(withLargeMdat(moovAtEnd()));
    assert.deepEqual(await readMediaInfoFrom(source), await read(moovAtEnd()));
    assert.equal(source.roundTrips, 1);
  });

  it('reads a large WebM in one round trip when its first frame is in the head', async () => {
    const file = readFileSync(samplePath(SAMPLES.vp9));
    const source = roundTripSource(Buffer.concat([file, Buffer.alloc(3 * 1024 * 1024)]));
    assert.deepEqual(await readMediaInfoFrom(source), await read(file));
    assert.equal(source.roundTrips, 1);
  });

  it('reads a large moov far from both ends in a few round trips, reading ahead of each small read', async () => {
    const file = withMoovFarAndLarge(moovAtEnd());
    const source = roundTripSource(file);
    assert.deepEqual(await readMediaInfoFrom(source), await read(file));
    assert.ok(source.roundTrips <= 3, `${source.roundTrips} round trips`);
  });

  it('reads a WebM cut off after its headers (a recording that stopped) as the whole file', async () => {
    const file = readFileSync(samplePath(SAMPLES.vp9));
    assert.deepEqual(await read(file.subarray(0, Math.floor(file.length * 0.6))), await read(file));
  });

  it('ignores an Ogg page in the tail whose checksum is wrong', async () => {
    const file = readFileSync(samplePath(SAMPLES.theora));
    const lastPageAt = file.lastIndexOf('OggS');
    const forged = Buffer.from(file.subarray(lastPageAt));
    forged.writeBigInt64LE(10n ** 12n, 6);
    assert.deepEqual(await read(Buffer.concat([file, forged])), await read(file));
  });

  const NOTHING: { what: string; bytes: () => Buffer }[] = [
    { what: 'an empty file', bytes: () => Buffer.alloc(0) },
    { what: '4 KiB of random bytes', bytes: () => randomBytes(4096) },
    { what: 'text named .mp4', bytes: () => readFileSync(new URL('../fixtures/not-a-video.mp4', import.meta.url)) },
    { what: 'an MP4 cut off before its moov', bytes: () => moovAtEnd().subarray(0, Math.floor(moovAtEnd().length * 0.6)) },
    { what: 'an MP4 cut off inside its moov', bytes: () => moovAtEnd().subarray(0, moovAtEnd().length - 100) },
    { what: 'a WebM cut off inside its Tracks', bytes: () => readFileSync(samplePath(SAMPLES.vp9)).subarray(0, 300) },
    { what: 'an Ogg with only its capture pattern', bytes: () => Buffer.from('OggS\0\x02') },
    { what: 'an EBML header with another DocType', bytes: () => Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x82, 0x81, 0x78]) },
  ];
  for (const { what, bytes } of NOTHING) {
    it(`gives nulls, without an error, for ${what}`, async () => {
      assert.deepEqual(await read(bytes()), NO_MEDIA_INFO);
    });
  }

  it('gives nulls for a file that is not there (and logs why)', async () => {
    assert.deepEqual(await readMediaInfo('/nonexistent/moviedash/video'), NO_MEDIA_INFO);
  });
});
