// Streams share the turns of the event loop. Without a limit, 64 fast streams wrote ~32 MiB in one turn
// (a 512 KiB chunk each as their reads came back together), and any other request waited that turn out:
// an API call took ~12 ms (median) beside them. Past BYTES_PER_TURN written in one turn, a stream's next
// chunk waits for a later turn, first come first served: the API median fell to ~0.9 ms, its p99 from ~18
// to ~3 ms, for ~5% less stream throughput (8 MiB: p99 ~5 ms). A response's first chunk never waits.

const BYTES_PER_TURN = 4 * 1024 * 1024;

let writtenThisTurn = 0;
let isTurnEndScheduled = false;
const waiting: (() => void)[] = [];

/** undefined when bytes may be written now; otherwise a promise that resolves in a later turn. */
export function waitForTurn(bytes: number): Promise<void> | undefined {
  scheduleTurnEnd();
  if (waiting.length === 0 && writtenThisTurn < BYTES_PER_TURN) {
    writtenThisTurn += bytes;
    return undefined;
  }
  return new Promise((resolve) => waiting.push(() => {
    writtenThisTurn += bytes;
    resolve();
  }));
}

function scheduleTurnEnd(): void {
  if (isTurnEndScheduled) return;
  isTurnEndScheduled = true;
  setImmediate(endTurn);
}

/** Runs after the turn's I/O: a new budget, first for those that waited. */
function endTurn(): void {
  isTurnEndScheduled = false;
  writtenThisTurn = 0;
  while (waiting.length > 0 && writtenThisTurn < BYTES_PER_TURN) waiting.shift()!();
  if (waiting.length > 0) scheduleTurnEnd();
}
