import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics } from '../src/metrics.js';

describe('Metrics series', () => {
  it('adds a counter series increments to the sample inc() adds to', () => {
    const metrics = new Metrics();
    const counter = metrics.counter('things_total', 'Things');
    const series = counter.series({ kind: 'a' });
    series.inc();
    series.inc(4);
    counter.inc({ kind: 'a' });
    assert.match(metrics.render(), /^things_total\{kind="a"\} 6$/m);
  });

  it('counts a histogram series observations in the buckets observe() uses', () => {
    const metrics = new Metrics();
    const histogram = metrics.histogram('wait_seconds', 'Waits', [0.1, 1]);
    histogram.series({ route: '/x' }).observe(0.5);
    histogram.observe(0.05, { route: '/x' });
    histogram.observe(1, { route: '/x' });
    histogram.observe(7, { route: '/x' });
    const text = metrics.render();
    assert.match(text, /^wait_seconds_bucket\{route="\/x",le="0.1"\} 1$/m);
    assert.match(text, /^wait_seconds_bucket\{route="\/x",le="1"\} 3$/m);
    assert.match(text, /^wait_seconds_bucket\{route="\/x",le="\+Inf"\} 4$/m);
    assert.match(text, /^wait_seconds_count\{route="\/x"\} 4$/m);
  });
});
