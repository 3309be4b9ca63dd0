import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MalformedPathError, Router } from '../../src/http/router.js';
import { ROUTES } from '../../src/routes.js';
import { buildRouter as buildSiteRouter } from '../../src/server.js';
import { assertLinearTime, FUZZ_RUNS, stringOf, withinTimePerByte } from '../helpers/fuzz.js';

function buildRouter(): Router<string> {
  const router = new Router<string>();
  router.add('POST', '/user', 'signUp');
  router.add('POST', '/user/:username', 'signIn');
  router.add('GET', '/user/:username', 'getUser');
  router.add('DELETE', '/user/:username/session', 'signOut');
  router.add('GET', '/user/:username/videos/:vid-id', 'getVideo');
  router.add('GET', '/videos', 'listVideos');
  router.add('GET', '/videos/:vid-id', 'streamVideo');
  router.add('GET', '/videos/:vid-id/comments', 'listComments');
  router.add('GET', '/videos/latest', 'latest');
  router.add('GET', '/statics/*file', 'statics');
  router.add('GET', '/', 'home');
  return router;
}

describe('Router.find()', () => {
  const router = buildRouter();
  const cases = [
    { what: 'the root', method: 'GET', path: '/', handler: 'home', params: {} },
    { what: 'a static path', method: 'GET', path: '/videos', handler: 'listVideos', params: {} },
    { what: 'one param', method: 'GET', path: '/videos/abc', handler: 'streamVideo', params: { 'vid-id': 'abc' } },
    { what: 'two params', method: 'GET', path: '/user/bob/videos/v1', handler: 'getVideo', params: { username: 'bob', 'vid-id': 'v1' } },
    { what: 'a static segment before a param', method: 'GET', path: '/videos/latest', handler: 'latest', params: {} },
    { what: 'a param after a static dead end', method: 'GET', path: '/videos/latest/comments', handler: 'listComments', params: { 'vid-id': 'latest' } },
    { what: 'a decoded %-escape', method: 'GET', path: '/user/b%C3%B6b', handler: 'getUser', params: { username: 'böb' } },
    { what: 'an encoded slash kept inside its segment', method: 'GET', path: '/videos/a%2Fb', handler: 'streamVideo', params: { 'vid-id': 'a/b' } },
    { what: 'a wildcard over several segments', method: 'GET', path: '/statics/js/app.js', handler: 'statics', params: { file: 'js/app.js' } },
    { what: 'the method chosen among several', method: 'POST', path: '/user/bob', handler: 'signIn', params: { username: 'bob' } },
    { what: 'HEAD served by GET', method: 'HEAD', path: '/videos/abc', handler: 'streamVideo', params: { 'vid-id': 'abc' } },
  ];
  for (const { what, method, path, handler, params } of cases) {
    it(`finds ${what}: ${method} ${path}`, () => {
      const match = router.find(method, path);
      assert.equal(match.kind, 'found');
      assert.ok(match.kind === 'found');
      assert.equal(match.handler, handler);
      assert.deepEqual({ ...match.params }, params);
    });
  }

  for (const path of ['/nope', '/videos/', '/user/bob/videos', '/videos/a/b/c', '//videos', 'videos']) {
    it(`answers not-found for ${JSON.stringify(path)}`, () => {
      assert.deepEqual(router.find('GET', path), { kind: 'not-found' });
    });
  }

  it('answers a path asked for again from memory, with the same frozen params', () => {
    const router = buildRouter();
    const first = router.find('GET', '/videos/again');
    const second = router.find('GET', '/videos/again');
    assert.ok(first.kind === 'found' && second.kind === 'found');
    assert.equal(second, first);
    assert.throws(() => {
      (second.params as Record<string, string>)['vid-id'] = 'changed';
    }, TypeError);
    const third = router.find('GET', '/videos/again');
    assert.ok(third.kind === 'found');
    assert.deepEqual({ ...third.params }, { 'vid-id': 'again' });
    assert.equal(router.find('DELETE', '/videos/again').kind, 'method-not-allowed');
  });

  it('remembers at most 1024 paths, and none longer than 256 characters', () => {
    const router = buildRouter();
    for (let i = 0; i < 5000; i++) assert.equal(router.find('GET', `/videos/v${i}`).kind, 'found');
    assert.ok(router.remembered > 0 && router.remembered <= 1024, `${router.remembered} remembered`);
    const before = router.remembered;
    router.find('GET', `/videos/${'x'.repeat(300)}`);
    assert.equal(router.remembered, before);
  });

  it('forgets what it remembered when a route is added', () => {
    const router = new Router<string>();
    router.add('GET', '/videos/:vid-id', 'streamVideo');
    assert.deepEqual(router.find('GET', '/videos/popular'), { kind: 'found', handler: 'streamVideo', params: { 'vid-id': 'popular' }, pattern: '/videos/:vid-id' });
    router.add('GET', '/videos/popular', 'popular');
    const match = router.find('GET', '/videos/popular');
    assert.ok(match.kind === 'found');
    assert.equal(match.handler, 'popular');
  });

  it('answers method-not-allowed with the methods of the node, HEAD with GET', () => {
    const match = router.find('PUT', '/user/bob');
    assert.deepEqual(match, { kind: 'method-not-allowed', allow: ['GET', 'HEAD', 'POST'], pattern: '/user/:username' });
  });

  it('gives the matched pattern for metrics', () => {
    const match = router.find('GET', '/videos/xyz/comments');
    assert.ok(match.kind === 'found');
    assert.equal(match.pattern, '/videos/:vid-id/comments');
  });

  it('throws MalformedPathError for a bad %-escape like /videos/%E0%A4%A', () => {
    assert.throws(() => router.find('GET', '/videos/%E0%A4%A'), MalformedPathError);
    assert.throws(() => router.find('GET', '/videos/%zz'), MalformedPathError);
  });
});

