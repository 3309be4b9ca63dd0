import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { openStorages } from '../../src/storage/open-storages.js';
import { VideoFiles } from '../../src/video-files.js';

const S3_ENV = {
  STORAGE: 's3',
  S3_ENDPOINT: 'https://s3.example.com',
  S3_BUCKET: 'media',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'secret',
};

/** Modules a file loads when it is imported: every import and export ... from, except `import type` (erased). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  if (!file.endsWith('.ts')) return seen;
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    const target = specifier!.startsWith('.') ? resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')) : specifier!;
    staticImports(target, seen);
  }
  return seen;
}

describe('openStorages()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moviedash-storages-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const videoFiles = new VideoFiles(dir);

  it('uses the local disk alone when STORAGE=local, and says so when a file is recorded in S3', async () => {
    const storages = await openStorages(loadConfig([], {}), videoFiles);
    assert.equal(storages.current.name, 'local');
    assert.equal(storages.get('local'), storages.current);
    assert.throws(() => storages.get('s3'), /STORAGE=s3/);
  });

  it('puts new files in the bucket when STORAGE=s3, and keeps the local disk for files recorded there', async () => {
    const storages = await openStorages(loadConfig([], S3_ENV), videoFiles);
    assert.equal(storages.current.name, 's3');
    assert.equal(storages.get('s3'), storages.current);
    assert.equal(storages.get('local').name, 'local');
  });

  it('never loads the S3 code or aws4fetch on the way from main.ts or open-storages.ts (only import() does)', () => {
    for (const root of ['src/main.ts', 'src/storage/open-storages.ts']) {
      const loaded = [...staticImports(resolve(root))];
      assert.ok(loaded.some((file) => file.endsWith('video-files.ts')), `${root} reaches video-files.ts`);
      const s3 = loaded.filter((file) => file === 'aws4fetch' || /[/\\]s3-[\w-]+\.ts$/.test(file));
      assert.deepEqual(s3, [], `${root} loads S3 code statically`);
    }
  });
});
