// A stamp that moves whenever any data could have changed: the caches over the database (comment pages, video
// rows) keep what they hold while it stays the same. total_changes() counts this connection's writes (cascades
// come with a write of their own), costs no lock and is read on every call: a write of this process is seen at
// once. PRAGMA data_version moves when another connection (another worker, a command run beside the server)
// commits; it opens a read transaction to know it, two fcntl lock calls (with the statement, about as much CPU
// as the rest of a 64 KiB probe's handling beyond bare node:http), so it is read once per turn of the event loop:
// a commit of another process is seen by every lookup from the next turn on. The requests handled in one turn
// had reached their sockets before it began (but for one pipelined behind another), so they were sent while
// such a commit was still being made: answering them as of the turn's start is answering them a moment earlier.
import type { Db } from './open.js';

export type DataStamp = [changes: number, version: number];

export function createDataStamp(db: Db): () => DataStamp {
  // Two statements: one SELECT over pragma_data_version costs half as much again (the table-valued pragma).
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  const version = db.prepare<[], number>('PRAGMA data_version').pluck();
  let versionThisTurn: number | undefined;
  const forgetVersion = () => {
    versionThisTurn = undefined;
  };
  return () => {
    if (versionThisTurn === undefined) {
      versionThisTurn = version.get()!;
      setImmediate(forgetVersion);
    }
    return [changes.get()!, versionThisTurn];
  };
}

export function isSameStamp(a: DataStamp, b: DataStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
