// The node:http listener: request context, router, access log, and the one error edge that turns
// anything a handler throws into the contract's JSON error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { App, AppContext } from './app.js';
import { capConnections } from './connection-cap.js';
import { isSqliteError, isStorageFault } from './db/sqlite-errors.js';
import { answerClientError } from './http/client-error.js';
import { expectsContinue } from './http/expect-continue.js';
import { InFlight } from './http/in-flight.js';
import { badRequestPath, databaseFailure, HttpError, insufficientStorage, internalFault, malformedRequest, methodNotAllowed, notFound, toErrorBody } from './http/errors.js';
import { sendJson } from './http/respond.js';
import { diskFull, isDiskFull } from './upload/disk-space.js';
import { MalformedPathError, Router, type Params } from './http/router.js';
import { dropUnreadBody } from './http/unread-body.js';
import { logAccess, logError, newRequestId } from './log.js';
import type { Route } from './routes.js';
import { UNMATCHED_ROUTE, type RequestMetrics } from './server-metrics.js';
import { sendNotFoundPage, wantsHtmlPage } from './web/pages/not-found.js';

export interface RunningServer {
  server: Server;
  /** The real address, with the chosen port when PORT=0. */
  host: string;
  port: number;
  /** Stops accepting, lets requests in flight finish for up to graceMs, then cuts what is left; resolves
   *  when every handler has returned, so the database can be closed under none. */
  stop(graceMs: number): Promise<void>;
}

/** Where a listener listens, and the settings a start-up error names (`HOST=0.0.0.0 PORT=8080: EADDRINUSE ...`). */
export interface ListenAt {
  host: string;
  port: number;
  settings: string;
  /** Connections open at once before new ones are closed; none = no cap. */
  maxConnections?: number;
}

/** The router finds the route itself, so the server sees the route's options beside its handler. */
export function buildRouter(routes: readonly Route[]): Router<Route> {
  const router = new Router<Route>();
  for (const route of routes) router.add(route.method, route.pattern, route);
  return router;
}

/** Route pattern -> the headers every response on it carries (Route.headers of its routes). */
function headersByPattern(routes: readonly Route[]): Map<string, Readonly<Record<string, string>>> {
  const byPattern = new Map<string, Readonly<Record<string, string>>>();
  for (const { pattern, headers } of routes) {
    if (headers) byPattern.set(pattern, { ...byPattern.get(pattern), ...headers });
  }
  return byPattern;
}

/** What every request of a listener shares: the app, its routes, and what a graceful stop must know. */
interface Serving {
  app: App;
  router: Router<Route>;
  /** Headers of a path's responses whatever the method, its errors and 405s included (tus's Tus-Resumable). */
  pathHeaders: Map<string, Readonly<Record<string, string>>>;
  requestMetrics: RequestMetrics;
  /** Responses not yet closed. */
  inFlight: InFlight;
  handlers: RunningHandlers;
}

export async function startServer(app: App, routes: readonly Route[], at: ListenAt): Promise<RunningServer> {
  const serving: Serving = {
    app,
    router: buildRouter(routes),
    pathHeaders: headersByPattern(routes),
    requestMetrics: app.requestMetrics,
    inFlight: new InFlight(),
    handlers: new RunningHandlers(),
  };
  const { inFlight, handlers } = serving;
  let isStopping = false;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (isStopping) res.setHeader('Connection', 'close');
    void handleRequest(serving, req, res);
  };
  // Node's refusal of an HTTP/1.1 request without Host has no JSON body: handleRequest refuses it instead.
  const server = createServer({ requireHostHeader: false }, onRequest);
  // Expect: 100-continue is routed like any request; the 100 goes out only when a handler reads the body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    expectsContinue(req, res);
    onRequest(req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    answerClientError(error, socket, [...inFlight].some((res) => res.socket === socket && res.headersSent));
  });
  // Uploads of a GiB over a slow link outlast Node's 5-minute request timeout; a stalled socket does not.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.setTimeout(120_000, (socket) => socket.destroy());
  if (at.maxConnections !== undefined) capConnections(server, at.maxConnections);

  const { host, port } = at;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => reject(new Error(`${at.settings}: ${error.message}`, { cause: error }));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    server,
    host,
    port: address.port,
    async stop(graceMs) {
      isStopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A response still to be written tells its keep-alive client to go; one already written turns its
      // connection idle when it ends, and an idle connection is closed at once rather than at its timeout.
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
        res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
      }
      // A handler can outlive its connection (a client that hung up, an upload being renamed into place):
      // the caller closes the database next, so wait for the handlers too, not only the sockets.
      const drained = Promise.all([closed, handlers.idle()]);
      if (!(await within(drained, graceMs))) {
        server.closeAllConnections();
        await within(drained, CUT_SETTLE_MS);
      }
    },
  };
}

/** After the grace period cuts the connections, how long handlers get to notice and clean up. */
const CUT_SETTLE_MS = 1000;

/** Counts the handlers still running, without a promise or a Set entry per request. */
class RunningHandlers {
  #running = 0;
  #onIdle: (() => void)[] = [];

  started(): void {
    this.#running++;
  }

