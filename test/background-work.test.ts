import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundWork } from '../src/background-work.js';

describe('BackgroundWork', () => {
  it('settles once the work it tracks has ended', async () => {
    const work = new BackgroundWork();
    let ended = false;
    work.track(new Promise<void>((resolve) => setTimeout(() => resolve(void (ended = true)), 20)));
    await work.settled(10_000);
    assert.equal(ended, true);
  });

  it('counts the work that has not ended', async () => {
    const work = new BackgroundWork();
    let end = () => {};
    work.track(new Promise<void>((resolve) => (end = resolve)));
    work.track(Promise.resolve());
    assert.equal(work.running, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(work.running, 1);
    end();
    await work.settled(10_000);
    assert.equal(work.running, 0);
  });

  it('stops waiting after its deadline for work that never ends (a hung disk)', { timeout: 5_000 }, async () => {
    const work = new BackgroundWork();
    work.track(new Promise<void>(() => {}));
    const started = performance.now();
    await work.settled(50);
    assert.ok(performance.now() - started < 5_000);
  });
});
