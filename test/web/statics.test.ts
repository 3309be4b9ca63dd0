import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rawGet, rawRequest } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';
import { loadStatics } from '../../src/web/statics.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('loadStatics()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-statics-'));
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, 'app.css'), 'body { color: red }');
  writeFileSync(join(dir, 'images', 'logo.svg'), '<svg/>');
  writeFileSync(join(dir, 'notes.unknownext'), 'x');
  writeFileSync(join(dir, '.secret'), 'do not serve');
  const statics = loadStatics(dir);
  rmSync(dir, { recursive: true });
  const hash8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

  it('names the fingerprinted file after the first 8 hex digits of its SHA-256', () => {
    assert.equal(statics.url('app.css'), `/statics/app.${hash8('body { color: red }')}.css`);
    assert.equal(statics.url('images/logo.svg'), `/statics/images/logo.${hash8('<svg/>')}.svg`);
  });

  it('indexes each file under its own name with no-cache and its fingerprinted name as immutable', () => {
    const plain = statics.files.get('app.css');
    const versioned = statics.files.get(statics.url('app.css').slice('/statics/'.length));
    assert.equal(plain?.cacheControl, 'no-cache');
    assert.equal(versioned?.cacheControl, IMMUTABLE);
    assert.equal(plain?.etag, versioned?.etag);
    assert.equal(plain?.body.toString(), 'body { color: red }');
  });

  it('gives each extension its Content-Type and unknown ones application/octet-stream', () => {
    assert.equal(statics.files.get('app.css')?.contentType, 'text/css; charset=utf-8');
    assert.equal(statics.files.get('images/logo.svg')?.contentType, 'image/svg+xml');
    assert.equal(statics.files.get('notes.unknownext')?.contentType, 'application/octet-stream');
  });

  it('leaves dotfiles out of the index', () => {
    assert.equal(statics.files.has('.secret'), false);
  });

  it('finds no page script that writes markup (user text must go through textContent)', () => {
    const real = loadStatics(join(ROOT, 'src/web/statics'));
    const scripts = [...real.files].filter(([name, file]) => name.endsWith('.js') && file.cacheControl === 'no-cache');
    assert.ok(scripts.length >= 5);
    for (const [name, file] of scripts) {
      assert.doesNotMatch(file.body.toString(), /\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write/, name);
    }
  });

  it('adds each vendor file the directory lacks from node_modules, and prefers the directory\'s copy', () => {
    const vendorDir = mkdtempSync(join(tmpdir(), 'moviedash-statics-'));
    const vendor = { 'vendor/tus.min.js': 'tus-js-client/dist/tus.min.js' };
    const fromModules = loadStatics(vendorDir, vendor).files.get('vendor/tus.min.js');
    assert.deepEqual(fromModules?.body, readFileSync(join(ROOT, 'node_modules/tus-js-client/dist/tus.min.js')));
    assert.equal(fromModules?.contentType, 'text/javascript; charset=utf-8');
    mkdirSync(join(vendorDir, 'vendor'));
    writeFileSync(join(vendorDir, 'vendor/tus.min.js'), 'the built copy');
    assert.equal(loadStatics(vendorDir, vendor).files.get('vendor/tus.min.js')?.body.toString(), 'the built copy');
    rmSync(vendorDir, { recursive: true });
  });

  it('throws TypeError for the URL of a file it does not have', () => {
    assert.throws(() => statics.url('missing.css'), TypeError);
  });
});

describe('loadStatics() on modules', () => {
  function load(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-statics-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      return loadStatics(dir);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }
  const bodyOf = (statics: ReturnType<typeof load>, name: string) => statics.files.get(name)!.body.toString();
  const MODULES = {
    'page.js': "import { a } from './shared.js';\nimport './effects.js';\nconsole.log(a);\n",
    'shared.js': "import { b } from './base.js';\nexport const a = b;\n",
    'effects.js': "import { b } from './base.js';\nconsole.log(b);\n",
    'base.js': 'export const b = 1;\n',
  };

  it('rewrites each import to the fingerprinted name of the module it names', () => {
    const statics = load(MODULES);
    const fingerprinted = (name: string) => statics.url(name).slice('/statics/'.length);
    assert.equal(bodyOf(statics, 'page.js'), `import { a } from './${fingerprinted('shared.js')}';\nimport './${fingerprinted('effects.js')}';\nconsole.log(a);\n`);
    assert.equal(bodyOf(statics, 'shared.js'), `import { b } from './${fingerprinted('base.js')}';\nexport const a = b;\n`);
  });

  it("changes a module's fingerprint when a module it imports changes", () => {
    const before = load(MODULES);
    const after = load({ ...MODULES, 'base.js': 'export const b = 2;\n' });
    assert.notEqual(after.url('page.js'), before.url('page.js'));
    assert.notEqual(after.url('effects.js'), before.url('effects.js'));
  });

  it('lists every module an entry needs, once each, for modulepreload', () => {
    const statics = load(MODULES);
    assert.deepEqual(statics.moduleGraph('page.js').sort(), ['shared.js', 'base.js', 'effects.js'].map((name) => statics.url(name)).sort());
    assert.deepEqual(statics.moduleGraph('base.js'), []);
  });

  it('refuses an import cycle and an import of a missing module', () => {
    assert.throws(() => load({ 'a.js': "import './b.js';\n", 'b.js': "import './a.js';\n" }), /Import cycle/);
    assert.throws(() => load({ 'a.js': "import './gone.js';\n" }), /No static file named gone.js/);
  });
});

