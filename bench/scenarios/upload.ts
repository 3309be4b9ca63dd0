// F: one 1 GiB raw PUT: throughput, and how far the server's memory rises above where it stood. moviedash's
// PUT /upload/:vid-id against nginx's WebDAV PUT (which, unlike moviedash, does not fsync).
import { MiB } from '../lib/fixtures.js';
import { readMemory, resetPeak } from '../lib/memory.js';
import { absolute, median, versus } from '../lib/rows.js';
import { uploadWithCurl } from '../lib/upload.js';
import type { Target } from '../targets/target.js';
import type { ScenarioContext, ScenarioResult } from './context.js';

interface Sample {
  mibPerS: number;
  rssBeforeMiB: number;
  peakMiB: number;
  growthMiB: number;
}

interface Uploader {
  target: Target;
  /** Where this upload goes and with which headers. */
  prepare(round: number): Promise<{ url: string; headers: Record<string, string> }>;
  /** Removes what the upload stored, so the disk does not fill up over the rounds. */
  cleanUp(url: string): Promise<void>;
}

function uploaders(ctx: ScenarioContext): Uploader[] {
  const { moviedash } = ctx;
  const list: Uploader[] = [];
  if (moviedash.features.upload) {
    let videoId = '';
    list.push({
      target: moviedash.target,
      async prepare(round) {
        // Earlier loads (and uploads) leave freed buffers in the process, which an upload could reuse unseen.
        await moviedash.restart();
        videoId = await moviedash.createVideo(`upload ${round + 1}`);
        return { url: `${moviedash.target.baseUrl}/upload/${videoId}`, headers: { 'X-Session-Id': moviedash.sid } };
      },
      cleanUp: () => moviedash.deleteVideo(videoId),
    });
  }
  for (const target of ctx.targets.filter((t) => t.putUrl !== null)) {
    list.push({
      target,
      prepare: async () => ({ url: target.putUrl!, headers: {} }),
      cleanUp: async (url) => void (await fetch(url, { method: 'DELETE' })),
    });
  }
  return list;
}

async function measure(ctx: ScenarioContext, uploader: Uploader, round: number): Promise<Sample> {
  const { url, headers } = await uploader.prepare(round);
  const pids = uploader.target.pids();
  const before = readMemory(pids);
  resetPeak(pids);
  const result = await uploadWithCurl(url, ctx.fixtures.large.path, headers);
  if (result.status !== 201) throw new Error(`PUT ${url} answered ${result.status}: ${result.body}`);
  const after = readMemory(pids);
  await uploader.cleanUp(url);
  return { mibPerS: result.bytes / MiB / result.seconds, rssBeforeMiB: before.rssMiB, peakMiB: after.peakMiB, growthMiB: after.peakMiB - before.rssMiB };
}

export async function bigUpload(ctx: ScenarioContext): Promise<ScenarioResult> {
  const list = uploaders(ctx);
  const samples = new Map<string, Sample[]>(list.map((u) => [u.target.name, []]));
  for (let round = 0; round < ctx.options.uploads; round++) {
    for (let i = 0; i < list.length; i++) {
      const uploader = list[(i + round) % list.length]!;
      const sample = await measure(ctx, uploader, round);
      ctx.log(`  round ${round + 1} ${uploader.target.name.padEnd(10)} ${sample.mibPerS.toFixed(0)} MiB/s, RSS ${sample.rssBeforeMiB.toFixed(0)} -> peak ${sample.peakMiB.toFixed(0)} MiB`);
      samples.get(uploader.target.name)!.push(sample);
    }
  }
  const mib = (name: string) => median((samples.get(name) ?? []).map((s) => s.mibPerS));
  const growth = (name: string) => median((samples.get(name) ?? []).map((s) => s.growthMiB));
  const rows = [
    absolute('F', '1 GiB upload', 'MiB/s', mib('moviedash'), { atLeast: 500 }),
    versus('F', '1 GiB upload', 'MiB/s', mib('moviedash'), 'nginx WebDAV PUT', mib('nginx'), null),
    absolute('F', 'RSS growth (peak - before)', 'MiB', growth('moviedash'), { atMost: 50 }),
    versus('F', 'RSS growth (peak - before)', 'MiB', growth('moviedash'), 'nginx WebDAV PUT', growth('nginx'), null),
  ];
  if (!samples.has('moviedash')) for (const row of rows) row.note = 'moviedash has no PUT /upload route on this branch';
  return { id: 'F', title: 'one 1 GiB upload (PUT /upload/:vid-id)', rows, raw: Object.fromEntries(samples) };
}
