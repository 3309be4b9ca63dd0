// M: what reading a video's headers adds to its upload. Every upload's publish step reads them once, on the
// file just stored (so in the page cache), with the call timed here: readStoredMediaInfo over the local disk
// storage, given the size just written. It is timed over many reads of real files (hard links in a
// VIDEO_DIR of the bench's own), and held against the upload of the same file through PUT /upload in the same run.
import { randomUUID } from 'node:crypto';
import { linkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStoredMediaInfo } from '../../src/media/media-info.js';
import { LocalStorage } from '../../src/storage/local-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { VideoFiles } from '../../src/video-files.js';
import { prepareMediaFiles, type MediaFile } from '../lib/media-files.js';
import { absolute, median, versus, type Row } from '../lib/rows.js';
import { uploadWithCurl } from '../lib/upload.js';
import type { ScenarioContext, ScenarioResult } from './context.js';

const GOAL_MS = 5;

interface Timing {
  file: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface BenchFile {
  key: string;
  size: number;
}

/** The file under a key of the bench's own VIDEO_DIR (a hard link: the 1 GiB file is not copied). */
function linked(files: VideoFiles, path: string): BenchFile {
  const key = randomUUID();
  linkSync(path, files.finalPath(key));
  return { key, size: statSync(path).size };
}

// Every file is read this many times before any is timed: the JIT's compiling of the readers happens once in
// a process, and timed with the first file it doubled that file's p99 against a second pass over the same file.
const WARM_UP_READS = 100;

async function time(storage: Storage, { key, size }: BenchFile, reads: number): Promise<Omit<Timing, 'file'>> {
  // Allocated before the clock runs, so the timing's own garbage is not timed.
  const ms = new Float64Array(reads);
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    await readStoredMediaInfo(storage, key, size);
    ms[i] = performance.now() - started;
  }
  ms.sort();
  return { p50Ms: ms[Math.floor(reads / 2)]!, p99Ms: ms[Math.floor(reads * 0.99)]!, maxMs: ms[reads - 1]! };
}

async function uploadMs(ctx: ScenarioContext, file: MediaFile, rounds: number): Promise<number | null> {
  const { moviedash } = ctx;
  if (!moviedash.features.upload) return null;
  const seconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const id = await moviedash.createVideo(`media ${round}`);
    const result = await uploadWithCurl(`${moviedash.target.baseUrl}/upload/${id}`, file.path, { 'X-Session-Id': moviedash.sid });
    if (result.status !== 201) throw new Error(`PUT /upload of ${file.name}: ${result.status} ${result.body}`);
    seconds.push(result.seconds);
    await moviedash.deleteVideo(id);
  }
  return median(seconds)! * 1000;
}

export async function mediaInfo(ctx: ScenarioContext): Promise<ScenarioResult> {
  const files = await prepareMediaFiles(ctx.log);
  const all = [...files, { name: ctx.fixtures.large.name, what: '1 GiB file with no moov', path: ctx.fixtures.large.path }];
  const reads = ctx.options.quick ? 200 : 1000;
  const videoFiles = new VideoFiles(join(ctx.tempDir, 'media-info'));
  const storage = new LocalStorage(videoFiles);
  const benchFiles = all.map((file) => linked(videoFiles, file.path));
  for (const { key, size } of benchFiles) for (let i = 0; i < WARM_UP_READS; i++) await readStoredMediaInfo(storage, key, size);
  const timings: Timing[] = [];
  for (const [i, file] of all.entries()) {
    const timing = { file: file.name, ...(await time(storage, benchFiles[i]!, reads)) };
    ctx.log(`  ${file.what.padEnd(30)} p50 ${timing.p50Ms.toFixed(3)} ms  p99 ${timing.p99Ms.toFixed(3)} ms  max ${timing.maxMs.toFixed(2)} ms`);
    timings.push(timing);
  }
  const moovAtEnd = files.find((file) => file.name === 'media-moov-at-end.mp4')!;
  const upload = await uploadMs(ctx, moovAtEnd, ctx.options.rounds);
  const rows: Row[] = all.map((file, i) => absolute('M', `media info p99, ${file.what}`, 'ms', timings[i]!.p99Ms, { atMost: GOAL_MS }));
  rows.push(versus('M', 'media info p99, 1 min MP4 moov at end', 'ms', timings[all.indexOf(moovAtEnd)]!.p99Ms, 'its PUT /upload (median)', upload, null));
  return { id: 'M', title: `media info read at upload (readStoredMediaInfo on the local disk, ${reads} reads of each file)`, rows, raw: { timings, uploadMs: upload } };
}
