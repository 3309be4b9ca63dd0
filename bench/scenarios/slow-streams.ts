// H: peak memory while 100 viewers on slow links each stream the 1 GiB file at 8 KiB/s.
import { readMemory, resetPeak } from '../lib/memory.js';
import { absolute, versus } from '../lib/rows.js';
import { holdSlowClients, type SlowClientsResult } from '../lib/slow-clients.js';
import type { ScenarioContext, ScenarioResult } from './context.js';

const CLIENTS = 100;
const BYTES_PER_S = 8 * 1024;

interface Sample extends SlowClientsResult {
  rssBeforeMiB: number;
  peakMiB: number;
}

export async function slowStreams(ctx: ScenarioContext): Promise<ScenarioResult> {
  const samples = new Map<string, Sample>();
  for (const target of ctx.targets.filter((t) => t.fileUrl.large !== null)) {
    const pids = target.pids();
    const before = readMemory(pids);
    resetPeak(pids);
    const result = await holdSlowClients(target.fileUrl.large!, CLIENTS, BYTES_PER_S, ctx.options.slowHoldS * 1000);
    // Summed VmHWM: exact for one process; for nginx's workers an upper bound, as their peaks need not coincide.
    const { peakMiB } = readMemory(pids);
    if (result.failed > 0) ctx.log(`  ${target.name}: ${result.failed} of ${CLIENTS} slow clients got no 2xx answer`);
    ctx.log(`  ${target.name.padEnd(10)} RSS ${before.rssMiB.toFixed(0)} MiB before, peak ${peakMiB.toFixed(0)} MiB with ${result.ok} slow streams`);
    samples.set(target.name, { ...result, rssBeforeMiB: before.rssMiB, peakMiB });
    // Let the server notice the closed sockets before the next target starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const peak = (name: string) => samples.get(name)?.peakMiB ?? null;
  const rows = [
    absolute('H', `peak RSS, ${CLIENTS} slow streams`, 'MiB', peak('moviedash'), { atMost: 150 }),
    versus('H', `peak RSS, ${CLIENTS} slow streams`, 'MiB', peak('moviedash'), 'nginx (all processes)', peak('nginx'), null),
    versus('H', `peak RSS, ${CLIENTS} slow streams`, 'MiB', peak('moviedash'), 'fastify', peak('fastify'), null),
    versus('H', `peak RSS, ${CLIENTS} slow streams`, 'MiB', peak('moviedash'), 'node:http', peak('node:http'), null),
  ];
  if (!samples.has('moviedash')) for (const row of rows) row.note = 'moviedash has no stream route on this branch';
  return { id: 'H', title: `peak RSS with ${CLIENTS} slow streams (${BYTES_PER_S / 1024} KiB/s each)`, rows, raw: Object.fromEntries(samples) };
}
