import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalStorage } from '../../src/storage/local-storage.js';
import { VideoFiles } from '../../src/video-files.js';
import { chunksOf, describeStorageContract, readAll } from './storage-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'moviedash-storage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = new VideoFiles(dir);
const storage = new LocalStorage(files);

describeStorageContract('LocalStorage', async () => ({ storage, fileDir: dir }));

describe('LocalStorage', () => {
  it('keeps files where video-files.ts says, and no temporary file once a put is done', async () => {
    const videoId = randomUUID();
    const bytes = randomBytes(1000);
    await storage.put(storage.keyOf(videoId, 'poster'), chunksOf(bytes), { maxBytes: 1000 });
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes(videoId)), [`${videoId}.poster`]);
    assert.equal(storage.keyOf(videoId, 'poster'), `${videoId}.poster`);
    assert.ok((await readAll(await storage.read(`${videoId}.poster`))).equals(bytes));
  });

  it('refuses a key outside the layout with a TypeError before touching the disk', async () => {
    for (const key of ['../secret', 'notes.txt', `.${randomUUID()}.0123456789abcdef.part`]) {
      await assert.rejects(storage.read(key), TypeError);
      await assert.rejects(storage.stat(key), TypeError);
      await assert.rejects(storage.remove(key), TypeError);
    }
  });

  it('lists neither names outside the layout nor temporary files', async (t) => {
    const strays = [join(dir, 'notes.txt'), join(dir, `.${randomUUID()}.0123456789abcdef.part`)];
    t.after(() => strays.forEach((path) => rmSync(path)));
    for (const path of strays) writeFileSync(path, 'x');
    const keys = [];
    for await (const object of storage.list()) keys.push(object.key);
    assert.ok(keys.length > 0);
    for (const key of keys) assert.match(key, /^[0-9a-f-]{36}(\.poster)?$/);
  });
});
