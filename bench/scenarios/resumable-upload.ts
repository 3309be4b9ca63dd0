// R: one 1 GiB upload through tus (PATCHes of 8 MiB and of 64 MiB) against the plain PUT of the same file,
// in the same run and with the same client: throughput, and how far the server's memory rises above where
// it stood. Each upload goes to a freshly restarted server, as in F.
import { MiB } from '../lib/fixtures.js';
import { readMemory, resetPeak } from '../lib/memory.js';
import { absolute, median, versus } from '../lib/rows.js';
import { putWhole, tusUpload, type TimedUpload } from '../lib/tus-upload.js';
import type { ScenarioContext, ScenarioResult } from './context.js';

interface Sample {
  mibPerS: number;
  growthMiB: number;
}

const WAYS: { name: string; upload: (baseUrl: string, sid: string, videoId: string, path: string, size: number) => Promise<TimedUpload> }[] = [
  { name: 'PUT', upload: putWhole },
  { name: 'tus 8 MiB', upload: (...args) => tusUpload(...args, 8 * MiB) },
  { name: 'tus 64 MiB', upload: (...args) => tusUpload(...args, 64 * MiB) },
];

async function measure(ctx: ScenarioContext, way: (typeof WAYS)[number], round: number): Promise<Sample> {
  const { moviedash, fixtures } = ctx;
  // Earlier loads (and uploads) leave freed buffers in the process, which an upload could reuse unseen.
  await moviedash.restart();
  const videoId = await moviedash.createVideo(`${way.name} ${round + 1}`);
  const pids = moviedash.target.pids();
  const before = readMemory(pids);
  resetPeak(pids);
  const result = await way.upload(moviedash.target.baseUrl, moviedash.sid, videoId, fixtures.large.path, fixtures.large.size);
  const after = readMemory(pids);
  await moviedash.deleteVideo(videoId);
  return { mibPerS: result.bytes / MiB / result.seconds, growthMiB: after.peakMiB - before.rssMiB };
}

export async function resumableUpload(ctx: ScenarioContext): Promise<ScenarioResult> {
  const samples = new Map<string, Sample[]>(WAYS.map((way) => [way.name, []]));
  for (let round = 0; round < ctx.options.uploads; round++) {
    for (let i = 0; i < WAYS.length; i++) {
      const way = WAYS[(i + round) % WAYS.length]!;
      const sample = await measure(ctx, way, round);
      ctx.log(`  round ${round + 1} ${way.name.padEnd(10)} ${sample.mibPerS.toFixed(0)} MiB/s, RSS growth ${sample.growthMiB.toFixed(1)} MiB`);
      samples.get(way.name)!.push(sample);
    }
  }
  const mib = (name: string) => median(samples.get(name)!.map((s) => s.mibPerS));
  const growth = (name: string) => median(samples.get(name)!.map((s) => s.growthMiB));
  const rows = [
    versus('R', '1 GiB upload, tus 8 MiB PATCHes', 'MiB/s', mib('tus 8 MiB'), 'moviedash PUT', mib('PUT'), { atLeast: 0.8 }),
    versus('R', '1 GiB upload, tus 64 MiB PATCHes', 'MiB/s', mib('tus 64 MiB'), 'moviedash PUT', mib('PUT'), { atLeast: 0.8 }),
    absolute('R', 'RSS growth, tus 8 MiB PATCHes', 'MiB', growth('tus 8 MiB'), { atMost: 50 }),
    absolute('R', 'RSS growth, tus 64 MiB PATCHes', 'MiB', growth('tus 64 MiB'), { atMost: 50 }),
    absolute('R', 'RSS growth, PUT (same client)', 'MiB', growth('PUT'), { atMost: 50 }),
  ];
  return { id: 'R', title: 'one 1 GiB resumable upload (tus) against the plain PUT', rows, raw: Object.fromEntries(samples) };
}
