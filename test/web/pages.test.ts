import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVideo, request, signUp } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const HOSTILE_NAME = '<script>alert(1)</script> & "quoted" <img src=x onerror=alert(2)>';

describe('web pages', async () => {
  const server = await startServer();
  after(() => server.close());
  const user = await signUp(server);
  const cookie = `session=${user.sid}`;
  const page = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });

  const ready = await createVideo(server, user, HOSTILE_NAME);
  const upload = await fetch(`${server.url}/upload/${ready.id}`, {
    method: 'PUT',
    headers: { 'X-Session-Id': user.sid, 'Content-Type': 'video/webm' },
    body: readFileSync(join(ROOT, 'test/fixtures/sample.webm')),
  });
  const pending = await createVideo(server, user, 'Not uploaded yet');

  function assertPageHeaders(res: Response): void {
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), CSP);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }

  /** Everything the CSP would block: inline scripts, style attributes, inline event handlers. */
  function assertNoInlineCode(body: string): void {
    for (const tag of body.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, / src="\/statics\//);
    assert.doesNotMatch(body, /<style\b/i);
    assert.doesNotMatch(body, /<[a-z][^>]*\s(?:style|on[a-z]+)=/i, 'a style or event handler attribute in a tag');
  }

  it('uploads the fixture that the escaping tests need', () => {
    assert.equal(upload.status, 201);
  });

  it('GET / answers 200 HTML with the CSP and both forms to a visitor', async () => {
    const res = await page('/');
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    const body = await res.text();
    assert.match(body, /<form class="auth-form" id="sign-in"/);
    assert.match(body, /<form class="auth-form" id="sign-up"/);
    assertNoInlineCode(body);
  });

  it('GET / lists a ready video with its name escaped, linking its watch page and poster', async () => {
    const body = await (await page('/')).text();
    assert.ok(body.includes(`href="/watch/${ready.id}"`));
    assert.ok(body.includes(`src="/videos/${ready.id}/poster"`));
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;img src=x onerror=alert(2)&gt;'));
    assert.ok(!body.includes('<script>alert(1)') && !body.includes('<img src=x'));
    assert.ok(!body.includes(`/watch/${pending.id}`), 'a pending video is not listed');
  });

  it('GET /?q= lists the ready videos the search finds, names escaped, each card with its length', async () => {
    const body = await (await page(`/?q=${encodeURIComponent('script quoted')}`)).text();
    assert.match(body, /<h2 id="recent-title">Videos matching “script quoted”<\/h2>/);
    assert.ok(body.includes(`href="/watch/${ready.id}"`));
    assert.ok(body.includes('<span class="duration">0:12</span>'));
    assert.ok(body.includes('value="script quoted"'), 'the box keeps the words');
  });

  const searchMisses = [
    { what: 'words nothing matches', q: 'submarine', says: 'No video matches “submarine”.' },
    { what: 'only punctuation', q: '?!', says: 'Search with letters or digits, up to 200 characters.' },
    { what: 'markup', q: '<b>submarine</b>', says: 'No video matches “&lt;b&gt;submarine&lt;/b&gt;”.' },
  ];
  for (const { what, q, says } of searchMisses) {
    it(`GET /?q= answers 200 and says so for ${what}`, async () => {
      const res = await page(`/?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.ok(body.includes(says), body);
      assert.ok(!body.includes('<ul class="video-grid">'));
    });
  }

  it('GET / shows the first page of videos for a cursor it did not make', async () => {
    const res = await page('/?cursor=not-a-cursor');
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(`href="/watch/${ready.id}"`));
  });

  it('GET / redirects a signed-in visitor to /userhome', async () => {
    const res = await page('/', { Cookie: cookie });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/userhome');
  });

  const nextCases = [
    { what: 'a watch page', next: `/watch/${randomUUID()}`, isKept: true },
    { what: 'another site', next: 'https://evil.example/', isKept: false },
    { what: 'a protocol-relative URL', next: '//evil.example/watch/x', isKept: false },
    { what: 'a path that is not a watch page', next: '/user/x', isKept: false },
    { what: '/userhome', next: '/userhome', isKept: true },
    { what: '/userhome with a selected video', next: `/userhome#${randomUUID()}`, isKept: true },
    { what: '/userhome with a fragment that is not a video id', next: '/userhome#x"><script>', isKept: false },
  ];
  for (const { what, next, isKept } of nextCases) {
    it(`GET /?next= sends a signed-in visitor to ${isKept ? 'it' : '/userhome'} for ${what}`, async () => {
      const res = await page(`/?next=${encodeURIComponent(next)}`, { Cookie: cookie });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), isKept ? next : '/userhome');
    });
  }

  it('GET /?signed-out confirms the sign-out, and GET /?next= says where the visitor will return', async () => {
    assert.match(await (await page('/?signed-out')).text(), /<p class="notice" role="status">You are signed out\./);
    const body = await (await page(`/?next=${encodeURIComponent(`/watch/${ready.id}`)}`)).text();
    assert.match(body, /<p class="notice" role="status">Sign in to go back to where you were\.<\/p>/);
    assert.ok(body.includes(`data-next="/watch/${ready.id}"`));
  });

  it('every page preloads the modules its script imports, and starts with a skip link', async () => {
    for (const [path, headers] of [['/', {}], ['/userhome', { Cookie: cookie }], [`/watch/${ready.id}`, {}], ['/nowhere', { Accept: 'text/html' }]] as const) {
      const body = await (await page(path, headers)).text();
      const entry = /<script type="module" src="\/statics\/([a-z-]+)\.[0-9a-f]{8}\.js"><\/script>/.exec(body);
      assert.ok(entry, `${path} has a module script`);
      const preloads = [...body.matchAll(/<link rel="modulepreload" href="\/statics\/([a-z-]+)\.[0-9a-f]{8}\.js">/g)].map((match) => match[1]);
      const modules = [entry[1], ...preloads];
      assert.ok(modules.includes('page') && modules.includes('common'), `${path} loads page.js and common.js at once: ${modules}`);
      assert.match(body, /<body[^>]*>\s*<a class="skip-link" href="#(main|library)">/);
      assert.match(body, /<main [^>]*id="main"/);
    }
  });

  it('GET /userhome redirects to / without a session', async () => {
    const res = await page('/userhome');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
  });

  it('GET /userhome redirects to / with an unknown session cookie', async () => {
    const res = await page('/userhome', { Cookie: `session=${randomUUID()}` });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
  });

  it('GET /userhome answers 200 HTML naming the signed-in user', async () => {
    const res = await page('/userhome', { Cookie: cookie });
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    const body = await res.text();
    assert.ok(body.includes(`data-user="${user.name}"`));
    assert.match(body, /<dialog class="upload-dialog"/);
    assert.match(body, /<progress max="100" value="0"/);
    assertNoInlineCode(body);
  });

  it('GET /watch/:vid-id shows a ready video with its name escaped', async () => {
    const res = await page(`/watch/${ready.id}`);
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    const body = await res.text();
    assert.ok(body.includes(`src="/videos/${ready.id}"`));
    assert.ok(body.includes('<h1 class="video-title">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;'));
    assert.ok(body.includes(`<title>&lt;script&gt;alert(1)&lt;/script&gt;`));
    assert.ok(!body.includes('<script>alert(1)') && !body.includes('<img src=x'));
    assert.ok(body.includes(`<strong class="author">${user.name}</strong>`));
    assert.match(body, /<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">/);
    assert.ok(body.includes('href="/?next=%2Fwatch%2F'), 'a visitor gets a sign-in link');
    assert.ok(body.includes(`<a class="button ghost" href="/?next=%2Fwatch%2F${ready.id}">Sign in</a>`), 'the header comes back here too');
    assertNoInlineCode(body);
  });

  it('GET /watch/:vid-id offers the comment box to a signed-in user', async () => {
    const body = await (await page(`/watch/${ready.id}`, { Cookie: cookie })).text();
    assert.match(body, /<form class="comment-form"/);
    assert.ok(!body.includes('href="/?next='));
  });

  const missingVideoCases = [
    { what: 'an unknown UUID', id: () => randomUUID() },
    { what: 'a pending video', id: () => pending.id },
    { what: 'an id that is not a UUID', id: () => 'not-a-uuid' },
  ];
  for (const { what, id } of missingVideoCases) {
    it(`GET /watch/:vid-id answers a 404 HTML page for ${what}`, async () => {
      const res = await page(`/watch/${id()}`);
      assert.equal(res.status, 404);
      assertPageHeaders(res);
      assert.match(await res.text(), /<h1>This video is not here<\/h1>/);
    });
  }

  it('answers a browser asking for an unknown path with a 404 HTML page', async () => {
    const res = await page('/no/such/page', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    assert.equal(res.status, 404);
    assertPageHeaders(res);
    assert.match(await res.text(), /<h1>This page is not here<\/h1>/);
  });

  const jsonNotFoundCases = [
    { what: 'a GET without Accept: text/html', method: 'GET', accept: 'application/json' },
    { what: 'a POST from a browser', method: 'POST', accept: 'text/html' },
  ];
  for (const { what, method, accept } of jsonNotFoundCases) {
    it(`keeps the JSON 404 for ${what}`, async () => {
      const res = await request(server, method, '/no/such/page', { headers: { Accept: accept } });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'No such route', error_code: '006' });
    });
  }

  it('answers HEAD / with the page headers and no body', async () => {
    const res = await fetch(server.url + '/', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    assert.equal(await res.text(), '');
  });
});
