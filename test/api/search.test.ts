import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

const SAMPLE = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));

describe('GET /videos?q=', () => {
  let server: TestServer;
  let user: TestUser;
  before(async () => {
    server = await startServer();
    user = await signUp(server);
  });
  after(() => server.close());

  async function pendingVideo(name: string, description = ''): Promise<string> {
    const res = await request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body: { name, description } });
    assert.equal(res.status, 201);
    return res.body.id;
  }

  async function readyVideo(name: string, description = ''): Promise<string> {
    const id = await pendingVideo(name, description);
    const res = await fetch(`${server.url}/upload/${id}`, { method: 'PUT', headers: { 'X-Session-Id': user.sid }, body: SAMPLE });
    assert.equal(res.status, 201);
    return id;
  }

  async function search(q: string, extra = ''): Promise<{ status: number; ids: string[]; body: any }> {
    const res = await request(server, 'GET', `/videos?q=${encodeURIComponent(q)}${extra}`);
    return { status: res.status, ids: res.status === 200 ? res.body.videos.map((v: { id: string }) => v.id) : [], body: res.body };
  }

  it('finds a word in the name or the description, in any letter case and without accents', async () => {
    const inName = await readyVideo('Zanzibar sunset');
    const inDescription = await readyVideo('Evening', 'Filmed from the ferry to ZANZIBAR');
    const accented = await readyVideo('Café Zanzíbar');
    const { status, ids, body } = await search('zanzibar');
    assert.equal(status, 200);
    assert.deepEqual(new Set(ids), new Set([inName, inDescription, accented]));
    assert.ok(body.videos.every((v: { status: string }) => v.status === 'ready'));
    assert.deepEqual((await search('CAFE zanzibar')).ids, [accented]);
  });

  it('takes the last word as a prefix and the others as whole words', async () => {
    const id = await readyVideo('Quokkaland holiday');
    assert.deepEqual((await search('quokkaland holi')).ids, [id]);
    assert.deepEqual((await search('quokkal')).ids, [id]);
    assert.deepEqual((await search('quokkal holiday')).ids, [], 'only the last word is a prefix');
  });

  it('needs every word', async () => {
    const both = await readyVideo('Xylophone lesson', 'for beginners');
    await readyVideo('Xylophone concert');
    assert.deepEqual((await search('xylophone beginners')).ids, [both]);
  });

  it('ranks a match in the name above one in the description only, and a closer match higher', async () => {
    const inDescription = await readyVideo('A walk in the hills', 'we met a marmoset on the way back home after a long day');
    const inName = await readyVideo('Marmoset', 'a small monkey');
    const inLongName = await readyVideo('Our trip with the marmoset and a lot of other animals and people');
    assert.deepEqual((await search('marmoset')).ids, [inName, inLongName, inDescription]);
  });

  it('pages through the matches with its cursor, each match exactly once, in rank order', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) ids.add(await readyVideo(`Wombat ${i}`));
    // Equal names and descriptions rank the same: ties must still page without repeats.
    for (let i = 0; i < 4; i++) ids.add(await readyVideo('Wombat twin', 'same text'));
    const all = (await search('wombat', '&limit=100')).ids;
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search('wombat', `&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      paged.push(...page.ids);
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(paged, all);
    assert.deepEqual(new Set(paged), ids);
  });

  it('never finds a pending video, nor a deleted one, nor those of a deleted account', async () => {
    await pendingVideo('Narwhal waiting for its file');
    const deleted = await readyVideo('Narwhal gone');
    assert.deepEqual((await search('narwhal')).ids, [deleted]);
    assert.equal((await request(server, 'DELETE', `/user/${user.name}/videos/${deleted}`, { sid: user.sid })).status, 204);
    assert.deepEqual((await search('narwhal')).ids, []);

    const leaver = await signUp(server);
    const res = await request(server, 'POST', `/user/${leaver.name}/videos`, { sid: leaver.sid, body: { name: 'Narwhal of a leaver' } });
    await fetch(`${server.url}/upload/${res.body.id}`, { method: 'PUT', headers: { 'X-Session-Id': leaver.sid }, body: SAMPLE });
    assert.deepEqual((await search('narwhal')).ids, [res.body.id]);
    assert.equal((await request(server, 'DELETE', `/user/${leaver.name}`, { sid: leaver.sid, body: { pwd: leaver.pwd } })).status, 204);
    assert.deepEqual((await search('narwhal')).ids, []);
  });

  it('follows an edit: the old words are gone, the new ones found', async () => {
    const id = await readyVideo('Okapi', 'in the forest');
    await request(server, 'PATCH', `/user/${user.name}/videos/${id}`, { sid: user.sid, body: { name: 'Giraffe cousin', description: 'striped legs' } });
    assert.deepEqual((await search('okapi')).ids, []);
    assert.deepEqual((await search('forest')).ids, []);
    assert.deepEqual((await search('giraffe striped')).ids, [id]);
  });

  describe('treats FTS5 syntax as plain words', () => {
    let alpha: string;
    let gamma: string;
    let rock: string;
    before(async () => {
      alpha = await readyVideo('Aardvark bongo');
      gamma = await readyVideo('Capybara dingo');
      rock = await readyVideo('Rock OR roll NEAR the sea');
    });

    const CASES: { q: string; expected: () => string[]; why: string }[] = [
      { q: 'aardvark OR capybara', expected: () => [], why: 'OR is a word nobody used, not a union' },
      { q: 'NEAR(aardvark bongo)', expected: () => [], why: 'NEAR is a word, not a proximity group' },
      { q: 'capybara NOT aardvark', expected: () => [], why: 'NOT is a word, not an exclusion' },
      { q: 'name:capybara', expected: () => [], why: 'no column filter' },
      { q: '{name description}: capybara', expected: () => [], why: 'no column set' },
      { q: '-name:aardvark capybara', expected: () => [], why: 'no negated column filter' },
      { q: '"aardvark', expected: () => [alpha], why: 'an unbalanced quote is a separator, not a syntax error' },
      { q: 'aardvark" OR "capybara', expected: () => [], why: 'quotes cannot break out of a word' },
      { q: '(aardvark)', expected: () => [alpha], why: 'parentheses are separators' },
      { q: 'aardv*', expected: () => [alpha], why: 'a star is a separator (the last word is a prefix anyway)' },
      { q: '^aardvark + bongo', expected: () => [alpha], why: 'initial-token and phrase operators are separators' },
      { q: 'rock or roll near', expected: () => [rock], why: 'the words "or" and "near" are found like any other' },
      { q: 'capybara:dingo', expected: () => [gamma], why: 'a colon is a separator' },
    ];
    for (const { q, expected, why } of CASES) {
      it(`answers ${JSON.stringify(q)}: ${why}`, async () => {
        const { status, ids } = await search(q);
        assert.equal(status, 200);
        assert.deepEqual(ids, expected());
      });
    }
  });

  for (const { what, query } of [
    { what: 'a query of only punctuation', query: `?q=${encodeURIComponent('"*()-:^+{}')}` },
    { what: 'an empty query', query: '?q=' },
    { what: 'a query of 201 characters', query: `?q=${'a'.repeat(201)}` },
    { what: 'a cursor of the plain list', query: '?q=a&cursor=azE6MTIz' },
    { what: 'a cursor that is not one', query: '?q=a&cursor=AAAAAAAAAAAAAAAAAAAAAAA' },
  ]) {
    it(`answers 400 with 011 for ${what}`, async () => {
      const res = await request(server, 'GET', `/videos${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, '011');
    });
  }

  it('takes a query of exactly 200 characters', async () => {
    const res = await request(server, 'GET', `/videos?q=${'word '.repeat(40)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { videos: [], next_cursor: null });
  });
});
