// RFC 6381 `codecs` strings from the codecs' own configuration records, the way browsers' canPlayType and
// MediaSource want them. Each record is the payload of its ISO BMFF box, which Matroska's CodecPrivate
// carries unchanged for AVC, HEVC and AV1.
import { ByteReader } from './byte-reader.js';
import { MediaFormatError } from './media-bytes.js';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const dec2 = (n: number) => String(n).padStart(2, '0');

/** ISO/IEC 14496-15 AVCDecoderConfigurationRecord: avc1.PPCCLL (profile, constraint flags, level). */
export function avcCodec(entry: string, avcC: Buffer): string {
  const record = new ByteReader(avcC);
  record.skip(1);
  return `${entry}.${hex2(record.u8())}${hex2(record.u8())}${hex2(record.u8())}`;
}

/** ISO/IEC 14496-15 Annex E.3: hvc1.[A-C]profile.compat.(L|H)level[.constraint bytes]. */
export function hevcCodec(entry: string, hvcC: Buffer): string {
  const record = new ByteReader(hvcC);
  record.skip(1);
  const first = record.u8();
  const profileSpace = ['', 'A', 'B', 'C'][first >> 6]!;
  const tier = first & 0x20 ? 'H' : 'L';
  const profile = first & 0x1f;
  const compatibility = reverseBits32(record.u32());
  const constraints = [...record.sub(6).rest()];
  const level = record.u8();
  while (constraints.length > 0 && constraints.at(-1) === 0) constraints.pop();
  const constraintPart = constraints.map((byte) => `.${byte.toString(16).toUpperCase()}`).join('');
  return `${entry}.${profileSpace}${profile}.${compatibility.toString(16).toUpperCase()}.${tier}${level}${constraintPart}`;
}

function reverseBits32(value: number): number {
  let reversed = 0;
  for (let bit = 0; bit < 32; bit++) reversed = (reversed << 1) | ((value >>> bit) & 1);
  return reversed >>> 0;
}

/** AV1 Codec ISO Media File Format Binding 2.3 (AV1CodecConfigurationRecord): av01.P.LLT.DD. */
export function av1Codec(av1C: Buffer): string {
  const record = new ByteReader(av1C);
  if ((record.u8() & 0x80) === 0) throw new MediaFormatError('av1C without its marker bit');
  const profileAndLevel = record.u8();
  const flags = record.u8();
  const tier = flags & 0x80 ? 'H' : 'M';
  const bitDepth = flags & 0x40 ? (flags & 0x20 ? 12 : 10) : 8;
  return `av01.${profileAndLevel >> 5}.${dec2(profileAndLevel & 0x1f)}${tier}.${dec2(bitDepth)}`;
}

/** VP Codec ISO Media File Format Binding: vp09.PP.LL.DD from a vpcC box's payload (a FullBox). */
export function vpxCodecFromVpcC(entry: string, vpcC: Buffer): string {
  const record = new ByteReader(vpcC);
  record.skip(4);
  return vpxCodec(entry, record.u8(), record.u8(), record.u8() >> 4);
}

export function vpxCodec(entry: string, profile: number, level: number, bitDepth: number): string {
  return `${entry}.${dec2(profile)}.${dec2(level)}.${dec2(bitDepth)}`;
}

// VP9 levels (VP9 bitstream specification, Annex A): the largest picture and luma sample rate of each.
const VP9_LEVELS: readonly (readonly [level: number, maxPictureSize: number, maxSampleRate: number])[] = [
  [10, 36_864, 829_440],
  [11, 73_728, 2_764_800],
  [20, 122_880, 4_608_000],
  [21, 245_760, 9_216_000],
  [30, 552_960, 20_736_000],
  [31, 983_040, 36_864_000],
  [40, 2_228_224, 83_558_400],
  [41, 2_228_224, 160_432_128],
  [50, 8_912_896, 311_951_360],
  [51, 8_912_896, 588_251_136],
  [52, 8_912_896, 1_176_502_272],
  [60, 35_651_584, 1_176_502_272],
  [61, 35_651_584, 2_353_004_544],
  [62, 35_651_584, 4_706_009_088],
];

