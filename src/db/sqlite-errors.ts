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
