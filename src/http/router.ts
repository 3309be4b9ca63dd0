// A segment trie with the handlers stored per node by method (hono's and find-my-way's shape): one walk
// answers with a handler, a 405 with the node's methods, or a 404. Static segments win over `:params`,
// which win over a trailing `*` wildcard; a failed static branch backtracks into the param branch.

export type Params = Record<string, string>;

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: Params; pattern: string }
  | { kind: 'method-not-allowed'; allow: string[]; pattern: string }
  | { kind: 'not-found' };

interface Node<H> {
  statics: Map<string, Node<H>>;
  param?: { name: string; node: Node<H> };
  wildcard?: { name: string; handlers: Map<string, H>; pattern: string };
  handlers: Map<string, H>;
  pattern?: string;
}

const newNode = <H>(): Node<H> => ({ statics: new Map(), handlers: new Map() });

export class MalformedPathError extends Error {}

type Found<H> = Extract<RouteMatch<H>, { kind: 'found' }>;

/**
 * Paths found lately are answered from memory, per method: a player asks for the same video path again and
 * again. Bounded in entries (all forgotten at once when full) and in each path's length.
 */
const RECENT_PATHS = 1024;
const RECENT_PATH_CHARS = 256;

export class Router<H> {
  readonly #root: Node<H> = newNode();
  readonly #recent = new Map<string, Map<string, Found<H>>>();
  #recentCount = 0;

  /** pattern: `/user/:username/videos`; a last segment `*name` takes the rest of the path. */
  add(method: string, pattern: string, handler: H): void {
    this.#forgetRecent();
    if (!pattern.startsWith('/')) throw new TypeError(`Route pattern must start with /: ${pattern}`);
    const segments = pattern.slice(1).split('/');
    let node = this.#root;
    for (const [i, segment] of segments.entries()) {
      if (segment.startsWith('*')) {
        if (i !== segments.length - 1) throw new TypeError(`Wildcard must be the last segment: ${pattern}`);
        node.wildcard ??= { name: segment.slice(1), handlers: new Map(), pattern };
        addHandler(node.wildcard.handlers, method, handler, pattern);
        return;
      }
      if (segment.startsWith(':')) {
        const name = segment.slice(1);
        if (node.param && node.param.name !== name) {
          throw new TypeError(`Conflicting param names :${node.param.name} and :${name} in ${pattern}`);
        }
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        let child = node.statics.get(segment);
        if (!child) node.statics.set(segment, (child = newNode()));
        node = child;
      }
    }
    node.pattern = pattern;
    addHandler(node.handlers, method, handler, pattern);
  }

  /**
   * path is the raw request path (no query). Throws MalformedPathError on a bad %-escape. A found match may be
   * handed out again for the same method and path: its params are frozen.
   */
  find(method: string, path: string): RouteMatch<H> {
    const known = this.#recent.get(method)?.get(path);
    if (known) return known;
    const match = this.#walkFrom(method, path);
    if (match.kind === 'found' && path.length <= RECENT_PATH_CHARS) this.#remember(method, path, match);
    return match;
  }

  /** How many paths are remembered now (at most RECENT_PATHS). */
  get remembered(): number {
    return this.#recentCount;
  }

  #remember(method: string, path: string, match: Found<H>): void {
    if (this.#recentCount >= RECENT_PATHS) this.#forgetRecent();
    let paths = this.#recent.get(method);
    if (!paths) this.#recent.set(method, (paths = new Map()));
    Object.freeze(match.params);
    paths.set(path, match);
    this.#recentCount++;
  }

  #forgetRecent(): void {
    this.#recent.clear();
    this.#recentCount = 0;
  }

  #walkFrom(method: string, path: string): RouteMatch<H> {
    if (!path.startsWith('/')) return { kind: 'not-found' };
    const segments = path.slice(1).split('/');
    for (let i = 0; i < segments.length; i++) segments[i] = decodeSegment(segments[i]!);
    const params: Params = {};
    const match = walk(this.#root, segments, 0, params);
    if (!match) return { kind: 'not-found' };
    const handler = match.handlers.get(method) ?? (method === 'HEAD' ? match.handlers.get('GET') : undefined);
    if (handler !== undefined) return { kind: 'found', handler, params, pattern: match.pattern };
    return { kind: 'method-not-allowed', allow: allowedMethods(match.handlers), pattern: match.pattern };
  }
}

interface Matched<H> {
  handlers: Map<string, H>;
  pattern: string;
}

function walk<H>(node: Node<H>, segments: string[], index: number, params: Params): Matched<H> | undefined {
  if (index === segments.length) {
    return node.pattern === undefined ? undefined : { handlers: node.handlers, pattern: node.pattern };
  }
  const segment = segments[index]!;
  const child = node.statics.get(segment);
  if (child) {
    const found = walk(child, segments, index + 1, params);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    const found = walk(node.param.node, segments, index + 1, params);
    if (found) {
      params[node.param.name] = segment;
      return found;
    }
  }
  if (node.wildcard) {
    params[node.wildcard.name] = segments.slice(index).join('/');
    return { handlers: node.wildcard.handlers, pattern: node.wildcard.pattern };
  }
  return undefined;
}

function addHandler<H>(handlers: Map<string, H>, method: string, handler: H, pattern: string): void {
  if (handlers.has(method)) throw new TypeError(`Duplicate route ${method} ${pattern}`);
  handlers.set(method, handler);
}

function allowedMethods<H>(handlers: Map<string, H>): string[] {
  const methods = new Set(handlers.keys());
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError(`Malformed percent-encoding in ${JSON.stringify(segment)}`);
  }
}
