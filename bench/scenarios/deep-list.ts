// G: does listing stay as fast with 1M comments on a video as with 1k? First page, and a page from the
// middle of the list through its cursor. Two connections: this is about the query's latency, not queueing.
import { versus } from '../lib/rows.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { figureOf, noteGaps, roundRobin, type Contender } from './round-robin.js';

export async function deepList(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { deepList: lists, target } = ctx.moviedash;
  if (!lists) throw new Error('scenario G needs the comments seeded by prepareMoviedash({ deepList: true })');
  const page = (path: string, cursor?: string) => `${target.baseUrl}${path}${cursor ? `?cursor=${cursor}` : ''}`;
  const variants: [string, string][] = [
    ['1k first page', page(lists.url1k)],
    ['1k deep page', page(lists.url1k, lists.cursor1k)],
    ['1M first page', page(lists.url1M)],
    ['1M deep page', page(lists.url1M, lists.cursor1M)],
  ];
  const contenders: Contender[] = variants.map(([name, url]) => ({
    name,
    run: { url, threads: 1, connections: 2 },
    check: async () => {
      const res = await fetch(url);
      const body = (await res.json()) as { comments?: unknown[] };
      if (res.status !== 200 || body.comments?.length !== 50) throw new Error(`GET ${url}: ${res.status}, ${body.comments?.length} comments`);
    },
  }));
  const results = await roundRobin(ctx, contenders, Math.max(2, Math.round(ctx.options.durationS * 0.6)));
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const p50 = (name: string) => figureOf(results, name, (m) => m.p50Ms);
  return {
    id: 'G',
    title: 'list latency, 1M vs 1k comments on a video, c=2',
    rows: noteGaps([
      versus('G', 'first page p99, 1M comments', 'ms', p99('1M first page'), 'same, 1k comments', p99('1k first page'), { atMost: 1.2 }),
      versus('G', 'deep page p99, 1M comments', 'ms', p99('1M deep page'), 'same, 1k comments', p99('1k deep page'), { atMost: 1.2 }),
      // A p99 of 1-3 ms on a shared machine is mostly scheduling noise; the median shows the query's own cost.
      versus('G', 'first page p50, 1M comments', 'ms', p50('1M first page'), 'same, 1k comments', p50('1k first page'), null),
      versus('G', 'deep page p50, 1M comments', 'ms', p50('1M deep page'), 'same, 1k comments', p50('1k deep page'), null),
    ], results, {}),
    raw: Object.fromEntries(results),
  };
}
