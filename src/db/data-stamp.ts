// A stamp that moves whenever any data could have changed: the caches over the database (comment pages, video
// rows) keep what they hold while it stays the same. Its first part counts the runs of this connection's
// statements that can write (cascades and triggers are part of their statement's run): a write of this process is
// seen at once, and reading the count costs nothing (SELECT total_changes() per lookup was ~2% of a 64 KiB probe's
// CPU). PRAGMA data_version moves when another connection (another worker, a command run beside the server)
// commits; it opens a read transaction to know it, two fcntl lock calls (with the statement, about as much CPU
// as the rest of a 64 KiB probe's handling beyond bare node:http), so it is read once per turn of the event loop:
// a commit of another process is seen by every lookup from the next turn on. The requests handled in one turn
// had reached their sockets before it began (but for one pipelined behind another), so they were sent while
// such a commit was still being made: answering them as of the turn's start is answering them a moment earlier.
import type { Db } from './open.js';

export type DataStamp = readonly [writes: number, version: number];

/** Call before any statement is prepared on db: only the statements prepared after it are counted. */
export function createDataStamp(db: Db): () => DataStamp {
  const writes = countWrites(db);
  const version = db.prepare<[], number>('PRAGMA data_version').pluck();
  let versionThisTurn: number | undefined;
  const forgetVersion = () => {
    versionThisTurn = undefined;
  };
  // The same tuple while nothing moves: no array made per lookup.
  let stamp: DataStamp = [-1, -1];
  return () => {
    if (versionThisTurn === undefined) {
      versionThisTurn = version.get()!;
      setImmediate(forgetVersion);
    }
    if (stamp[0] !== writes.count || stamp[1] !== versionThisTurn) stamp = [writes.count, versionThisTurn];
    return stamp;
  };
}

export function isSameStamp(a: DataStamp, b: DataStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

const RUN_METHODS = ['run', 'get', 'all'] as const;

/** Every statement prepared on db from now on that can write (not sqlite3_stmt_readonly) counts each of its runs. */
function countWrites(db: Db): { count: number } {
  const writes = { count: 0 };
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    if (statement.readonly) return statement;
    for (const method of RUN_METHODS) {
      const run = statement[method] as (...args: unknown[]) => unknown;
      // Counted however the run ends: a failed write may have changed rows before it failed.
      statement[method] = function (this: unknown, ...args: unknown[]) {
        try {
          return run.apply(this, args);
        } finally {
          writes.count++;
        }
      } as never;
    }
    return statement;
  }) as Db['prepare'];
  return writes;
}
