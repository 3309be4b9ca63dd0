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
/** What players send nearly every time: one range, no spaces. One match instead of a split list. */
const ONE_INT_RANGE = /^bytes=(\d+)-(\d*)$/;

const NONE: RangeRequest = { kind: 'none' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return NONE;
  const one = ONE_INT_RANGE.exec(header);
  if (one) return intRange(one[1]!, one[2]!, size);
  if (!UNIT.test(header)) return NONE;
  // RFC 9110 5.6.1: list elements may be empty and surrounded by whitespace. One pass that keeps only what the
  // answer needs (the first spec, how many, whether all are unsatisfiable): a list of thousands of ranges kept
  // as arrays of strings and specs made the collector copy them, and its time grew faster than the header.
  let first: Spec | undefined;
  let count = 0;
  let isAllUnsatisfiable = true;
  for (let from = 'bytes='.length; from <= header.length; ) {
    const comma = header.indexOf(',', from);
    const end = comma === -1 ? header.length : comma;
    const element = header.slice(from, end).trim();
    from = end + 1;
    if (element === '') continue;
    const spec = parseSpec(element, size);
    if (spec === undefined) return NONE;
    first ??= spec;
    count++;
    if (spec.kind !== 'unsatisfiable') isAllUnsatisfiable = false;
  }
  if (count === 0) return NONE;
  if (isAllUnsatisfiable) return UNSATISFIABLE;
  return count === 1 && first?.kind === 'range' ? first : NONE;
}

/** first-last (last may be empty: to the end) against the file's size. */
function intRange(first: string, last: string, size: number): { kind: 'unsatisfiable' } | { kind: 'range'; start: number; end: number } {
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  // bytes=500-200 is invalid (RFC 9110 14.1.1); like nginx, Go and send we answer it 416, as the RFC allows.
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}

/** undefined for a spec that breaks the grammar, which makes the whole header ignored. */
function parseSpec(element: string, size: number): Spec | undefined {
  const int = INT_RANGE.exec(element);
  if (int) return intRange(int[1]!, int[2]!, size);
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
