// What the figures were measured on, written beside them: ratios travel between machines, absolute figures do not.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { NGINX_BIN } from '../../test/helpers/nginx.js';
import { versionOf } from './tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
}

export function machineInfo() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    loadAverageAtStart: loadavg().map((n) => Number(n.toFixed(2))),
    node: process.version,
    nginx: versionOf(NGINX_BIN, ['-v']).replace(/^nginx version: /, ''),
    wrk: versionOf('wrk', ['-v']).split(' ').slice(0, 2).join(' '),
    fastify: packageVersion('fastify'),
    fastifyStatic: packageVersion('@fastify/static'),
    moviedashCommit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'src']) ? ' (src modified)' : ''}`,
    moviedashBranch: git(['rev-parse', '--abbrev-ref', 'HEAD']),
  };
}

export type MachineInfo = ReturnType<typeof machineInfo>;
