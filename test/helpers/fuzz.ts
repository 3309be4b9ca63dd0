// Property-based fuzzing of the parsers of request bytes (fast-check): the shared run settings, strings
// drawn from the characters a parser cares about, and the two time checks (per input, and growth with size).
import assert from 'node:assert/strict';
import fc from 'fast-check';

/** Runs per property; a failure prints fast-check's seed and the shrunk input to replay it. */
export const FUZZ_RUNS = 300;

/**
 * Any one input must be handled within this plus PER_BYTE_MS per byte. Generous on purpose: the machine
 * is shared and a GC pause can land in any run; a quadratic parser still blows it on a few KB.
 */
const BASE_MS = 250;
const PER_BYTE_MS = 0.05;

/** A string of the given characters, which reach a parser's interesting branches more often than random text. */
export function stringOf(chars: string, maxLength = 200): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), maxLength });
}

/**
 * A stopwatch of this process's CPU time (getrusage, to the microsecond): time the machine gave to other
 * processes is not charged to the parser, as it would be on a wall clock on a shared machine.
 */
function startStopwatch(): () => number {
  const started = process.cpuUsage();
  return () => {
    const { user, system } = process.cpuUsage(started);
    return (user + system) / 1000;
  };
}

/** Runs fn and fails when it took longer than the per-input bound for an input of `bytes`. */
export function withinTimePerByte<T>(bytes: number, fn: () => T): T {
  const elapsed = startStopwatch();
  const value = fn();
  assertTime(elapsed(), bytes);
  return value;
}

export async function withinTimePerByteAsync<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
  const elapsed = startStopwatch();
  const value = await fn();
  assertTime(elapsed(), bytes);
  return value;
}

function assertTime(ms: number, bytes: number): void {
  const limit = BASE_MS + PER_BYTE_MS * bytes;
  assert.ok(ms <= limit, `took ${ms.toFixed(1)} ms for ${bytes} bytes (limit ${limit.toFixed(1)} ms)`);
}

/** How much slower the 8x input may be: linear work is ~8x, quadratic ~64x. */
const GROWTH_LIMIT = 16;
/** Added to the limit so timer noise on tiny timings cannot fail a linear parser. */
const NOISE_MS = 20;
const REPEATS = 5;

/**
 * Fails when fn's time grows clearly faster than its input: fn(make(8n)) may take at most GROWTH_LIMIT times
 * fn(make(n)) plus NOISE_MS. Each size is timed REPEATS times (in CPU time) and the
 * fastest run counts.
 */
export async function assertLinearTime<T>(what: string, make: (n: number) => T, fn: (input: T) => unknown, n: number): Promise<void> {
  const small = await fastestMs(fn, make(n));
  const large = await fastestMs(fn, make(8 * n));
  const limit = GROWTH_LIMIT * small + NOISE_MS;
  assert.ok(large <= limit, `${what}: ${n} units took ${small.toFixed(2)} ms, ${8 * n} took ${large.toFixed(2)} ms (limit ${limit.toFixed(2)} ms)`);
}

async function fastestMs<T>(fn: (input: T) => unknown, input: T): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const elapsed = startStopwatch();
    await fn(input);
    fastest = Math.min(fastest, elapsed());
  }
  return fastest;
}
