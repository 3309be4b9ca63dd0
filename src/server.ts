// The node:http listener: request context, router, access log, and the one error edge that turns
// anything a handler throws into the contract's JSON error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { App, AppContext, AppHandler } from './app.js';
import { capConnections } from './connection-cap.js';
import { isSqliteError, isStorageFault } from './db/sqlite-errors.js';
import { answerClientError } from './http/client-error.js';
import { expectsContinue } from './http/expect-continue.js';
import { badRequestPath, databaseFailure, HttpError, insufficientStorage, internalFault, methodNotAllowed, notFound, toErrorBody } from './http/errors.js';
import { sendJson } from './http/respond.js';
import { diskFull, isDiskFull } from './upload/disk-space.js';
import { MalformedPathError, Router } from './http/router.js';
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

export function buildRouter(routes: readonly Route[]): Router<AppHandler> {
  const router = new Router<AppHandler>();
  for (const route of routes) router.add(route.method, route.pattern, route.handler);
  return router;
}

export async function startServer(app: App, routes: readonly Route[], at: ListenAt): Promise<RunningServer> {
  const router = buildRouter(routes);
  const { requestMetrics } = app;
  let isStopping = false;
  const inFlight = new Set<ServerResponse>();
  const handling = new Set<Promise<void>>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (isStopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    const handled = handleRequest(app, router, requestMetrics, req, res);
    handling.add(handled);
    void handled.finally(() => handling.delete(handled));
  };
  const server = createServer(onRequest);
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
      const drained = Promise.all([closed, settle(handling)]);
      if (!(await within(drained, graceMs))) {
        server.closeAllConnections();
        await within(drained, CUT_SETTLE_MS);
      }
    },
  };
}

/** After the grace period cuts the connections, how long handlers get to notice and clean up. */
const CUT_SETTLE_MS = 1000;

async function settle(handling: Set<Promise<void>>): Promise<void> {
  while (handling.size > 0) await Promise.allSettled(handling);
}

/** Resolves true when the promise settles within ms, false when the time runs out first. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

async function handleRequest(
  app: App,
  router: Router<AppHandler>,
  requestMetrics: RequestMetrics,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const requestId = newRequestId();
  const method = req.method ?? '';
  const rawUrl = originForm(req.url ?? '/');
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  let route = UNMATCHED_ROUTE;
  // The socket, not req.socket: by the time 'close' fires an ended connection has detached from req.
  const socket = req.socket;
  const bytesBefore = socket.bytesWritten;
  res.once('close', () => {
    const ms = performance.now() - started;
    // nginx's 499: the client (or the shutdown's grace cut) closed the connection before any answer.
    const status = res.headersSent ? res.statusCode : 499;
    requestMetrics.observe(method, route, status, ms / 1000);
    logAccess({ rid: requestId, method, path, status, bytes: socket.bytesWritten - bytesBefore, ms });
  });
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');

  const ctx: AppContext = {
    req,
    res,
    app,
    params: {},
    query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
    requestId,
  };
  try {
    const match = router.find(method, path);
    if (match.kind === 'not-found') {
      if (wantsHtmlPage(method, req.headers.accept)) return sendNotFoundPage(ctx);
      throw notFound('route');
    }
    route = match.pattern;
    if (match.kind === 'method-not-allowed') throw methodNotAllowed(match.allow);
    ctx.params = match.params;
    await match.handler(ctx);
  } catch (error) {
    sendError(ctx, path, error);
  }
}

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/** RFC 9112 3.2.2: `GET http://host/path?q` (absolute-form) must be served like `GET /path?q`. */
function originForm(target: string): string {
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
  // A 507 thrown on purpose (a quota, the free-space floor) is a refusal; a disk that filled up is a fault.
  const isRefusal = error instanceof HttpError && error.status === 507;
  if (httpError.status >= 500 && !isRefusal) {
    logError(`${req.method} ${path} failed`, error, { rid: requestId });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body we did not read would be parsed as the next request: read and drop it, or close.
  if (hasUnreadBody(req)) dropUnreadBody(req, res);
  sendJson(res, httpError.status, toErrorBody(httpError), httpError.headers);
}

function hasUnreadBody(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (declared !== undefined && declared !== '0');
  return hasBody && !req.readableEnded;
}
