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
