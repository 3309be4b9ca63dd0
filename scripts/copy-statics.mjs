// Build step: the pages' CSS, JS and images are not compiled by tsc; copy them beside dist/web/statics.ts,
// where the server finds them relative to its own module.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/web/statics/', import.meta.url));
const to = fileURLToPath(new URL('../dist/web/statics/', import.meta.url));
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`copied statics to ${to}`);
