import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AsyncQueue } from '../../src/stream/async-queue.js';

const LONG_MS = 60_000;

describe('AsyncQueue', () => {
  it('answers false to offer() when nobody waits', () => {
    const queue = new AsyncQueue<number>();
    assert.equal(queue.offer(1), false);
    assert.equal(queue.length, 0);
  });

  it('hands offered values to waiters in FIFO order', async () => {
    const queue = new AsyncQueue<string>();
    const signal = new AbortController().signal;
    const first = queue.take(signal, LONG_MS);
    const second = queue.take(signal, LONG_MS);
    const third = queue.take(signal, LONG_MS);
    assert.equal(queue.length, 3);
    assert.equal(queue.offer('a'), true);
    assert.equal(queue.offer('b'), true);
    assert.equal(queue.offer('c'), true);
    assert.deepEqual(await Promise.all([first, second, third]), ['a', 'b', 'c']);
    assert.equal(queue.length, 0);
  });

  it('resolves undefined after the timeout and leaves the queue', async () => {
    const queue = new AsyncQueue<number>();
    const taken = queue.take(new AbortController().signal, 5);
    assert.equal(queue.length, 1);
    assert.equal(await taken, undefined);
    assert.equal(queue.length, 0);
    assert.equal(queue.offer(1), false);
  });

  it('rejects with the abort reason and leaves the queue at once', async () => {
    const queue = new AsyncQueue<number>();
    const controller = new AbortController();
    const taken = queue.take(controller.signal, LONG_MS);
    controller.abort(new Error('client left'));
    assert.equal(queue.length, 0);
    await assert.rejects(taken, /client left/);
  });

  it('rejects at once for a signal that is already aborted, without queueing', async () => {
    const queue = new AsyncQueue<number>();
    await assert.rejects(queue.take(AbortSignal.abort(new Error('gone')), LONG_MS), /gone/);
    assert.equal(queue.length, 0);
  });

  it('removes a waiter from the middle, the head and the tail, keeping the others in order', async () => {
    const queue = new AsyncQueue<number>();
    const controllers = [0, 1, 2, 3, 4].map(() => new AbortController());
    const takes = controllers.map((controller) => queue.take(controller.signal, LONG_MS));
    for (const index of [2, 0, 4]) controllers[index]!.abort(new Error(`left ${index}`));
    assert.equal(queue.length, 2);
    queue.offer(10);
    queue.offer(11);
    assert.equal(await takes[1], 10);
    assert.equal(await takes[3], 11);
    for (const index of [0, 2, 4]) await assert.rejects(takes[index]!, new RegExp(`left ${index}`));
    assert.equal(queue.length, 0);
  });

  it('does not reject a waiter that got its value when its signal aborts later', async () => {
    const queue = new AsyncQueue<number>();
    const controller = new AbortController();
    const taken = queue.take(controller.signal, LONG_MS);
    queue.offer(7);
    controller.abort();
    assert.equal(await taken, 7);
  });
});
