import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { runCommand } from './run-command.js';

describe('SIGNUP=closed and node dist/main.js user add NAME', () => {
  let server: TestServer;
  let dirs: Record<string, string>;
  before(async () => {
    server = await startServer({ env: { SIGNUP: 'closed' } });
    dirs = { DATA_DIR: server.dataDir, VIDEO_DIR: server.videoDir };
  });
  after(() => server.close());

  it('answers 403 with 005 to POST /user and creates no account', async () => {
    const res = await request(server, 'POST', '/user', { body: { user_name: 'walkin', pwd: 'correct horse' } });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { error: 'Sign-up is closed on this server: ask its operator for an account', error_code: '005' });
    assert.equal((await request(server, 'POST', '/user/walkin', { body: { user_name: 'walkin', pwd: 'correct horse' } })).status, 401);
  });

  it('shows no sign-up form on the front page, and says why', async () => {
    const page = (await request(server, 'GET', '/')).body as string;
    assert.doesNotMatch(page, /id="sign-up"/);
    assert.match(page, /id="sign-in"/);
    assert.match(page, /New accounts are made by the operator of this server/);
  });

  it('creates an account from the password on stdin, which then signs in on the running server', async () => {
    const run = await runCommand(['user', 'add', 'invited'], dirs, 'a long passphrase\n');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'created user invited\n');
    const res = await request(server, 'POST', '/user/invited', { body: { user_name: 'invited', pwd: 'a long passphrase' } });
    assert.equal(res.status, 200);
  });

  it('reads options after the name', async () => {
    const run = await runCommand(['user', 'add', 'flagged', '--data-dir', server.dataDir], {}, 'password with flags\r\n');
    assert.equal(run.code, 0, run.stderr);
    const res = await request(server, 'POST', '/user/flagged', { body: { user_name: 'flagged', pwd: 'password with flags' } });
    assert.equal(res.status, 200);
  });

  const refusals = [
    { what: 'a taken name (any letter case)', args: ['user', 'add', 'INVITED'], stdin: 'another passphrase\n', code: 1, line: 'moviedash: user add: User name INVITED is taken' },
    { what: 'a bad name', args: ['user', 'add', 'no/slash'], stdin: 'correct horse\n', code: 1, line: 'moviedash: user add: Invalid user_name: must be 1-64 letters, digits, "_", "." or "-"' },
    { what: 'a short password', args: ['user', 'add', 'shorty'], stdin: 'short\n', code: 1, line: 'moviedash: user add: Invalid pwd: must be 8-256 characters' },
    { what: 'no password', args: ['user', 'add', 'silent'], stdin: '', code: 1, line: 'moviedash: user add: Invalid pwd: give the password on stdin (one line)' },
    { what: 'no name', args: ['user', 'add'], stdin: '', code: 2, line: 'moviedash: Usage: node dist/main.js user add NAME [options]' },
    { what: 'an unknown command', args: ['user', 'remove', 'x'], stdin: '', code: 2, line: 'moviedash: Unknown command "user remove" (see --help)' },
  ];
  for (const { what, args, stdin, code, line } of refusals) {
    it(`exits ${code} with one line for ${what}`, async () => {
      const run = await runCommand(args, dirs, stdin);
      assert.equal(run.code, code);
      assert.equal(run.stderr, `${line}\n`);
    });
  }

  it('is listed by --help with backup', async () => {
    const run = await runCommand(['--help'], {});
    assert.equal(run.code, 0);
    assert.match(run.stdout, /node dist\/main\.js backup FILE \[options\]/);
    assert.match(run.stdout, /node dist\/main\.js user add NAME \[options\]/);
    assert.match(run.stdout, /--operator-port <value> +OPERATOR_PORT +9001/);
  });
});
