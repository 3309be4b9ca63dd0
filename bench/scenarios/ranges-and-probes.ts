// The two stream loads that scenarios comparing ways of serving the same files share: B's random 1 MiB ranges of
// the 1 GiB file (c=32) and C's 64 KiB first probes of the 64 MiB file (c=64), each in turns over the setups.
import { MiB } from '../lib/fixtures.js';
import { checkAnswer } from '../lib/http.js';
import type { ScenarioContext } from './context.js';
import { roundRobin, type Contender, type Measured } from './round-robin.js';

/** One way of serving the bench's two files. */
export interface FileSetup {
  name: string;
  url(file: 'small' | 'large'): string;
  pids(): number[];
}

export async function rangesAndProbes(
  ctx: ScenarioContext,
  setups: readonly FileSetup[],
): Promise<{ ranges: Map<string, Measured>; probes: Map<string, Measured> }> {
  const largeSize = ctx.fixtures.large.size;
  const probe = { Range: `bytes=${MiB}-${2 * MiB - 1}` };
  ctx.log('  1 MiB ranges');
  const ranges = await roundRobin(ctx, setups.map((s): Contender => ({
    name: s.name,
    run: { url: s.url('large'), connections: 32, randomRange: { rangeBytes: MiB, fileBytes: largeSize } },
    check: () => checkAnswer(s.url('large'), probe, { status: 206, length: MiB, headers: { 'content-range': `bytes ${MiB}-${2 * MiB - 1}/${largeSize}` } }),
    pids: s.pids,
  })));
  ctx.log('  64 KiB probes');
  const first = { Range: 'bytes=0-65535' };
  const probes = await roundRobin(ctx, setups.map((s): Contender => ({
    name: s.name,
    run: { url: s.url('small'), connections: 64, headers: first },
    check: () => checkAnswer(s.url('small'), first, { status: 206, length: 65536 }),
    pids: s.pids,
  })));
  return { ranges, probes };
}
