import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommentPages, type CommentsPageJson } from '../../src/api/comment-pages.js';

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

  it('drops the least recently used pages beyond its budget of about 2 M characters', () => {
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
});
