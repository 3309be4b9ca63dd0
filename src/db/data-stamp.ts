// A stamp that moves whenever any data could have changed: the caches over the database (comment pages, video
// rows) keep what they hold while it stays the same. total_changes() counts this connection's writes (cascades
// come with a write of their own); data_version moves when another connection (another worker, a command run
// beside the server) commits.
import type { Db } from './open.js';

export type DataStamp = [changes: number, version: number];

export function createDataStamp(db: Db): () => DataStamp {
  const stamp = db.prepare<[], DataStamp>('SELECT total_changes(), data_version FROM pragma_data_version').raw();
  return () => stamp.get() as unknown as DataStamp;
}

export function isSameStamp(a: DataStamp, b: DataStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