/** The lowest VP9 level that holds this picture size at this frame rate (WebM stores no level). */
export function vp9Level(width: number, height: number, framesPerSecond: number | null): number | null {
  const pictureSize = width * height;
  const sampleRate = framesPerSecond === null ? 0 : pictureSize * framesPerSecond;
  const found = VP9_LEVELS.find(([, maxPicture, maxRate]) => pictureSize <= maxPicture && sampleRate <= maxRate);
  return found ? found[0] : null;
}

/** VP9 bitstream 6.2 uncompressed_header: a key frame names its profile and, from profile 2, its bit depth. */
export function vp9KeyFrameHeader(frame: Buffer): { profile: number; bitDepth: number } | undefined {
  let bit = 0;
  const read = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++, bit++) {
      const byte = frame[bit >> 3];
      if (byte === undefined) throw new MediaFormatError('VP9 frame header cut short');
      value = (value << 1) | ((byte >> (7 - (bit & 7))) & 1);
    }
    return value;
  };
  if (read(2) !== 2) return undefined;
  const low = read(1);
  const profile = (read(1) << 1) | low;
  if (profile === 3) read(1);
  if (read(1) === 1) return undefined;
  const isKeyFrame = read(1) === 0;
  read(2);
  if (!isKeyFrame || read(24) !== 0x498342) return undefined;
  const bitDepth = profile >= 2 ? (read(1) ? 12 : 10) : 8;
  return { profile, bitDepth };
}

/** ISO/IEC 14496-3 AudioSpecificConfig: mp4a.40.AOT (2 = AAC-LC, 5 = HE-AAC, 29 = HE-AACv2). */
export function aacCodec(audioSpecificConfig: Buffer): string {
  const first = new ByteReader(audioSpecificConfig).u16();
  let objectType = first >> 11;
  // 31 escapes to 32 + the next 6 bits.
  if (objectType === 31) objectType = 32 + ((first >> 5) & 0x3f);
  return `mp4a.40.${objectType}`;
}

const ES_DESCRIPTOR = 0x03;
const DECODER_CONFIG_DESCRIPTOR = 0x04;
const DECODER_SPECIFIC_INFO = 0x05;
const OTI_MPEG4_AUDIO = 0x40;
const OTI_MPEG4_VISUAL = 0x20;
const VISUAL_OBJECT_SEQUENCE_START = Buffer.from([0, 0, 1, 0xb0]);

/**
 * ISO/IEC 14496-1 ES_Descriptor in an `esds` box (a FullBox): mp4a.40.AOT for MPEG-4 audio, mp4v.20.PL for
 * MPEG-4 Part 2 video, otherwise the object type in hex (mp4a.6B is MP3, mp4v.61 MPEG-2 video).
 */
export function esdsCodec(entry: string, esds: Buffer): string {
  const box = new ByteReader(esds);
  box.skip(4);
  const es = descriptor(box, ES_DESCRIPTOR);
  es.skip(2);
  const flags = es.u8();
  if (flags & 0x80) es.skip(2);
  if (flags & 0x40) es.skip(es.u8());
  if (flags & 0x20) es.skip(2);
  const config = descriptor(es, DECODER_CONFIG_DESCRIPTOR);
  const objectType = config.u8();
  config.skip(12);
  const specific = config.remaining > 0 ? descriptor(config, DECODER_SPECIFIC_INFO).rest() : undefined;
  if (objectType === OTI_MPEG4_AUDIO && specific) return aacCodec(specific);
  if (objectType === OTI_MPEG4_VISUAL && specific?.subarray(0, 4).equals(VISUAL_OBJECT_SEQUENCE_START) && specific.length > 4) {
    return `mp4v.20.${specific[4]}`;
  }
  return `${entry}.${objectType.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The next descriptor, which must have this tag; its size is 1-4 bytes of 7 bits each. */
function descriptor(reader: ByteReader, tag: number): ByteReader {
  if (reader.u8() !== tag) throw new MediaFormatError(`esds: expected descriptor ${tag}`);
  let size = 0;
  for (let i = 0; i < 4; i++) {
    const byte = reader.u8();
    size = (size << 7) | (byte & 0x7f);
    if ((byte & 0x80) === 0) break;
  }
  return reader.sub(size);
}