describe('Router.find() with OPTIONS, HEAD and PATCH routes (tus)', () => {
  const router = new Router<string>();
  router.add('OPTIONS', '/tus', 'tusOptions');
  router.add('POST', '/tus', 'createTusUpload');
  router.add('HEAD', '/tus/:upload-id', 'headTusUpload');
  router.add('PATCH', '/tus/:upload-id', 'patchTusUpload');
  router.add('DELETE', '/tus/:upload-id', 'deleteTusUpload');
  router.add('GET', '/videos/:vid-id', 'streamVideo');
  router.add('HEAD', '/videos/:vid-id', 'videoHeaders');

  const cases = [
    { method: 'OPTIONS', path: '/tus', handler: 'tusOptions' },
    { method: 'HEAD', path: '/tus/abc', handler: 'headTusUpload' },
    { method: 'PATCH', path: '/tus/abc', handler: 'patchTusUpload' },
    { method: 'DELETE', path: '/tus/abc', handler: 'deleteTusUpload' },
    { method: 'HEAD', path: '/videos/abc', handler: 'videoHeaders' },
    { method: 'GET', path: '/videos/abc', handler: 'streamVideo' },
  ];
  for (const { method, path, handler } of cases) {
    it(`finds ${method} ${path} as its own route`, () => {
      const match = router.find(method, path);
      assert.ok(match.kind === 'found');
      assert.equal(match.handler, handler);
    });
  }

  it('answers GET on a HEAD-only node with 405 and its own methods, no GET in Allow', () => {
    assert.deepEqual(router.find('GET', '/tus/abc'), {
      kind: 'method-not-allowed',
      allow: ['DELETE', 'HEAD', 'PATCH'],
      pattern: '/tus/:upload-id',
    });
  });

  it('answers PATCH on a node without it with 405 naming OPTIONS', () => {
    assert.deepEqual(router.find('PATCH', '/tus'), { kind: 'method-not-allowed', allow: ['OPTIONS', 'POST'], pattern: '/tus' });
  });
});

describe('Router.add()', () => {
  it('refuses a duplicate route', () => {
    const router = new Router<string>();
    router.add('GET', '/a/:id', 'one');
    assert.throws(() => router.add('GET', '/a/:id', 'two'), /Duplicate route/);
  });

  it('refuses two param names at one position', () => {
    const router = new Router<string>();
    router.add('GET', '/a/:id', 'one');
    assert.throws(() => router.add('GET', '/a/:name/b', 'two'), /Conflicting param names/);
  });
});

describe('Router.find() on generated paths, with the site\'s routes', () => {
  const router = buildSiteRouter(ROUTES);
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

  /** The match, or 'malformed' for a MalformedPathError; anything else thrown fails the property. */
  function findOrMalformed(method: string, path: string) {
    try {
      return router.find(method, path);
    } catch (error) {
      if (error instanceof MalformedPathError) return 'malformed' as const;
      throw error;
    }
  }

  it('answers any path with a match, 405, 404 or MalformedPathError, within a time per byte', () => {
    const path = fc.oneof(stringOf('/%0123456789abcdefABCDEF.:*?#', 200), fc.string({ maxLength: 200 }), fc.string({ maxLength: 200, unit: 'binary' }));
    fc.assert(
      fc.property(fc.constantFrom(...METHODS), path, fc.boolean(), (method, text, isRooted) => {
        const outcome = withinTimePerByte(text.length, () => findOrMalformed(method, isRooted ? `/${text}` : text));
        assert.ok(outcome === 'malformed' || ['found', 'method-not-allowed', 'not-found'].includes(outcome.kind));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('decodes any %-escaped id back to itself, "/" and "%" included', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }), (id) => {
        const match = router.find('GET', `/videos/${encodeURIComponent(id)}/comments`);
        assert.ok(match.kind === 'found', JSON.stringify(match));
        assert.equal(match.params['vid-id'], id);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  for (const unit of ['/', '%', '%2', '%25', '%E0%A4', 'a/', '/user', '/videos/x', '%2F']) {
    it(`finds a path of ${JSON.stringify(unit)} repeated in linear time`, async () => {
      await assertLinearTime(unit, (n) => `/${unit.repeat(n)}`, (path) => findOrMalformed('GET', path), 2000);
      await assertLinearTime(unit, (n) => `/statics/${unit.repeat(n)}`, (path) => findOrMalformed('GET', path), 2000);
    });
  }
});
