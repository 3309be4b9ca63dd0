// A, B, C: serving the video files (whole file, random 1 MiB ranges, a player's first 64 KiB probe).
import { MiB } from '../lib/fixtures.js';
import { checkAnswer } from '../lib/http.js';
import { absolute, versus } from '../lib/rows.js';
import type { Target } from '../targets/target.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { figureOf, noteGaps, roundRobin, type Contender } from './round-robin.js';

const ABSENT = { moviedash: 'moviedash has no stream route on this branch' };

function contenders(ctx: ScenarioContext, make: (target: Target) => Contender | null): Contender[] {
  return ctx.targets.map(make).filter((c): c is Contender => c !== null);
}

export async function wholeFile(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { small } = ctx.fixtures;
  const results = await roundRobin(ctx, contenders(ctx, (t) => t.fileUrl.small === null ? null : {
    name: t.name,
    run: { url: t.fileUrl.small, connections: 4, timeoutS: 30 },
    check: () => checkAnswer(t.fileUrl.small!, {}, { status: 200, length: small.size }),
  }));
  const mib = (name: string) => figureOf(results, name, (m) => m.mibPerS);
  return {
    id: 'A',
    title: 'whole 64 MiB file, c=4',
    rows: noteGaps([
      versus('A', 'throughput', 'MiB/s', mib('moviedash'), 'nginx', mib('nginx'), { atLeast: 1.1 }),
      versus('A', 'throughput', 'MiB/s', mib('moviedash'), 'fastify', mib('fastify'), null),
      versus('A', 'throughput', 'MiB/s', mib('moviedash'), 'node:http', mib('node:http'), null),
    ], results, ABSENT),
    raw: Object.fromEntries(results),
  };
}

export async function randomRanges(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { large } = ctx.fixtures;
  const probe = { Range: `bytes=${MiB}-${2 * MiB - 1}` };
  const results = await roundRobin(ctx, contenders(ctx, (t) => t.fileUrl.large === null ? null : {
    name: t.name,
    run: { url: t.fileUrl.large, connections: 32, randomRange: { rangeBytes: MiB, fileBytes: large.size } },
    pids: t.pids,
    check: () => checkAnswer(t.fileUrl.large!, probe, { status: 206, length: MiB, headers: { 'content-range': `bytes ${MiB}-${2 * MiB - 1}/${large.size}` } }),
  }), ctx.options.durationS, ctx.options.latencyRounds);
  const rps = (name: string) => figureOf(results, name, (m) => m.reqPerS);
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const cpu = (name: string) => figureOf(results, name, (m) => m.cpuUsPerReq);
  return {
    id: 'B',
    title: 'random 1 MiB ranges of the 1 GiB file, c=32',
    rows: noteGaps([
      versus('B', 'requests', 'req/s', rps('moviedash'), 'nginx', rps('nginx'), { atLeast: 1.3 }),
      versus('B', 'requests', 'req/s', rps('moviedash'), 'fastify', rps('fastify'), { atLeast: 5 }),
      versus('B', 'p99 latency', 'ms', p99('moviedash'), 'nginx', p99('nginx'), { atMost: 1 }),
      versus('B', 'p99 latency', 'ms', p99('moviedash'), 'fastify', p99('fastify'), null),
      versus('B', 'requests', 'req/s', rps('moviedash'), 'node:http', rps('node:http'), { atLeast: 0.95 }),
      versus('B', 'p99 latency', 'ms', p99('moviedash'), 'node:http', p99('node:http'), { atMost: 1.2 }),
      versus('B', 'server CPU per request', 'us', cpu('moviedash'), 'node:http', cpu('node:http'), null),
    ], results, ABSENT),
    raw: Object.fromEntries(results),
  };
}

export async function firstProbe(ctx: ScenarioContext): Promise<ScenarioResult> {
  const range = { Range: 'bytes=0-65535' };
  const results = await roundRobin(ctx, contenders(ctx, (t) => t.fileUrl.small === null ? null : {
    name: t.name,
    run: { url: t.fileUrl.small, connections: 64, headers: range },
    pids: t.pids,
    check: () => checkAnswer(t.fileUrl.small!, range, { status: 206, length: 65536 }),
  }), ctx.options.durationS, ctx.options.latencyRounds);
  const rps = (name: string) => figureOf(results, name, (m) => m.reqPerS);
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const cpu = (name: string) => figureOf(results, name, (m) => m.cpuUsPerReq);
  return {
    id: 'C',
    title: 'first 64 KiB (Range: bytes=0-65535), c=64',
    rows: noteGaps([
      versus('C', 'requests', 'req/s', rps('moviedash'), 'nginx', rps('nginx'), { atLeast: 0.75 }),
      versus('C', 'requests', 'req/s', rps('moviedash'), 'fastify', rps('fastify'), null),
      absolute('C', 'p99 latency', 'ms', p99('moviedash'), { atMost: 10 }),
      versus('C', 'p99 latency', 'ms', p99('moviedash'), 'nginx', p99('nginx'), null),
      versus('C', 'requests', 'req/s', rps('moviedash'), 'node:http', rps('node:http'), { atLeast: 0.8 }),
      versus('C', 'p99 latency', 'ms', p99('moviedash'), 'node:http', p99('node:http'), { atMost: 1.2 }),
      versus('C', 'server CPU per request', 'us', cpu('moviedash'), 'node:http', cpu('node:http'), null),
    ], results, ABSENT),
    raw: Object.fromEntries(results),
  };
}
