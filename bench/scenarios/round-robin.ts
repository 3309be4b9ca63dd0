// Runs one wrk load against several targets in turns (A B C, B C A, C A B, ...) so that drift on a shared
// machine hits every target alike; each figure is the median over the rounds.
import { cpuSeconds } from '../lib/cpu.js';
import { median } from '../lib/rows.js';
import type { Row } from '../lib/rows.js';
import { failureOf, runWrk, type WrkResult, type WrkRun } from '../lib/wrk.js';
import type { ScenarioContext } from './context.js';

export interface Contender {
  name: string;
  run: Omit<WrkRun, 'durationS'>;
  /** Asserts that the target answers the request as the scenario assumes (status, length). */
  check(): Promise<void>;
  /** The server's processes: their CPU time per request is measured with each run. */
  pids?(): number[];
}

export interface Run extends WrkResult {
  /** The server's CPU time (user + system) per completed request, in microseconds; null without pids. */
  cpuUsPerReq: number | null;
}

export interface Measured {
  runs: Run[];
  /** Median over the rounds of each figure. */
  reqPerS: number;
  mibPerS: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number | null;
  errors: number;
  /** Set when a run failed (see failureOf): the figures above are then left out of the table. */
  failure: string | null;
}

export async function roundRobin(
  ctx: ScenarioContext,
  contenders: readonly Contender[],
  durationS = ctx.options.durationS,
  rounds = ctx.options.rounds,
): Promise<Map<string, Measured>> {
  for (const contender of contenders) {
    await contender.check();
    await runWrk({ ...contender.run, durationS: ctx.options.warmupS });
  }
  const runs = new Map<string, Run[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]!;
      const result = await measuredRun(contender, durationS);
      ctx.log(`  round ${round + 1} ${contender.name.padEnd(22)} ${describe(result)}`);
      runs.get(contender.name)!.push(result);
    }
  }
  return new Map([...runs].map(([name, results]) => [name, summarize(results)]));
}

async function measuredRun(contender: Contender, durationS: number): Promise<Run> {
  const pids = contender.pids?.() ?? [];
  const cpuBefore = cpuSeconds(pids);
  const result = await runWrk({ ...contender.run, durationS });
  const cpuUs = (cpuSeconds(pids) - cpuBefore) * 1e6;
  return { ...result, cpuUsPerReq: pids.length > 0 && result.requests > 0 ? cpuUs / result.requests : null };
}

function summarize(runs: Run[]): Measured {
  const of = (pick: (r: Run) => number) => median(runs.map(pick))!;
  return {
    runs,
    reqPerS: of((r) => r.reqPerS),
    mibPerS: of((r) => r.mibPerS),
    p50Ms: of((r) => r.latencyMs.p50),
    p99Ms: of((r) => r.latencyMs.p99),
    cpuUsPerReq: runs.some((r) => r.cpuUsPerReq === null) ? null : of((r) => r.cpuUsPerReq!),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    failure: runs.map(failureOf).find((f) => f !== null) ?? null,
  };
}

export function describe(r: WrkResult & { cpuUsPerReq?: number | null }): string {
  const errors = r.errors > 0 ? `  ERRORS ${r.errors}` : '';
  const cpu = typeof r.cpuUsPerReq === 'number' ? `  cpu ${r.cpuUsPerReq.toFixed(1)} us/req` : '';
  return `${r.reqPerS.toFixed(0).padStart(7)} req/s ${r.mibPerS.toFixed(0).padStart(6)} MiB/s  p50 ${r.latencyMs.p50.toFixed(2)} ms  p99 ${r.latencyMs.p99.toFixed(2)} ms${cpu}${errors}`;
}

/** A median figure of one contender, or null when it did not run or its runs failed. */
export function figureOf(results: Map<string, Measured>, name: string, pick: (m: Measured) => number | null): number | null {
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
