// Issue 10, item 1's audit on the real server: every other part that reads request bytes gets its worst
// 15 KB header (or 60 KB body) four times at once, while the watchdog measures a concurrent GET /healthz.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { rawRequest, signUp, type TestUser } from './helpers/http.js';
import { seedReadyVideo } from './helpers/seed-video.js';
import { startServer, type TestServer } from './helpers/server.js';
import { assertResponsive, watchHealthz } from './helpers/watchdog.js';

const KB15 = 15_000;
const SAMPLE_MP4 = new URL('./fixtures/sample.mp4', import.meta.url).pathname;
let server: TestServer;
let user: TestUser;
let videoId: string;

before(async () => {
  server = await startServer();
  user = await signUp(server);
  videoId = await seedReadyVideo(server, user, SAMPLE_MP4, 'video/mp4');
});
after(() => server.close());

/** A request written as raw bytes (no client normalises it), with Connection: close. */
function raw(method: string, target: string, headers: string, body = ''): string {
  const length = body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\n`;
  return `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${length}${headers}\r\n${body}`;
}

describe('hostile requests against the real server', () => {
  const cases = [
    { what: 'a path of 5,000 %-escapes', request: () => raw('GET', `/videos/${'%2'.repeat(5000)}`, '') },
    { what: 'a path of 7,000 empty segments', request: () => raw('GET', `/statics${'/'.repeat(7000)}x`, '') },
    { what: 'an absolute-form target with a 15 KB authority', request: () => raw('GET', `http://${'a'.repeat(KB15)}/healthz`, '') },
    { what: 'a Range of 15 KB of digits', request: () => raw('GET', `/videos/${videoId}`, `Range: bytes=${'1'.repeat(KB15)}x\r\n`) },
    { what: 'a Range of 5,000 empty ranges', request: () => raw('GET', `/videos/${videoId}`, `Range: bytes=${', '.repeat(5000)}0-\r\n`) },
    { what: 'an If-None-Match of 15 KB of quotes', request: () => raw('GET', `/videos/${videoId}`, `If-None-Match: ${'"W/'.repeat(5000)}\r\n`) },
    { what: 'a Cookie of 15 KB of separators', request: () => raw('GET', `/user/${user.name}`, `Cookie: ${'session=;'.repeat(1600)}\r\n`) },
    { what: 'an X-Session-Id of 15 KB', request: () => raw('GET', `/user/${user.name}`, `X-Session-Id: ${'a'.repeat(KB15)}\r\n`) },
    { what: 'a JSON body of 60 KB of "["', request: () => raw('POST', '/user', '', '['.repeat(60_000)) },
    { what: 'a JSON body of 60 KB of escapes', request: () => raw('POST', '/user', '', `{"user_name":"${'\\u0000'.repeat(10_000)}"}`) },
  ];
  for (const { what, request } of cases) {
    it(`answers ${what} while /healthz stays fast`, async () => {
      const bytes = request();
      const report = await watchHealthz(server, () => Promise.all(Array.from({ length: 4 }, () => rawRequest(server, bytes))));
      for (const res of report.result) assert.ok(res.status >= 200 && res.status < 500, `answered ${res.status}`);
      assertResponsive(report, what);
    });
  }

  it('still serves the video whole after them all', async () => {
    const res = await fetch(`${server.url}/videos/${videoId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), readFileSync(SAMPLE_MP4));
  });
});
