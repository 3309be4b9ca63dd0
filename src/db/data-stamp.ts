// A stamp that moves whenever any data could have changed: the caches over the database (comment pages, video
// rows) keep what they hold while it stays the same. total_changes() counts this connection's writes (cascades
// come with a write of their own) and costs no lock; PRAGMA data_version moves when another connection (another
// worker, a command run beside the server) commits, and opens a read transaction to know it (two lock calls).
import type { Db } from './open.js';

export type DataStamp = [changes: number, version: number];

export function createDataStamp(db: Db): () => DataStamp {
  // Two statements: one SELECT over pragma_data_version costs half as much again (the table-valued pragma).
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  const version = db.prepare<[], number>('PRAGMA data_version').pluck();
  return () => [changes.get()!, version.get()!];
}

export function isSameStamp(a: DataStamp, b: DataStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
