// WebM and Matroska (EBML, RFC 9559): the Segment's Info (TimestampScale, Duration) and Tracks (CodecID,
// CodecPrivate, PixelWidth/PixelHeight), which muxers write before the first Cluster. WebM stores no VP9
// profile or bit depth, so those come from the first video frame's header.
import { readVint } from '../upload/sniff-container.js';
import { ByteReader } from './byte-reader.js';
import { aacCodec, av1Codec, avcCodec, hevcCodec, vp9KeyFrameHeader, vp9Level, vpxCodec } from './codec-strings.js';
import { dataOf, elementAt, elementsIn, float, parseHeader, text, unsigned, type Element } from './ebml.js';
import { MediaFormatError, type MediaBytes } from './media-bytes.js';
import type { MediaInfo } from './media-fields.js';

const ID = {
  EBML: 0x1a45dfa3,
  DOC_TYPE: 0x4282,
  SEGMENT: 0x18538067,
  INFO: 0x1549a966,
  TIMESTAMP_SCALE: 0x2ad7b1,
  DURATION: 0x4489,
  TRACKS: 0x1654ae6b,
  TRACK_ENTRY: 0xae,
  TRACK_NUMBER: 0xd7,
  TRACK_TYPE: 0x83,
  CODEC_ID: 0x86,
  CODEC_PRIVATE: 0x63a2,
  DEFAULT_DURATION: 0x23e383,
  VIDEO: 0xe0,
  PIXEL_WIDTH: 0xb0,
  PIXEL_HEIGHT: 0xba,
  CLUSTER: 0x1f43b675,
  SIMPLE_BLOCK: 0xa3,
  BLOCK_GROUP: 0xa0,
  BLOCK: 0xa1,
} as const;

const TRACK_TYPE_VIDEO = 1;
const TRACK_TYPE_AUDIO = 2;
const DEFAULT_TIMESTAMP_SCALE_NS = 1_000_000;
/** How much of the first Cluster is searched for the first video frame. */
const FIRST_FRAME_WINDOW = 64 * 1024;
/** A BlockGroup's header and its Block's: each an ID of at most 4 bytes and a size of at most 8. */
const MAX_BLOCK_HEADERS_BYTES = 24;

interface TrackEntry {
  number: number | null;
  type: number | null;
  codecId: string | null;
  codecPrivate: Buffer | null;
  defaultDurationNs: number | null;
  width: number | null;
  height: number | null;
}

export async function readMatroska(bytes: MediaBytes): Promise<MediaInfo> {
  const header = await elementAt(bytes, 0, bytes.size);
  if (header.id !== ID.EBML || header.isUnknownSize) throw new MediaFormatError('no EBML header');
  const headerData = await dataOf(bytes, header);
  const docType = [...elementsIn(bytes, headerData, header.dataStart, header.dataStart, header.end)].find((e) => e.id === ID.DOC_TYPE);
  const docTypeText = docType && text(headerData.subarray(docType.dataStart - header.dataStart, docType.end - header.dataStart));
  if (docTypeText !== 'webm' && docTypeText !== 'matroska') throw new MediaFormatError('not a WebM or Matroska DocType');

  // A recording cut short still has its headers: the Segment (and its last Cluster) may end past the file.
  const segment = await elementAt(bytes, header.end, Number.MAX_SAFE_INTEGER);
  if (segment.id !== ID.SEGMENT) throw new MediaFormatError('no Segment after the EBML header');
  const segmentEnd = Math.min(segment.end, bytes.size);

  let info: { durationS: number | null } | undefined;
  let tracks: TrackEntry[] | undefined;
  let firstCluster: Element | undefined;
  // The walk stops at the first Cluster: the headers come before it, the media data after.
  for (let at = segment.dataStart; at < segmentEnd; ) {
    const element = await elementAt(bytes, at, segment.end);
    if (element.id === ID.CLUSTER) {
      firstCluster = element;
      break;
    }
    if (element.isUnknownSize) throw new MediaFormatError('an unknown size is allowed only for Segment and Cluster');
    if (element.id === ID.INFO) info = parseInfo(bytes, await dataOf(bytes, element), element);
    if (element.id === ID.TRACKS) tracks = parseTracks(bytes, await dataOf(bytes, element), element);
    at = element.end;
  }
  if (!info || !tracks) throw new MediaFormatError('no Info or no Tracks before the first Cluster');

  const video = tracks.find((track) => track.type === TRACK_TYPE_VIDEO);
  const audio = tracks.find((track) => track.type === TRACK_TYPE_AUDIO);
  return {
    durationS: info.durationS,
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video ? await videoCodec(bytes, video, firstCluster) : null,
    audioCodec: audio ? audioCodec(audio) : null,
  };
}

