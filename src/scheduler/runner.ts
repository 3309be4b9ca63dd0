// A generic background runner: each tick runs every due task, whose dispatcher is an async iterable of
// work items and whose executor handles one item, with at most `concurrency` executors at once.

export interface Task<T> {
  readonly name: string;
  /** Runs at most once per everyMs; every tick when absent. */
  readonly everyMs?: number;
  /** One run's work, read lazily: the runner pulls an item only when an executor is free for it. */
  dispatch(): AsyncIterable<T>;
  /** Throwing fails this item only; the others go on. */
  execute(item: T): Promise<void>;
}

/** An executor's failure with what an operator needs to know (`fields`); `cause` is the underlying fault. */
export class ItemFailure extends Error {
  constructor(message: string, readonly fields: Record<string, unknown>, options: ErrorOptions) {
    super(message, options);
    this.name = 'ItemFailure';
  }
}

export interface RunnerHooks {
  onRun?(): void;
  onItemDone?(task: string): void;
  onItemFailed?(task: string, error: unknown): void;
  /** The dispatcher itself threw (the database is down, say): the task's run ends, the next tick retries. */
  onTaskFailed?(task: string, error: unknown): void;
}

export interface RunnerOptions extends RunnerHooks {
  intervalMs: number;
  concurrency: number;
  // Method syntax in Task makes any Task<T> assignable here.
  tasks: readonly Task<unknown>[];
}

export interface Runner {
  /** Stops ticking and reading work; resolves when the executors in flight have finished. */
  stop(): Promise<void>;
}

export interface PoolOptions<T> {
  limit: number;
  execute(item: T): Promise<void>;
  onDone?(item: T): void;
  onFailed?(item: T, error: unknown): void;
  /** Once aborted, no further item is read or started; those running are awaited. */
  signal?: AbortSignal;
}

/**
 * Runs execute over items with at most `limit` in flight (denoland/std pooledMap): `for await` pulls the
 * next item only after a slot frees up, so a dispatcher is never read ahead of what can run.
 */
export async function runPooled<T>(items: AsyncIterable<T>, options: PoolOptions<T>): Promise<void> {
  const running = new Set<Promise<void>>();
  try {
    for await (const item of items) {
      if (options.signal?.aborted) break;
      const settled: Promise<void> = Promise.resolve()
        .then(() => options.execute(item))
        .then(
          () => options.onDone?.(item),
          (error: unknown) => options.onFailed?.(item, error),
        )
        .finally(() => running.delete(settled));
      running.add(settled);
      if (running.size >= options.limit) await Promise.race(running);
      if (options.signal?.aborted) break;
    }
  } finally {
    await Promise.all(running);
  }
}

/** Starts ticking every intervalMs; a tick while the previous run is still going is skipped. */
export function startRunner(options: RunnerOptions): Runner {
  const abort = new AbortController();
  const lastStarted = new Map<string, number>();
  let current: Promise<void> | undefined;

  const isDue = (task: Task<unknown>, now: number): boolean => {
    const last = lastStarted.get(task.name);
    return task.everyMs === undefined || last === undefined || now - last >= task.everyMs;
  };

  const runTask = async (task: Task<unknown>): Promise<void> => {
    try {
      await runPooled(task.dispatch(), {
        limit: options.concurrency,
        signal: abort.signal,
        execute: (item) => task.execute(item),
        onDone: () => options.onItemDone?.(task.name),
        onFailed: (_item, error) => options.onItemFailed?.(task.name, error),
      });
    } catch (error) {
      options.onTaskFailed?.(task.name, error);
    }
  };

  const run = async (): Promise<void> => {
    options.onRun?.();
    for (const task of options.tasks) {
      if (abort.signal.aborted) return;
      const now = Date.now();
      if (!isDue(task, now)) continue;
      lastStarted.set(task.name, now);
      await runTask(task);
    }
  };

  const timer = setInterval(() => {
    if (current !== undefined || abort.signal.aborted) return;
    current = run().finally(() => (current = undefined));
  }, options.intervalMs);
  // The scheduler never keeps the process alive by itself.
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      abort.abort();
      await current;
    },
  };
}
