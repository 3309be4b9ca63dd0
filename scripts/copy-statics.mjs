// Build step: the pages' CSS, JS and images are not compiled by tsc; copy them beside dist/web/statics.ts,
// where the server finds them relative to its own module, with the vendor scripts from node_modules (the
// table tsc just compiled to dist/web/vendor-statics.js). The build's directory is dist/ unless given
// (deploy.sh compiles a release into a directory of its own).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const outDir = resolve(process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url)));
const { VENDOR_STATICS } = await import(pathToFileURL(join(outDir, 'web/vendor-statics.js')).href);
const from = fileURLToPath(new URL('../src/web/statics/', import.meta.url));
const to = join(outDir, 'web/statics/');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
const require = createRequire(import.meta.url);
for (const [name, file] of Object.entries(VENDOR_STATICS)) {
  mkdirSync(dirname(join(to, name)), { recursive: true });
  cpSync(require.resolve(file), join(to, name));
}
console.log(`copied statics to ${to}`);
