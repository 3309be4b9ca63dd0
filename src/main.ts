// Entry point: configuration -> database -> server; SIGTERM/SIGINT stop it gracefully.
import { closeApp, createApp } from './app.js';
import { ConfigError, helpText, loadConfig, type Config } from './config.js';
import { logError, logInfo, setLogFormat } from './log.js';
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

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2));
  setLogFormat(config.logFormat);
  const app = createApp(config);
  const running = await startServer(app, ROUTES);
  logInfo(`listening on http://${running.host}:${running.port}`);
  const scheduler = startScheduler(app);

  // Under nohup nothing restarts a crashed server: log a stray fault and keep serving.
  process.on('uncaughtException', (error) => logError('uncaught exception', error));
  process.on('unhandledRejection', (error) => logError('unhandled rejection', error));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logInfo(`${signal}: stopping, requests in flight have ${config.shutdownGraceS}s to finish`);
    await running.stop(config.shutdownGraceS * 1000);
    await scheduler.stop();
    closeApp(app);
    logInfo('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`moviedash: cannot start: ${message}\n`);
  process.exit(1);
});
