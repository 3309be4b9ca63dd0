// A small Prometheus registry: counters, gauges read at scrape time, histograms. Metrics are collected as
// plain families (so several processes' can be merged) and rendered as text format 0.0.4.

type Labels = Record<string, string>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
}

interface Metric {
  collect(): Family;
}

export class Counter implements Metric {
  readonly #values = new Map<string, Sample>();

  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    this.series(labels).inc(by);
  }

  /** The counter of one set of labels, for a hot path to keep: no lookup per increment. */
  series(labels: Labels = {}): { inc(by?: number): void } {
    const key = JSON.stringify(labels);
    let sample = this.#values.get(key);
    if (!sample) this.#values.set(key, (sample = { name: this.name, labels, value: 0 }));
    const kept = sample;
    return {
      inc: (by = 1) => {
        kept.value += by;
      },
    };
  }

  collect(): Family {
    const samples = this.#values.size === 0 ? [{ name: this.name, labels: {}, value: 0 }] : [...this.#values.values()];
    return { name: this.name, help: this.help, type: 'counter', samples: samples.map((sample) => ({ ...sample })) };
  }
}

/** A gauge whose value is read when /metrics is scraped, so it can never go stale. */
export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, readonly read: () => number | [Labels, number][]) {}

  collect(): Family {
    const value = this.read();
    const samples: [Labels, number][] = typeof value === 'number' ? [[{}, value]] : value;
    return { name: this.name, help: this.help, type: 'gauge', samples: samples.map(([labels, sample]) => ({ name: this.name, labels, value: sample })) };
  }
}

export class Histogram implements Metric {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}

  observe(value: number, labels: Labels = {}): void {
    this.series(labels).observe(value);
  }

  /** The histogram of one set of labels, for a hot path to keep: no lookup per observation. */
  series(labels: Labels = {}): { observe(value: number): void } {
    const key = JSON.stringify(labels);
    let series = this.#series.get(key);
    if (!series) this.#series.set(key, (series = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const { buckets } = this;
    const kept = series;
    return {
      // Only the value's own bucket counts it (a request of a few ms would touch every bucket); collect() adds
      // them up into Prometheus's cumulative buckets. A value past the last bucket is in count only.
      observe: (value) => {
        let i = 0;
        while (i < buckets.length && value > buckets[i]!) i++;
        if (i < buckets.length) kept.counts[i]!++;
        kept.sum += value;
        kept.count++;
      },
    };
  }

  collect(): Family {
    const samples: Sample[] = [];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += counts[i]!;
        samples.push({ name: `${this.name}_bucket`, labels: { ...labels, le: String(le) }, value: cumulative });
      });
      samples.push(
        { name: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count },
        { name: `${this.name}_sum`, labels, value: sum },
        { name: `${this.name}_count`, labels, value: count },
      );
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}

export class Metrics {
  readonly #metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.#add(name, new Counter(name, help));
  }

  gauge(name: string, help: string, read: Gauge['read']): Gauge {
    return this.#add(name, new Gauge(name, help, read));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#add(name, new Histogram(name, help, buckets));
  }

  collect(): Family[] {
    return [...this.#metrics.values()].map((metric) => metric.collect());
  }

  render(): string {
    return renderFamilies(this.collect());
  }

  #add<M extends Metric>(name: string, metric: M): M {
    if (this.#metrics.has(name)) throw new TypeError(`Metric ${name} is registered twice`);
    this.#metrics.set(name, metric);
    return metric;
  }
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

export function renderFamilies(families: readonly Family[]): string {
  const lines = families.flatMap((family) => [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} ${family.type}`,
    ...family.samples.map((sample) => `${sample.name}${labelText(sample.labels)} ${sample.value}`),
  ]);
  return `${lines.join('\n')}\n`;
}

/** One family per name, each process's samples told apart by a `process` label. */
export function mergeFamilies(byProcess: readonly { process: string; families: readonly Family[] }[]): Family[] {
  const merged = new Map<string, Family>();
  for (const { process, families } of byProcess) {
    for (const family of families) {
      let into = merged.get(family.name);
      if (!into) merged.set(family.name, (into = { ...family, samples: [] }));
      into.samples.push(...family.samples.map((sample) => ({ ...sample, labels: { process, ...sample.labels } })));
    }
  }
  return [...merged.values()];
}
