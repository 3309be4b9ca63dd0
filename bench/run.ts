// npm run bench: moviedash against nginx and Fastify, in one run on this machine, loaded with wrk over
// loopback. Prints a table of figures, references and ratios and writes it to bench/results/<time>.json.
// Usage: npm run bench -- [--quick] [--only A,B] (see lib/args.ts).
import { chmodSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, SCENARIO_IDS, USAGE, UsageError, type BenchOptions, type ScenarioId } from './lib/args.js';
import { prepareFixtures } from './lib/fixtures.js';
import { machineInfo } from './lib/machine.js';
import { installCleanup, removeOnExit } from './lib/procs.js';
import { formatHotspots, summarizeProfile } from './lib/profile.js';
import { formatTable, writeResults, type Results } from './lib/report.js';
import type { Row } from './lib/rows.js';
import { ensureTools } from './lib/tools.js';
import { apiUnderLoad } from './scenarios/api-under-load.js';
import { commentList } from './scenarios/comments.js';
import type { ScenarioContext, ScenarioResult } from './scenarios/context.js';
import { deepList } from './scenarios/deep-list.js';
import { mediaInfo } from './scenarios/media-info.js';
import { objectStorage } from './scenarios/object-storage.js';
import { search } from './scenarios/search.js';
import { firstProbe, randomRanges, wholeFile } from './scenarios/files.js';
import { signInFlood } from './scenarios/sign-in-flood.js';
import { slowStreams } from './scenarios/slow-streams.js';
import { resumableUpload } from './scenarios/resumable-upload.js';
import { bigUpload } from './scenarios/upload.js';
import { behindNginx } from './scenarios/behind-nginx.js';
import { startFastify } from './targets/fastify.js';
import { prepareMoviedash } from './targets/moviedash.js';
import { startNginx } from './targets/nginx.js';
import { startBareNode } from './targets/node.js';

const SCENARIOS: Record<ScenarioId, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
  A: wholeFile,
  B: randomRanges,
  C: firstProbe,
  D: commentList,
  E: apiUnderLoad,
  F: bigUpload,
  G: deepList,
  H: slowStreams,
  I: behindNginx,
  L: signInFlood,
  M: mediaInfo,
  O: objectStorage,
  R: resumableUpload,
  S: search,
};

// H first, on servers that have only just started; O, F and R last, as they write 1 GiB files.
const RUN_ORDER: readonly ScenarioId[] = ['H', 'A', 'B', 'C', 'D', 'E', 'G', 'I', 'L', 'M', 'S', 'O', 'F', 'R'];

const log = (line: string) => process.stderr.write(`${line}\n`);

async function bench(options: BenchOptions): Promise<boolean> {
  const startedAt = new Date();
  ensureTools(log);
  const fixtures = prepareFixtures(log);
  const tempDir = mkdtempSync(join(tmpdir(), 'moviedash-bench-'));
  removeOnExit(tempDir);
  chmodSync(tempDir, 0o755);
  const machine = machineInfo();
  log(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, ${machine.nginx}, load ${machine.loadAverageAtStart.join(' ')}`);

  log('starting moviedash (dist/main.js) and setting up its videos');
  const profileDir = options.profile ? mkdtempSync(join(tmpdir(), 'moviedash-bench-profile-')) : null;
  const moviedash = await prepareMoviedash(tempDir, fixtures, { deepList: options.only.has('G'), search: options.only.has('S'), profileDir, log });
  log(`moviedash: stream route ${moviedash.features.stream ? 'yes' : 'no'}, upload route ${moviedash.features.upload ? 'yes' : 'no'}, files registered by ${moviedash.registeredBy}`);
  const targets = [moviedash.target, await startNginx(tempDir, fixtures), await startFastify(fixtures, moviedash.twinDb), await startBareNode(fixtures)];
  const ctx: ScenarioContext = { options, fixtures, targets, moviedash, tempDir, log };

  const results: ScenarioResult[] = [];
  const incidents: string[] = [];
  let allRan = true;
  for (const id of RUN_ORDER.filter((id) => options.only.has(id))) {
    log(`\n${id}: running`);
    try {
      // On a shared machine something else may end the server; say so, and go on with a fresh one.
      if (!moviedash.isRunning()) {
        incidents.push(`before ${id}: moviedash had stopped (${moviedash.target.diagnose()}); restarted it`);
        log(incidents.at(-1)!);
        await moviedash.restart();
      }
      results.push(await SCENARIOS[id](ctx));
    } catch (error) {
      allRan = false;
      log(`${id} failed: ${(error as Error).stack ?? String(error)}`);
      for (const target of targets) log(`${target.name}: ${target.diagnose()}`);
    }
  }
  for (const target of targets) await target.stop();
  const profile = profileDir ? summarizeProfile(profileDir) : null;
  for (const incident of incidents) log(`\nincident: ${incident}`);
  if (profile) log(`\nmoviedash CPU profiles in ${profileDir} (open in Chrome DevTools)\n${profile.busyMs.toFixed(0)} ms busy, ${profile.idleMs.toFixed(0)} ms idle; self time of the busiest functions:\n${formatHotspots(profile.hotspots)}`);

  results.sort((a, b) => SCENARIO_IDS.indexOf(a.id) - SCENARIO_IDS.indexOf(b.id));
  const rows: Row[] = results.flatMap((r) => r.rows);
  process.stdout.write(`\n${results.map((r) => `${r.id}: ${r.title}`).join('\n')}\n\n${formatTable(rows, machine)}\n`);
  const record: Results = {
    startedAt: startedAt.toISOString(),
    seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    options: { quick: options.quick, only: [...options.only], rounds: options.rounds, latencyRounds: options.latencyRounds, durationS: options.durationS },
    machine: { ...machine, loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(2))) },
    moviedash: {
      features: moviedash.features,
      registeredBy: moviedash.registeredBy,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => ['WORKERS', 'STREAM_MAX_CONNS', 'STREAM_QUEUE_MS'].includes(k))) as Record<string, string>,
    },
    rows,
    incidents,
    profile,
    scenarios: Object.fromEntries(results.map((r) => [r.id, { title: r.title, raw: r.raw }])),
  };
  log(`\nwritten to ${writeResults(record, options)} (${record.seconds} s)`);
  return allRan;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    if (process.argv.includes('--help')) {
      process.stdout.write(USAGE);
      return;
    }
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  installCleanup();
  const allRan = await bench(options);
  process.exit(allRan ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
