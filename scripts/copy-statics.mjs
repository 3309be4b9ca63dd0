// Build step: the pages' CSS, JS and images are not compiled by tsc; copy them beside dist/web/statics.ts,
// where the server finds them relative to its own module, with the vendor scripts from node_modules (the
// table tsc just compiled to dist/web/vendor-statics.js).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VENDOR_STATICS } from '../dist/web/vendor-statics.js';

const from = fileURLToPath(new URL('../src/web/statics/', import.meta.url));
const to = fileURLToPath(new URL('../dist/web/statics/', import.meta.url));
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
const require = createRequire(import.meta.url);
for (const [name, file] of Object.entries(VENDOR_STATICS)) {
  mkdirSync(dirname(join(to, name)), { recursive: true });
  cpSync(require.resolve(file), join(to, name));
}
console.log(`copied statics to ${to}`);
