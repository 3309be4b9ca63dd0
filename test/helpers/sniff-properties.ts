// The properties every magic-byte sniffer must have, checked on generated file heads (see helpers/fuzz.ts).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SniffResult } from '../../src/upload/sniff-container.js';
import { FUZZ_RUNS, withinTimePerByte } from './fuzz.js';

type Sniffer = (head: Buffer, isFinal: boolean) => SniffResult;

/** Any head gets a verdict in time (never need-more at the end), and a decided verdict stays as more bytes come. */
export function assertSnifferProperties(sniff: Sniffer, heads: fc.Arbitrary<Buffer>): void {
  fc.assert(
    fc.property(heads, fc.boolean(), (head, isFinal) => {
      const verdict = withinTimePerByte(head.length, () => sniff(head, isFinal));
      assert.ok(['match', 'no-match', 'need-more'].includes(verdict.kind), JSON.stringify(verdict));
      if (isFinal) assert.notEqual(verdict.kind, 'need-more');
    }),
    { numRuns: FUZZ_RUNS },
  );
  // The upload decides at whatever chunk edge the verdict first comes: a later edge must not change it.
  fc.assert(
    fc.property(heads, fc.nat(), fc.boolean(), (head, cut, isFinal) => {
      const early = sniff(head.subarray(0, cut % (head.length + 1)), false);
      if (early.kind !== 'need-more') assert.deepEqual(sniff(head, isFinal), early);
    }),
    { numRuns: FUZZ_RUNS },
  );
}

/** Heads that open with one of the magics and go on with random bytes, and wholly random ones. */
export function headsAfter(...magics: Buffer[]): fc.Arbitrary<Buffer> {
  const tail = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...magics), tail).map(([magic, rest]) => Buffer.concat([magic, rest])),
    tail,
  );
}
