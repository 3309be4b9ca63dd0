// Issue 10, item 1: header parameters that made the parameter regex backtrack quadratically. Each attack
// goes to the real server while the watchdog measures a concurrent GET /healthz.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createVideo, rawRequest, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertResponsive, watchHealthz } from '../helpers/watchdog.js';

const SAMPLE_MP4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
const BOUNDARY = 'hostile-boundary';
const SPACES = ' '.repeat(16_000);

let server: TestServer;
let owner: TestUser;

before(async () => {
  server = await startServer();
  owner = await signUp(server);
});
after(() => server.close());

function part(headerLine: string, data: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\n${headerLine}\r\n\r\n`, 'latin1'), Buffer.from(data), Buffer.from('\r\n')]);
}

async function postUpload(videoId: string, contentType: string, body: Buffer): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/upload/${videoId}`, {
    method: 'POST',
    headers: { 'X-Session-Id': owner.sid, 'Content-Type': contentType },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('POST /upload/:vid-id with hostile headers', () => {
  it('answers ten parts of "form-data;" + 16,000 spaces + "x" with 400 while /healthz stays fast', async () => {
    const { id } = await createVideo(server, owner);
    const body = Buffer.concat([
      ...Array.from({ length: 10 }, () => part(`Content-Disposition: form-data;${SPACES}x`, 'v')),
      Buffer.from(`--${BOUNDARY}--\r\n`),
    ]);
    const report = await watchHealthz(server, () => postUpload(id, `multipart/form-data; boundary=${BOUNDARY}`, body));
    assert.equal(report.result.status, 400);
    assert.equal(report.result.body.error_code, '011');
    assertResponsive(report, 'ten 16 KB part headers');
  });

  it('answers 15 KB Content-Type headers, pipelined on one connection, with 400 while /healthz stays fast', async () => {
    const { id } = await createVideo(server, owner);
    // Pipelined, the requests reach the parser in one read, and their handlers run back to back: one such
    // header alone blocked for 0.14-0.3 s, four in a row added up.
    const one = (close: boolean) =>
      `POST /upload/${id} HTTP/1.1\r\nHost: localhost\r\nX-Session-Id: ${owner.sid}\r\n` +
      `Content-Type: multipart/form-data;${' '.repeat(15_000)}x\r\nContent-Length: 0\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
    const pipelined = [false, false, false, true].map(one).join('');
    const report = await watchHealthz(server, () => rawRequest(server, pipelined));
    // The server may close the connection after its first refusal; whatever it answers is a 400.
    const answers = `${report.result.head}\r\n\r\n${report.result.body.toString('latin1')}`;
    const statuses = [...answers.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((found) => found[1]);
    assert.ok(statuses.length > 0 && statuses.every((status) => status === '400'), statuses.join(' '));
    assertResponsive(report, 'four pipelined 15 KB Content-Type headers');
  });

  it('still finds the file field and its name behind 7,000 spaces of padding each', async () => {
    const { id } = await createVideo(server, owner);
    const padding = ' '.repeat(7_000);
    const body = Buffer.concat([
      part(`Content-Disposition: form-data;${padding}name="file";${padding}filename="clip.mp4"`, SAMPLE_MP4),
      Buffer.from(`--${BOUNDARY}--\r\n`),
    ]);
    const res = await postUpload(id, `multipart/form-data;${' '.repeat(8_000)}boundary=${BOUNDARY}`, body);
    assert.deepEqual([res.status, res.body.mime], [201, 'video/mp4']);
    assert.equal((await request(server, 'GET', `/user/${owner.name}/videos/${id}`)).body.status, 'ready');
  });
});

describe('PUT /upload/:vid-id with a hostile container header', () => {
  it('sniffs an EBML header whose DocType is 60,000 NULs and an "x" while /healthz stays fast', async () => {
    const { id } = await createVideo(server, owner);
    const docType = Buffer.concat([Buffer.alloc(60_000), Buffer.from('x')]);
    const docTypeElement = Buffer.concat([Buffer.from([0x42, 0x82, 0x10]), uint24(docType.length), docType]);
    const header = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x10]), uint24(docTypeElement.length), docTypeElement]);
    const report = await watchHealthz(server, async () => {
      const res = await fetch(`${server.url}/upload/${id}`, { method: 'PUT', headers: { 'X-Session-Id': owner.sid }, body: header });
      return { status: res.status, body: (await res.json()) as { mime?: string } };
    });
    // An EBML file of another DocType is still Matroska.
    assert.deepEqual([report.result.status, report.result.body.mime], [201, 'video/x-matroska']);
    assertResponsive(report, 'a 60 KB DocType of NULs');
  });
});

function uint24(value: number): Buffer {
  return Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
}
