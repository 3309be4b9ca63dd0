import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MultipartError, parseFormContentType, parseParams, readMultipart, type MultipartLimits } from '../../src/upload/multipart.js';
import { assertLinearTime, FUZZ_RUNS, stringOf, withinTimePerByte, withinTimePerByteAsync } from '../helpers/fuzz.js';

const BOUNDARY = '----formdata-test-0123';

interface Part {
  name: string | undefined;
  filename: string | undefined;
  data: string;
}

/** Runs the parser over the chunks and gathers each part with its data joined up. */
async function parse(chunks: Buffer[], boundary = BOUNDARY, limits?: MultipartLimits): Promise<Part[]> {
  async function* source() {
    yield* chunks;
  }
  const parts: Part[] = [];
  const data: Buffer[][] = [];
  for await (const event of readMultipart(source(), boundary, limits)) {
    if (event.kind === 'part') {
      parts.push({ name: event.name, filename: event.filename, data: '' });
      data.push([]);
    } else {
      assert.ok(event.bytes.length > 0, 'no empty data events');
      data.at(-1)!.push(event.bytes);
    }
  }
  return parts.map((part, i) => ({ ...part, data: Buffer.concat(data[i]!).toString('latin1') }));
}

function body(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

const field = (name: string, value: string) => [`--${BOUNDARY}`, `Content-Disposition: form-data; name="${name}"`, '', value];
const file = (data: string, name = 'file', filename = 'clip.mp4') => [
  `--${BOUNDARY}`,
  `Content-Disposition: form-data; name="${name}"; filename="${filename}"`,
  'Content-Type: video/mp4',
  '',
  data,
];
const CLOSE = [`--${BOUNDARY}--`, ''];

// File data full of near-boundaries: CRLF, "--", the boundary without its CRLF, and a prefix of the delimiter.
const TRICKY_DATA = `\r\n--\r\n--${BOUNDARY.slice(0, 10)}\r\n\r\n-${BOUNDARY}x\r\n--${BOUNDARY.slice(0, -1)}\r\r\n\n--`;
const TRICKY_BODY = body(...field('title', 'My clip'), ...file(TRICKY_DATA), ...field('after', 'ignored'), ...CLOSE);
const TRICKY_PARTS: Part[] = [
  { name: 'title', filename: undefined, data: 'My clip' },
  { name: 'file', filename: 'clip.mp4', data: TRICKY_DATA },
  { name: 'after', filename: undefined, data: 'ignored' },
];

async function assertRejects(chunks: Buffer[], message: RegExp, limits?: MultipartLimits): Promise<void> {
  await assert.rejects(parse(chunks, BOUNDARY, limits), (error: unknown) => error instanceof MultipartError && message.test(error.message));
}

describe('readMultipart()', () => {
  it('reads fields, a file with CRLF, "--" and partial boundaries in its data, and a trailing part, in one chunk', async () => {
    assert.deepEqual(await parse([TRICKY_BODY]), TRICKY_PARTS);
  });

  it('finds every boundary when the body is split in two at every offset', async () => {
    for (let at = 0; at <= TRICKY_BODY.length; at++) {
      const parts = await parse([TRICKY_BODY.subarray(0, at), TRICKY_BODY.subarray(at)]);
      assert.deepEqual(parts, TRICKY_PARTS, `split at ${at}`);
    }
  });

  it('reads the body fed one byte at a time', async () => {
    const bytes = [...TRICKY_BODY].map((byte) => Buffer.from([byte]));
    assert.deepEqual(await parse(bytes), TRICKY_PARTS);
  });

  it('keeps binary data of every byte value intact', async () => {
    const data = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7) % 256));
    const framed = Buffer.concat([body(...file('').slice(0, -1), ''), data, body('', ...CLOSE)]);
    const parts = await parse([framed.subarray(0, 777), framed.subarray(777)]);
    assert.deepEqual(Buffer.from(parts[0]!.data, 'latin1'), data);
  });

  it('ignores a preamble before the first boundary and an epilogue after the last', async () => {
    const parts = await parse([body('preamble text', ...field('a', '1'), `--${BOUNDARY}--`, 'epilogue', 'more')]);
    assert.deepEqual(parts, [{ name: 'a', filename: undefined, data: '1' }]);
  });

  it('accepts transport padding (spaces) after a boundary', async () => {
    const parts = await parse([body(`--${BOUNDARY}  \t`, 'Content-Disposition: form-data; name="a"', '', '1', ...CLOSE)]);
    assert.deepEqual(parts, [{ name: 'a', filename: undefined, data: '1' }]);
  });

  it('reads a part with no headers and an empty part', async () => {
    const parts = await parse([body(`--${BOUNDARY}`, '', 'anonymous', ...field('empty', ''), ...CLOSE)]);
    assert.deepEqual(parts, [
      { name: undefined, filename: undefined, data: 'anonymous' },
      { name: 'empty', filename: undefined, data: '' },
    ]);
  });

  it('reads quoted names with escapes, ";" inside quotes, and header names in any case', async () => {
    const parts = await parse([
      body(`--${BOUNDARY}`, 'content-DISPOSITION: form-data; filename="a;b \\"c\\".mp4"; name=file', '', 'x', ...CLOSE),
    ]);
    assert.deepEqual(parts, [{ name: 'file', filename: 'a;b "c".mp4', data: 'x' }]);
  });

  it('rejects a body that ends before its closing boundary', async () => {
    await assertRejects([body(...file('abc'))], /ends before its closing boundary/);
  });

  it('rejects a body cut off inside part headers', async () => {
    await assertRejects([body(`--${BOUNDARY}`, 'Content-Disposition: form-da')], /ends before its closing boundary/);
  });

  it('rejects a body with no boundary at all (a boundary that does not match the header)', async () => {
    await assertRejects([body('--other', 'Content-Disposition: form-data; name="a"', '', '1', '--other--')], /no boundary found/);
  });

  it('rejects text after a boundary on its line', async () => {
    await assertRejects([body(`--${BOUNDARY}junk`, 'Content-Disposition: form-data; name="a"', '', '1', ...CLOSE)], /text follows a boundary/);
  });

  it('rejects a part header line without a colon', async () => {
    await assertRejects([body(`--${BOUNDARY}`, 'Content-Disposition form-data', '', '1', ...CLOSE)], /no colon/);
  });

  it('rejects part headers over the header limit, even when they never end', async () => {
    const limits = { headerBytes: 100, parts: 10 };
    const longHeader = `X-Padding: ${'a'.repeat(200)}`;
    await assertRejects([body(`--${BOUNDARY}`, longHeader, '', '1', ...CLOSE)], /over 100 bytes/, limits);
    await assertRejects([body(`--${BOUNDARY}`, longHeader)], /over 100 bytes/, limits);
  });

  it('rejects more parts than the limit', async () => {
    const many = Array.from({ length: 4 }, (_, i) => field(`f${i}`, 'v')).flat();
    await assertRejects([body(...many, ...CLOSE)], /more than 3 parts/, { headerBytes: 1000, parts: 3 });
  });
});

