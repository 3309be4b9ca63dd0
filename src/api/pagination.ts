// The `cursor` query parameter of every list, as the place the table modules page from: a seq, or a
// search result's rank and seq.
import { decodeCursor, decodeRankedCursor, type RankedPosition } from '../db/cursor.js';
import { invalidField } from '../http/errors.js';

export function decodePageCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    return decodeCursor(cursor);
  } catch {
    throw invalidField('cursor', 'must be the next_cursor of a previous page');
  }
}

export function decodeSearchCursor(cursor: string | undefined): RankedPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    return decodeRankedCursor(cursor);
  } catch {
    throw invalidField('cursor', 'must be the next_cursor of a previous page of the same search');
  }
}
