// S3Client against a scripted endpoint (node:http on port 0) for what a healthy S3 server cannot be made to do:
// fail, throttle, answer 200 with an error. Everything else is tested against radosgw (s3-storage.s3.ts).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { S3Client } from '../../src/storage/s3-client.js';
import type { S3ClientOptions, S3Observation } from '../../src/storage/s3-http.js';
import { S3Error } from '../../src/storage/s3-errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Answers each request with the next of `answers`; records what it was asked. */
class ScriptedEndpoint {
  readonly seen: Seen[] = [];
  answers: ((res: ServerResponse) => void)[] = [];
  readonly #server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      const answer = this.answers.shift();
      if (answer) answer(res);
      else res.writeHead(500).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const xml = (status: number, body: string) => (res: ServerResponse) => res.writeHead(status, { 'Content-Type': 'application/xml' }).end(body);
const errorXml = (status: number, code: string) => xml(status, `<?xml version="1.0"?><Error><Code>${code}</Code><Message>scripted</Message></Error>`);
const headOk = (res: ServerResponse) => res.writeHead(200, { 'Content-Length': '42', ETag: '"abc"', 'Last-Modified': 'Tue, 01 Dec 2026 10:00:00 GMT' }).end();

const OPTIONS: Omit<S3ClientOptions, 'endpoint'> = {
  region: 'eu-test-1',
  bucket: 'media',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'secret',
  forcePathStyle: true,
};

describe('S3Client', () => {
  const endpoint = new ScriptedEndpoint();
  let url: string;
  before(async () => {
    url = await endpoint.start();
  });
  after(() => endpoint.stop());

  function client(options: Partial<S3ClientOptions> = {}): S3Client {
    endpoint.seen.length = 0;
    endpoint.answers = [];
    return new S3Client({ ...OPTIONS, endpoint: url, ...options });
  }

  const styles = [
    { what: 'path-style', endpoint: 'https://s3.example.com', forcePathStyle: true, host: 's3.example.com', path: '/media/videos/a%20b' },
    { what: 'virtual-host style', endpoint: 'https://s3.example.com', forcePathStyle: false, host: 'media.s3.example.com', path: '/videos/a%20b' },
    { what: 'path-style under a base path', endpoint: 'https://example.com/s3/', forcePathStyle: true, host: 'example.com', path: '/s3/media/videos/a%20b' },
  ];
  for (const style of styles) {
    it(`presigns ${style.what} URLs, on the origin it tells`, async () => {
      const s3 = new S3Client({ ...OPTIONS, ...style });
      const presigned = new URL(await s3.presignGet('videos/a b', 90));
      assert.equal(presigned.host, style.host);
      assert.equal(s3.bucketOrigin, `https://${style.host}`);
      assert.equal(presigned.pathname, style.path);
      assert.equal(presigned.searchParams.get('X-Amz-Expires'), '90');
      assert.match(presigned.searchParams.get('X-Amz-Credential')!, /^AKIDEXAMPLE\/\d{8}\/eu-test-1\/s3\/aws4_request$/);
      assert.match(presigned.searchParams.get('X-Amz-Signature')!, /^[0-9a-f]{64}$/);
    });
  }

  it('signs with SigV4, sends the payload unsigned, and sends no ACL and no checksum', async () => {
    const s3 = client();
    endpoint.answers = [(res) => res.writeHead(200, { ETag: '"part"' }).end(), (res) => res.writeHead(200, { ETag: '"put"' }).end()];
    assert.equal(await s3.uploadPart('videos/x', 'upload-1', 1, Buffer.from('bytes')), '"part"');
    assert.equal(await s3.putObject('posters/x', Buffer.from('bytes'), 'image/png'), '"put"');
    assert.deepEqual(endpoint.seen.map(({ method, url }) => `${method} ${url}`), ['PUT /media/videos/x?partNumber=1&uploadId=upload-1', 'PUT /media/posters/x']);
    for (const { headers } of endpoint.seen) {
      assert.match(headers.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-test-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
      assert.equal(headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
      const extra = Object.keys(headers).filter((name) => name.startsWith('x-amz-checksum') || name === 'content-md5' || name === 'x-amz-acl');
      assert.deepEqual(extra, []);
    }
  });

  it('tries again after 503 SlowDown, and succeeds', async () => {
    const s3 = client();
    endpoint.answers = [errorXml(503, 'SlowDown'), errorXml(503, 'SlowDown'), headOk];
    assert.deepEqual(await s3.headObject('videos/x'), { size: 42, etag: '"abc"', lastModifiedMs: Date.parse('2026-12-01T10:00:00Z') });
    assert.equal(endpoint.seen.length, 3);
  });

  it('gives up after three tries with an "unavailable" S3Error', async () => {
    const s3 = client();
    endpoint.answers = [errorXml(500, 'InternalError'), errorXml(500, 'InternalError'), errorXml(500, 'InternalError')];
    await assert.rejects(s3.deleteObject('videos/x'), (error: unknown) => error instanceof S3Error && error.kind === 'unavailable' && error.code === 'InternalError');
    assert.equal(endpoint.seen.length, 3);
  });

  it('does not try again when access is denied', async () => {
    const s3 = client();
    endpoint.answers = [errorXml(403, 'AccessDenied')];
    await assert.rejects(s3.listObjects('videos/'), (error: unknown) => error instanceof S3Error && error.kind === 'denied' && error.status === 403);
    assert.equal(endpoint.seen.length, 1);
  });

  it('reads the code of a bodiless HEAD answer from its status', async () => {
    const s3 = client();
    endpoint.answers = [(res) => res.writeHead(403).end()];
    await assert.rejects(s3.headObject('videos/x'), (error: unknown) => error instanceof S3Error && error.code === 'Forbidden' && error.kind === 'denied');
  });

  it('throws the error CompleteMultipartUpload reports inside a 200 answer', async () => {
    const s3 = client();
    endpoint.answers = [errorXml(200, 'InvalidPart')];
    await assert.rejects(s3.completeMultipartUpload('videos/x', 'upload-1', [{ partNumber: 1, etag: '"a"' }]), (error: unknown) => error instanceof S3Error && error.code === 'InvalidPart');
  });

  it('refuses a whole object sent in answer to a range request', async () => {
    const s3 = client();
    endpoint.answers = [(res) => res.writeHead(200, { 'Content-Length': '3' }).end('abc')];
    await assert.rejects(s3.getObject('videos/x', 'bytes=1-1'), (error: unknown) => error instanceof S3Error && error.code === 'Http200');
    assert.equal(endpoint.seen[0]!.headers.range, 'bytes=1-1');
  });

  it('counts a missing key or upload as deleted or aborted', async () => {
    const s3 = client();
    endpoint.answers = [errorXml(404, 'NoSuchKey'), errorXml(404, 'NoSuchUpload')];
    await s3.deleteObject('videos/x');
    await s3.abortMultipartUpload('videos/x', 'upload-1');
  });

  it('refuses an answer that is not XML, or too large to be S3, as malformed', async () => {
    const s3 = client();
    endpoint.answers = [xml(200, 'not xml'), xml(200, `<ListBucketResult>${'x'.repeat(9 * 1024 * 1024)}</ListBucketResult>`)];
    await assert.rejects(s3.listObjects(''), (error: unknown) => error instanceof S3Error && error.code === 'MalformedAnswer');
    await assert.rejects(s3.listObjects(''), (error: unknown) => error instanceof S3Error && error.code === 'MalformedAnswer');
  });

  it('turns a refused connection into an "unavailable" NetworkError that names the cause', async () => {
    const closed = new ScriptedEndpoint();
    const closedUrl = await closed.start();
    await closed.stop();
    const s3 = new S3Client({ ...OPTIONS, endpoint: closedUrl, attempts: 1 });
    await assert.rejects(s3.headObject('videos/x'), (error: unknown) => error instanceof S3Error && error.code === 'NetworkError' && error.kind === 'unavailable' && /ECONNREFUSED/.test(error.message));
  });

  it("rejects with the caller's abort reason, without trying again", async () => {
    const s3 = client();
    const controller = new AbortController();
    endpoint.answers = [() => controller.abort(new Error('viewer left'))];
    await assert.rejects(s3.headObject('videos/x', controller.signal), /viewer left/);
    assert.equal(endpoint.seen.length, 1);
  });

  it('tells the observer of every request: operation, status and time', async () => {
    const observed: S3Observation[] = [];
    const s3 = client({ observe: (observation) => observed.push(observation) });
    endpoint.answers = [errorXml(503, 'SlowDown'), headOk];
    await s3.headObject('videos/x');
    assert.deepEqual(observed.map(({ operation, status }) => ({ operation, status })), [
      { operation: 'HeadObject', status: 503 },
      { operation: 'HeadObject', status: 200 },
    ]);
    assert.ok(observed.every((observation) => observation.durationMs >= 0));
  });
});
