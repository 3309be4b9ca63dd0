// Ogg (RFC 3533): the identification header of each logical stream from the first pages (Theora, Vorbis,
// Opus, FLAC), and the duration from the granule position of each stream's last page in the file's tail.
import { MediaFormatError, type MediaBytes } from './media-bytes.js';
import type { MediaInfo } from './media-fields.js';

const CAPTURE = Buffer.from('OggS', 'latin1');
const PAGE_HEADER_BYTES = 27;
const FLAG_BEGINNING_OF_STREAM = 0x02;
/** Granule position -1: no packet ends on this page. */
const NO_GRANULE = -1n;
/** Pages whose checksum is tried per stream, from the last, before the stream's duration is given up. */
const MAX_CHECKSUM_TRIES = 16;
/** The tail searched for each stream's last page: a short one first, a longer one if a stream is missing. */
const TAIL_BYTES = [64 * 1024, 1024 * 1024];

interface Page {
  at: number;
  serial: number;
  granule: bigint;
  isFirst: boolean;
  bodyStart: number;
  end: number;
  /** The first packet's bytes on this page (it may go on, but identification headers are small). */
  firstPacketEnd: number;
}

type Stream =
  | { kind: 'video'; codec: 'theora'; width: number; height: number; secondsOf(granule: bigint): number | null }
  | { kind: 'audio'; codec: string; secondsOf(granule: bigint): number | null };

/** A complete page at `at` in buffer, or undefined when the bytes there are not one. */
function pageAt(buffer: Buffer, at: number): Page | undefined {
  if (buffer.length - at < PAGE_HEADER_BYTES || buffer[at + 4] !== 0 || !buffer.subarray(at, at + 4).equals(CAPTURE)) return undefined;
  const segments = buffer[at + 26]!;
  const bodyStart = at + PAGE_HEADER_BYTES + segments;
  if (bodyStart > buffer.length) return undefined;
  let end = bodyStart;
  let firstPacketEnd = -1;
  for (let i = 0; i < segments; i++) {
    const lacing = buffer[at + PAGE_HEADER_BYTES + i]!;
    end += lacing;
    if (firstPacketEnd === -1 && lacing < 255) firstPacketEnd = end;
  }
  if (end > buffer.length) return undefined;
  return {
    at,
    serial: buffer.readUInt32LE(at + 14),
    granule: buffer.readBigInt64LE(at + 6),
    isFirst: (buffer[at + 5]! & FLAG_BEGINNING_OF_STREAM) !== 0,
    bodyStart,
    end,
    firstPacketEnd: firstPacketEnd === -1 ? end : firstPacketEnd,
  };
}

export async function readOgg(bytes: MediaBytes): Promise<MediaInfo> {
  const streams = identifyStreams(bytes);
  if (streams.size === 0) throw new MediaFormatError('no Ogg stream this reader knows');
  let lastGranules = new Map<number, bigint>();
  for (const tailBytes of TAIL_BYTES) {
    if (lastGranules.size === streams.size) break;
    lastGranules = await lastGranulesOf(bytes, new Set(streams.keys()), tailBytes);
  }
  const seconds = [...streams].map(([serial, stream]) => {
    const granule = lastGranules.get(serial);
    return granule === undefined ? null : stream.secondsOf(granule);
  });
  const known = seconds.filter((s): s is number => s !== null);
  const all = [...streams.values()];
  const video = all.find((stream) => stream.kind === 'video');
  const audio = all.find((stream) => stream.kind === 'audio');
  return {
    durationS: known.length > 0 ? Math.max(...known) : null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
  };
}

/** Every stream starts with its beginning-of-stream page, all of them before any other page (RFC 3533 4). */
function identifyStreams(bytes: MediaBytes): Map<number, Stream> {
  const streams = new Map<number, Stream>();
  for (let at = 0; ; ) {
    bytes.step();
    const page = pageAt(bytes.head, at);
    if (!page || !page.isFirst) break;
    const stream = identify(bytes.head.subarray(page.bodyStart, page.firstPacketEnd));
    if (stream && !streams.has(page.serial)) streams.set(page.serial, stream);
    at = page.end;
  }
  return streams;
}

const startsWith = (packet: Buffer, magic: string) => packet.subarray(0, magic.length).equals(Buffer.from(magic, 'latin1'));