describe('GET /statics/*path', async () => {
  const server = await startServer();
  after(() => server.close());
  const homeHtml = await (await fetch(server.url + '/')).text();
  const linked = (pattern: RegExp) => pattern.exec(homeHtml)?.[1] ?? assert.fail(`no ${pattern} in the home page`);
  const cssUrl = linked(/<link rel="stylesheet" href="([^"]+)"/);
  const scriptUrl = linked(/<script type="module" src="([^"]+)"/);

  it('serves the fingerprinted CSS the pages link, cached for a year as immutable', async () => {
    assert.match(cssUrl, /^\/statics\/app\.[0-9a-f]{8}\.css$/);
    const res = await fetch(server.url + cssUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), IMMUTABLE);
    assert.equal(await res.text(), readFileSync(join(ROOT, 'src/web/statics/app.css'), 'utf8'));
  });

  it('serves the plain name with no-cache and the same ETag', async () => {
    const [plain, versioned] = await Promise.all([fetch(server.url + '/statics/app.css'), fetch(server.url + cssUrl)]);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'no-cache');
    assert.match(plain.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]+"$/);
    assert.equal(plain.headers.get('etag'), versioned.headers.get('etag'));
  });

  it('serves tus-js-client\'s browser build at /statics/vendor/tus.min.js, from our own origin', async () => {
    const res = await fetch(server.url + '/statics/vendor/tus.min.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), readFileSync(join(ROOT, 'node_modules/tus-js-client/dist/tus.min.js')));
  });

  it('answers text/javascript for the page scripts and image/svg+xml for the logo', async () => {
    const script = await fetch(server.url + scriptUrl);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('cache-control'), IMMUTABLE);
    const logo = await fetch(server.url + '/statics/images/logo.svg');
    assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
  });

  const conditionalCases = [
    { what: 'the same ETag', header: (etag: string) => etag, expected: 304 },
    { what: 'the weak form of the ETag', header: (etag: string) => `W/${etag}`, expected: 304 },
    { what: 'a list holding the ETag', header: (etag: string) => `"other", ${etag}`, expected: 304 },
    { what: '*', header: () => '*', expected: 304 },
    { what: 'another ETag', header: () => '"stale"', expected: 200 },
  ];
  for (const { what, header, expected } of conditionalCases) {
    it(`answers ${expected} to If-None-Match with ${what}`, async () => {
      const first = await fetch(server.url + '/statics/app.css');
      await first.arrayBuffer();
      const etag = first.headers.get('etag')!;
      const res = await fetch(server.url + '/statics/app.css', { headers: { 'If-None-Match': header(etag) } });
      assert.equal(res.status, expected);
      const body = await res.text();
      if (expected === 304) {
        assert.equal(body, '');
        assert.equal(res.headers.get('etag'), etag);
        assert.equal(res.headers.get('cache-control'), 'no-cache');
      }
    });
  }

  it('answers HEAD with the headers and no body', async () => {
    const res = await rawRequest(server, `HEAD /statics/app.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200);
    assert.match(res.head, /content-type: text\/css/i);
    assert.equal(res.body.length, 0);
  });

  const missingCases = [
    { what: 'a parent directory', path: '/statics/../src/main.ts' },
    { what: 'an encoded parent directory', path: '/statics/%2e%2e/package.json' },
    { what: 'encoded slashes', path: '/statics/..%2f..%2fpackage.json' },
    { what: 'an encoded absolute path', path: '/statics/%2fetc%2fpasswd' },
    { what: 'a double slash', path: '/statics//etc/passwd' },
    { what: 'a backslash', path: '/statics/..\\..\\package.json' },
    { what: 'the source of the statics module', path: '/statics/../statics.ts' },
    { what: 'a wrong fingerprint', path: '/statics/app.00000000.css' },
    { what: 'the directory itself', path: '/statics/' },
  ];
  for (const { what, path } of missingCases) {
    it(`answers 404 for ${what}: ${path}`, async () => {
      const res = await rawRequest(server, rawGet(path));
      assert.equal(res.status, 404);
      assert.doesNotMatch(res.body.toString(), /"name": "moviedash"|root:|import /);
    });
  }

  it('answers 400 for a malformed %-escape', async () => {
    const res = await rawRequest(server, rawGet('/statics/%zz.css'));
    assert.equal(res.status, 400);
  });
});
