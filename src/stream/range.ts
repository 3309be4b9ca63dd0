// The Range header (RFC 9110 14.1-14.2) against a file of `size` bytes. Only one byte range is ever served:
// a request for several is answered with the whole file, which RFC 9110 14.2 allows.

export type RangeRequest =
  /** No Range, another unit, a malformed header, or several ranges: send the whole file (200). */
  | { kind: 'none' }
  /** No requested byte exists: 416, with a Content-Range that names only the size. */
  | { kind: 'unsatisfiable' }
  /** Bytes start..end inclusive, end already clamped to size-1 (206). */
  | { kind: 'range'; start: number; end: number };

type Spec = { kind: 'unsatisfiable' } | { kind: 'range'; start: number; end: number } | { kind: 'whole' };

const UNIT = /^bytes=/i;
const INT_RANGE = /^(\d+)-(\d*)$/;
const SUFFIX_RANGE = /^-(\d+)$/;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || !UNIT.test(header)) return { kind: 'none' };
  // RFC 9110 5.6.1: list elements may be empty and surrounded by whitespace.
  const elements = header.slice('bytes='.length).split(',').map((element) => element.trim()).filter((element) => element !== '');
  if (elements.length === 0) return { kind: 'none' };
  const specs: Spec[] = [];
  for (const element of elements) {
    const spec = parseSpec(element, size);
    if (spec === undefined) return { kind: 'none' };
    specs.push(spec);
  }
  if (specs.every((spec) => spec.kind === 'unsatisfiable')) return { kind: 'unsatisfiable' };
  const [only] = specs;
  return specs.length === 1 && only?.kind === 'range' ? only : { kind: 'none' };
}

/** undefined for a spec that breaks the grammar, which makes the whole header ignored. */
function parseSpec(element: string, size: number): Spec | undefined {
  const int = INT_RANGE.exec(element);
  if (int) {
    const start = Number(int[1]);
    const last = int[2] === '' ? Infinity : Number(int[2]);
    // bytes=500-200 is invalid (RFC 9110 14.1.1); like nginx, Go and send we answer it 416, as the RFC allows.
    if (start >= size || last < start) return { kind: 'unsatisfiable' };
    return { kind: 'range', start, end: Math.min(last, size - 1) };
  }
  const suffix = SUFFIX_RANGE.exec(element);
  if (suffix) {
    const length = Number(suffix[1]);
    // bytes=-0 asks for no byte at all (RFC 9110 14.1.1: a suffix range needs a non-zero length).
    if (length === 0) return { kind: 'unsatisfiable' };
    // An empty file has no last bytes to name, so it is sent whole (and empty).
    if (size === 0) return { kind: 'whole' };
    // bytes=-100 => the last 100 bytes; a suffix longer than the file means all of it.
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 };
  }
  return undefined;
}