  ended(): void {
    // Under load the count touches 0 between most requests: nothing to wake then, and no array to copy.
    if (--this.#running > 0 || this.#onIdle.length === 0) return;
    for (const resolve of this.#onIdle.splice(0)) resolve();
  }

  /** Resolves once no handler runs. */
  idle(): Promise<void> {
    return this.#running === 0 ? Promise.resolve() : new Promise((resolve) => this.#onIdle.push(resolve));
  }
}

/** Resolves true when the promise settles within ms, false when the time runs out first. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function handleRequest(serving: Serving, req: IncomingMessage, res: ServerResponse): void {
  const { app, requestMetrics, inFlight, handlers } = serving;
  handlers.started();
  const inFlightEntry = inFlight.add(res);
  const started = performance.now();
  const requestId = newRequestId();
  const method = req.method ?? '';
  const rawUrl = originForm(req.url ?? '/');
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  // The socket, not req.socket: by the time 'close' fires an ended connection has detached from req.
  const socket = req.socket;
  const bytesBefore = socket.bytesWritten;
  // Read now: once the connection has closed, its peer address is gone.
  const clientAddress = app.proxyTrust.clientOf(socket.remoteAddress, req.headers);
  const ctx = new Exchange(req, res, app, queryAt === -1 ? '' : rawUrl.slice(queryAt + 1), requestId, clientAddress);
  // The one 'close' listener of a response: what handlers hold is given back through ctx.whenClosed, as a
  // listener each made emit copy its list of them on every request.
  res.on('close', () => {
    inFlight.remove(inFlightEntry);
    ctx.closed();
    const ms = performance.now() - started;
    // nginx's 499: the client (or the shutdown's grace cut) closed the connection before any answer.
    const status = res.headersSent ? res.statusCode : 499;
    requestMetrics.observe(method, ctx.route, status, ms / 1000);
    logAccess({ rid: requestId, method, path, status, bytes: socket.bytesWritten - bytesBefore, ms, client: clientAddress });
  });

  // A handler that answers before it returns (a stream's first probe, sent from memory) costs no promise.
  let running: void | Promise<void> = undefined;
  try {
    running = dispatch(serving, ctx, method, path);
  } catch (error) {
    sendError(ctx, path, error);
  }
  if (!running) {
    handlers.ended();
    return;
  }
  running.then(
    () => handlers.ended(),
    (error: unknown) => {
      sendError(ctx, path, error);
      handlers.ended();
    },
  );
}

/** Finds the request's route and runs its handler (errors and 404s are thrown, for sendError). */
function dispatch({ router, pathHeaders }: Serving, ctx: Exchange, method: string, path: string): void | Promise<void> {
  const { req, res } = ctx;
  // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request that lacks Host.
  if (req.headers.host === undefined && req.httpVersion === '1.1') throw malformedRequest();
  const match = router.find(method, path);
  if (match.kind !== 'found' || !match.handler.writesOwnHead) setCommonHeaders(res, ctx.requestId);
  if (match.kind === 'not-found') {
    if (wantsHtmlPage(method, req.headers.accept)) return sendNotFoundPage(ctx);
    throw notFound('route');
  }
  ctx.route = match.pattern;
  const headers = pathHeaders.get(match.pattern);
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(match.allow);
  ctx.params = match.params;
  return match.handler.handler(ctx);
}

/** Headers every answer carries; a route that writes its own head (routes.ts: writesOwnHead) sends them itself. */
function setCommonHeaders(res: ServerResponse, requestId: string): void {
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** A handler's context; the query string is parsed only when a handler asks for it. */
class Exchange implements AppContext {
  params: Params = {};
  /** The matched route's pattern, for the metrics. */
  route = UNMATCHED_ROUTE;
  #query: URLSearchParams | undefined;
  #isClosed = false;
  /** One function as it is: a first push made an array with room for 17 (a stream holds two). */
  #onClosed: (() => void) | (() => void)[] | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly app: App,
    readonly queryString: string,
    readonly requestId: string,
    readonly clientAddress: string,
  ) {}

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.queryString);
    return this.#query;
  }

  whenClosed(fn: () => void): void {
    const held = this.#onClosed;
    if (this.#isClosed) fn();
    else if (held === undefined) this.#onClosed = fn;
    else if (typeof held === 'function') this.#onClosed = [held, fn];
    else held.push(fn);
  }

  /** The response has closed: the server's 'close' listener calls this once. */
  closed(): void {
    this.#isClosed = true;
    const held = this.#onClosed;
    this.#onClosed = undefined;
    if (typeof held === 'function') held();
    else if (held) for (const fn of held) fn();
  }
}

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/** RFC 9112 3.2.2: `GET http://host/path?q` (absolute-form) must be served like `GET /path?q`. */
function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof MalformedPathError) return badRequestPath();
  if (isStorageFault(error) || isDiskFull(error)) return diskFull(error);
  if (isSqliteError(error)) return databaseFailure({ cause: error });
  return internalFault({ cause: error });
}

function sendError({ req, res, requestId }: AppContext, path: string, error: unknown): void {
  // The client went away mid-request: there is nobody to answer and nothing went wrong on our side.
  if (res.destroyed && !(error instanceof HttpError) && req.destroyed) return;
  const httpError = toHttpError(error);
  // A 5xx thrown on purpose is the handler's answer, logged where it was decided if at all: a 507 refusal (a quota,
  // the free-space floor), /healthz's storage that does not answer (logged once as it stops). A disk that filled
  // up, or anything else not thrown as an HttpError, is a fault of this request's.
  const isDecided = error instanceof HttpError;
  if (httpError.status >= 500 && !isDecided) {
    logError(`${req.method} ${path} failed`, error, { rid: requestId });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  setCommonHeaders(res, requestId);
  // A body we did not read would be parsed as the next request: read and drop it, or close.
  if (hasUnreadBody(req)) dropUnreadBody(req, res);
  sendJson(res, httpError.status, toErrorBody(httpError), httpError.headers);
}

function hasUnreadBody(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (declared !== undefined && declared !== '0');
  return hasBody && !req.readableEnded;
}
