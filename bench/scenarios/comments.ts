// D: GET /videos/:vid-id/comments (20 comments) against the Fastify + better-sqlite3 twin of that route.
import { versus } from '../lib/rows.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { figureOf, noteGaps, roundRobin, type Contender } from './round-robin.js';

export async function checkComments(url: string, count: number): Promise<void> {
  const res = await fetch(url);
  const body = (await res.json()) as { comments?: unknown[] };
  if (res.status !== 200 || body.comments?.length !== count) {
    throw new Error(`GET ${url}: expected 200 with ${count} comments, got ${res.status} with ${body.comments?.length}`);
  }
}

export async function commentList(ctx: ScenarioContext): Promise<ScenarioResult> {
  const contenders: Contender[] = ctx.targets
    .filter((t) => t.commentsUrl !== null)
    .map((t) => ({ name: t.name, run: { url: t.commentsUrl!, connections: 50 }, check: () => checkComments(t.commentsUrl!, 20) }));
  const results = await roundRobin(ctx, contenders);
  const rps = (name: string) => figureOf(results, name, (m) => m.reqPerS);
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  return {
    id: 'D',
    title: 'GET /videos/:vid-id/comments (20 comments), c=50',
    rows: noteGaps([
      versus('D', 'requests', 'req/s', rps('moviedash'), 'fastify twin', rps('fastify'), { atLeast: 1 }),
      versus('D', 'p99 latency', 'ms', p99('moviedash'), 'fastify twin', p99('fastify'), null),
    ], results, {}),
    raw: Object.fromEntries(results),
  };
}
