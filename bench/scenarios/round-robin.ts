// Runs one wrk load against several targets in turns (A B C, B C A, C A B, ...) so that drift on a shared
// machine hits every target alike; each figure is the median over the rounds.
import { median } from '../lib/rows.js';
import type { Row } from '../lib/rows.js';
import { failureOf, runWrk, type WrkResult, type WrkRun } from '../lib/wrk.js';
import type { ScenarioContext } from './context.js';

export interface Contender {
  name: string;
  run: Omit<WrkRun, 'durationS'>;
  /** Asserts that the target answers the request as the scenario assumes (status, length). */
  check(): Promise<void>;
}

export interface Measured {
  runs: WrkResult[];
  /** Median over the rounds of each figure. */
  reqPerS: number;
  mibPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Set when a run failed (see failureOf): the figures above are then left out of the table. */
  failure: string | null;
}

export async function roundRobin(ctx: ScenarioContext, contenders: readonly Contender[], durationS = ctx.options.durationS): Promise<Map<string, Measured>> {
  for (const contender of contenders) {
    await contender.check();
    await runWrk({ ...contender.run, durationS: ctx.options.warmupS });
  }
  const runs = new Map<string, WrkResult[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ctx.options.rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]!;
      const result = await runWrk({ ...contender.run, durationS });
      ctx.log(`  round ${round + 1} ${contender.name.padEnd(22)} ${describe(result)}`);
      runs.get(contender.name)!.push(result);
    }
  }
  return new Map([...runs].map(([name, results]) => [name, summarize(results)]));
}

function summarize(runs: WrkResult[]): Measured {
  const of = (pick: (r: WrkResult) => number) => median(runs.map(pick))!;
  return {
    runs,
    reqPerS: of((r) => r.reqPerS),
    mibPerS: of((r) => r.mibPerS),
    p50Ms: of((r) => r.latencyMs.p50),
    p99Ms: of((r) => r.latencyMs.p99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    failure: runs.map(failureOf).find((f) => f !== null) ?? null,
  };
}

export function describe(r: WrkResult): string {
  const errors = r.errors > 0 ? `  ERRORS ${r.errors}` : '';
  return `${r.reqPerS.toFixed(0).padStart(7)} req/s ${r.mibPerS.toFixed(0).padStart(6)} MiB/s  p50 ${r.latencyMs.p50.toFixed(2)} ms  p99 ${r.latencyMs.p99.toFixed(2)} ms${errors}`;
}

/** A median figure of one contender, or null when it did not run or its runs failed. */
export function figureOf(results: Map<string, Measured>, name: string, pick: (m: Measured) => number): number | null {
  const measured = results.get(name);
  return measured && !measured.failure ? pick(measured) : null;
}

/** Says on the scenario's rows why figures are missing: a contender that could not run, or runs that failed. */
export function noteGaps(rows: Row[], results: Map<string, Measured>, absent: Record<string, string>): Row[] {
  const notes = Object.entries(absent).filter(([name]) => !results.has(name)).map(([, why]) => why);
  for (const [name, measured] of results) if (measured.failure) notes.push(`${name} failed: ${measured.failure}`);
  if (notes.length > 0) for (const row of rows) row.note = notes.join('; ');
  return rows;
}
