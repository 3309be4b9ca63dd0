// L: does password hashing starve file reads? A low-rate probe reads 64 KiB past the first 64 KiB of a
// video (which the server keeps in memory, so this one needs a read on libuv's thread pool), alone and while
// 100 clients send bad sign-ins back to back (scrypt runs on the same pool).
import { MiB } from '../lib/fixtures.js';
import { checkAnswer } from '../lib/http.js';
import { absolute, median, versus } from '../lib/rows.js';
import { startSignInFlood } from '../lib/sign-in-flood.js';
import { failureOf, runWrk, type WrkResult } from '../lib/wrk.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { describe } from './round-robin.js';

const SIGN_INS = 100;
const RANGE = { Range: `bytes=${MiB}-${MiB + 65535}` };

interface Sample {
  alone: WrkResult;
  flooded: WrkResult;
  /** Sign-ins answered during the flooded run, by status. */
  signIns: Record<number, number>;
}

export async function signInFlood(ctx: ScenarioContext): Promise<ScenarioResult> {
  const url = ctx.moviedash.target.fileUrl.small;
  const probe = (durationS: number) => runWrk({ url: url!, threads: 1, connections: 2, durationS, delayMs: 10, headers: RANGE });
  const samples: Sample[] = [];
  if (url !== null) {
    await checkAnswer(url, RANGE, { status: 206, length: 65536 });
    await probe(ctx.options.warmupS);
    for (let round = 0; round < ctx.options.rounds; round++) {
      const alone = await probe(ctx.options.durationS);
      const flood = startSignInFlood(ctx.moviedash.target.baseUrl, SIGN_INS);
      // Let the flood fill the hashing queue before the probe starts.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const flooded = await probe(ctx.options.durationS);
      const signIns = await flood.stop();
      ctx.log(`  round ${round + 1} alone: ${describe(alone)} | flooded: ${describe(flooded)} | sign-ins answered ${JSON.stringify(signIns)}`);
      samples.push({ alone, flooded, signIns });
    }
  }
  const failures = samples.flatMap((s) => [failureOf(s.alone), failureOf(s.flooded)]).filter((f) => f !== null);
  const valid = failures.length > 0 ? [] : samples;
  const alone = median(valid.map((s) => s.alone.latencyMs.p99));
  const flooded = median(valid.map((s) => s.flooded.latencyMs.p99));
  const signInsPerS = median(valid.map((s) => (s.signIns[401] ?? 0) / s.flooded.seconds));
  const rows = [
    versus('L', `range read p99, ${SIGN_INS} bad sign-ins`, 'ms', flooded, 'moviedash, no sign-ins', alone, null),
    absolute('L', 'p99 added by the sign-ins', 'ms', flooded === null || alone === null ? null : flooded - alone, { atMost: 100 }),
    absolute('L', 'bad sign-ins answered meanwhile', '/s', signInsPerS, { atLeast: 1 }),
  ];
  if (url === null) failures.unshift('moviedash has no stream route on this branch');
  if (failures.length > 0) for (const row of rows) row.note = failures.join('; ');
  return { id: 'L', title: `a 64 KiB range read while ${SIGN_INS} clients send bad sign-ins`, rows, raw: samples };
}
