// A streaming multipart/form-data parser (RFC 7578 over RFC 2046): an async generator that turns the
// body's chunks into part headers and part data without ever holding a part whole. Only a carry-over
// tail shorter than the delimiter is kept between chunks, so a boundary split across chunks is found.

export type FormEvent =
  | { kind: 'part'; name: string | undefined; filename: string | undefined }
  /** Bytes of the part last opened; a part's data may come in any number of these. */
  | { kind: 'data'; bytes: Buffer };

export type FormContentType = { kind: 'form'; boundary: string } | { kind: 'not-form' } | { kind: 'bad-boundary' };

export interface MultipartLimits {
  /** Bytes of one part's header block. */
  headerBytes: number;
  parts: number;
}

const DEFAULT_LIMITS: MultipartLimits = { headerBytes: 16 * 1024, parts: 100 };

/** The body is not well-formed multipart/form-data; the message says where. */
export class MultipartError extends Error {}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const CRLF = Buffer.from('\r\n');
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
// RFC 2046 5.1.1: 1-70 characters, not ending in a space (we accept any visible ASCII).
const BOUNDARY = /^[\x20-\x7e]{0,69}[\x21-\x7e]$/;
// Whitespace allowed after a boundary before its CRLF ("transport padding"); more than this is malformed.
const MAX_PADDING = 256;

/** Reads the boundary out of a Content-Type header: `multipart/form-data; boundary="x y"` or unquoted. */
export function parseFormContentType(header: string | undefined): FormContentType {
  if (header === undefined) return { kind: 'not-form' };
  const [type = '', ...rest] = header.split(';');
  if (type.trim().toLowerCase() !== 'multipart/form-data') return { kind: 'not-form' };
  const boundary = parseParams(rest.join(';')).get('boundary');
  return boundary !== undefined && BOUNDARY.test(boundary) ? { kind: 'form', boundary } : { kind: 'bad-boundary' };
}

/**
 * `a=b; c="d \"e\""` -> {a: 'b', c: 'd "e"'}; names lower-cased, a malformed parameter skipped up to the
 * next `;`. One pass over the text with no backtracking: a header is the client's to make 16 KB of spaces.
 */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const nameEnd = indexOfEither(text, '=', ';', at);
    if (text[nameEnd] !== '=') {
      at = nameEnd + 1;
      continue;
    }
    const name = text.slice(at, nameEnd).trim().toLowerCase();
    let valueAt = nameEnd + 1;
    while (text[valueAt] === ' ' || text[valueAt] === '\t') valueAt++;
    const quoted = text[valueAt] === '"' ? readQuoted(text, valueAt) : undefined;
    // An unterminated quote is taken as it stands, like any other unquoted value.
    const semicolon = text.indexOf(';', quoted?.end ?? valueAt);
    const end = semicolon === -1 ? text.length : semicolon;
    if (name !== '') params.set(name, quoted?.value ?? text.slice(valueAt, end).trim());
    at = end + 1;
  }
  return params;
}

/** The first index of either character at or after from; text.length when neither is there. */
function indexOfEither(text: string, a: string, b: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === a || text[i] === b) return i;
  return text.length;
}

/** RFC 9110 5.6.4 quoted-string starting at quoteAt: its unescaped value, and the index after its closing quote. */
function readQuoted(text: string, quoteAt: number): { value: string; end: number } | undefined {
  let value = '';
  let from = quoteAt + 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      value += text.slice(from, i);
      from = ++i;
    } else if (text[i] === '"') {
      return { value: value + text.slice(from, i), end: i + 1 };
    }
  }
  return undefined;
}

type State = 'preamble' | 'boundary-line' | 'headers' | 'data' | 'epilogue';

