import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Limiter, type Token } from '../../src/stream/limiter.js';

const LONG_MS = 60_000;
const live = () => new AbortController().signal;

async function hold(limiter: Limiter, count: number): Promise<Token[]> {
  const tokens: Token[] = [];
  for (let i = 0; i < count; i++) {
    const token = await limiter.acquire(live(), 0);
    assert.ok(token, `token ${i} should be free`);
    tokens.push(token);
  }
  return tokens;
}

describe('Limiter', () => {
  it('gives capacity tokens at once and counts them in inUse', async () => {
    const limiter = new Limiter(2);
    await hold(limiter, 2);
    assert.equal(limiter.inUse, 2);
    assert.equal(limiter.waiting, 0);
  });

  it('answers undefined at once when full and waitMs is 0', async () => {
    const limiter = new Limiter(1);
    await hold(limiter, 1);
    assert.equal(await limiter.acquire(live(), 0), undefined);
    assert.equal(limiter.waiting, 0);
  });

  it('answers undefined after waitMs when no token is freed, and forgets the waiter', async () => {
    const limiter = new Limiter(1);
    await hold(limiter, 1);
    const waiting = limiter.acquire(live(), 5);
    assert.equal(limiter.waiting, 1);
    assert.equal(await waiting, undefined);
    assert.equal(limiter.waiting, 0);
    assert.equal(limiter.inUse, 1);
  });

  it('hands a released token straight to the head waiter, so inUse stays at capacity', async () => {
    const limiter = new Limiter(1);
    const [token] = await hold(limiter, 1);
    const waiting = limiter.acquire(live(), LONG_MS);
    token!.release();
    assert.equal(limiter.inUse, 1);
    assert.equal(limiter.waiting, 0);
    assert.ok(await waiting);
    // A newcomer cannot take the handed-off token.
    assert.equal(await limiter.acquire(live(), 0), undefined);
  });

  it('serves waiters in FIFO order', async () => {
    const limiter = new Limiter(1);
    const [first] = await hold(limiter, 1);
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      limiter.acquire(live(), LONG_MS).then((token) => {
        order.push(name);
        return token!;
      }),
    );
    assert.equal(limiter.waiting, 3);
    first!.release();
    (await waiters[0]!).release();
    (await waiters[1]!).release();
    (await waiters[2]!).release();
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.equal(limiter.inUse, 0);
  });

  it('takes a waiter out of the queue at once when its signal aborts', async () => {
    const limiter = new Limiter(1);
    const [token] = await hold(limiter, 1);
    const controller = new AbortController();
    const gone = limiter.acquire(controller.signal, LONG_MS);
    const next = limiter.acquire(live(), LONG_MS);
    controller.abort(new Error('client closed'));
    assert.equal(limiter.waiting, 1);
    await assert.rejects(gone, /client closed/);
    token!.release();
    assert.ok(await next);
    assert.equal(limiter.inUse, 1);
  });

  it('rejects an already aborted signal even when a token is free', async () => {
    const limiter = new Limiter(1);
    await assert.rejects(limiter.acquire(AbortSignal.abort(new Error('gone')), 0), /gone/);
    assert.equal(limiter.inUse, 0);
  });

  it('counts a token released twice only once', async () => {
    const limiter = new Limiter(2);
    const [first] = await hold(limiter, 2);
    first!.release();
    first!.release();
    assert.equal(limiter.inUse, 1);
  });

  it('does not hand a token twice when a handed-off token is released twice', async () => {
    const limiter = new Limiter(1);
    const [first] = await hold(limiter, 1);
    const a = limiter.acquire(live(), LONG_MS);
    const b = limiter.acquire(live(), LONG_MS);
    first!.release();
    first!.release();
    assert.equal(limiter.waiting, 1);
    (await a)!.release();
    assert.ok(await b);
    assert.equal(limiter.inUse, 1);
  });

  it('gives tryAcquire a free token at once and undefined when full, queueing nobody', () => {
    const limiter = new Limiter(1);
    const token = limiter.tryAcquire();
    assert.ok(token);
    assert.equal(limiter.tryAcquire(), undefined);
    assert.equal(limiter.waiting, 0);
    token.release();
    assert.equal(limiter.inUse, 0);
  });

  it('does not let tryAcquire take a token handed to a waiter', async () => {
    const limiter = new Limiter(1);
    const [first] = await hold(limiter, 1);
    const waiting = limiter.acquire(live(), LONG_MS);
    first!.release();
    assert.equal(limiter.tryAcquire(), undefined);
    assert.ok(await waiting);
  });

  it('returns to 0 in use after every token is released', async () => {
    const limiter = new Limiter(3);
    for (const token of await hold(limiter, 3)) token.release();
    assert.equal(limiter.inUse, 0);
    await hold(limiter, 3);
  });

  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    it(`refuses a capacity of ${capacity}`, () => {
      assert.throws(() => new Limiter(capacity), RangeError);
    });
  }
});
