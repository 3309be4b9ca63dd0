// S: GET /videos?q= over 100k ready videos whose names and descriptions follow Zipf's law: a word in most
// descriptions ("the"), a common word, a rare one, two words, a 3-letter prefix, and a second page by cursor;
// the plain newest-first list is the reference. Two connections: the query's latency, not queueing.
import { absolute, versus } from '../lib/rows.js';
import { SEARCH_VIDEOS } from '../targets/moviedash.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { figureOf, noteGaps, roundRobin, type Contender } from './round-robin.js';

const GOAL_MS = 20;

export async function search(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { search: queries, target } = ctx.moviedash;
  if (!queries) throw new Error('scenario S needs the videos seeded by prepareMoviedash({ search: true })');
  const url = (q: string | null, cursor?: string) => `${target.baseUrl}/videos${q === null ? '' : `?q=${encodeURIComponent(q)}`}${cursor ? `&cursor=${cursor}` : ''}`;
  const firstPage = (await (await fetch(url(queries.common))).json()) as { next_cursor: string | null };
  if (!firstPage.next_cursor) throw new Error(`"${queries.common}" has a single page of results`);
  const variants: [name: string, url: string][] = [
    [`"${queries.stopWord}" (in most videos)`, url(queries.stopWord)],
    [`common word "${queries.common}"`, url(queries.common)],
    [`rare word "${queries.rare}"`, url(queries.rare)],
    [`two words "${queries.twoWords}"`, url(queries.twoWords)],
    [`prefix "${queries.prefix}"`, url(queries.prefix)],
    [`common word, page 2`, url(queries.common, firstPage.next_cursor)],
    ['no q (newest first)', url(null)],
  ];
  const contenders: Contender[] = variants.map(([name, address]) => ({
    name,
    run: { url: address, threads: 1, connections: 2 },
    check: async () => {
      const res = await fetch(address);
      const body = (await res.json()) as { videos?: unknown[] };
      if (res.status !== 200 || !body.videos?.length) throw new Error(`GET ${address}: ${res.status}, ${body.videos?.length} videos`);
    },
  }));
  const results = await roundRobin(ctx, contenders, Math.max(2, Math.round(ctx.options.durationS * 0.6)));
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const searches = variants.slice(0, -1).map(([name]) => name);
  return {
    id: 'S',
    title: `search latency over ${SEARCH_VIDEOS / 1000}k ready videos, c=2`,
    rows: noteGaps([
      ...searches.map((name) => absolute('S', `p99, ${name}`, 'ms', p99(name), { atMost: GOAL_MS })),
      versus('S', `p99, common word`, 'ms', p99(searches[1]!), 'GET /videos, no q', p99('no q (newest first)'), null),
    ], results, {}),
    raw: Object.fromEntries(results),
  };
}
