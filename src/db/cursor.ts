// Keyset pagination cursors: an opaque token for "rows older than seq". Clients must not parse it.

const PREFIX = 'k1:';

export function encodeCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

/** Throws RangeError when the token was not made by encodeCursor. */
export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('latin1') : '';
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  const seq = Number(digits);
  if (!/^\d{1,15}$/.test(digits) || !Number.isSafeInteger(seq) || seq < 1) throw new RangeError('Unknown cursor');
  return seq;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** rows were fetched with limit + 1: the extra row only says whether there is a next page. */
export function toPage<T extends { seq: number }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(items[items.length - 1]!.seq) };
}

/** The first page reads "older than" a seq no row can reach. */
export const FIRST_PAGE_SEQ = Number.MAX_SAFE_INTEGER;

/** A search result's place: its rank (bm25, lower is better) and seq, as ranks can tie. */
export interface RankedPosition {
  rank: number;
  seq: number;
}

const RANKED_MARK = 0x72;
const RANKED_BYTES = 17;

/** The rank's exact 8 bytes, so the next page starts exactly after this one. */
export function encodeRankedCursor({ rank, seq }: RankedPosition): string {
  const bytes = Buffer.alloc(RANKED_BYTES);
  bytes[0] = RANKED_MARK;
  bytes.writeDoubleBE(rank, 1);
  bytes.writeDoubleBE(seq, 9);
  return bytes.toString('base64url');
}

/** Throws RangeError when the token was not made by encodeRankedCursor. */
export function decodeRankedCursor(cursor: string): RankedPosition {
  const bytes = /^[A-Za-z0-9_-]{23}$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== RANKED_BYTES || bytes[0] !== RANKED_MARK) throw new RangeError('Unknown cursor');
  const rank = bytes.readDoubleBE(1);
  const seq = bytes.readDoubleBE(9);
  if (!Number.isFinite(rank) || !Number.isSafeInteger(seq) || seq < 1) throw new RangeError('Unknown cursor');
  return { rank, seq };
}
