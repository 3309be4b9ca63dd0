// Recognising the SQLite errors that mean something to a caller.
import Database from 'better-sqlite3';

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/** An insert that names a row which is gone: deleted by another request while this one ran. */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function isSqliteError(error: unknown): error is Database.SqliteError {
  return error instanceof Database.SqliteError;
}

/**
 * A write the disk could not hold (SQLITE_FULL, "database or disk is full") or could not do (SQLITE_IOERR_*).
 * SQLite has rolled the statement or transaction back: nothing of it was applied.
 */
export function isStorageFault(error: unknown): boolean {
  if (!(error instanceof Database.SqliteError)) return false;
  return error.code === 'SQLITE_FULL' || error.code.startsWith('SQLITE_IOERR') || error.message.includes('database or disk is full');
}
