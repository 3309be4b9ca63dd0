// The results table on stdout, and the same figures with every run and the machine in bench/results/<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_IDS, type BenchOptions } from './args.js';
import type { MachineInfo } from './machine.js';
import type { Hotspot } from './profile.js';
import type { Row } from './rows.js';

export const RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));

function num(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

const COLUMNS = [
  { title: '', width: 2 },
  { title: 'figure', width: 34 },
  { title: 'moviedash', width: 10, right: true },
  { title: 'against', width: 22 },
  { title: 'its figure', width: 10, right: true },
  { title: 'ratio', width: 7, right: true },
  { title: 'target', width: 14 },
  { title: 'ok', width: 4 },
];

/** The machine heads the table: ratios travel between machines only with the CPU they were measured on. */
export function formatTable(rows: readonly Row[], machine: MachineInfo): string {
  const line = (cells: string[]) =>
    cells.map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(COLUMNS[i]!.width) : cell.padEnd(COLUMNS[i]!.width))).join('  ').trimEnd();
  const out = [
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}, ${machine.nginx}; moviedash ${machine.moviedashCommit}, WORKERS=${process.env.WORKERS ?? 1}`,
    '',
    line(COLUMNS.map((c) => c.title)),
    line(COLUMNS.map((c) => '-'.repeat(c.width))),
  ];
  let lastNote: string | undefined;
  for (const row of rows) {
    out.push(line([
      row.scenario,
      `${row.metric} (${row.unit})`,
      num(row.moviedash),
      row.reference?.name ?? 'fixed target',
      row.reference ? num(row.reference.value) : '',
      row.ratio === null ? '-' : `${num(row.ratio)}x`,
      row.target,
      row.pass === null ? '' : row.pass ? 'yes' : 'NO',
    ]));
    if (row.note && row.note !== lastNote) out.push(`    (${row.note})`);
    lastNote = row.note;
  }
  return out.join('\n');
}

export interface Results {
  startedAt: string;
  seconds: number;
  options: { quick: boolean; only: string[]; rounds: number; latencyRounds: number; durationS: number };
  machine: MachineInfo & { loadAverageAtEnd: number[] };
  moviedash: { features: { stream: boolean; upload: boolean }; registeredBy: string; env: Record<string, string> };
  rows: Row[];
  /** Things that went wrong around the figures (a server that had to be restarted). */
  incidents: string[];
  profile: { files: string[]; busyMs: number; idleMs: number; hotspots: Hotspot[] } | null;
  scenarios: Record<string, { title: string; raw: unknown }>;
}

export function writeResults(results: Results, options: BenchOptions): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, '');
  const partial = options.only.size < SCENARIO_IDS.length ? `-only-${[...options.only].join('')}` : '';
  const path = join(RESULTS_DIR, `${stamp}${options.quick ? '-quick' : ''}${partial}.json`);
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
