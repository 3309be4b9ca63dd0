// Entry point: configuration -> database -> servers (or, with WORKERS > 1, a primary that forks the
// servers, serves the operator listener and runs the scheduler); SIGTERM/SIGINT stop everything gracefully
// and exit 0. `node dist/main.js COMMAND ...` runs an operator's subcommand instead (commands/commands.ts).
import { closeApp, createApp, type App } from './app.js';
import { connectionsOfThisProcess, isClusterPrimary, isClusterWorker, onPrimaryGone, startPrimary } from './cluster.js';
import { answerMetricsCollects } from './cluster-metrics.js';
import { COMMANDS, parseInvocation, usageOf, type Invocation } from './commands/commands.js';
import { ConfigError, helpText, loadConfig, type Config } from './config.js';
import { dropLinesOfFailedStreams, flushLogs, logError, logInfo, setLogFormat } from './log.js';
import { OPERATOR_ROUTES, ROUTES } from './routes.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startServer, type RunningServer } from './server.js';
import { recoverResumableUploads } from './tus/uploads.js';

/** The operator listener is never reachable from another machine, whatever HOST says. */
const OPERATOR_HOST = '127.0.0.1';

function readInvocation(argv: string[]): { invocation: Invocation; config: Config } {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(COMMANDS.map((command) => ({ usage: usageOf(command), help: command.help }))));
    process.exit(0);
  }
  try {
    const invocation = parseInvocation(argv);
    return { invocation, config: loadConfig(invocation.options, process.env) };
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
        process.exit(0);
      },
      (error: unknown) => {
        logError('stopping failed', error);
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

/** /metrics, /healthz and /video-delete-record on 127.0.0.1:OPERATOR_PORT, in the process that runs the scheduler. */
async function startOperatorListener(app: App): Promise<RunningServer> {
  const port = app.config.operatorPort;
  const running = await startServer(app, OPERATOR_ROUTES, { host: OPERATOR_HOST, port, settings: `OPERATOR_PORT=${port}` });
  logInfo(`operator endpoint on ${urlOf(running.host, running.port)}`);
  return running;
}

/** WORKERS > 1: this process serves only the operator listener; it migrates the database, forks, and schedules. */
async function runPrimary(config: Config): Promise<void> {
  const app = await createApp(config);
  // A bucket that does not answer or refuses the keys is logged now, not at the first upload.
  void app.storageHealth.refresh();
  recoverResumableUploads(app.store);
  const operator = await startOperatorListener(app);
  const primary = await startPrimary(config);
  logInfo(`listening on ${urlOf(primary.host, primary.port)}`);
  const scheduler = startScheduler(app);
  stopOnSignals(config, async () => {
    await Promise.all([primary.stop(), operator.stop(config.shutdownGraceS * 1000)]);
    await scheduler.stop();
    await closeApp(app);
  });
}

async function runServer(config: Config): Promise<void> {
  const app = await createApp(config);
  if (!isClusterWorker()) void app.storageHealth.refresh();
  if (!isClusterWorker()) recoverResumableUploads(app.store);
  // In a cluster the primary serves the operator listener, logs the address and runs the scheduler, once.
  const operator = isClusterWorker() ? undefined : await startOperatorListener(app);
  const { host, port } = config;
  const maxConnections = connectionsOfThisProcess(config);
  const running = await startServer(app, ROUTES, { host, port, settings: `HOST=${host} PORT=${port}`, maxConnections });
  if (!isClusterWorker()) logInfo(`listening on ${urlOf(running.host, running.port)}`);
  const scheduler = isClusterWorker() ? undefined : startScheduler(app);
  if (isClusterWorker()) answerMetricsCollects(app.metrics);
  const stop = stopOnSignals(config, async () => {
    const graceMs = config.shutdownGraceS * 1000;
    await Promise.all([running.stop(graceMs), operator?.stop(graceMs)]);
    await scheduler?.stop();
    await closeApp(app);
  });
  onPrimaryGone(stop);
}

/** A subcommand: one line on stdout and exit 0, or one line on stderr and exit 1. */
async function runCommand({ command, args }: Invocation, config: Config): Promise<void> {
  try {
    process.stdout.write(`${await command!.run(config, args)}\n`);
  } catch (error) {
    process.stderr.write(`moviedash: ${command!.words.join(' ')}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { invocation, config } = readInvocation(process.argv.slice(2));
  if (invocation.command) return runCommand(invocation, config);
  setLogFormat(config.logFormat);
  dropLinesOfFailedStreams();
  // Access lines wait up to 100 ms to be written together (log.ts): none is lost when the process exits.
  process.on('exit', flushLogs);
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
