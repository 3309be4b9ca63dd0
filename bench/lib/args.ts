// Command-line options of `npm run bench -- [--quick] [--only A,B] [--rounds N] [--duration S]`.

export const SCENARIO_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'L', 'M', 'O', 'R', 'S'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface BenchOptions {
  quick: boolean;
  only: ReadonlySet<ScenarioId>;
  /** Measured runs per target and scenario; the table shows their median. */
  rounds: number;
  /**
   * Measured runs per target of B and C, whose p99 goals are ratios of two medians: on a shared machine a round's
   * p99 moves by 10-30% from the next one's (now and then several-fold), too much for a 1.2x goal over three.
   */
  latencyRounds: number;
  /** Seconds of each measured wrk run. */
  durationS: number;
  /** Seconds of the unmeasured run before the first round (JIT, page cache, keep-alive pools). */
  warmupS: number;
  /** Seconds the slow clients of scenario H hold their streams. */
  slowHoldS: number;
  /** Uploads in scenarios F and R (per way of uploading). */
  uploads: number;
  /** Run moviedash under node --cpu-prof and print where its CPU time went. */
  profile: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick          short runs, one round (about 2-3 minutes instead of about 8)
  --only A,C,...   run only these scenarios (${SCENARIO_IDS.join(', ')})
  --rounds N       measured rounds per target and scenario (default 3, 5 for B and C; quick 1)
  --duration S     seconds per measured run (default 5, quick 2)
  --profile        run moviedash under node --cpu-prof; print its hottest functions at the end
  --help           this text
`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  let only: Set<ScenarioId> = new Set(SCENARIO_IDS);
  let rounds: number | null = null;
  let durationS = quick ? 2 : 5;
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${name} needs a value`);
    switch (name) {
      case '--quick':
      case '--profile':
        break;
      case '--only':
        only = new Set(value().toUpperCase().split(',').map((id) => toScenarioId(id.trim())));
        break;
      case '--rounds':
        rounds = positiveInteger(name, value());
        break;
      case '--duration':
        durationS = positiveInteger(name, value());
        break;
      default:
        fail(`unknown option ${name}`);
    }
  }
  return { quick, only, rounds: rounds ?? (quick ? 1 : 3), latencyRounds: rounds ?? (quick ? 1 : 5), durationS, warmupS: 1, slowHoldS: quick ? 4 : 10, uploads: quick ? 1 : 2, profile: argv.includes('--profile') };
}

function toScenarioId(id: string): ScenarioId {
  if (!(SCENARIO_IDS as readonly string[]).includes(id)) fail(`unknown scenario "${id}", expected some of ${SCENARIO_IDS.join(',')}`);
  return id as ScenarioId;
}

function positiveInteger(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a whole number above 0, got "${raw}"`);
  return n;
}

function fail(message: string): never {
  throw new UsageError(message);
}

export class UsageError extends Error {}
