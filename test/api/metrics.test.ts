import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operatorGet, request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

// Prometheus text format 0.0.4: `name{label="value",...} number`, label values with \\, \" and \n escaped.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

async function scrape(server: TestServer): Promise<string> {
  const res = await operatorGet(server, '/metrics');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return res.body as string;
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('GET /metrics on the operator listener', () => {
  it('counts requests by route pattern and status, with unmatched for a 404', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    const before = await scrape(server);

    await request(server, 'GET', '/healthz');
    await request(server, 'GET', `/user/${user.name}/videos`);
    await request(server, 'GET', `/user/${user.name}/videos`);
    await request(server, 'GET', '/no/such/page-4711?token=abc');
    await request(server, 'PUT', '/healthz');
    const after = await scrape(server);

    const healthz = 'moviedash_http_requests_total{method="GET",route="/healthz",status="200"}';
    assert.equal(sample(after, healthz) - sample(before, healthz), 1);
    const list = 'moviedash_http_requests_total{method="GET",route="/user/:username/videos",status="200"}';
    assert.equal(sample(after, list) - sample(before, list), 2);
    assert.equal(sample(after, 'moviedash_http_requests_total{method="GET",route="unmatched",status="404"}'), 1);
    assert.equal(sample(after, 'moviedash_http_requests_total{method="PUT",route="/healthz",status="405"}'), 1);
    assert.equal(sample(after, 'moviedash_http_request_duration_seconds_count{method="GET",route="/user/:username/videos"}'), 2);
    assert.ok(!after.includes('4711'), 'a raw path became a label');
    assert.ok(!after.includes(user.name), 'a user name became a label');
  });

  it('answers text in which every line is a comment or a sample', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    await request(server, 'GET', '/healthz');
    const text = await scrape(server);

    assert.ok(text.endsWith('\n'));
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      assert.match(line, SAMPLE);
    }
    assert.ok(sample(text, 'process_resident_memory_bytes') > 0);
    assert.ok(sample(text, 'nodejs_heap_size_used_bytes') > 0);
    assert.ok(sample(text, 'moviedash_uptime_seconds') >= 0);
    assert.match(text, /^# TYPE moviedash_http_request_duration_seconds histogram$/m);
    assert.match(text, /^moviedash_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} 1$/m);
  });

  it('answers 404 on the public port, over loopback or through a proxy', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    for (const headers of [{}, { 'X-Forwarded-For': '203.0.113.9' }] as Record<string, string>[]) {
      const res = await request(server, 'GET', '/metrics', { headers });
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, '006');
    }
  });

  it('serves /healthz on the operator listener as well as on the public port', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    assert.deepEqual((await operatorGet(server, '/healthz')).body, { status: 'ok' });
    assert.deepEqual((await request(server, 'GET', '/healthz')).body, { status: 'ok' });
    assert.equal((await operatorGet(server, '/user')).status, 404, 'the operator listener serves the site');
  });
});
