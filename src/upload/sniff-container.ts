// Which video container a file is, from its first bytes only: the client's Content-Type is never trusted.

export type SniffResult =
  | { kind: 'match'; mime: string }
  | { kind: 'no-match' }
  /** The bytes so far could still be a match: call again with more, or with isFinal at the end. */
  | { kind: 'need-more' };

/** Enough for any header sniffContainer reads; past this many bytes it decides with what it has. */
export const SNIFF_BYTES = 4096;

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const EBML_DOC_TYPE_ID = 0x4282;
const OGG_MAGIC = Buffer.from('OggS', 'latin1');
// An ISO-BMFF file opens with `ftyp`; QuickTime files older than ftyp open with any of the others.
const OLD_QUICKTIME_BOXES = new Set(['moov', 'mdat', 'free', 'wide', 'skip']);
// HEIF and AVIF images are ISO-BMFF too, but still pictures, not videos.
const IMAGE_BRANDS = new Set(['mif1', 'heic', 'heix', 'avif']);

const match = (mime: string): SniffResult => ({ kind: 'match', mime });
const NO_MATCH: SniffResult = { kind: 'no-match' };
const NEED_MORE: SniffResult = { kind: 'need-more' };

export function sniffContainer(head: Buffer, isFinal: boolean): SniffResult {
  if (startsWithPrefixOf(head, EBML_MAGIC)) return head.length < 4 ? undecided(isFinal) : sniffMatroska(head, isFinal);
  if (startsWithPrefixOf(head, OGG_MAGIC)) return head.length < 4 ? undecided(isFinal) : match('video/ogg');
  return sniffIsoBmff(head, isFinal);
}

function undecided(isFinal: boolean): SniffResult {
  return isFinal ? NO_MATCH : NEED_MORE;
}

/** True when head and prefix agree on their common length (so a short head may still become a match). */
function startsWithPrefixOf(head: Buffer, prefix: Buffer): boolean {
  const length = Math.min(head.length, prefix.length);
  return length > 0 && head.subarray(0, length).equals(prefix.subarray(0, length));
}

// A box: 4-byte big-endian size, then a 4-character type; `ftyp` then names the major brand.
function sniffIsoBmff(head: Buffer, isFinal: boolean): SniffResult {
  if (head.length < 8) return head.length === 0 || couldBeBoxType(head.subarray(4)) ? undecided(isFinal) : NO_MATCH;
  const size = head.readUInt32BE(0);
  // size 0 = the box runs to the end of the file, 1 = a 64-bit size follows; otherwise it covers its own header
  if (size > 1 && size < 8) return NO_MATCH;
  const type = head.toString('latin1', 4, 8);
  if (OLD_QUICKTIME_BOXES.has(type)) return match('video/quicktime');
  if (type !== 'ftyp') return NO_MATCH;
  if (head.length < 12) return isFinal ? NO_MATCH : NEED_MORE;
  const brand = head.toString('latin1', 8, 12);
  if (IMAGE_BRANDS.has(brand)) return NO_MATCH;
  return match(brand === 'qt  ' ? 'video/quicktime' : 'video/mp4');
}

function couldBeBoxType(partial: Buffer): boolean {
  const text = partial.toString('latin1');
  return ['ftyp', ...OLD_QUICKTIME_BOXES].some((type) => type.startsWith(text));
}

// EBML: the header element (ID 1A45DFA3) holds child elements; its DocType child says webm or matroska.
function sniffMatroska(head: Buffer, isFinal: boolean): SniffResult {
  const fallback = match('video/x-matroska');
  const headerSize = readVint(head, 4, false);
  if (headerSize === undefined) return isFinal ? fallback : NEED_MORE;
  let at = 4 + headerSize.length;
  const end = headerSize.value === undefined ? head.length : at + headerSize.value;
  while (at < end) {
    const id = readVint(head, at, true);
    const size = id && readVint(head, at + id.length, false);
    if (!id || !size || size.value === undefined) break;
    const dataAt = at + id.length + size.length;
    if (id.value === EBML_DOC_TYPE_ID) {
      if (dataAt + size.value > head.length) break;
      return docTypeOf(head, dataAt, dataAt + size.value) === 'webm' ? match('video/webm') : fallback;
    }
    at = dataAt + size.value;
  }
  // No DocType yet: wait for more unless the whole header was read (then it has none).
  return isFinal || (end <= head.length && at >= end) ? fallback : NEED_MORE;
}

/** The DocType string without the NUL padding EBML allows after it (a loop: /\0+$/ is quadratic on NULs). */
function docTypeOf(head: Buffer, start: number, end: number): string {
  while (end > start && head[end - 1] === 0) end--;
  return head.toString('latin1', start, end);
}

/**
 * An EBML variable-length integer: the count of leading zero bits in the first byte gives its length.
 * IDs keep the length marker bit; sizes drop it, and an all-ones size means "unknown" (value undefined).
 */
export function readVint(buf: Buffer, at: number, isId: boolean): { length: number; value: number | undefined } | undefined {
  if (at >= buf.length) return undefined;
  const first = buf[at]!;
  if (first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > buf.length || (isId && length > 4)) return undefined;
  let value = isId ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[at + i]!;
    allOnes &&= buf[at + i] === 0xff;
  }
  return { length, value: !isId && allOnes ? undefined : value };
}