function parseInfo(bytes: MediaBytes, data: Buffer, info: Element): { durationS: number | null } {
  let scaleNs = DEFAULT_TIMESTAMP_SCALE_NS;
  let duration: number | null = null;
  for (const field of elementsIn(bytes, data, info.dataStart, info.dataStart, info.end)) {
    const value = data.subarray(field.dataStart - info.dataStart, field.end - info.dataStart);
    if (field.id === ID.TIMESTAMP_SCALE) scaleNs = unsigned(value);
    if (field.id === ID.DURATION) duration = float(value);
  }
  return { durationS: duration === null ? null : (duration * scaleNs) / 1e9 };
}

function parseTracks(bytes: MediaBytes, data: Buffer, tracks: Element): TrackEntry[] {
  const entries: TrackEntry[] = [];
  const slice = (element: Element) => data.subarray(element.dataStart - tracks.dataStart, element.end - tracks.dataStart);
  for (const entry of elementsIn(bytes, data, tracks.dataStart, tracks.dataStart, tracks.end)) {
    if (entry.id !== ID.TRACK_ENTRY) continue;
    const track: TrackEntry = { number: null, type: null, codecId: null, codecPrivate: null, defaultDurationNs: null, width: null, height: null };
    for (const field of elementsIn(bytes, data, tracks.dataStart, entry.dataStart, entry.end)) {
      if (field.id === ID.TRACK_NUMBER) track.number = unsigned(slice(field));
      if (field.id === ID.TRACK_TYPE) track.type = unsigned(slice(field));
      if (field.id === ID.CODEC_ID) track.codecId = text(slice(field));
      if (field.id === ID.CODEC_PRIVATE) track.codecPrivate = slice(field);
      if (field.id === ID.DEFAULT_DURATION) track.defaultDurationNs = unsigned(slice(field));
      if (field.id !== ID.VIDEO) continue;
      for (const picture of elementsIn(bytes, data, tracks.dataStart, field.dataStart, field.end)) {
        if (picture.id === ID.PIXEL_WIDTH) track.width = unsigned(slice(picture));
        if (picture.id === ID.PIXEL_HEIGHT) track.height = unsigned(slice(picture));
      }
    }
    entries.push(track);
  }
  return entries;
}

async function videoCodec(bytes: MediaBytes, track: TrackEntry, firstCluster: Element | undefined): Promise<string | null> {
  const priv = track.codecPrivate;
  switch (track.codecId) {
    case 'V_MPEG4/ISO/AVC':
      return priv ? avcCodec('avc1', priv) : 'avc1';
    case 'V_MPEGH/ISO/HEVC':
      return priv ? hevcCodec('hvc1', priv) : 'hvc1';
    case 'V_AV1':
      return priv ? av1Codec(priv) : 'av01';
    case 'V_VP9':
      return vp9Codec(bytes, track, firstCluster);
    case 'V_VP8':
      return 'vp8';
    case 'V_THEORA':
      return 'theora';
    case 'V_MPEG4/ISO/SP':
    case 'V_MPEG4/ISO/ASP':
    case 'V_MPEG4/ISO/AP':
      return 'mp4v.20';
    case 'V_MPEG1':
      return 'mp4v.6A';
    case 'V_MPEG2':
      return 'mp4v.61';
    default:
      return null;
  }
}

const AUDIO_CODECS: Record<string, string> = {
  A_OPUS: 'opus',
  A_VORBIS: 'vorbis',
  A_FLAC: 'flac',
  'A_MPEG/L3': 'mp3',
  A_AC3: 'ac-3',
  A_EAC3: 'ec-3',
  'A_AAC/MPEG4/LC': 'mp4a.40.2',
  'A_AAC/MPEG2/LC': 'mp4a.40.2',
  'A_AAC/MPEG4/LC/SBR': 'mp4a.40.5',
};

function audioCodec(track: TrackEntry): string | null {
  if (track.codecId === 'A_AAC') return track.codecPrivate ? aacCodec(track.codecPrivate) : 'mp4a.40';
  return (track.codecId !== null && AUDIO_CODECS[track.codecId]) || null;
}

// CodecPrivate of V_VP9 (when a muxer writes it): features as (ID, length, value) triples.
const VP9_PRIVATE = { PROFILE: 1, LEVEL: 2, BIT_DEPTH: 3 } as const;

