// MP4 and QuickTime (ISO/IEC 14496-12): the top-level boxes are walked by their sizes to `moov` wherever it
// is (a camera writes it last), which is read whole in one read when it is at most 1 MiB; a film's larger
// moov is walked box by box instead. Only the boxes that matter are parsed: mvhd (duration), and per track
// tkhd, hdlr and the first sample entry of stsd.
import { ByteReader } from './byte-reader.js';
import { av1Codec, avcCodec, esdsCodec, hevcCodec, vpxCodecFromVpcC } from './codec-strings.js';
import { boxesInFile, childIn, parseBoxHeader, payloadOf, type Box } from './iso-boxes.js';
import { MediaFormatError, type MediaBytes } from './media-bytes.js';
import type { MediaInfo } from './media-fields.js';

interface Track {
  handler: string;
  width: number | null;
  height: number | null;
  codec: string | null;
}

/** A moov up to this size is read in one go; a larger one, box by box (its sample tables are never read). */
const MOOV_READ_WHOLE_BYTES = 1024 * 1024;

export async function readIsoBmff(bytes: MediaBytes): Promise<MediaInfo> {
  let isQuickTime = true;
  for await (const box of boxesInFile(bytes, 0, bytes.size)) {
    if (box.type === 'ftyp') isQuickTime = new ByteReader(await payloadOf(bytes, box)).fourCc() === 'qt  ';
    if (box.type !== 'moov') continue;
    if (box.end - box.start <= MOOV_READ_WHOLE_BYTES) await bytes.keep(box.start, box.end - box.start);
    return readMoov(bytes, box, isQuickTime);
  }
  throw new MediaFormatError('no moov box');
}

async function readMoov(bytes: MediaBytes, moov: Box, isQuickTime: boolean): Promise<MediaInfo> {
  let durationS: number | null = null;
  let fragmentsDurationS: number | null = null;
  let timescale = 0;
  let video: Track | undefined;
  let audio: Track | undefined;
  for await (const box of boxesInFile(bytes, moov.dataStart, moov.end)) {
    if (box.type === 'mvhd') ({ durationS, timescale } = parseMvhd(await payloadOf(bytes, box)));
    if (box.type === 'mvex') fragmentsDurationS = await readMvex(bytes, box, timescale);
    if (box.type === 'trak') {
      const track = await readTrak(bytes, box, isQuickTime);
      if (track?.handler === 'vide') video ??= track;
      if (track?.handler === 'soun') audio ??= track;
    }
  }
  return {
    // A fragmented MP4's mvhd says 0; its mehd, when written, has the whole duration.
    durationS: durationS || fragmentsDurationS,
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
  };
}

/** A duration field of `words` 32-bit words; all ones means "unknown". */
function durationField(reader: ByteReader, is64: boolean): number | null {
  const high = is64 ? reader.u32() : 0;
  const low = reader.u32();
  if (low === 0xffffffff && (!is64 || high === 0xffffffff)) return null;
  return high * 2 ** 32 + low;
}

function parseMvhd(payload: Buffer): { durationS: number | null; timescale: number } {
  const reader = new ByteReader(payload);
  const is64 = reader.u8() === 1;
  reader.skip(3 + (is64 ? 16 : 8));
  const timescale = reader.u32();
  const duration = durationField(reader, is64);
  return { durationS: timescale > 0 && duration !== null ? duration / timescale : null, timescale };
}

async function readMvex(bytes: MediaBytes, mvex: Box, timescale: number): Promise<number | null> {
  for await (const box of boxesInFile(bytes, mvex.dataStart, mvex.end)) {
    if (box.type !== 'mehd') continue;
    const reader = new ByteReader(await payloadOf(bytes, box));
    const is64 = reader.u8() === 1;
    const duration = durationField(reader.skip(3), is64);
    return timescale > 0 && duration !== null ? duration / timescale : null;
  }
  return null;
}

async function readTrak(bytes: MediaBytes, trak: Box, isQuickTime: boolean): Promise<Track | undefined> {
  let shown: { width: number; height: number } | undefined;
  let handler: string | undefined;
  let sampleDescriptions: Buffer | undefined;
  for await (const box of boxesInFile(bytes, trak.dataStart, trak.end)) {
    if (box.type === 'tkhd') shown = parseTkhd(await payloadOf(bytes, box));
    if (box.type !== 'mdia') continue;
    for await (const child of boxesInFile(bytes, box.dataStart, box.end)) {
      if (child.type === 'hdlr') handler = new ByteReader(await payloadOf(bytes, child)).skip(8).fourCc();
      if (child.type === 'minf') sampleDescriptions = await findStsd(bytes, child);
    }
  }
  if (handler === undefined) return undefined;
  const entry = sampleDescriptions && firstSampleEntry(sampleDescriptions, handler, isQuickTime);
  return {
    handler,
    width: entry?.width || shown?.width || null,
    height: entry?.height || shown?.height || null,
    codec: entry?.codec ?? null,
  };
}

