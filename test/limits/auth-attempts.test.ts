import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request, signUp, type JsonResponse } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

const signIn = (server: TestServer, name: string, pwd: string, from?: string): Promise<JsonResponse> =>
  request(server, 'POST', `/user/${name}`, { body: { user_name: name, pwd }, headers: from ? { 'X-Forwarded-For': from } : {} });

function assertTooMany(res: JsonResponse, what: string): number {
  assert.equal(res.status, 429, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error_code, '014');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${res.headers.get('retry-after')}`);
  return retryAfter;
}

/** Statuses of concurrent requests, sorted: they all reach the server before one token can come back (6 s). */
async function statusesAtOnce(requests: Promise<JsonResponse>[]): Promise<{ statuses: number[]; refused: JsonResponse[] }> {
  const answers = await Promise.all(requests);
  return { statuses: answers.map((res) => res.status).sort(), refused: answers.filter((res) => res.status === 429) };
}

describe('sign-in and sign-up attempts per client address (AUTH_RATE_PER_MIN)', () => {
  it('answers the 11th and 12th attempts in a minute from one address 429 with Retry-After, sign-ups and sign-ins alike', async (t) => {
    const server = await startServer({ env: { AUTH_RATE_PER_MIN: '10' } });
    t.after(() => server.close());
    const { statuses, refused } = await statusesAtOnce(Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? request(server, 'POST', '/user', { body: { user_name: `new${i}`, pwd: 'correct horse' } })
        : signIn(server, `nobody${i}`, 'wrong password'),
    ));
    assert.equal(statuses.filter((status) => status === 429).length, 2, `statuses ${statuses.join(' ')}`);
    for (const res of refused) assert.ok(assertTooMany(res, 'an attempt past 10') <= 6, 'one attempt comes back every 6 s');
  });

  it('believes X-Forwarded-For only from a trusted proxy: from any other peer the header changes nothing', async (t) => {
    const server = await startServer({ env: { AUTH_RATE_PER_MIN: '10' } });
    t.after(() => server.close());
    const { statuses } = await statusesAtOnce(Array.from({ length: 11 }, (_, i) => signIn(server, `nobody${i}`, 'wrong password', `198.51.100.${i}`)));
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    await server.stop();
    assert.match(server.stdout(), /POST \/user\/nobody0 (401|429) .* client=127\.0\.0\.1\n/);
    assert.doesNotMatch(server.stdout(), /client=198\.51\.100/);
  });

  it('counts per client behind a trusted proxy (TRUST_PROXY=loopback): one address used up, another still gets in', async (t) => {
    const server = await startServer({ env: { AUTH_RATE_PER_MIN: '10', TRUST_PROXY: 'loopback' } });
    t.after(() => server.close());
    const { statuses } = await statusesAtOnce(Array.from({ length: 11 }, (_, i) => signIn(server, `nobody${i}`, 'wrong password', '10.9.8.7, 198.51.100.1')));
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    assert.equal((await signIn(server, 'nobody11', 'wrong password', '198.51.100.2')).status, 401);
    await server.stop();
    assert.match(server.stdout(), /POST \/user\/nobody11 401 .* client=198\.51\.100\.2\n/);
  });
});

describe('failed sign-ins per account', () => {
  it('stops a guessing run spread over 50 addresses after 10 failures, even with the right password, and leaves other accounts alone', async (t) => {
    const server = await startServer({ env: { AUTH_RATE_PER_MIN: '10', TRUST_PROXY: 'loopback' } });
    t.after(() => server.close());
    const victim = await signUp(server, 'victim');
    const other = await signUp(server, 'other');
    const answers: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 50; i++) {
      const res = await signIn(server, 'victim', `guess number ${i}`, `203.0.113.${i}`);
      answers.push(res.status);
      if (res.status === 429) retryAfter = assertTooMany(res, `guess ${i + 1}`);
    }
    assert.deepEqual(answers, [...Array(10).fill(401), ...Array(40).fill(429)]);
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}: until the first failure is 15 minutes old`);
    assertTooMany(await signIn(server, 'VICTIM', victim.pwd, '203.0.113.200'), 'the right password, in other letter case, during the lock');
    assert.equal((await signIn(server, 'other', 'a wrong guess', '203.0.113.1')).status, 401);
    assert.equal((await signIn(server, 'other', other.pwd, '203.0.113.2')).status, 200);
  });

  it('forgets the failures after a successful sign-in', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    for (let i = 0; i < 9; i++) assert.equal((await signIn(server, user.name, 'wrong password')).status, 401);
    assert.equal((await signIn(server, user.name, user.pwd)).status, 200);
    for (let i = 0; i < 10; i++) assert.equal((await signIn(server, user.name, 'wrong password')).status, 401, `failure ${i + 1} after the reset`);
    assertTooMany(await signIn(server, user.name, user.pwd), 'the 11th failure in a row');
  });

  it('locks a name that has no account the same way, so a lock-out does not tell which names exist', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    for (let i = 0; i < 10; i++) assert.equal((await signIn(server, 'ghost', 'wrong password')).status, 401);
    assertTooMany(await signIn(server, 'ghost', 'wrong password'), 'the 11th attempt on a name with no account');
  });

  it('counts wrong passwords given to DELETE /user/:username like failed sign-ins: a stolen session cannot guess on', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    const deleteAccount = (pwd: string) => request(server, 'DELETE', `/user/${user.name}`, { sid: user.sid, body: { pwd } });
    for (let i = 0; i < 10; i++) assert.equal((await deleteAccount(`guess number ${i}`)).status, 401, `guess ${i + 1}`);
    assertTooMany(await deleteAccount(user.pwd), 'the right password after 10 wrong ones');
    assertTooMany(await signIn(server, user.name, user.pwd), 'a sign-in during the lock');
    assert.equal((await request(server, 'GET', `/user/${user.name}`, { sid: user.sid })).status, 200);
  });

  it('counts concurrent attempts: 30 guesses at once get at most 10 password checks', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(server, user.name, `guess number ${i}`)));
    const statuses = answers.map((res) => res.status).sort();
    assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(20).fill(429)]);
  });
});
