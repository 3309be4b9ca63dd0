// Runs one wrk load against several targets in turns (A B C, B C A, C A B, ...) so that drift on a shared
// machine hits every target alike; each figure is the median over the rounds.
import { median } from '../lib/rows.js';
import { runWrk, type WrkResult, type WrkRun } from '../lib/wrk.js';
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
  };
}

export function describe(r: WrkResult): string {
  const errors = r.errors > 0 ? `  ERRORS ${r.errors}` : '';
  return `${r.reqPerS.toFixed(0).padStart(7)} req/s ${r.mibPerS.toFixed(0).padStart(6)} MiB/s  p50 ${r.latencyMs.p50.toFixed(2)} ms  p99 ${r.latencyMs.p99.toFixed(2)} ms${errors}`;
}
