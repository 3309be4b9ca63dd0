import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVideo, operatorGet, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { BUDGET_BYTES, CommentPages, MAX_PAGES, type CommentsPageJson } from '../../src/api/comment-pages.js';

function pageOf(contentChars: number): CommentsPageJson {
  const comment = { id: 'c', video_id: 'v', author_id: 1, author: 'a', content: 'x'.repeat(contentChars), created_at: '2026-01-01T00:00:00.000Z' };
  return { comments: [comment], next_cursor: null };
}

describe('CommentPages', () => {
  it('keeps a page while the stamp stays the same', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    const page = pageOf(10);
    pages.set('v/50/', page);
    pages.sync([1, 1]);
    assert.equal(pages.get('v/50/'), page);
  });

  for (const [what, stamp] of [['this process wrote', [2, 1]], ['another process committed', [1, 2]]] as const) {
    it(`forgets every page once ${what}`, () => {
      const pages = new CommentPages();
      pages.sync([1, 1]);
      pages.set('v/50/', pageOf(10));
      pages.sync([...stamp]);
      assert.equal(pages.get('v/50/'), undefined);
    });
  }

  it('drops the least recently used pages beyond its budget of about 2 MiB', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    const size = 700 * 1024;
    pages.set('a', pageOf(size));
    pages.set('b', pageOf(size));
    assert.ok(pages.get('a'));
    pages.set('c', pageOf(size));
    assert.ok(pages.get('a'));
    assert.equal(pages.get('b'), undefined);
    assert.ok(pages.get('c'));
  });

  it('does not keep a page larger than its whole budget', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    pages.set('huge', pageOf(3 * 1024 * 1024));
    assert.equal(pages.get('huge'), undefined);
  });

  const EMPTY_PAGE: CommentsPageJson = { comments: [], next_cursor: null };
  const cursorKey = (n: number) => `0b7e6a3c-6a8f-4c0e-9a1d-2f8c1e9b7a6d/50/${Buffer.from(`k1:${n}`).toString('base64url')}`;

  // Issue 10, item 3: an empty page cost nothing, so made-up cursors on one video grew the cache for ever.
  it('stays within its page and byte bounds under a flood of 100,000 made-up cursors', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    for (let n = 1; n <= 100_000; n++) {
      pages.set(cursorKey(n), EMPTY_PAGE);
      if (n % 1000 === 0) assert.ok(pages.size <= MAX_PAGES && pages.bytes <= BUDGET_BYTES, `${pages.size} pages, ${pages.bytes} bytes after ${n}`);
    }
    assert.ok(pages.get(cursorKey(100_000)), 'the newest page is kept');
    assert.equal(pages.get(cursorKey(1)), undefined);
  });

  it('keeps a page in use while a flood of others passes', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    pages.set('hot', pageOf(10));
    for (let n = 1; n <= 3 * MAX_PAGES; n++) {
      pages.set(cursorKey(n), EMPTY_PAGE);
      assert.ok(pages.get('hot'), `the page in use was evicted after ${n} others`);
    }
  });

  it('charges a page at least a fixed overhead, so empty pages count against the bytes too', () => {
    const pages = new CommentPages();
    pages.sync([1, 1]);
    pages.set(cursorKey(1), EMPTY_PAGE);
    assert.ok(pages.bytes >= 256, `an empty page costs ${pages.bytes} bytes`);
  });
});


describe('GET /metrics (operator listener) and the comment pages', () => {
  // The bound itself is tested above on the class: a real flood past MAX_PAGES took a minute on the shared test
  // machine. This shows that the gauge an operator watches is the cache's.
  it('reports the pages kept and their bytes (moviedash_comment_pages_cached, _bytes)', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const owner = await signUp(server);
    const video = await createVideo(server, owner);
    for (const n of [1, 2, 3]) {
      const cursor = Buffer.from(`k1:${n}`).toString('base64url');
      assert.equal((await request(server, 'GET', `/videos/${video.id}/comments?cursor=${cursor}`)).status, 200);
    }
    const metrics = (await operatorGet(server, '/metrics')).body as string;
    assert.match(metrics, /^moviedash_comment_pages_cached 3$/m);
    assert.ok(Number(/^moviedash_comment_pages_bytes (\d+)$/m.exec(metrics)?.[1]) >= 3 * 256);
  });
});
