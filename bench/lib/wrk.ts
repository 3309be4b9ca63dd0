// Runs wrk with bench/lua/bench.lua and reads the JSON line its done() prints.
import { fileURLToPath } from 'node:url';
import { MiB } from './fixtures.js';
import { runCommand } from './procs.js';

const SCRIPT = fileURLToPath(new URL('../lua/bench.lua', import.meta.url));

export interface WrkRun {
  url: string;
  connections: number;
  durationS: number;
  threads?: number;
  headers?: Record<string, string>;
  /** Each request asks for a random range of this many bytes of a file of `fileBytes`. */
  randomRange?: { rangeBytes: number; fileBytes: number };
  /** Pause on each connection between requests: a low-rate probe rather than a load. */
  delayMs?: number;
  /** A request slower than this counts as a timeout and is left out of the latencies. */
  timeoutS?: number;
}

export interface WrkResult {
  requests: number;
  bytes: number;
  seconds: number;
  reqPerS: number;
  mibPerS: number;
  /** Connect/read/write errors, timeouts and responses with a status of 400 or more. */
  errors: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
}

interface RawResult {
  duration_us: number;
  requests: number;
  bytes: number;
  errors: Record<'connect' | 'read' | 'write' | 'status' | 'timeout', number>;
  latency_us: { mean: number; p50: number; p90: number; p99: number; max: number };
}

export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const threads = Math.min(run.threads ?? 2, run.connections);
  const args = ['-t', String(threads), '-c', String(run.connections), '-d', `${run.durationS}s`];
  args.push('--timeout', `${run.timeoutS ?? 10}s`, '-s', SCRIPT);
  for (const [name, value] of Object.entries(run.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(run.url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (run.randomRange) {
    env.RANGE_BYTES = String(run.randomRange.rangeBytes);
    env.FILE_BYTES = String(run.randomRange.fileBytes);
  }
  if (run.delayMs !== undefined) env.DELAY_MS = String(run.delayMs);
  const { stdout } = await runCommand('wrk', args, { env });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk printed no result for ${run.url}:\n${stdout}`);
  return toResult(JSON.parse(line.slice('BENCH_RESULT '.length)) as RawResult);
}

function toResult(raw: RawResult): WrkResult {
  const seconds = raw.duration_us / 1e6;
  const ms = (us: number) => us / 1000;
  const e = raw.errors;
  return {
    requests: raw.requests,
    bytes: raw.bytes,
    seconds,
    reqPerS: raw.requests / seconds,
    mibPerS: raw.bytes / MiB / seconds,
    errors: e.connect + e.read + e.write + e.status + e.timeout,
    latencyMs: {
      mean: ms(raw.latency_us.mean),
      p50: ms(raw.latency_us.p50),
      p90: ms(raw.latency_us.p90),
      p99: ms(raw.latency_us.p99),
      max: ms(raw.latency_us.max),
    },
  };
}

/** Why a run's figures cannot be trusted: nothing completed, or over 1% of requests failed (non-2xx/3xx, resets). */
export function failureOf(result: WrkResult): string | null {
  if (result.requests === 0) return `no request completed (${result.errors} errors)`;
  if (result.errors > 0.01 * result.requests) return `${result.errors} errors in ${result.requests} requests`;
  return null;
}
