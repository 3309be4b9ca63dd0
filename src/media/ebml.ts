// EBML (RFC 8794), the element syntax of Matroska and WebM: an ID and a size, both variable-length integers,
// then the data. Every size is checked against the element's parent, so a size can never reach past it.
import { readVint } from '../upload/sniff-container.js';
import { MediaFormatError, type MediaBytes } from './media-bytes.js';

/** An ID (at most 4 bytes) and a size (at most 8). */
const MAX_HEADER_BYTES = 12;

export interface Element {
  id: number;
  dataStart: number;
  /** Where the element ends; an unknown size (live recordings) ends where its parent does. */
  end: number;
  isUnknownSize: boolean;
}

/** The header at buffer[at]; `base` is the file offset of buffer[0], so the element's offsets are the file's. */
export function parseHeader(buffer: Buffer, at: number, base: number, parentEnd: number): Element {
  const id = readVint(buffer, at, true);
  const size = id && readVint(buffer, at + id.length, false);
  if (!id || !size) throw new MediaFormatError('malformed EBML element header');
  const dataStart = base + at + id.length + size.length;
  if (size.value === undefined) return { id: id.value!, dataStart, end: parentEnd, isUnknownSize: true };
  if (size.value > parentEnd - dataStart) throw new MediaFormatError(`EBML element ${id.value!.toString(16)} runs past its parent`);
  return { id: id.value!, dataStart, end: dataStart + size.value, isUnknownSize: false };
}

/** The children of [start, end) in a buffer whose first byte is file offset `base`. */
export function* elementsIn(bytes: MediaBytes, buffer: Buffer, base: number, start: number, end: number): Generator<Element> {
  for (let at = start; at < end; ) {
    bytes.step();
    const element = parseHeader(buffer.subarray(0, end - base), at - base, base, end);
    if (element.isUnknownSize) throw new MediaFormatError('an unknown size is allowed only for Segment and Cluster');
    yield element;
    at = element.end;
  }
}

/** The header of the element at file offset `at`. */
export async function elementAt(bytes: MediaBytes, at: number, parentEnd: number): Promise<Element> {
  bytes.step();
  const header = await bytes.at(at, Math.min(MAX_HEADER_BYTES, Math.min(parentEnd, bytes.size) - at));
  return parseHeader(header, 0, at, parentEnd);
}

/** The element's data, read (or taken from memory) whole. */
export const dataOf = (bytes: MediaBytes, element: Element) => bytes.at(element.dataStart, element.end - element.dataStart);

/** An unsigned integer element: 0-8 bytes, big-endian. */
export function unsigned(data: Buffer): number {
  if (data.length > 8) throw new MediaFormatError('an unsigned integer element is over 8 bytes');
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  if (!Number.isSafeInteger(value)) throw new MediaFormatError('an unsigned integer element is out of range');
  return value;
}

/** A float element: 0, 4 or 8 bytes. */
export function float(data: Buffer): number {
  if (data.length === 4) return data.readFloatBE(0);
  if (data.length === 8) return data.readDoubleBE(0);
  if (data.length === 0) return 0;
  throw new MediaFormatError('a float element is neither 4 nor 8 bytes');
}

/** A string element: ASCII or UTF-8, maybe padded with NULs. */
/** An EBML string without the NUL padding it may carry (a loop: /\0+$/ is quadratic on a run of NULs). */
export function text(data: Buffer): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return data.toString('latin1', 0, end);
}