/** vp09.PP.LL.DD from CodecPrivate, else from the first frame and the lowest level that fits the picture. */
async function vp9Codec(bytes: MediaBytes, track: TrackEntry, firstCluster: Element | undefined): Promise<string> {
  const features = new Map<number, number>();
  if (track.codecPrivate) {
    const reader = new ByteReader(track.codecPrivate);
    while (reader.remaining >= 2) {
      const id = reader.u8();
      const value = reader.sub(reader.u8()).rest();
      if (value.length === 1) features.set(id, value[0]!);
    }
  }
  const needsFrame = !features.has(VP9_PRIVATE.PROFILE) || !features.has(VP9_PRIVATE.BIT_DEPTH);
  const header = needsFrame ? await firstFrameHeader(bytes, track, firstCluster) : undefined;
  const profile = features.get(VP9_PRIVATE.PROFILE) ?? header?.profile;
  const bitDepth = features.get(VP9_PRIVATE.BIT_DEPTH) ?? header?.bitDepth;
  const framesPerSecond = track.defaultDurationNs ? 1e9 / track.defaultDurationNs : null;
  const level = features.get(VP9_PRIVATE.LEVEL) ?? (track.width && track.height ? vp9Level(track.width, track.height, framesPerSecond) : null);
  if (profile === undefined || bitDepth === undefined || level === null) return 'vp9';
  return vpxCodec('vp09', profile, level, bitDepth);
}

/** A Cluster cut short or a frame that is not a key frame leaves the profile unknown, not the file. */
async function firstFrameHeader(bytes: MediaBytes, track: TrackEntry, cluster: Element | undefined) {
  try {
    const frame = await firstFrame(bytes, track, cluster);
    return frame && vp9KeyFrameHeader(frame);
  } catch (error) {
    if (error instanceof MediaFormatError) return undefined;
    throw error;
  }
}

/**
 * The first frame of the track in the first Cluster (a SimpleBlock, or a Block in a BlockGroup), from
 * a window at its start: only a frame's first bytes are needed, so a frame may run past the window. The
 * window's start is most often in memory already (the head): it is read only when the frame is not there.
 */
async function firstFrame(bytes: MediaBytes, track: TrackEntry, cluster: Element | undefined): Promise<Buffer | undefined> {
  if (!cluster || track.number === null) return undefined;
  const clusterLength = Math.min(cluster.end, bytes.size) - cluster.dataStart;
  const windowLength = Math.min(clusterLength, FIRST_FRAME_WINDOW);
  const held = bytes.held(cluster.dataStart, windowLength);
  const found = frameIn(bytes, held, track.number, clusterLength, held.length < windowLength);
  if (found !== NOT_HELD) return found;
  return frameIn(bytes, await bytes.at(cluster.dataStart, windowLength), track.number, clusterLength, false) as Buffer | undefined;
}

const NOT_HELD = Symbol('not held');

/** The frame in data (the window, or only its start when isPart: then NOT_HELD where the rest could change the answer). */
function frameIn(bytes: MediaBytes, data: Buffer, trackNumber: number, clusterLength: number, isPart: boolean): Buffer | undefined | typeof NOT_HELD {
  for (let at = 0; at < data.length; ) {
    bytes.step();
    if (isPart && data.length - at < MAX_BLOCK_HEADERS_BYTES) return NOT_HELD;
    const element = parseHeader(data, at, 0, clusterLength);
    if (isPart && element.end > data.length) return NOT_HELD;
    if (element.isUnknownSize) return undefined;
    let block: Buffer | undefined;
    if (element.id === ID.SIMPLE_BLOCK) block = data.subarray(element.dataStart, element.end);
    if (element.id === ID.BLOCK_GROUP) {
      const inner = parseHeader(data, element.dataStart, 0, element.end);
      if (inner.id === ID.BLOCK && !inner.isUnknownSize) block = data.subarray(inner.dataStart, inner.end);
    }
    const frame = block && frameOfTrack(block, trackNumber);
    if (frame) return frame;
    at = element.end;
  }
  return isPart ? NOT_HELD : undefined;
}

/** A block: track number (a size-style vint), a 16-bit timestamp, flags; unlaced, the rest is one frame. */
function frameOfTrack(block: Buffer, trackNumber: number): Buffer | undefined {
  const number = readVint(block, 0, false);
  if (!number || number.value !== trackNumber) return undefined;
  const flags = block[number.length + 2];
  const isLaced = flags === undefined || (flags & 0x06) !== 0;
  return isLaced ? undefined : block.subarray(number.length + 3);
}
