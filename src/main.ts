// Entry point: configuration -> database -> server (or, with WORKERS > 1, a primary that forks the
// servers and runs the scheduler); SIGTERM/SIGINT stop everything gracefully and exit 0.
import { closeApp, createApp } from './app.js';
import { isClusterPrimary, isClusterWorker, onPrimaryGone, startPrimary } from './cluster.js';
import { answerMetricsCollects, serveClusterMetrics } from './cluster-metrics.js';
import { ConfigError, helpText, loadConfig, type Config } from './config.js';
import { flushLogs, logError, logInfo, setLogFormat } from './log.js';
import { ROUTES } from './routes.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startServer } from './server.js';

function readConfig(argv: string[]): Config {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText());
    process.exit(0);
  }
  try {
    return loadConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`moviedash: ${error.message}\n`);
    process.exit(2);
  }
}

/** Runs stop once, on the first SIGTERM/SIGINT (or other trigger), then exits 0. */
function stopOnSignals(config: Config, stop: () => Promise<void>): () => void {
  let isStopping = false;
  const stopOnce = (reason: string) => {
    if (isStopping) return;
    isStopping = true;
    logInfo(`${reason}: stopping, requests in flight have ${config.shutdownGraceS}s to finish`);
    stop().then(
      () => {
        logInfo('stopped');
        flushLogs();
        process.exit(0);
      },
      (error: unknown) => {
        logError('stopping failed', error);
        flushLogs();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stopOnce('SIGTERM'));
  process.on('SIGINT', () => stopOnce('SIGINT'));
  return () => stopOnce('primary process gone');
}

/** An IPv6 address goes in brackets (`http://[::1]:8080`), so the logged URL can be opened as it is. */
function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** WORKERS > 1: this process serves nothing itself; it migrates the database, forks, and schedules. */
async function runPrimary(config: Config): Promise<void> {
  const app = createApp(config);
  app.store.resumableUploads.unlockAll();
  serveClusterMetrics(app.metrics);
  const primary = await startPrimary(config);
  logInfo(`listening on ${urlOf(primary.host, primary.port)}`);
  const scheduler = startScheduler(app);
  stopOnSignals(config, async () => {
    await primary.stop();
    await scheduler.stop();
    closeApp(app);
  });
}

async function runServer(config: Config): Promise<void> {
  const app = createApp(config);
  if (!isClusterWorker()) app.store.resumableUploads.unlockAll();
  const running = await startServer(app, ROUTES);
  // In a cluster the primary logs the address and runs the scheduler, exactly once.
  if (!isClusterWorker()) logInfo(`listening on ${urlOf(running.host, running.port)}`);
  const scheduler = isClusterWorker() ? undefined : startScheduler(app);
  if (isClusterWorker()) answerMetricsCollects(app.metrics);
  const stop = stopOnSignals(config, async () => {
    await running.stop(config.shutdownGraceS * 1000);
    await scheduler?.stop();
    closeApp(app);
  });
  onPrimaryGone(stop);
}

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2));
  setLogFormat(config.logFormat);
  // Under nohup nothing restarts a crashed server: log a stray fault and keep serving.
  process.on('uncaughtException', (error) => logError('uncaught exception', error));
  process.on('unhandledRejection', (error) => logError('unhandled rejection', error));
  await (isClusterPrimary(config) ? runPrimary(config) : runServer(config));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`moviedash: cannot start: ${message}\n`);
  process.exit(1);
});
