import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { HttpError } from '../../src/http/errors.js';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH, readJsonObject } from '../../src/http/json-body.js';
import { assertLinearTime, FUZZ_RUNS, stringOf, withinTimePerByteAsync } from '../helpers/fuzz.js';

/** What the reader made of one body: the object, or the code of the HttpError it threw. */
type Outcome = { object: unknown } | { code: string } | { unexpected: string };

// A node:http server whose only handler is readJsonObject, so each body arrives over a real socket.
let server: Server;

before(async () => {
  server = createServer((req, res) => {
    const limit = Number(req.headers['x-limit'] ?? MAX_JSON_BYTES);
    readJsonObject(req, limit).then(
      (object) => res.end(JSON.stringify({ object })),
      (error: unknown) => {
        req.resume();
        res.end(JSON.stringify(error instanceof HttpError ? { code: error.code } : { unexpected: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The first request pays for a connection and cold code: not a time any one input should be charged.
  await post([Buffer.from('{}')], true);
});
after(() => server.close());

/** POSTs the chunks one write each; with declareLength, a Content-Length, else chunked encoding. */
function post(chunks: Buffer[], declareLength: boolean, limit = MAX_JSON_BYTES): Promise<Outcome> {
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Limit': String(limit) };
  if (declareLength) headers['Content-Length'] = String(length);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text) as Outcome));
    });
    // A 413 may be answered before the whole body was written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function cutInto(whole: Buffer, pieces: number): Buffer[] {
  const size = Math.max(1, Math.ceil(whole.length / pieces));
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return chunks;
}

describe('readJsonObject() on generated bodies', () => {
  const jsonish = stringOf('{}[]":,0123456789.eE+-truefalsn \\u\t', 300);
  const anyBody = fc.oneof(
    jsonish.map((text) => Buffer.from(text)),
    fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
  );

  it('reads any body into a plain object or refuses it with 001 or 008, within a time per byte', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.integer({ min: 1, max: 6 }), fc.boolean(), async (whole, pieces, declareLength) => {
        const outcome = await withinTimePerByteAsync(whole.length, () => post(cutInto(whole, pieces), declareLength));
        if ('object' in outcome) {
          assert.ok(typeof outcome.object === 'object' && outcome.object !== null && !Array.isArray(outcome.object));
        } else {
          assert.ok('code' in outcome && ['001', '008'].includes(outcome.code), JSON.stringify(outcome));
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads back any JSON object, however its bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })), fc.integer({ min: 1, max: 6 }), async (object, pieces) => {
        const outcome = await post(cutInto(Buffer.from(JSON.stringify(object)), pieces), true);
        // JSON has no -0: it reads back as 0, as JSON.parse would read it.
        assert.deepEqual(outcome, { object: JSON.parse(JSON.stringify(object)) });
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('refuses a body one byte over the limit with 008, declared or not', async () => {
    const body = Buffer.from(`{"a":"${'x'.repeat(MAX_JSON_BYTES)}"}`);
    assert.deepEqual(await post([body], true), { code: '008' });
    assert.deepEqual(await post(cutInto(body, 8), false), { code: '008' });
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with 001, and reads one at the limit`, async () => {
    const nested = (depth: number) => Buffer.from(`{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`);
    assert.deepEqual(await post([nested(MAX_JSON_DEPTH + 1)], true), { code: '001' });
    assert.ok('object' in (await post([nested(MAX_JSON_DEPTH)], true)));
  });

  for (const unit of ['[', '{"a":', '"\\u00', ' ', '\\', '\u00e9', '{"a":1,']) {
    it(`reads a body of ${JSON.stringify(unit)} repeated in linear time`, async () => {
      const make = (n: number) => cutInto(Buffer.from(`${unit.repeat(n)}x`), 4);
      await assertLinearTime(unit, make, (chunks) => post(chunks, false, 1 << 20), 8000);
    });
  }
});
