// README.md's nginx example is what operators copy; the tests and the bench run moviedashFront. Both are written by
// hand, so this keeps them the same: every directive moviedashFront writes, with the example's own values, is in
// the example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { moviedashFront } from '../helpers/nginx.js';
import { ROOT } from '../helpers/server.js';

/** Directive lines without comments, blank lines or spacing differences. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');
}

function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('```nginx');
  assert.ok(start >= 0, 'README.md has an nginx example');
  return readme.slice(start, readme.indexOf('```', start + '```nginx'.length));
}

describe("README.md's nginx example", () => {
  it('has every directive the tests and the bench run nginx with (moviedashFront)', () => {
    const front = moviedashFront({
      upstream: 'http://127.0.0.1:8080',
      accelPrefix: '/protected-videos/',
      videoDir: '/home/you/moviedash/shared/videos',
      streamLimits: { total: 100, perClient: 8 },
    });
    const example = new Set(directives(readmeExample()));
    const missing = [...directives(front.http), ...directives(front.server)].filter((line) => !example.has(line));
    assert.deepEqual(missing, []);
  });
});
