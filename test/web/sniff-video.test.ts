// The upload dialog's sniffer (statics/sniff-video.js, plain browser JavaScript) must take exactly the
// files the server's sniffContainer takes: the dialog creates a video only for a file the server will keep.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SNIFF_BYTES, sniffContainer } from '../../src/upload/sniff-container.js';

type Verdict = { kind: 'video'; mime: string } | { kind: 'other-video'; name: string } | { kind: 'not-video' };
interface PageSniffer {
  SNIFF_BYTES: number;
  sniffContainer(bytes: Uint8Array): string | null;
  sniffVideo(bytes: Uint8Array): Verdict;
}
// A plain .js module of the pages, without type declarations: imported by a path the checker does not follow.
const PAGE_SNIFFER = '../../src/web/statics/sniff-video.js';
const page = (await import(PAGE_SNIFFER)) as PageSniffer;

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const serverMime = (head: Buffer) => {
  const verdict = sniffContainer(head, true);
  return verdict.kind === 'match' ? verdict.mime : null;
};

/** A 188-byte MPEG-TS packet stream, as camcorders write in .MTS files. */
const transportStream = (packetSize: number, offset: number) => {
  const bytes = Buffer.alloc(packetSize * 4, 0xff);
  for (let i = 0; i < 4; i++) bytes[offset + i * packetSize] = 0x47;
  return bytes;
};

describe('sniff-video.js (the upload dialog)', () => {
  it('reads as many bytes as the server sniffs', () => {
    assert.equal(page.SNIFF_BYTES, SNIFF_BYTES);
  });

  for (const name of ['sample.mp4', 'sample.webm', 'truncated.mp4', 'not-a-video.mp4']) {
    it(`agrees with the server on ${name}`, () => {
      const head = fixture(name).subarray(0, SNIFF_BYTES);
      assert.equal(page.sniffContainer(new Uint8Array(head)), serverMime(head));
    });
  }

  it('agrees with the server on arbitrary heads, and on heads that start like each container', () => {
    const magic = fc.constantFrom(
      [0x1a, 0x45, 0xdf, 0xa3],
      [0x4f, 0x67, 0x67, 0x53],
      [0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70],
      [0, 0, 0, 0x08, 0x6d, 0x6f, 0x6f, 0x76],
      [0, 0, 0, 0x01, 0x66, 0x74, 0x79, 0x70],
      [],
    );
    const head = fc.tuple(magic, fc.uint8Array({ maxLength: 600 })).map(([start, rest]) => Buffer.concat([Buffer.from(start), rest]));
    fc.assert(fc.property(head, (bytes) => assert.equal(page.sniffContainer(new Uint8Array(bytes)), serverMime(bytes))), { numRuns: 3000 });
  });

  const others = [
    { what: 'an MPEG transport stream (.ts)', bytes: transportStream(188, 0), name: /MPEG transport stream/ },
    { what: 'a camcorder .M2TS (192-byte packets)', bytes: transportStream(192, 4), name: /MPEG transport stream/ },
    { what: 'an MPEG program stream', bytes: Buffer.from([0, 0, 1, 0xba, 0x44, 0, 4]), name: /MPEG program stream/ },
    { what: 'an AVI', bytes: Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1'), name: /AVI/ },
    { what: 'a Windows Media file', bytes: Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9]), name: /Windows Media/ },
    { what: 'a Flash video', bytes: Buffer.from('FLV\x01\x05', 'latin1'), name: /Flash/ },
  ];
  for (const { what, bytes, name } of others) {
    it(`names ${what}, which the server refuses`, () => {
      assert.equal(serverMime(bytes), null);
      const verdict = page.sniffVideo(new Uint8Array(bytes));
      assert.equal(verdict.kind, 'other-video');
      assert.match((verdict as { name: string }).name, name);
    });
  }

  it('calls a text file not a video', () => {
    assert.deepEqual(page.sniffVideo(new TextEncoder().encode('just some notes')), { kind: 'not-video' });
  });
});
