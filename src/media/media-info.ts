// What a video file's own headers say about it: duration, picture size and RFC 6381 codec strings, read
// from the first and, when needed, the last bytes of the file (never the whole file) with no external tool.
import { logError } from '../log.js';
import type { Storage } from '../storage/storage.js';
import { openFileBytes, type FileBytes } from './file-bytes.js';
import { readIsoBmff } from './iso-bmff.js';
import { readMatroska } from './matroska.js';
import { MediaBytes, MediaFormatError, MEDIA_LIMITS, type ByteSource, type MediaLimits } from './media-bytes.js';
import { NO_MEDIA_INFO, type MediaInfo } from './media-fields.js';
import { readOgg } from './ogg.js';

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const OGG_MAGIC = Buffer.from('OggS', 'latin1');

/**
 * The media info of the file at path; size, when the caller knows it (it has just written the file), saves asking
 * the file. Never rejects: a file the readers cannot understand (or cannot read) gives NO_MEDIA_INFO, and an
 * upload goes on without it. Each round trip to libuv's threadpool is a chance to wait for a CPU on a busy
 * machine, so a reading takes as few as it can: the open, then the head and tail together (most often all it
 * needs), and no wait for the close.
 */
export async function readMediaInfo(path: string, size?: number): Promise<MediaInfo> {
  let file: FileBytes | undefined;
  try {
    file = await openFileBytes(path, size);
    return await readMediaInfoFrom(file);
  } catch (error) {
    logError('media info: the file could not be read', error, { path });
    return NO_MEDIA_INFO;
  } finally {
    // Every read has settled by now (MediaBytes waits for all it started), and the info holds no bytes of it.
    file?.release();
  }
}

/**
 * The media info of the object at key in storage: a file on this machine as readMediaInfo reads it, an object
 * elsewhere with one ranged read per region read; its size is asked of the storage when not given. Never
 * rejects, like readMediaInfo: a missing object gives NO_MEDIA_INFO too.
 */
export async function readStoredMediaInfo(storage: Storage, key: string, size?: number): Promise<MediaInfo> {
  try {
    const path = storage.pathOf?.(key);
    if (path !== undefined) return await readMediaInfo(path, size);
    const known = size ?? (await storage.stat(key))?.size;
    if (known === undefined) throw new Error(`${key} is gone`);
    return await readMediaInfoFrom(storedByteSource(storage, key, known));
  } catch (error) {
    logError('media info: the file could not be read', error, { key });
    return NO_MEDIA_INFO;
  }
}

function storedByteSource(storage: Storage, key: string, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      if (length === 0) return Buffer.alloc(0);
      const bytes = await storage.read(key, { start: offset, end: offset + length - 1 });
      if (!bytes) throw new Error(`${key} is gone`);
      return Buffer.concat(await bytes.toArray());
    },
  };
}

/** Rejects only when the source's reads fail; anything wrong with the bytes gives NO_MEDIA_INFO. */
export async function readMediaInfoFrom(source: ByteSource, limits: MediaLimits = MEDIA_LIMITS): Promise<MediaInfo> {
  try {
    return checked(await readContainer(await MediaBytes.open(source, limits)));
  } catch (error) {
    if (error instanceof MediaFormatError) return NO_MEDIA_INFO;
    throw error;
  }
}

function readContainer(bytes: MediaBytes): Promise<MediaInfo> {
  const magic = bytes.head.subarray(0, 4);
  if (magic.equals(EBML_MAGIC)) return readMatroska(bytes);
  if (magic.equals(OGG_MAGIC)) return readOgg(bytes);
  return readIsoBmff(bytes);
}

// A number or text a header could claim but no real video has is left out rather than shown.
const MAX_DURATION_S = 10 * 365 * 24 * 3600;
const MAX_PIXELS = 65_535;
const CODEC_STRING = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checked(info: MediaInfo): MediaInfo {
  const { durationS, width, height, videoCodec, audioCodec } = info;
  const isSize = (n: number | null): n is number => n !== null && Number.isInteger(n) && n > 0 && n <= MAX_PIXELS;
  const hasSize = isSize(width) && isSize(height);
  // To the millisecond; a duration that rounds to 0 is none.
  const roundedS = durationS !== null && Number.isFinite(durationS) ? Math.round(durationS * 1000) / 1000 : 0;
  return {
    durationS: roundedS > 0 && roundedS <= MAX_DURATION_S ? roundedS : null,
    width: hasSize ? width : null,
    height: hasSize ? height : null,
    videoCodec: videoCodec !== null && CODEC_STRING.test(videoCodec) ? videoCodec : null,
    audioCodec: audioCodec !== null && CODEC_STRING.test(audioCodec) ? audioCodec : null,
  };
}
