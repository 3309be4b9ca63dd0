// What every scenario receives, and what it gives back.
import type { BenchOptions, ScenarioId } from '../lib/args.js';
import type { Fixtures } from '../lib/fixtures.js';
import type { Row } from '../lib/rows.js';
import type { Moviedash } from '../targets/moviedash.js';
import type { Target } from '../targets/target.js';

export interface ScenarioContext {
  options: BenchOptions;
  fixtures: Fixtures;
  /** Every running target, moviedash first. */
  targets: Target[];
  moviedash: Moviedash;
  /** The run's temp dir (removed at exit), for servers a scenario starts itself. */
  tempDir: string;
  log(line: string): void;
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  rows: Row[];
  /** Every measured run, for the results file. */
  raw: unknown;
}

export function targetNamed(ctx: ScenarioContext, name: Target['name']): Target | undefined {
  return ctx.targets.find((target) => target.name === name);
}
