// Real videos for scenario M, made once by ffmpeg into the fixture cache: a minute of 640x360 H.264/AAC
// with its moov at the start and at the end, half an hour at a small size (a long film's large moov,
// at the end), a VP9/Opus WebM and a Theora/Vorbis Ogg.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR } from './fixtures.js';
import { runCommand } from './procs.js';

export interface MediaFile {
  name: string;
  what: string;
  path: string;
}

const source = (size: string, seconds: number) => [
  '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=48000`,
];

const RECIPES: { name: string; what: string; args: string[] }[] = [
  { name: 'media-faststart.mp4', what: '1 min MP4, moov at the start', args: [...source('640x360', 60), '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart'] },
  { name: 'media-moov-at-end.mp4', what: '1 min MP4, moov at the end', args: [...source('640x360', 60), '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'] },
  { name: 'media-long-moov-at-end.mp4', what: '30 min MP4, moov at the end', args: [...source('96x54', 1800), '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '32k'] },
  { name: 'media.webm', what: '1 min VP9/Opus WebM', args: [...source('640x360', 60), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'] },
  { name: 'media.ogg', what: '1 min Theora/Vorbis Ogg', args: [...source('640x360', 60), '-c:v', 'libtheora', '-q:v', '3', '-c:a', 'libvorbis'] },
];

export async function prepareMediaFiles(log: (line: string) => void): Promise<MediaFile[]> {
  const files: MediaFile[] = [];
  for (const { name, what, args } of RECIPES) {
    const path = join(FIXTURE_DIR, name);
    if (!existsSync(path)) {
      log(`making ${name} with ffmpeg (once; kept in ${FIXTURE_DIR})`);
      const partial = `${path}.partial.${name.split('.').pop()}`;
      await runCommand('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args, '-shortest', partial]);
      renameSync(partial, path);
    }
    files.push({ name, what, path });
  }
  return files;
}
