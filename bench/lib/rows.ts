// One line of the results table: a moviedash figure, what it is held against, the ratio and the verdict.
import type { ScenarioId } from './args.js';

export interface Row {
  scenario: ScenarioId;
  metric: string;
  unit: string;
  moviedash: number | null;
  /** The reference server and its figure; null when the figure is held against a fixed target. */
  reference: { name: string; value: number | null } | null;
  /** moviedash / reference, or moviedash / the fixed target. */
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Bound = { atLeast: number } | { atMost: number } | null;

/** moviedash against a reference's figure; `bound` is the wanted ratio (null: shown for information). */
export function versus(scenario: ScenarioId, metric: string, unit: string, moviedash: number | null, refName: string, refValue: number | null, bound: Bound): Row {
  const ratio = moviedash !== null && refValue ? moviedash / refValue : null;
  return {
    scenario,
    metric,
    unit,
    moviedash,
    reference: { name: refName, value: refValue },
    ratio,
    target: bound === null ? 'info' : 'atLeast' in bound ? `>= ${bound.atLeast}x` : `<= ${bound.atMost}x`,
    pass: judge(ratio, bound),
  };
}

/** moviedash against a fixed figure (p99 <= 10 ms); the ratio is figure / limit. */
export function absolute(scenario: ScenarioId, metric: string, unit: string, moviedash: number | null, bound: NonNullable<Bound>): Row {
  const limit = 'atLeast' in bound ? bound.atLeast : bound.atMost;
  const ratio = moviedash === null ? null : moviedash / limit;
  return {
    scenario,
    metric,
    unit,
    moviedash,
    reference: null,
    ratio,
    target: 'atLeast' in bound ? `>= ${limit} ${unit}` : `<= ${limit} ${unit}`,
    pass: judge(ratio, 'atLeast' in bound ? { atLeast: 1 } : { atMost: 1 }),
  };
}

function judge(ratio: number | null, bound: Bound): boolean | null {
  if (ratio === null || bound === null) return null;
  return 'atLeast' in bound ? ratio >= bound.atLeast : ratio <= bound.atMost;
}