describe('parseFormContentType()', () => {
  const cases = [
    { what: 'an unquoted boundary', header: `multipart/form-data; boundary=${BOUNDARY}`, expected: { kind: 'form', boundary: BOUNDARY } },
    { what: 'a quoted boundary with a space', header: 'multipart/form-data; boundary="a b:c"', expected: { kind: 'form', boundary: 'a b:c' } },
    { what: 'a type and parameter in other cases', header: 'Multipart/Form-Data; BOUNDARY=xyz', expected: { kind: 'form', boundary: 'xyz' } },
    { what: 'other parameters around the boundary', header: 'multipart/form-data ; charset=utf-8;boundary=xyz ; x="y"', expected: { kind: 'form', boundary: 'xyz' } },
    { what: 'no boundary', header: 'multipart/form-data', expected: { kind: 'bad-boundary' } },
    { what: 'an empty boundary', header: 'multipart/form-data; boundary=""', expected: { kind: 'bad-boundary' } },
    { what: 'a boundary of 71 characters', header: `multipart/form-data; boundary=${'a'.repeat(71)}`, expected: { kind: 'bad-boundary' } },
    { what: 'a boundary ending in a space', header: 'multipart/form-data; boundary="abc "', expected: { kind: 'bad-boundary' } },
    { what: 'a raw video type', header: 'video/mp4', expected: { kind: 'not-form' } },
    { what: 'a urlencoded form', header: 'application/x-www-form-urlencoded', expected: { kind: 'not-form' } },
    { what: 'no header', header: undefined, expected: { kind: 'not-form' } },
  ];
  for (const { what, header, expected } of cases) {
    it(`answers ${expected.kind} for ${what}`, () => {
      assert.deepEqual(parseFormContentType(header), expected);
    });
  }
});

/** The body cut at the given offsets (taken modulo its length), in order. */
function splitAt(whole: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const offset of offsets) {
    chunks.push(whole.subarray(from, offset));
    from = offset;
  }
  chunks.push(whole.subarray(from));
  return chunks.filter((chunk) => chunk.length > 0);
}

/** The parts, or the MultipartError's message; any other error fails the property. */
async function outcome(chunks: Buffer[], limits?: MultipartLimits): Promise<Part[] | string> {
  try {
    return await parse(chunks, BOUNDARY, limits);
  } catch (error) {
    if (error instanceof MultipartError) return error.message;
    throw error;
  }
}

