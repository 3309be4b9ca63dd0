// A cursor over a buffer for header fields: every read is checked against the bytes present and throws
// MediaFormatError past the end, so a length field in a file can never send a parser outside its data.
import { MediaFormatError } from './media-bytes.js';

export class ByteReader {
  readonly bytes: Buffer;
  #at: number;
  readonly #end: number;

  constructor(bytes: Buffer, start = 0, end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) throw new MediaFormatError('a field runs past its box');
    this.bytes = bytes;
    this.#at = start;
    this.#end = end;
  }

  get offset(): number {
    return this.#at;
  }

  get remaining(): number {
    return this.#end - this.#at;
  }

  #take(length: number): number {
    if (length > this.#end - this.#at) throw new MediaFormatError('a field runs past its box');
    const at = this.#at;
    this.#at += length;
    return at;
  }

  skip(length: number): this {
    this.#take(length);
    return this;
  }

  u8(): number {
    return this.bytes[this.#take(1)]!;
  }

  u16(): number {
    return this.bytes.readUInt16BE(this.#take(2));
  }

  u24(): number {
    return this.bytes.readUIntBE(this.#take(3), 3);
  }

  u32(): number {
    return this.bytes.readUInt32BE(this.#take(4));
  }

  /** A 64-bit field; past 2^53 it is no size or duration a real file has. */
  u64(): number {
    const value = this.bytes.readBigUInt64BE(this.#take(8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MediaFormatError('a 64-bit field is out of range');
    return Number(value);
  }

  /** Four characters of printable ASCII (a box type, a codec's four-character code). */
  fourCc(): string {
    const at = this.#take(4);
    return this.bytes.toString('latin1', at, at + 4);
  }

  sub(length: number): ByteReader {
    const at = this.#take(length);
    return new ByteReader(this.bytes, at, at + length);
  }

  rest(): Buffer {
    const at = this.#take(this.remaining);
    return this.bytes.subarray(at, this.#end);
  }
}
