import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { PartialFile } from '../../src/tus/partial-file.js';

function tempPath(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-partial-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'upload.resumable');
}

async function appendAll(file: PartialFile, bytes: Buffer, chunkSize: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += chunkSize) await file.append(bytes.subarray(at, at + chunkSize));
}

describe('PartialFile', () => {
  it('creates the file at offset 0 and keeps every appended byte, in order, across many batches', async (t) => {
    const path = tempPath(t);
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const file = await PartialFile.open(path, 0);
    await appendAll(file, bytes, 64 * 1024 - 7);
    assert.equal(file.end, bytes.length);
    assert.deepEqual(await file.flush(), { offset: bytes.length });
    await file.close();
    assert.ok(readFileSync(path).equals(bytes));
  });

  it('writes thousands of one-byte chunks (more buffers than one writev takes)', async (t) => {
    const path = tempPath(t);
    const bytes = randomBytes(1024 * 1024 + 3000);
    const file = await PartialFile.open(path, 0);
    await file.append(bytes.subarray(0, 1024 * 1024 - 1));
    for (let at = 1024 * 1024 - 1; at < bytes.length; at++) await file.append(bytes.subarray(at, at + 1));
    assert.equal((await file.flush()).offset, bytes.length);
    await file.close();
    assert.ok(readFileSync(path).equals(bytes));
  });

  it('fsyncs in the background as bytes come: durable moves on before sync(), and reaches the end with it', async (t) => {
    const path = tempPath(t);
    const file = await PartialFile.open(path, 0);
    const bytes = randomBytes(20 * 1024 * 1024);
    await appendAll(file, bytes, 64 * 1024);
    const deadline = Date.now() + 10_000;
    while (file.durable === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(file.durable >= 16 * 1024 * 1024 && file.durable <= bytes.length, `durable ${file.durable}`);
    assert.equal((await file.flush()).offset, bytes.length);
    await file.sync();
    assert.equal(file.durable, bytes.length);
    await file.close();
  });

  it('writes without fsync on flush(); sync() makes the written bytes durable', async (t) => {
    const file = await PartialFile.open(tempPath(t), 0);
    await file.append(randomBytes(3 * 1024 * 1024));
    assert.deepEqual(await file.flush(), { offset: 3 * 1024 * 1024 });
    assert.equal(file.durable, 0);
    await file.sync();
    assert.equal(file.durable, 3 * 1024 * 1024);
    await file.close();
  });

  it('cuts bytes past the recorded offset (a crash after writing, before recording) and appends from it', async (t) => {
    const path = tempPath(t);
    const counted = randomBytes(1000);
    writeFileSync(path, Buffer.concat([counted, Buffer.from('torn bytes the offset never counted')]));
    const file = await PartialFile.open(path, counted.length);
    assert.equal(statSync(path).size, counted.length);
    const rest = randomBytes(500);
    await file.append(rest);
    assert.deepEqual(await file.flush(), { offset: 1500 });
    await file.close();
    assert.ok(readFileSync(path).equals(Buffer.concat([counted, rest])));
  });

  it('refuses a file shorter than its recorded offset rather than fill the gap', async (t) => {
    const path = tempPath(t);
    writeFileSync(path, randomBytes(10));
    await assert.rejects(PartialFile.open(path, 11), /holds 10 bytes, fewer than the 11 recorded/);
  });

  it('reads the head back, bytes still queued included', async (t) => {
    const path = tempPath(t);
    const bytes = randomBytes(6000);
    const file = await PartialFile.open(path, 0);
    await file.append(bytes.subarray(0, 100));
    assert.ok((await file.readHead(4096)).equals(bytes.subarray(0, 100)));
    await file.append(bytes.subarray(100));
    assert.ok((await file.readHead(4096)).equals(bytes.subarray(0, 4096)));
    await file.close();
  });

  it('rejects the next append once a write failed for a full disk', async () => {
    // /dev/full takes no byte: every write fails with ENOSPC, as on a disk that filled up.
    const file = await PartialFile.open('/dev/full', 0);
    await file.append(randomBytes(1024 * 1024));
    await assert.rejects(file.append(randomBytes(1024 * 1024)), { code: 'ENOSPC' });
    await file.close();
  });
});
