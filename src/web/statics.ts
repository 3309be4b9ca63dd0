// The pages' CSS, JS and images (and the vendor scripts of vendor-statics.ts), read once at start-up into an
// index keyed by name. A request can only pick an entry of the index: no path is ever built from the URL.
// Each file is served under its own name (`no-cache`, revalidated by ETag) and under a fingerprinted name
// (`app.3f2a9c1b.css`, cached for a year).
// A module's imports (`from './common.js'`) are rewritten to the fingerprinted names, so a module's
// fingerprint changes with any module it imports, and a page can preload the whole graph at once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../app.js';
import { param } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { VENDOR_STATICS } from './vendor-statics.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

export interface Statics {
  /** Request name (`app.css` or `app.3f2a9c1b.css`) -> file. */
  files: ReadonlyMap<string, StaticFile>;
  /** The fingerprinted URL pages link, e.g. `/statics/app.3f2a9c1b.css`. */
  url(name: string): string;
  /** The fingerprinted URLs of every module `entry` imports, directly or not (for `<link rel="modulepreload">`). */
  moduleGraph(entry: string): string[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const REVALIDATE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `images/logo.svg` + `3f2a9c1b` -> `images/logo.3f2a9c1b.svg` */
function fingerprinted(name: string, hash: string): string {
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
}

// `import { a } from './common.js';` and `import './x.js';`: the statics are one flat folder of modules.
const IMPORT = /^import\s(?:[^;]*?\sfrom\s)?'\.\/([\w.-]+\.js)';$/gm;

function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((match) => match[1]!);
}

/** The dir's files under their relative names, and each vendor file the dir lacks from node_modules. */
function sourcesOf(dir: string, vendor: Readonly<Record<string, string>>): Map<string, Buffer> {
  const sources = new Map(listFiles(dir).map((path) => [relative(dir, path).split(sep).join('/'), readFileSync(path)]));
  const require = createRequire(import.meta.url);
  for (const [name, file] of Object.entries(vendor)) if (!sources.has(name)) sources.set(name, readFileSync(require.resolve(file)));
  return sources;
}

export function loadStatics(dir: string, vendor: Readonly<Record<string, string>> = {}): Statics {
  const sources = sourcesOf(dir, vendor);
  const files = new Map<string, StaticFile>();
  const fingerprints = new Map<string, string>();
  const imports = new Map<string, string[]>();

  /** Adds a file under both names; a module after the modules it imports, with their names rewritten. */
  function add(name: string, visiting: Set<string>): void {
    if (fingerprints.has(name)) return;
    let body = sources.get(name);
    if (body === undefined) throw new TypeError(`No static file named ${name}`);
    if (name.endsWith('.js')) {
      if (visiting.has(name)) throw new TypeError(`Import cycle through ${name}`);
      visiting.add(name);
      const dependencies = importsOf(body.toString());
      for (const dependency of dependencies) add(dependency, visiting);
      imports.set(name, dependencies);
      body = Buffer.from(body.toString().replace(IMPORT, (line, dependency: string) => line.replace(`./${dependency}`, `./${fingerprints.get(dependency)!}`)));
    }
    const digest = createHash('sha256').update(body).digest();
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    const etag = `"${digest.toString('base64url').slice(0, 27)}"`;
    const versioned = fingerprinted(name, digest.toString('hex').slice(0, 8));
    files.set(name, { body, contentType, etag, cacheControl: REVALIDATE });
    files.set(versioned, { body, contentType, etag, cacheControl: IMMUTABLE });
    fingerprints.set(name, versioned);
  }
  for (const name of sources.keys()) add(name, new Set());

  function collect(entry: string, into: Set<string>): Set<string> {
    for (const dependency of imports.get(entry) ?? []) {
      if (!into.has(dependency)) collect(dependency, into.add(dependency));
    }
    return into;
  }

  return {
    files,
    url(name) {
      const versioned = fingerprints.get(name);
      if (versioned === undefined) throw new TypeError(`No static file named ${name}`);
      return `/statics/${versioned}`;
    },
    moduleGraph(entry) {
      return [...collect(entry, new Set())].map((name) => `/statics/${fingerprints.get(name)!}`);
    },
  };
}

export const STATICS = loadStatics(fileURLToPath(new URL('./statics/', import.meta.url)), VENDOR_STATICS);

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison, and `*` matches any current representation. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

export function serveStatic(ctx: AppContext): void {
  const file = STATICS.files.get(param(ctx, 'path'));
  if (!file) throw notFound('static file');
  const headers = { ETag: file.etag, 'Cache-Control': file.cacheControl };
  if (matchesIfNoneMatch(ctx.req.headers['if-none-match'], file.etag)) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  ctx.res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  ctx.res.end(file.body);
}
