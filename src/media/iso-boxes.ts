// ISO BMFF boxes (ISO/IEC 14496-12 4.2): a 32-bit size and a type, a 64-bit size when the 32-bit one is 1,
// "to the end of the parent" when it is 0. Every box must fit in its parent, so a size can never reach past it.
import { ByteReader } from './byte-reader.js';
import { MediaFormatError, type MediaBytes } from './media-bytes.js';

export interface Box {
  type: string;
  start: number;
  /** Where its payload starts and where the box ends, as file offsets (or offsets in a buffer). */
  dataStart: number;
  end: number;
}

/** Up to 16 bytes at `at` are enough for any box header (a 64-bit size included). */
const MAX_HEADER_BYTES = 16;

/** The box whose header `header` reads, at offset `at` of a parent (or file) ending at parentEnd. */
export function parseBoxHeader(header: ByteReader, at: number, parentEnd: number): Box {
  let size = header.u32();
  const type = header.fourCc();
  let dataStart = at + 8;
  if (size === 1) {
    size = header.u64();
    dataStart += 8;
  } else if (size === 0) {
    size = parentEnd - at;
  }
  if (size < dataStart - at || size > parentEnd - at) throw new MediaFormatError(`box ${JSON.stringify(type)} does not fit in its parent`);
  return { type, start: at, dataStart, end: at + size };
}

/** The boxes of [start, end) in the file; fewer than 8 bytes left over is padding (QuickTime writes 4). */
export async function* boxesInFile(bytes: MediaBytes, start: number, end: number): AsyncGenerator<Box> {
  for (let at = start; end - at >= 8; ) {
    bytes.step();
    const header = await bytes.at(at, Math.min(MAX_HEADER_BYTES, end - at));
    const box = parseBoxHeader(new ByteReader(header), at, end);
    yield box;
    at = box.end;
  }
}

/** The same walk over a box already in memory (a sample entry's children). */
export function* boxesIn(buffer: Buffer, start: number, end: number): Generator<Box> {
  for (let at = start; end - at >= 8; ) {
    const box = parseBoxHeader(new ByteReader(buffer, at, end), at, end);
    yield box;
    at = box.end;
  }
}

/** The payload of the first child of this type. */
export function childIn(buffer: Buffer, start: number, end: number, type: string): Buffer | undefined {
  for (const box of boxesIn(buffer, start, end)) if (box.type === type) return buffer.subarray(box.dataStart, box.end);
  return undefined;
}

/** A box's payload, read (or taken from memory) whole. */
export const payloadOf = (bytes: MediaBytes, box: Box) => bytes.at(box.dataStart, box.end - box.dataStart);
