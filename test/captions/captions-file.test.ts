import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readCaptionsFile, renderWebVtt, type CaptionsFile } from '../../src/captions/captions-file.js';
import { MAX_CUES, type Cue } from '../../src/captions/cue.js';
import { formatWebVttTime } from '../../src/captions/timestamps.js';

const read = (text: string | Buffer) => readCaptionsFile(typeof text === 'string' ? Buffer.from(text) : text);

function vttOf(result: CaptionsFile): string {
  assert.equal(result.kind, 'captions', JSON.stringify(result));
  return (result as { vtt: string }).vtt;
}

describe('readCaptionsFile()', () => {
  const converted: { what: string; input: string | Buffer; vtt: string }[] = [
    {
      what: 'SubRip with CRLF, counters and its <i>/<font> tags',
      input: '1\r\n00:00:01,000 --> 00:00:04,000\r\n<i>Hello</i> <font color="red">world</font>\r\n\r\n2\r\n00:00:05,000 --> 00:00:06,500\r\nBye\r\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<i>Hello</i> world\n\n00:00:05.000 --> 00:00:06.500\nBye\n',
    },
    {
      what: 'SubRip without blank lines between cues, ASS codes and a literal < and &',
      input: '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}a < b & c\n2\n00:00:03,000 --> 00:00:04,000\nd\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na &lt; b &amp; c\n\n00:00:03.000 --> 00:00:04.000\nd\n',
    },
    {
      what: 'SubRip with short fields and a one-digit fraction',
      input: '0:0:1,5 --> 0:0:2,25\nshort\n',
      vtt: 'WEBVTT\n\n00:00:01.500 --> 00:00:02.250\nshort\n',
    },
    {
      what: 'SubRip in UTF-16 with a byte order mark',
      input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nÇa va\n', 'utf16le')]),
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nÇa va\n',
    },
    {
      what: 'SubRip in Windows-1252',
      input: Buffer.from([...Buffer.from('00:00:01,000 --> 00:00:02,000\n'), 0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x0a]),
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n“Café”\n',
    },
    {
      what: 'WebVTT with a title, header lines, STYLE, NOTE, identifiers and settings',
      input: 'WEBVTT - A film\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nNOTE made by hand\n\nintro\n00:01.000 --> 00:02.000 align:start region:r line:200% size:50%\n<v Joe>Hi\n',
      vtt: 'WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start size:50%\n<v Joe>Hi</v>\n',
    },
    {
      what: 'WebVTT with a BOM and a cue right after the signature line',
      input: '\uFEFFWEBVTT\n00:00:01.000 --> 00:00:02.000\nnow\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nnow\n',
    },
    {
      what: 'WebVTT markup: classes kept, bad ones and unknown tags dropped, lang canonical, ruby, timestamps',
      input: 'WEBVTT\n\n00:01.000 --> 00:03.000\n<c.yellow.bad!>x</c> <script>alert(1)</script><b>b <i>i</b> <lang en-us>e</lang> <ruby>漢<rt>kan</rt></ruby> <00:02.000>t <rt>r</rt>\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<c.yellow>x</c> alert(1)<b>b <i>i</i></b> <lang en-US>e</lang> <ruby>漢<rt>kan</rt></ruby> <00:00:02.000>t r\n',
    },
    {
      what: 'WebVTT whose text has a > and an unterminated tag',
      input: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na > b <i\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na &gt; b\n',
    },
    {
      what: 'cues out of order, sorted by start time (stable)',
      input: 'WEBVTT\n\n00:05.000 --> 00:06.000\nthird\n\n00:01.000 --> 00:02.000\nfirst\n\n00:01.000 --> 00:03.000\nsecond\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n00:00:01.000 --> 00:00:03.000\nsecond\n\n00:00:05.000 --> 00:00:06.000\nthird\n',
    },
    {
      what: 'a line of text that only held a dropped tag',
      input: '00:00:01,000 --> 00:00:02,000\n<font color="red"></font>\nkept\n',
      vtt: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nkept\n',
    },
  ];
  for (const { what, input, vtt } of converted) {
    it(`writes clean WebVTT for ${what}`, async () => {
      assert.equal(vttOf(await read(input)), vtt);
    });
  }

  const refused: { what: string; input: string; expected: CaptionsFile }[] = [
    { what: 'plain text', input: 'hello world', expected: { kind: 'unknown-format' } },
    { what: 'an empty file', input: '', expected: { kind: 'unknown-format' } },
    { what: 'WEBVTTX (not the signature)', input: 'WEBVTTX\n\n00:01.000 --> 00:02.000\nx', expected: { kind: 'unknown-format' } },
    { what: 'a WebVTT file with no cue', input: 'WEBVTT\n\nNOTE nothing here\n', expected: { kind: 'invalid', reason: 'no cue found' } },
    {
      what: 'a cue that ends before it starts',
      input: 'WEBVTT\n\n00:02.000 --> 00:01.000\nx',
      expected: { kind: 'invalid', reason: 'line 3: the cue ends before it starts' },
    },
    {
      what: 'a cue that ends when it starts',
      input: '1\n00:00:02,000 --> 00:00:02,000\nx',
      expected: { kind: 'invalid', reason: 'line 2: the cue ends before it starts' },
    },
    {
      what: 'minutes over 59',
      input: 'WEBVTT\n\n00:61:00.000 --> 01:00:00.000\nx',
      expected: { kind: 'invalid', reason: 'line 3: a cue timing must read like 00:01:02.500 --> 00:01:04.000' },
    },
    {
      what: 'a SubRip comma in a WebVTT file',
      input: 'WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nx',
      expected: { kind: 'invalid', reason: 'line 3: a cue timing must read like 00:01:02.500 --> 00:01:04.000' },
    },
    {
      what: 'a time past 99:59:59.999',
      input: 'WEBVTT\n\n00:01.000 --> 100:00:00.000\nx',
      expected: { kind: 'invalid', reason: 'line 3: a cue timing must read like 00:01:02.500 --> 00:01:04.000' },
    },
    {
      what: 'a broken timing line later in a SubRip file',
      input: '1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:00:03,000 --> soon\ny',
      expected: { kind: 'invalid', reason: 'line 6: a cue timing must read like 00:01:02,500 --> 00:01:04,000' },
    },
    {
      what: 'a cue of more than 2000 characters',
      input: `WEBVTT\n\n00:01.000 --> 00:02.000\n${'x'.repeat(2001)}`,
      expected: { kind: 'invalid', reason: "line 4: a cue's text must be at most 2000 characters" },
    },
  ];
  for (const { what, input, expected } of refused) {
    it(`refuses ${what}`, async () => {
      assert.deepEqual(await read(input), expected);
    });
  }

  it(`refuses a file of more than ${MAX_CUES} cues`, async () => {
    const cue = (i: number) => `${formatWebVttTime(i * 10)} --> ${formatWebVttTime(i * 10 + 5)}\nx`;
    const ok = ['WEBVTT', ...Array.from({ length: MAX_CUES }, (_, i) => cue(i))].join('\n\n');
    assert.equal((await read(ok)).kind, 'captions');
    assert.deepEqual(await read(`${ok}\n\n${cue(MAX_CUES)}`), { kind: 'too-many-cues', max: MAX_CUES });
  });
});

