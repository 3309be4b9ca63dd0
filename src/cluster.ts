// WORKERS > 1: the primary process forks the workers that share the listening socket (node:cluster),
// restarts one that dies, and on SIGTERM/SIGINT stops them all gracefully before it exits.
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { logError, logInfo } from './log.js';

const RESTART_DELAY_MS = 1000;

export interface Primary {
  /** Resolves once every worker has exited. */
  stop(): Promise<void>;
}

/** Forks the workers and resolves with the address once the first one listens. */
export function startPrimary(config: Config): Promise<Primary & { host: string; port: number }> {
  let isStopping = false;
  let hasListened = false;
  let failStart: (error: Error) => void = () => {};
  const workers = new Set<Worker>();

  const fork = (): void => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (isStopping) return;
      if (!hasListened) {
        // A worker that cannot even start (port taken, bad database) would fail again: give up.
        isStopping = true;
        workers.forEach((other) => other.process.kill('SIGTERM'));
        failStart(new Error(`worker exited with ${signal ?? code} before listening`));
        return;
      }
      logError(`worker ${worker.process.pid} exited (${signal ?? code}), starting another`, new Error('worker exit'));
      setTimeout(() => isStopping || fork(), RESTART_DELAY_MS).unref();
    });
  };

  const stop = async (): Promise<void> => {
    isStopping = true;
    const exits = [...workers].map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    for (const worker of workers) worker.process.kill('SIGTERM');
    // A worker that outlives its own grace period by far is stuck: cut it.
    const cut = setTimeout(() => workers.forEach((worker) => worker.process.kill('SIGKILL')), (config.shutdownGraceS + 5) * 1000);
    await Promise.all(exits);
    clearTimeout(cut);
  };

  return new Promise((resolve, reject) => {
    failStart = reject;
    cluster.once('listening', (_worker, address: AddressInfo | { port: number; address: string | null }) => {
      hasListened = true;
      logInfo(`${config.workers} workers started`);
      resolve({ host: config.host, port: address.port, stop });
    });
    for (let i = 0; i < config.workers; i++) fork();
  });
}

export function isClusterPrimary(config: Config): boolean {
  return config.workers > 1 && cluster.isPrimary;
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** A worker whose primary is gone (SIGKILL, crash) must not serve on alone. */
export function onPrimaryGone(stop: () => void): void {
  if (cluster.isWorker) cluster.worker!.once('disconnect', stop);
}

/**
 * STREAM_MAX_CONNS counts streams of the whole site: each of the WORKERS processes holds its share of the
 * bucket (connections are handed to the workers in turn, so the shares fill evenly).
 */
export function streamTokensOfThisProcess(config: Config): number {
  return cluster.isWorker ? Math.ceil(config.streamMaxConns / config.workers) : config.streamMaxConns;
}

/** MAX_CONNECTIONS counts connections of the whole site: each worker holds its share, like the stream tokens. */
export function connectionsOfThisProcess(config: Config): number {
  return cluster.isWorker ? Math.ceil(config.maxConnections / config.workers) : config.maxConnections;
}
