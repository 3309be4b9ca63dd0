import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { flushLogs, logAccess, logError, setLogFormat } from '../src/log.js';
import { request, signUp } from './helpers/http.js';
import { startServer } from './helpers/server.js';

/** What logError writes to stderr, captured. */
function captureStderr(t: TestContext, write: () => void): string {
  let text = '';
  const mock = t.mock.method(process.stderr, 'write', (chunk: string) => ((text += chunk), true));
  try {
    write();
  } finally {
    mock.mock.restore();
  }
  return text;
}

describe('access log', () => {
  it('writes one text line with the path, status, bytes, ms, the rid sent as X-Request-Id and the client address', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const res = await request(server, 'GET', '/healthz');
    const rid = res.headers.get('x-request-id');
    assert.match(rid ?? '', /^[0-9a-f]{12}$/);
    await server.stop();
    const line = server.stdout().split('\n').find((candidate) => candidate.includes(`rid=${rid} `));
    assert.match(line ?? '', /^\d{4}-\d\d-\d\dT\S+Z GET \/healthz 200 \d+ \d+\.\d rid=[0-9a-f]{12} client=127\.0\.0\.1$/);
  });

  it('writes every line whole, once, across many flushes of the buffer it reuses', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const rids: string[] = [];
    // ~120 bytes a line: 2,000 lines are several 64 KiB flushes.
    for (let batch = 0; batch < 40; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => request(server, 'GET', `/healthz?n=${batch * 50 + i}`)));
      rids.push(...answers.map((res) => res.headers.get('x-request-id')!));
    }
    await server.stop();
    const lines = server.stdout().split('\n').filter((line) => line.includes(' GET /healthz '));
    assert.equal(lines.length, rids.length);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z GET \/healthz 200 \d+ \d+\.\d rid=[0-9a-f]{12} client=127\.0\.0\.1$/);
    assert.deepEqual(new Set(lines.map((line) => /rid=(\S+)/.exec(line)![1])), new Set(rids));
  });

  it('writes JSON lines for LOG_FORMAT=json, without the query string or the session id', async (t) => {
    const server = await startServer({ env: { LOG_FORMAT: 'json' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const res = await request(server, 'GET', `/user/${user.name}/videos?limit=5&token=hunter2`, { sid: user.sid });
    assert.equal(res.status, 200);
    await server.stop();

    const records = server.stdout().trimEnd().split('\n').map((line) => JSON.parse(line));
    const access = records.find((record) => record.rid === res.headers.get('x-request-id'));
    assert.deepEqual(
      { msg: access.msg, method: access.method, path: access.path, status: access.status },
      { msg: 'request', method: 'GET', path: `/user/${user.name}/videos`, status: 200 },
    );
    assert.equal(access.client, '127.0.0.1');
    assert.equal(typeof access.bytes, 'number');
    assert.equal(typeof access.ms, 'number');
    assert.ok(!server.stdout().includes('hunter2'), 'the query string was logged');
    assert.ok(!server.stdout().includes(user.sid), 'the session id was logged');
  });
});

describe('logAccess()', () => {
  it('writes a line longer than its buffer whole, after the lines before it, in UTF-8', (t) => {
    const chunks: Buffer[] = [];
    const mock = t.mock.method(process.stdout, 'write', (chunk: Uint8Array) => (chunks.push(Buffer.from(chunk)), true));
    try {
      const record = { rid: 'r', method: 'GET', status: 200, bytes: 0, ms: 1, client: '127.0.0.1' };
      logAccess({ ...record, path: '/before' });
      logAccess({ ...record, path: `/${'é'.repeat(200_000)}` });
      logAccess({ ...record, path: '/after' });
      flushLogs();
    } finally {
      mock.mock.restore();
    }
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => line.split(' ')[2]!.slice(0, 8)), ['/before', '/ééééééé', '/after']);
    assert.equal(lines[1]!.split(' ')[2], `/${'é'.repeat(200_000)}`);
  });
});

describe('logError()', () => {
  it('writes the message with its fields, then the stack, in text format', (t) => {
    const text = captureStderr(t, () => logError('GET /x failed', new Error('boom'), { rid: 'abc123' }));
    const [head, ...stack] = text.trimEnd().split('\n');
    assert.match(head!, /^\S+Z ERROR GET \/x failed rid=abc123$/);
    assert.equal(stack[0], 'Error: boom');
    assert.match(stack[1]!, /^\s+at /);
  });

  it('writes one JSON object with the stack as a field for LOG_FORMAT=json', (t) => {
    setLogFormat('json');
    t.after(() => setLogFormat('text'));
    const text = captureStderr(t, () => logError('GET /x failed', new Error('boom'), { rid: 'abc123' }));
    assert.equal(text.trimEnd().split('\n').length, 1);
    const record = JSON.parse(text);
    assert.equal(record.level, 'error');
    assert.equal(record.rid, 'abc123');
    assert.match(record.error, /^Error: boom\n\s+at /);
  });
});