// Fragments that caption parsers trip over, mixed with arbitrary text.
const FRAGMENTS = [
  'WEBVTT', '\n', '\n\n', '\r\n', '\r', ' ', '\t', '-->', ' --> ', '00:01.000', '00:00:01,000', '00:00:02.500', '99:59:59.999',
  '1', '<', '>', '</', '<i>', '</i>', '<b>', '<v Bob>', '<v.loud Ann &amp; Bo>', '<c.x.y>', '<ruby>', '<rt>', '</ruby>',
  '<lang pt-br>', '<00:00:01.500>', '<script>', '<font color="red">', '&', '&amp;', '&#x41;', '&nosuch', '{\\an8}', '{\\', '}',
  'NOTE', 'STYLE', 'REGION', 'align:start', 'line:0', 'position:50%,center', 'size:200%', 'vertical:rl', '\0', '\uFEFF', 'é',
];
const captionLike = fc
  .tuple(
    fc.constantFrom('WEBVTT\n\n', '1\n00:00:01,000 --> 00:00:02,000\n', '00:00:00.000 --> 00:00:01.000\n', ''),
    fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8, unit: 'grapheme' })), { maxLength: 80 }),
  )
  .map(([start, parts]) => start + parts.join(''));

const ALLOWED_TAG = /^(?:\/(?:c|i|b|u|ruby|rt|v|lang)|(?:c|i|b|u|ruby|rt|v|lang)(?:\.[A-Za-z0-9_-]+)*(?: [^<>\n]+)?|\d{2,}:\d{2}:\d{2}\.\d{3})$/;

async function checkCleanVtt(vtt: string): Promise<void> {
  const again = await read(vtt);
  assert.equal(again.kind, 'captions', `its own output is refused: ${JSON.stringify(again)}`);
  assert.equal(vttOf(again), vtt, 'reading the output again changes it');
  for (const [, tag] of vtt.matchAll(/<([^>]*)>/g)) assert.match(tag!, ALLOWED_TAG);
  const times = [...vtt.matchAll(/^(\S+) --> (\S+)/gm)].map(([, start, end]) => [msOf(start!), msOf(end!)] as const);
  times.forEach(([start, end], i) => {
    assert.ok(end > start, `cue ${i} ends after it starts`);
    assert.ok(i === 0 || start >= times[i - 1]![0], 'cues are in start order');
  });
}

/** `01:02:03.004` in ms. */
function msOf(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  return Math.round(((h! * 60 + m!) * 60 + s!) * 1000);
}

describe('readCaptionsFile() on arbitrary input (fast-check)', () => {
  it('never throws on arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => void (await readCaptionsFile(bytes))), { numRuns: 500 });
  });

  it('writes WebVTT that reads back unchanged and holds only WebVTT markup', async () => {
    await fc.assert(
      fc.asyncProperty(captionLike, async (text) => {
        const result = await read(text);
        if (result.kind === 'captions') await checkCleanVtt(result.vtt);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the times and text of any valid cues', async () => {
    const cueArbitrary = fc
      .record({
        startMs: fc.integer({ min: 0, max: 10 * 3_600_000 }),
        lengthMs: fc.integer({ min: 1, max: 60_000 }),
        text: fc.stringMatching(/^[A-Za-z0-9 ,.!?'"()éü-]{1,60}$/).filter((text) => text.trim() !== ''),
      })
      .map(({ startMs, lengthMs, text }): Cue => ({ id: '', startMs, endMs: startMs + lengthMs, settings: '', text: text.trim() }));
    await fc.assert(
      fc.asyncProperty(fc.array(cueArbitrary, { minLength: 1, maxLength: 30 }), async (cues) => {
        const sorted = [...cues].sort((a, b) => a.startMs - b.startMs);
        assert.equal(vttOf(await read(await renderWebVtt(cues))), await renderWebVtt(sorted));
      }),
      { numRuns: 300 },
    );
  });
});
