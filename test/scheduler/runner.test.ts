import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { runPooled, startRunner, type Task } from '../../src/scheduler/runner.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A dispatcher over items that counts how many the runner has pulled. */
function countingDispatcher<T>(items: readonly T[]) {
  const state = { pulled: 0 };
  async function* dispatch() {
    for (const item of items) {
      state.pulled++;
      yield item;
    }
  }
  return { state, dispatch };
}

/** An executor whose calls stay in flight until the test resolves them. */
function gatedExecutor<T>() {
  const started: T[] = [];
  const gates = new Map<T, Deferred>();
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    started,
    gate: (item: T) => gates.get(item)!,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async execute(item: T): Promise<void> {
      started.push(item);
      const gate = deferred();
      gates.set(item, gate);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await gate.promise;
      } finally {
        inFlight--;
      }
    },
  };
}

describe('runPooled()', () => {
  it('executes items in dispatch order for limit 1', async () => {
    const seen: number[] = [];
    await runPooled(countingDispatcher([1, 2, 3, 4]).dispatch(), {
      limit: 1,
      execute: async (item) => void seen.push(item),
    });
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });

  it('keeps at most 2 in flight and reads no item ahead of a free executor for limit 2', async () => {
    const { state, dispatch } = countingDispatcher([1, 2, 3, 4, 5]);
    const executor = gatedExecutor<number>();
    const run = runPooled(dispatch(), { limit: 2, execute: (item) => executor.execute(item) });
    await settle();
    assert.deepEqual(executor.started, [1, 2]);
    assert.equal(state.pulled, 2);

    executor.gate(2).resolve();
    await settle();
    assert.deepEqual(executor.started, [1, 2, 3]);
    assert.equal(state.pulled, 3);

    for (const item of [1, 3, 4, 5]) {
      await settle();
      executor.gate(item).resolve();
    }
    await run;
    assert.deepEqual(executor.started, [1, 2, 3, 4, 5]);
    assert.equal(executor.maxInFlight, 2);
  });

  it('reports a failing item and still executes the others', async () => {
    const done: number[] = [];
    const failed: [number, unknown][] = [];
    await runPooled(countingDispatcher([1, 2, 3]).dispatch(), {
      limit: 2,
      async execute(item) {
        if (item === 2) throw new Error('disk on fire');
      },
      onDone: (item) => done.push(item),
      onFailed: (item, error) => failed.push([item, error]),
    });
    assert.deepEqual(done, [1, 3]);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]![0], 2);
    assert.equal((failed[0]![1] as Error).message, 'disk on fire');
  });

  it('waits for the items in flight, then rethrows, when the dispatcher throws', async () => {
    const executor = gatedExecutor<number>();
    async function* dispatch() {
      yield 1;
      throw new Error('database is locked');
    }
    let isSettled = false;
    const run = runPooled(dispatch(), { limit: 2, execute: (item) => executor.execute(item) }).finally(() => (isSettled = true));
    await settle();
    assert.equal(isSettled, false);
    executor.gate(1).resolve();
    await assert.rejects(run, /database is locked/);
  });

  it('reads and starts nothing more once its signal is aborted', async () => {
    const { state, dispatch } = countingDispatcher([1, 2, 3, 4]);
    const executor = gatedExecutor<number>();
    const abort = new AbortController();
    const run = runPooled(dispatch(), { limit: 1, signal: abort.signal, execute: (item) => executor.execute(item) });
    await settle();
    abort.abort();
    executor.gate(1).resolve();
    await run;
    assert.deepEqual(executor.started, [1]);
    assert.equal(state.pulled, 1);
  });
});

/** A task that counts its runs and keeps each item in flight until the test resolves it. */
function gatedTask(name: string, everyMs?: number) {
  const executor = gatedExecutor<number>();
  let runs = 0;
  const task: Task<number> = {
    name,
    everyMs,
    async *dispatch() {
      yield ++runs;
    },
    execute: (item) => executor.execute(item),
  };
  return { task, executor, runs: () => runs };
}

function mockTime(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
}

describe('startRunner()', () => {
  it('skips the ticks that come while a run outlasts the interval, then runs again', async (t) => {
    mockTime(t);
    const { task, executor, runs } = gatedTask('slow');
    let started = 0;
    const runner = startRunner({ intervalMs: 10, concurrency: 2, tasks: [task], onRun: () => started++ });
    t.after(() => runner.stop());

    t.mock.timers.tick(10);
    await settle();
    for (let i = 0; i < 5; i++) {
      t.mock.timers.tick(10);
      await settle();
    }
    assert.equal(runs(), 1);
    assert.equal(started, 1);

    executor.gate(1).resolve();
    await settle();
    t.mock.timers.tick(10);
    await settle();
    assert.equal(runs(), 2);
    assert.equal(started, 2);
    executor.gate(2).resolve();
  });

  it('runs a task with everyMs 50 once per 50 ms on a 10 ms tick', async (t) => {
    mockTime(t);
    const seen: number[] = [];
    const task: Task<number> = {
      name: 'sweep',
      everyMs: 50,
      async *dispatch() {
        yield Date.now();
      },
      execute: async (item) => void seen.push(item),
    };
    const runner = startRunner({ intervalMs: 10, concurrency: 1, tasks: [task] });
    t.after(() => runner.stop());
    for (let i = 0; i < 12; i++) {
      t.mock.timers.tick(10);
      await settle();
    }
    assert.deepEqual(seen, [1_000_010, 1_000_060, 1_000_110]);
  });

  it('reports a failing item and a failing dispatcher, and still runs the other tasks', async (t) => {
    mockTime(t);
    const events: string[] = [];
    const failingItem: Task<number> = {
      name: 'items',
      async *dispatch() {
        yield* [1, 2];
      },
      async execute(item) {
        if (item === 1) throw new Error('EISDIR');
      },
    };
    const failingDispatch: Task<number> = {
      name: 'broken',
      async *dispatch() {
        throw new Error('database is locked');
      },
      execute: async () => {},
    };
    const healthy: Task<number> = {
      name: 'healthy',
      async *dispatch() {
        yield 1;
      },
      execute: async () => {},
    };
    const runner = startRunner({
      intervalMs: 10,
      concurrency: 1,
      tasks: [failingItem, failingDispatch, healthy],
      onItemDone: (task) => events.push(`done ${task}`),
      onItemFailed: (task, error) => events.push(`failed ${task}: ${(error as Error).message}`),
      onTaskFailed: (task, error) => events.push(`task failed ${task}: ${(error as Error).message}`),
    });
    t.after(() => runner.stop());
    t.mock.timers.tick(10);
    for (let i = 0; i < 5; i++) await settle();
    assert.deepEqual(events, [
      'failed items: EISDIR',
      'done items',
      'task failed broken: database is locked',
      'done healthy',
    ]);
  });

  it('resolves stop() only after the item in flight ends, and never ticks again', async (t) => {
    mockTime(t);
    const { task, executor, runs } = gatedTask('slow');
    const runner = startRunner({ intervalMs: 10, concurrency: 1, tasks: [task] });
    t.mock.timers.tick(10);
    await settle();
    assert.equal(executor.inFlight, 1);

    let isStopped = false;
    const stopped = runner.stop().then(() => (isStopped = true));
    await settle();
    assert.equal(isStopped, false);
    executor.gate(1).resolve();
    await stopped;
    assert.equal(executor.inFlight, 0);

    t.mock.timers.tick(100);
    await settle();
    assert.equal(runs(), 1);
  });
});
