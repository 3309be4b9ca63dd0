import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, readSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileCache } from '../../src/stream/file-cache.js';
import type { OpenFile } from '../../src/stream/open-file.js';
import { eventually } from './held-stream.js';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'moviedash-file-cache-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
function newFile(content: string): string {
  const path = join(dir, `file-${++fileCounter}`);
  writeFileSync(path, content);
  return path;
}

/** Descriptors of this process open on path (a replaced or unlinked file shows as "path (deleted)"). */
function descriptorsOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)) count++;
    } catch {
      // The descriptor readdir itself used, closed by now.
    }
  }
  return count;
}

function contentOf(file: OpenFile): string {
  const buffer = Buffer.alloc(file.size);
  readSync(file.fd, buffer, 0, file.size, 0);
  return buffer.toString();
}

async function openOrFail(cache: FileCache, path: string): Promise<OpenFile> {
  const file = await cache.open(path);
  assert.ok(file, `${path} should open`);
  return file;
}

describe('FileCache', () => {
  it('keeps one descriptor open for a file asked for again and again', async () => {
    const cache = new FileCache(4);
    const path = newFile('hello');
    const first = await openOrFail(cache, path);
    first.release();
    const second = await openOrFail(cache, path);
    assert.equal(second.fd, first.fd);
    assert.equal(second.size, 5);
    assert.equal(contentOf(second), 'hello');
    second.release();
    assert.equal(descriptorsOn(path), 1);
    cache.clear();
    await eventually(async () => assert.equal(descriptorsOn(path), 0));
  });

  it('keeps the first 64 KiB of a file in memory, or all of a shorter one', async () => {
    const cache = new FileCache(4);
    const long = join(dir, 'long');
    const bytes = Buffer.alloc(100_000, 'x');
    bytes.write('start', 0);
    writeFileSync(long, bytes);
    const file = await openOrFail(cache, long);
    assert.ok(file.head?.equals(bytes.subarray(0, 65536)));
    file.release();
    const short = await openOrFail(cache, newFile('tiny'));
    assert.equal(short.head?.toString(), 'tiny');
    short.release();
    cache.clear();
  });

  it('shares one open between readers that ask at the same time', async () => {
    const cache = new FileCache(4);
    const path = newFile('same');
    const files = await Promise.all([cache.open(path), cache.open(path), cache.open(path)]);
    assert.equal(new Set(files.map((file) => file?.fd)).size, 1);
    for (const file of files) file?.release();
    assert.equal(descriptorsOn(path), 1);
    cache.clear();
  });

  it('answers undefined for a missing file and keeps nothing of it', async () => {
    const cache = new FileCache(4);
    assert.equal(await cache.open(join(dir, 'missing')), undefined);
    assert.equal(cache.size, 0);
  });

  it('answers undefined for a directory and closes it', async () => {
    const cache = new FileCache(4);
    const path = mkdtempSync(join(dir, 'a-directory-'));
    assert.equal(await cache.open(path), undefined);
    assert.equal(cache.size, 0);
    await eventually(async () => assert.equal(descriptorsOn(path), 0));
  });

  it('closes the least recently used file beyond its capacity', async () => {
    const cache = new FileCache(2);
    const [a, b, c] = [newFile('a'), newFile('b'), newFile('c')];
    for (const path of [a, b, a, c]) (await openOrFail(cache, path)).release();
    // b was used least recently when c came.
    await eventually(async () => assert.equal(descriptorsOn(b), 0));
    assert.equal(descriptorsOn(a), 1);
    assert.equal(descriptorsOn(c), 1);
    assert.equal(cache.size, 2);
    cache.clear();
  });

  it('keeps an evicted file open until its last reader releases it, once', async () => {
    const cache = new FileCache(1);
    const [a, b] = [newFile('first'), newFile('second')];
    const reader = await openOrFail(cache, a);
    (await openOrFail(cache, b)).release();
    assert.equal(descriptorsOn(a), 1);
    assert.equal(contentOf(reader), 'first');
    reader.release();
    reader.release();
    await eventually(async () => assert.equal(descriptorsOn(a), 0));
    const again = await openOrFail(cache, a);
    assert.equal(contentOf(again), 'first');
    again.release();
    cache.clear();
  });

  it('opens a file anew after forget(path), and closes the old one', async () => {
    const cache = new FileCache(4);
    const path = newFile('old');
    (await openOrFail(cache, path)).release();
    unlinkSync(path);
    writeFileSync(path, 'new content');
    cache.forget(path);
    const file = await openOrFail(cache, path);
    assert.equal(contentOf(file), 'new content');
    file.release();
    await eventually(async () => assert.equal(descriptorsOn(`${path} (deleted)`), 0));
    cache.clear();
  });

  const changes: [string, (path: string) => void][] = [
    ['replaced by a rename', (path) => {
      writeFileSync(`${path}.next`, 'replacement');
      renameSync(`${path}.next`, path);
    }],
    ['unlinked', (path) => unlinkSync(path)],
    ['touched (a new mtime)', (path) => utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1))],
  ];
  for (const [what, change] of changes) {
    it(`drops and closes a cached file that is ${what}`, async () => {
      const cache = new FileCache(4);
      const path = newFile('original');
      (await openOrFail(cache, path)).release();
      change(path);
      await eventually(async () => assert.equal(cache.size, 0));
      await eventually(async () => assert.equal(descriptorsOn(path), 0));
      cache.clear();
    });
  }
});
