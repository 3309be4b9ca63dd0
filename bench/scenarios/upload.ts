// F: one 1 GiB PUT /upload: throughput, and how far the server's memory rises above where it stood.
import { MiB } from '../lib/fixtures.js';
import { readMemory, resetPeak } from '../lib/memory.js';
import { absolute, median } from '../lib/rows.js';
import { uploadWithCurl } from '../lib/upload.js';
import type { ScenarioContext, ScenarioResult } from './context.js';

interface Sample {
  mibPerS: number;
  rssBeforeMiB: number;
  peakMiB: number;
  rssAfterMiB: number;
  growthMiB: number;
}

export async function bigUpload(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { moviedash, fixtures } = ctx;
  const samples: Sample[] = [];
  for (let i = 0; moviedash.features.upload && i < ctx.options.uploads; i++) {
    const id = await moviedash.createVideo(`upload ${i + 1}`);
    const pids = moviedash.target.pids();
    const before = readMemory(pids);
    resetPeak(pids);
    const result = await uploadWithCurl(moviedash.target.baseUrl, id, moviedash.sid, fixtures.large.path);
    if (result.status !== 201) throw new Error(`PUT /upload/${id} answered ${result.status}: ${result.body}`);
    const after = readMemory(pids);
    const sample = {
      mibPerS: result.bytes / MiB / result.seconds,
      rssBeforeMiB: before.rssMiB,
      peakMiB: after.peakMiB,
      rssAfterMiB: after.rssMiB,
      growthMiB: after.peakMiB - before.rssMiB,
    };
    ctx.log(`  upload ${i + 1}: ${sample.mibPerS.toFixed(0)} MiB/s, RSS ${before.rssMiB.toFixed(0)} -> peak ${after.peakMiB.toFixed(0)} MiB`);
    samples.push(sample);
    await moviedash.deleteVideo(id);
  }
  const rows = [
    absolute('F', '1 GiB upload', 'MiB/s', median(samples.map((s) => s.mibPerS)), { atLeast: 500 }),
    absolute('F', 'RSS growth (peak - before)', 'MiB', median(samples.map((s) => s.growthMiB)), { atMost: 50 }),
  ];
  if (!moviedash.features.upload) for (const row of rows) row.note = 'moviedash has no PUT /upload route on this branch';
  return { id: 'F', title: 'one 1 GiB upload (PUT /upload/:vid-id)', rows, raw: samples };
}