// The characters multipart framing and header parameters turn on, and the boundary's own.
const FRAMING = `\r\n-;=" \t\\:${BOUNDARY.slice(-4)}ax`;
const frameChunk = fc.oneof(stringOf(FRAMING, 40), fc.constantFrom(`\r\n--${BOUNDARY}`, `--${BOUNDARY}--`, '\r\n\r\n', 'Content-Disposition: form-data; name="file"'));
const hostileBody = fc.array(frameChunk, { maxLength: 30 }).map((pieces) => Buffer.from(pieces.join(''), 'latin1'));
const anyBody = fc.oneof(hostileBody, fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)));

describe('readMultipart() on generated bodies', () => {
  it('parses any body or refuses it with a MultipartError, within a time per byte', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.array(fc.nat(), { maxLength: 8 }), async (whole, cuts) => {
        await withinTimePerByteAsync(whole.length, () => outcome(splitAt(whole, cuts)));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('gives the same parts (or the same refusal) however the body is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, fc.array(fc.nat(), { maxLength: 12 }), async (whole, cuts) => {
        assert.deepEqual(await outcome(splitAt(whole, cuts)), await outcome([whole]));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  const quoted = (text: string) => `"${text.replace(/[\\"]/g, '\\$&')}"`;
  const formPart = fc.record({
    name: stringOf('ab; ="\\\t', 20),
    filename: fc.option(stringOf('ab; ="\\.\t', 20), { nil: undefined }),
    data: stringOf(`\r\n-${BOUNDARY.slice(0, 6)}x`, 100),
  });

  it('reads back every part of a well-formed form, names with quotes, escapes and ";" included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(formPart, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 10 }), async (parts, cuts) => {
        fc.pre(parts.every((part) => !`\r\n${part.data}\r\n`.includes(`\r\n--${BOUNDARY}`)));
        const lines = parts.flatMap(({ name, filename, data }) => [
          `--${BOUNDARY}`,
          `Content-Disposition: form-data; name=${quoted(name)}${filename === undefined ? '' : `; filename=${quoted(filename)}`}`,
          '',
          data,
        ]);
        const whole = body(...lines, ...CLOSE);
        assert.deepEqual(await parse(splitAt(whole, cuts)), parts.map(({ name, filename, data }) => ({ name, filename, data })));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  // Units an attacker repeats to fill a 16 KB header: each used to be a case for the parameter regex.
  const HOSTILE_UNITS = [' ', '\t', ';', ' ;', '=', 'a=', 'a="', '"', '\\"', '\\', 'a;', '="x" '];
  for (const unit of HOSTILE_UNITS) {
    it(`reads a part header of "form-data;" + ${JSON.stringify(unit)} repeated in linear time`, async () => {
      const limits = { headerBytes: 1 << 20, parts: 10 };
      const make = (n: number) => [body(`--${BOUNDARY}`, `Content-Disposition: form-data;${unit.repeat(n)}x`, '', 'v', ...CLOSE)];
      await assertLinearTime(unit, make, (chunks) => outcome(chunks, limits), 4000);
    });
  }

  it('reads a header block sent a byte at a time in linear time', async () => {
    const limits = { headerBytes: 1 << 20, parts: 10 };
    const make = (n: number) => [...body(`--${BOUNDARY}`, `X-Padding: ${'a'.repeat(n)}`, '', 'v', ...CLOSE)].map((byte) => Buffer.from([byte]));
    await assertLinearTime('one-byte chunks', make, (chunks) => outcome(chunks, limits), 4000);
  });
});

describe('parseFormContentType() and parseParams() on generated headers', () => {
  it('answers any Content-Type with one of its three verdicts, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(stringOf('multipart/form-data; boundary="\\ \t=x', 300), fc.string({ maxLength: 300 })), (header) => {
        const verdict = withinTimePerByte(header.length, () => parseFormContentType(header));
        assert.ok(['form', 'not-form', 'bad-boundary'].includes(verdict.kind));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads back generated parameters, quoted or not', () => {
    const token = stringOf('abcXYZ09-_.', 12).filter((text) => text !== '');
    const param = fc.record({ name: token, value: fc.oneof(token.map((text) => ({ text, quoted: false })), stringOf('a ;="\\\t', 20).map((text) => ({ text, quoted: true }))) });
    fc.assert(
      fc.property(fc.uniqueArray(param, { selector: (p) => p.name.toLowerCase(), maxLength: 6 }), stringOf(' \t', 3), (params, space) => {
        const text = params.map(({ name, value }) => `${name}${space}=${space}${value.quoted ? `"${value.text.replace(/[\\"]/g, '\\$&')}"` : value.text}`).join(`${space};${space}`);
        assert.deepEqual(parseParams(text), new Map(params.map(({ name, value }) => [name.toLowerCase(), value.text])));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  for (const unit of [' ', ';', ' ;', '"', '\\"', 'a=', '=']) {
    it(`reads a Content-Type of "multipart/form-data;" + ${JSON.stringify(unit)} repeated in linear time`, async () => {
      await assertLinearTime(unit, (n) => `multipart/form-data;${unit.repeat(n)}x`, parseFormContentType, 4000);
    });
  }
});
