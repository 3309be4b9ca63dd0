import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { waitForTurn } from '../../src/stream/turns.js';

const MiB = 1024 * 1024;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('waitForTurn()', () => {
  beforeEach(nextTurn);

  it('lets 4 MiB be written in one turn and the next writer wait for a later one', async () => {
    assert.equal(waitForTurn(2 * MiB), undefined);
    assert.equal(waitForTurn(2 * MiB), undefined);
    let hasTurn = false;
    void waitForTurn(1)!.then(() => (hasTurn = true));
    await Promise.resolve();
    assert.equal(hasTurn, false);
    await nextTurn();
    assert.equal(hasTurn, true);
  });

  it('gives the later turns to waiters in the order they came, 4 MiB a turn', async () => {
    assert.equal(waitForTurn(4 * MiB), undefined);
    const order: number[] = [];
    const waits = [0, 1, 2, 3].map((i) => waitForTurn(3 * MiB)!.then(() => order.push(i)));
    await nextTurn();
    assert.deepEqual(order, [0, 1]);
    await Promise.all(waits);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });
});