export async function* readMultipart(
  source: AsyncIterable<Buffer>,
  boundary: string,
  limits: MultipartLimits = DEFAULT_LIMITS,
): AsyncGenerator<FormEvent> {
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  // The first boundary may open the body without a CRLF before it: pretend there was one.
  let buf: Buffer = CRLF;
  let state: State = 'preamble';
  let parts = 0;
  const headerBlock = new PendingHeaderBlock();
  for await (const chunk of source) {
    if (headerBlock.bytes > 0) {
      if (!headerBlock.add(chunk)) {
        if (headerBlock.bytes > limits.headerBytes) throw new MultipartError(`part headers are over ${limits.headerBytes} bytes`);
        continue;
      }
      buf = headerBlock.take();
    } else {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    }
    for (;;) {
      if (state === 'preamble' || state === 'data') {
        const at = buf.indexOf(delimiter);
        // No delimiter yet: everything but a tail that could be its start is data (or ignored preamble).
        const end = at === -1 ? Math.max(0, buf.length - (delimiter.length - 1)) : at;
        if (state === 'data' && end > 0) yield { kind: 'data', bytes: buf.subarray(0, end) };
        if (at === -1) {
          buf = buf.subarray(end);
          break;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'boundary-line';
      } else if (state === 'boundary-line') {
        if (buf.length < 2) break;
        if (buf[0] === DASH && buf[1] === DASH) {
          state = 'epilogue';
          continue;
        }
        const eol = buf.indexOf(CRLF);
        if (eol === -1 && buf.length > MAX_PADDING) throw new MultipartError('a boundary line is too long');
        if (eol === -1) break;
        if (!/^[ \t]*$/.test(buf.toString('latin1', 0, eol))) throw new MultipartError('text follows a boundary on its line');
        if (++parts > limits.parts) throw new MultipartError(`more than ${limits.parts} parts`);
        buf = buf.subarray(eol + 2);
        state = 'headers';
      } else if (state === 'headers') {
        if (buf.length < 2) break;
        // A part without headers has its blank line right away.
        const end = buf[0] === CR && buf[1] === LF ? 0 : buf.indexOf(CRLF_CRLF);
        if (end === -1 && buf.length > limits.headerBytes) throw new MultipartError(`part headers are over ${limits.headerBytes} bytes`);
        if (end === -1) {
          headerBlock.add(buf);
          buf = EMPTY;
          break;
        }
        if (end > limits.headerBytes) throw new MultipartError(`part headers are over ${limits.headerBytes} bytes`);
        yield { kind: 'part', ...parseDisposition(buf.toString('utf8', 0, end)) };
        buf = buf.subarray(end === 0 ? 2 : end + 4);
        state = 'data';
      } else {
        // The epilogue after the closing boundary is ignored, but read so the request completes.
        buf = EMPTY;
        break;
      }
    }
  }
  if (state !== 'epilogue') {
    throw new MultipartError(state === 'preamble' ? 'no boundary found in the body' : 'the body ends before its closing boundary');
  }
}

/**
 * A part's header block that arrives in pieces. Joining each piece onto the rest would copy and search the
 * whole block again per piece, quadratic for a client that sends it a byte at a time: the pieces wait here
 * unjoined, and only each new one (with the 3 bytes before it) is searched for the blank line.
 */
class PendingHeaderBlock {
  #pieces: Buffer[] = [];
  #bytes = 0;
  #tail: Buffer = EMPTY;

  get bytes(): number {
    return this.#bytes;
  }

  /** True once the pieces so far hold the blank line that ends the block. */
  add(piece: Buffer): boolean {
    const isComplete = piece.includes(CRLF_CRLF) || Buffer.concat([this.#tail, piece.subarray(0, 3)]).includes(CRLF_CRLF);
    this.#pieces.push(piece);
    this.#bytes += piece.length;
    this.#tail = piece.length >= 3 ? piece.subarray(-3) : Buffer.concat([this.#tail, piece]).subarray(-3);
    return isComplete;
  }

  /** The pieces joined; the block is empty again. */
  take(): Buffer {
    const all = Buffer.concat(this.#pieces, this.#bytes);
    this.#pieces = [];
    this.#bytes = 0;
    this.#tail = EMPTY;
    return all;
  }
}

/** The field name and file name from a part's header block (Content-Disposition: form-data; name=...). */
function parseDisposition(headerBlock: string): { name: string | undefined; filename: string | undefined } {
  for (const line of headerBlock === '' ? [] : headerBlock.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) throw new MultipartError('a part header line has no colon');
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const [type = '', ...rest] = line.slice(colon + 1).split(';');
    if (type.trim().toLowerCase() !== 'form-data') continue;
    const params = parseParams(rest.join(';'));
    return { name: params.get('name'), filename: params.get('filename') };
  }
  return { name: undefined, filename: undefined };
}
