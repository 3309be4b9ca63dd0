// Real video files made by ffmpeg for the media tests, 2 s at 320x180, and what ffprobe says about each.
// Made on first use into a temp directory of this test run (the test files of one `node --test` share its
// pid as their parent), so each is made once per run; a run removes the directories of runs that ended.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCES = [
  ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=2'],
  ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=48000'],
].flat();

export interface Sample {
  file: string;
  /** ffmpeg's output options (codecs, flags). */
  args: readonly string[];
  /** The encoder it needs, when not every ffmpeg build has it. */
  encoder?: string;
  sourceArgs?: readonly string[];
}

export const SAMPLES = {
  h264Faststart: { file: 'h264-aac-faststart.mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart'] },
  h264MoovAtEnd: { file: 'h264-aac-moov-at-end.mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac'] },
  // QuickTime: ffmpeg writes AAC with a version 1 sound description, its esds inside a `wave` box.
  h264Mov: { file: 'h264-aac.mov', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac'] },
  hevc: { file: 'hevc-aac.mp4', args: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-c:a', 'aac'] },
  vp9: { file: 'vp9-opus.webm', args: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'] },
  av1Mp4: { file: 'av1-aac.mp4', encoder: 'libsvtav1', args: ['-c:v', 'libsvtav1', '-preset', '12', '-c:a', 'aac'] },
  av1Webm: { file: 'av1-opus.webm', encoder: 'libsvtav1', args: ['-c:v', 'libsvtav1', '-preset', '12', '-c:a', 'libopus'] },
  theora: { file: 'theora-vorbis.ogg', args: ['-c:v', 'libtheora', '-q:v', '3', '-c:a', 'libvorbis'] },
  opus: { file: 'opus.ogg', args: ['-vn', '-c:a', 'libopus'] },
  prores: { file: 'prores-pcm.mov', args: ['-c:v', 'prores_ks', '-profile:v', '0', '-c:a', 'pcm_s16le'] },
} satisfies Record<string, Sample>;

const DIR_PREFIX = 'moviedash-media-run-';
let dir: string | undefined;
let encoders: string | undefined;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runDir(): string {
  if (dir) return dir;
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(DIR_PREFIX) ? Number(name.slice(DIR_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.ppid && !isRunning(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  dir = join(tmpdir(), `${DIR_PREFIX}${process.ppid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Whether this machine's ffmpeg has the sample's encoder (AV1 encoders are not in every build). */
export function canMake(sample: Sample): boolean {
  if (!sample.encoder) return true;
  encoders ??= execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return new RegExp(`^\\s*V\\S*\\s+${sample.encoder}\\s`, 'm').test(encoders);
}

/**
 * The sample's path, made now if this run has not made it yet. Test files run in parallel: the one that
 * creates the lock file makes the sample (into a name of its own, then renamed), the others wait for it.
 */
export function samplePath(sample: Sample): string {
  const path = join(runDir(), sample.file);
  const lock = `${path}.lock`;
  while (!existsSync(path)) {
    let isMaker = false;
    try {
      closeSync(openSync(lock, 'wx'));
      isMaker = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!isMaker) {
      sleepSync(50);
      continue;
    }
    try {
      const partial = join(runDir(), `.${process.pid}.${sample.file}`);
      execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...SOURCES, '-shortest', ...sample.args, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(partial, path);
    } finally {
      rmSync(lock, { force: true });
    }
  }
  return path;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A file made from a sample by a test, beside the samples (so ffprobe can read it too). */
export function writeBesideSamples(name: string, bytes: Buffer): string {
  const path = join(runDir(), `${process.pid}.${name}`);
  writeFileSync(path, bytes);
  return path;
}

export interface Probe {
  format: { duration?: string; format_name: string };
  streams: {
    codec_type: 'video' | 'audio';
    codec_name: string;
    codec_tag_string: string;
    profile?: string;
    level?: number;
    width?: number;
    height?: number;
    pix_fmt?: string;
  }[];
}

export function ffprobe(path: string): Probe {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { encoding: 'utf8' });
  return JSON.parse(out) as Probe;
}
