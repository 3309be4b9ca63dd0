// The `cursor` query parameter of every list, as the seq the table modules page from.
import { decodeCursor } from '../db/cursor.js';
import { invalidField } from '../http/errors.js';

export function decodePageCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    return decodeCursor(cursor);
  } catch {
    throw invalidField('cursor', 'must be the next_cursor of a previous page');
  }
}
