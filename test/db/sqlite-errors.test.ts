import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageFault } from '../../src/db/sqlite-errors.js';

describe('isStorageFault()', () => {
  const cases = [
    { what: 'SQLITE_FULL', input: new Database.SqliteError('database or disk is full', 'SQLITE_FULL'), expected: true },
    { what: 'SQLITE_IOERR_WRITE', input: new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'), expected: true },
    { what: 'SQLITE_IOERR_FSYNC', input: new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_FSYNC'), expected: true },
    { what: 'a full disk reported under another code', input: new Database.SqliteError('database or disk is full', 'SQLITE_ERROR'), expected: true },
    { what: 'SQLITE_BUSY', input: new Database.SqliteError('database is locked', 'SQLITE_BUSY'), expected: false },
    { what: 'a constraint', input: new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'), expected: false },
    { what: 'a file system ENOSPC (not SQLite)', input: Object.assign(new Error('no space'), { code: 'ENOSPC' }), expected: false },
  ];
  for (const { what, input, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => assert.equal(isStorageFault(input), expected));
  }
});