function identify(packet: Buffer): Stream | undefined {
  // Theora spec 6.2: the picture region (PICW x PICH) and the frame rate; KFGSHIFT splits the granule.
  if (startsWith(packet, '\x80theora') && packet.length >= 42) {
    const revision = packet[9]!;
    const frameRateNumerator = packet.readUInt32BE(22);
    const frameRateDenominator = packet.readUInt32BE(26);
    const shift = ((packet[40]! & 0x03) << 3) | (packet[41]! >> 5);
    return {
      kind: 'video',
      codec: 'theora',
      width: packet.readUIntBE(14, 3),
      height: packet.readUIntBE(17, 3),
      secondsOf(granule) {
        if (frameRateNumerator === 0) return null;
        const frames = (granule >> BigInt(shift)) + (granule & ((1n << BigInt(shift)) - 1n));
        // Since 3.2.1 a granule counts frames from 1; before, from 0.
        return (toNumber(frames) + (revision >= 1 ? 0 : 1)) * frameRateDenominator / frameRateNumerator;
      },
    };
  }
  if (startsWith(packet, '\x01vorbis') && packet.length >= 16) return audioStream('vorbis', packet.readUInt32LE(12), 0);
  if (startsWith(packet, 'OpusHead') && packet.length >= 19) return audioStream('opus', 48_000, packet.readUInt16LE(10));
  // FLAC-in-Ogg mapping: the STREAMINFO block follows "\x7FFLAC", version, header count and "fLaC".
  if (startsWith(packet, '\x7fFLAC') && packet.length >= 30) return audioStream('flac', packet.readUIntBE(27, 3) >> 4, 0);
  return undefined;
}

/** Audio granules count samples (Opus at 48 kHz, after its pre-skip). */
function audioStream(codec: string, sampleRate: number, preSkip: number): Stream {
  return {
    kind: 'audio',
    codec,
    secondsOf: (granule) => (sampleRate === 0 ? null : (toNumber(granule) - preSkip) / sampleRate),
  };
}

function toNumber(granule: bigint): number {
  if (granule < 0n || granule > BigInt(Number.MAX_SAFE_INTEGER)) throw new MediaFormatError('granule position out of range');
  return Number(granule);
}

/**
 * The last granule position of each stream, from the pages in the file's tail. The tail may start inside
 * a page and a packet may contain "OggS", so every capture pattern is tried and the page whose granule
 * is used must pass its checksum.
 */
async function lastGranulesOf(bytes: MediaBytes, serials: Set<number>, tailBytes: number): Promise<Map<number, bigint>> {
  const { bytes: tail } = await bytes.tail(tailBytes);
  const candidates = new Map<number, Page[]>();
  for (let at = tail.indexOf(CAPTURE); at !== -1; at = tail.indexOf(CAPTURE, at + 1)) {
    bytes.step();
    const page = pageAt(tail, at);
    if (!page || page.granule === NO_GRANULE || !serials.has(page.serial)) continue;
    const pages = candidates.get(page.serial) ?? [];
    pages.push(page);
    candidates.set(page.serial, pages);
  }
  const granules = new Map<number, bigint>();
  for (const [serial, pages] of candidates) {
    const verified = pages.slice(-MAX_CHECKSUM_TRIES).reverse().find((page) => hasValidChecksum(tail, page));
    if (verified) granules.set(serial, verified.granule);
  }
  return granules;
}

// RFC 3533 6: CRC-32 with polynomial 0x04C11DB7, initial value 0, unreflected, over the page with its
// checksum field set to zero. Kept in signed 32-bit integers: an unsigned value past 2^31 is a heap number,
// one allocation per byte checked (most of what a reading allocated).
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let crc = n << 24;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc;
});

function hasValidChecksum(buffer: Buffer, page: Page): boolean {
  const checksumAt = page.at + 22;
  let crc = crcOf(buffer, page.at, checksumAt, 0);
  for (let i = 0; i < 4; i++) crc = (crc << 8) ^ CRC_TABLE[(crc >>> 24) & 0xff]!;
  return crcOf(buffer, checksumAt + 4, page.end, crc) === buffer.readInt32LE(checksumAt);
}

function crcOf(buffer: Buffer, start: number, end: number, crc: number): number {
  for (let i = start; i < end; i++) crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ buffer[i]!) & 0xff]!;
  return crc;
}
