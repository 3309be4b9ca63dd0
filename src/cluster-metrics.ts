// /metrics under WORKERS > 1: the primary serves the operator listener; it asks every worker for its
// families and answers with them and its own (the scheduler's) merged, one `process` label each.
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { mergeFamilies, type Family, type Metrics } from './metrics.js';

const GATHER_TIMEOUT_MS = 1000;

type Message =
  | { type: 'moviedash:metrics-collect'; id: string }
  | { type: 'moviedash:metrics-collected'; id: string; families: Family[] };

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && String((value as { type?: unknown }).type).startsWith('moviedash:metrics-');
}

/** Primary: its own families and those of every worker that answers in time. */
export async function gatherClusterMetrics(own: Metrics): Promise<Family[]> {
  const id = randomUUID();
  const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker?.isConnected() === true);
  const replies = await Promise.all(workers.map((worker) => ask(worker, id)));
  return mergeFamilies([
    { process: 'primary', families: own.collect() },
    ...workers.flatMap((worker, i) => (replies[i] ? [{ process: `worker-${worker.id}`, families: replies[i] }] : [])),
  ]);
}

/** A worker's families, or undefined when it does not answer in time (it may be stopping). */
function ask(worker: Worker, id: string): Promise<Family[] | undefined> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (isMessage(message) && message.type === 'moviedash:metrics-collected' && message.id === id) done(message.families);
    };
    const timer = setTimeout(() => done(undefined), GATHER_TIMEOUT_MS);
    const done = (families: Family[] | undefined) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(families);
    };
    worker.on('message', onMessage);
    worker.send({ type: 'moviedash:metrics-collect', id } satisfies Message);
  });
}

/** Worker: hands its families to the primary when asked. */
export function answerMetricsCollects(own: Metrics): void {
  process.on('message', (message: unknown) => {
    if (isMessage(message) && message.type === 'moviedash:metrics-collect') {
      process.send?.({ type: 'moviedash:metrics-collected', id: message.id, families: own.collect() } satisfies Message);
    }
  });
}
