import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { InFlight } from '../../src/http/in-flight.js';

/** Stand-ins: InFlight only keeps and hands back what it was given. */
const responses = (count: number) => Array.from({ length: count }, (_, i) => ({ i }) as unknown as ServerResponse);

describe('InFlight', () => {
  it('hands back the responses not yet removed, oldest first, across compactions', () => {
    const inFlight = new InFlight();
    const all = responses(300);
    const entries = all.map((res) => inFlight.add(res));
    const removed = new Set<number>();
    // Every response but each third one closes: more than enough marked entries to compact, twice over.
    entries.forEach((entry, i) => {
      if (i % 3 === 0) return;
      inFlight.remove(entry);
      removed.add(i);
    });
    assert.deepEqual([...inFlight], all.filter((_, i) => !removed.has(i)));
    const later = inFlight.add(all[1]!);
    assert.equal([...inFlight].at(-1), all[1]);
    inFlight.remove(later);
    assert.equal([...inFlight].length, 100);
  });

  it('counts a response removed twice once', () => {
    const inFlight = new InFlight();
    const [a, b] = responses(2) as [ServerResponse, ServerResponse];
    const entryA = inFlight.add(a);
    inFlight.add(b);
    inFlight.remove(entryA);
    inFlight.remove(entryA);
    assert.deepEqual([...inFlight], [b]);
  });
});