async function findStsd(bytes: MediaBytes, minf: Box): Promise<Buffer | undefined> {
  for await (const box of boxesInFile(bytes, minf.dataStart, minf.end)) {
    if (box.type !== 'stbl') continue;
    for await (const child of boxesInFile(bytes, box.dataStart, box.end)) if (child.type === 'stsd') return payloadOf(bytes, child);
  }
  return undefined;
}

/** tkhd's width and height are 16.16 fixed point, after the version-sized times and the matrix. */
function parseTkhd(payload: Buffer): { width: number; height: number } {
  const reader = new ByteReader(payload);
  const is64 = reader.u8() === 1;
  reader.skip(3 + (is64 ? 32 : 20) + 52);
  return { width: reader.u32() >>> 16, height: reader.u32() >>> 16 };
}

// A sample entry's payload: 6 reserved bytes and a data reference index, then the media-specific fields.
const VISUAL_CHILDREN_AT = 8 + 70;
const AUDIO_CHILDREN_AT = 8 + 20;
// QuickTime sound descriptions version 1 and 2 carry 16 and 36 more bytes before their children.
const QUICKTIME_SOUND_EXTRA: Record<number, number> = { 1: 16, 2: 36 };

interface SampleEntry {
  codec: string | null;
  width: number | null;
  height: number | null;
}

function firstSampleEntry(stsd: Buffer, handler: string, isQuickTime: boolean): SampleEntry | undefined {
  const reader = new ByteReader(stsd);
  reader.skip(4);
  if (reader.u32() === 0) return undefined;
  const at = reader.offset;
  const entry = parseBoxHeader(reader, at, stsd.length);
  const start = entry.dataStart;
  if (handler === 'vide') {
    const fields = new ByteReader(stsd, start, entry.end).skip(24);
    const width = fields.u16();
    const height = fields.u16();
    const codec = orFourCc(entry.type, () => videoCodec(entry.type, stsd, start + VISUAL_CHILDREN_AT, entry.end));
    return { codec, width, height };
  }
  if (handler === 'soun') {
    const version = new ByteReader(stsd, start, entry.end).skip(8).u16();
    const childrenAt = start + AUDIO_CHILDREN_AT + (isQuickTime ? (QUICKTIME_SOUND_EXTRA[version] ?? 0) : 0);
    return { codec: orFourCc(entry.type, () => audioCodec(entry.type, stsd, childrenAt, entry.end)), width: null, height: null };
  }
  return undefined;
}

/** A configuration record that cannot be read still leaves the entry's code: `mp4a` says more than nothing. */
function orFourCc(type: string, codec: () => string | null): string | null {
  try {
    return codec();
  } catch (error) {
    if (error instanceof MediaFormatError) return fourCcCodec(type);
    throw error;
  }
}

function videoCodec(type: string, entry: Buffer, start: number, end: number): string | null {
  const child = (name: string) => childIn(entry, start, end, name);
  let record: Buffer | undefined;
  if ((type === 'avc1' || type === 'avc3') && (record = child('avcC'))) return avcCodec(type, record);
  if ((type === 'hvc1' || type === 'hev1') && (record = child('hvcC'))) return hevcCodec(type, record);
  if (type === 'av01' && (record = child('av1C'))) return av1Codec(record);
  if ((type === 'vp09' || type === 'vp08') && (record = child('vpcC'))) return vpxCodecFromVpcC(type, record);
  if (type === 'mp4v' && (record = child('esds'))) return esdsCodec(type, record);
  return fourCcCodec(type);
}

// The ISO BMFF sample entries whose RFC 6381 name is not their four-character code.
const AUDIO_NAMES: Record<string, string> = { Opus: 'opus', fLaC: 'flac', '.mp3': 'mp3' };

function audioCodec(type: string, entry: Buffer, start: number, end: number): string | null {
  if (type === 'mp4a') {
    // QuickTime puts the esds inside a `wave` box.
    const wave = childIn(entry, start, end, 'wave');
    const esds = wave ? childIn(wave, 0, wave.length, 'esds') : childIn(entry, start, end, 'esds');
    if (esds) return esdsCodec(type, esds);
  }
  return AUDIO_NAMES[type] ?? fourCcCodec(type);
}

/** An unknown sample entry is named by its code (`apcn` for ProRes 422), if it is printable. */
function fourCcCodec(type: string): string | null {
  const trimmed = type.trimEnd();
  return /^[\x21-\x7e]+$/.test(trimmed) ? trimmed : null;
}
