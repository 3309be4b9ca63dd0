// Which poster image format a file is, from its magic bytes: JPEG or PNG, nothing else.
import type { SniffResult } from './sniff-container.js';

const SIGNATURES: readonly { magic: Buffer; mime: string }[] = [
  { magic: Buffer.from([0xff, 0xd8, 0xff]), mime: 'image/jpeg' },
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), mime: 'image/png' },
];

export function sniffImage(head: Buffer, isFinal: boolean): SniffResult {
  let couldStillMatch = false;
  for (const { magic, mime } of SIGNATURES) {
    const length = Math.min(head.length, magic.length);
    if (!head.subarray(0, length).equals(magic.subarray(0, length))) continue;
    if (length === magic.length) return { kind: 'match', mime };
    couldStillMatch = true;
  }
  return couldStillMatch && !isFinal ? { kind: 'need-more' } : { kind: 'no-match' };
}
