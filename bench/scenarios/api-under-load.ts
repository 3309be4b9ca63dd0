// E: does the event loop stay responsive while it streams? 64 whole-file streams run in the background
// while a low-rate probe (2 connections, 10 ms apart) times GET comments.
import { absolute, median, versus } from '../lib/rows.js';
import { failureOf, runWrk, type WrkResult } from '../lib/wrk.js';
import { checkComments } from './comments.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { describe } from './round-robin.js';

const STREAMS = 64;

interface Sample {
  probe: WrkResult;
  streams: WrkResult;
}

async function measure(streamUrl: string, apiUrl: string, durationS: number): Promise<Sample> {
  // The streams start first and end last, so the whole probe runs under load.
  const streams = runWrk({ url: streamUrl, threads: 1, connections: STREAMS, durationS: durationS + 2, timeoutS: 60 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const probe = await runWrk({ url: apiUrl, threads: 1, connections: 2, durationS, delayMs: 10 });
  return { probe, streams: await streams };
}

/** A 64 MiB stream may not complete within the run, so bytes moved, not requests, say whether streams ran. */
function streamFailure(streams: WrkResult): string | null {
  if (streams.bytes === 0) return 'the streams moved no bytes';
  return streams.errors > 0.01 * Math.max(streams.requests, 100) ? `${streams.errors} stream errors` : null;
}

export async function apiUnderLoad(ctx: ScenarioContext): Promise<ScenarioResult> {
  const targets = ctx.targets.filter((t) => t.fileUrl.small !== null && t.commentsUrl !== null);
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  for (const target of targets) await checkComments(target.commentsUrl!, 20);
  for (let round = 0; round < ctx.options.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round) % targets.length]!;
      const sample = await measure(target.fileUrl.small!, target.commentsUrl!, ctx.options.durationS);
      ctx.log(`  round ${round + 1} ${target.name.padEnd(10)} probe: ${describe(sample.probe)} | streams: ${sample.streams.mibPerS.toFixed(0)} MiB/s`);
      samples.get(target.name)!.push(sample);
    }
  }
  const failures = [...samples].flatMap(([name, list]) =>
    list.flatMap((s) => [failureOf(s.probe), streamFailure(s.streams)]).filter((f) => f !== null).slice(0, 1).map((f) => `${name} failed: ${f}`),
  );
  const valid = (name: string) => (failures.some((f) => f.startsWith(`${name} `)) ? [] : (samples.get(name) ?? []));
  const p99 = (name: string) => median(valid(name).map((s) => s.probe.latencyMs.p99));
  const mib = (name: string) => median(valid(name).map((s) => s.streams.mibPerS));
  const rows = [
    absolute('E', 'API p99 under 64 streams', 'ms', p99('moviedash'), { atMost: 25 }),
    versus('E', 'API p99 under 64 streams', 'ms', p99('moviedash'), 'fastify', p99('fastify'), null),
    versus('E', 'the 64 streams meanwhile', 'MiB/s', mib('moviedash'), 'fastify', mib('fastify'), null),
  ];
  if (!samples.has('moviedash')) failures.unshift('moviedash has no stream route on this branch');
  if (failures.length > 0) for (const row of rows) row.note = failures.join('; ');
  return { id: 'E', title: `API latency while ${STREAMS} streams run`, rows, raw: Object.fromEntries(samples) };
}
