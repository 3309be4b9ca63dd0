// The outside programs the bench drives, installed from Debian when missing (the bench runs as root on a fresh VPS).
import { spawnSync } from 'node:child_process';

const NEEDED = [
  { command: 'nginx', pkg: 'nginx' },
  { command: 'wrk', pkg: 'wrk' },
  { command: 'curl', pkg: 'curl' },
  // Scenario M's real videos.
  { command: 'ffmpeg', pkg: 'ffmpeg' },
  // Scenario O's S3 server (test/s3/radosgw.sh).
  { command: 'radosgw', pkg: 'radosgw' },
  { command: 'ceph-mon', pkg: 'ceph-mon' },
  { command: 'ceph-osd', pkg: 'ceph-osd' },
];

function isInstalled(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureTools(log: (line: string) => void): void {
  const missing = NEEDED.filter((tool) => !isInstalled(tool.command)).map((tool) => tool.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${missing.join(', ')}: install with apt-get install -y ${missing.join(' ')}`);
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with ${result.status}`);
  }
}

export function versionOf(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? 'unknown';
}
