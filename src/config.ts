// The one table of options: each has an environment variable, a --flag, a default and a parser.
// --help is generated from the same table, so the two cannot drift apart.
import { cpus } from 'node:os';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  videoDir: string;
  maxUploadMb: number;
  streamMaxConns: number;
  streamQueueMs: number;
  sessionTtlMin: number;
  schedulerIntervalS: number;
  workers: number;
  shutdownGraceS: number;
  logFormat: 'text' | 'json';
}

interface Option<K extends keyof Config> {
  key: K;
  env: string;
  defaultValue: string;
  help: string;
  parse: (raw: string) => Config[K];
}

export class ConfigError extends Error {}

// Plain decimal only: Number() alone would also take "0x50", "1e3" and "Infinity".
const DECIMAL_INTEGER = /^\d+$/;
const DECIMAL_NUMBER = /^(\d+\.?\d*|\.\d+)$/;

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw.trim());
    if (!DECIMAL_INTEGER.test(raw.trim()) || value < min || value > max) {
      throw new ConfigError(`must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

function positiveNumber(max: number) {
  return (raw: string): number => {
    const value = Number(raw.trim());
    if (!DECIMAL_NUMBER.test(raw.trim()) || value <= 0 || value > max) {
      throw new ConfigError(`must be a number above 0 and at most ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new ConfigError('must not be empty');
  return raw;
}

function logFormat(raw: string): Config['logFormat'] {
  if (raw !== 'text' && raw !== 'json') throw new ConfigError(`must be "text" or "json", got ${JSON.stringify(raw)}`);
  return raw;
}

function workers(raw: string): number {
  return raw.trim() === 'auto' ? cpus().length : integer(1, 64)(raw);
}

const OPTIONS: { [K in keyof Config]: Option<K> }[keyof Config][] = [
  { key: 'port', env: 'PORT', defaultValue: '8080', help: 'listening port (0 = any free port)', parse: integer(0, 65535) },
  { key: 'host', env: 'HOST', defaultValue: '0.0.0.0', help: 'listening address', parse: nonEmpty },
  { key: 'dataDir', env: 'DATA_DIR', defaultValue: './data', help: 'SQLite database and other state', parse: nonEmpty },
  { key: 'videoDir', env: 'VIDEO_DIR', defaultValue: './videos', help: 'uploaded video files', parse: nonEmpty },
  { key: 'maxUploadMb', env: 'MAX_UPLOAD_MB', defaultValue: '1024', help: 'largest accepted upload, in MiB', parse: integer(1, 1024 * 1024) },
  { key: 'streamMaxConns', env: 'STREAM_MAX_CONNS', defaultValue: '100', help: 'concurrent streams (tokens in the limiter bucket)', parse: integer(1, 100_000) },
  { key: 'streamQueueMs', env: 'STREAM_QUEUE_MS', defaultValue: '0', help: 'how long a stream may wait for a token before 429, in ms', parse: integer(0, 600_000) },
  { key: 'sessionTtlMin', env: 'SESSION_TTL_MIN', defaultValue: '30', help: 'session lifetime from sign-in, in minutes', parse: positiveNumber(525_600) },
  { key: 'schedulerIntervalS', env: 'SCHEDULER_INTERVAL_S', defaultValue: '3', help: 'scheduler tick, in seconds', parse: positiveNumber(86_400) },
  { key: 'workers', env: 'WORKERS', defaultValue: '1', help: 'processes sharing the port ("auto" = one per core)', parse: workers },
  { key: 'shutdownGraceS', env: 'SHUTDOWN_GRACE_S', defaultValue: '10', help: 'on SIGTERM, how long requests in flight may take to finish, in seconds', parse: positiveNumber(3600) },
  { key: 'logFormat', env: 'LOG_FORMAT', defaultValue: 'text', help: 'log line format: text or json', parse: logFormat },
];

function flagOf(env: string): string {
  return `--${env.toLowerCase().replaceAll('_', '-')}`;
}

/** Reads every option from --flags (which win) and the environment; throws ConfigError naming the bad one. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const flags = parseFlags(argv);
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const option of OPTIONS) {
    const flag = flagOf(option.env);
    const raw = flags.get(flag) ?? env[option.env] ?? option.defaultValue;
    try {
      config[option.key] = option.parse(raw);
    } catch (error) {
      const source = flags.has(flag) ? flag : option.env;
      throw new ConfigError(`Invalid ${source}: ${(error as Error).message}`);
    }
  }
  const loaded = config as Config;
  // Each worker holds a share of the stream bucket: every worker needs at least one token.
  if (loaded.streamMaxConns < loaded.workers) {
    throw new ConfigError(`Invalid STREAM_MAX_CONNS: must be at least WORKERS (${loaded.workers}), got ${loaded.streamMaxConns}`);
  }
  return loaded;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(OPTIONS.map((option) => flagOf(option.env)));
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!known.has(name)) throw new ConfigError(`Unknown option ${JSON.stringify(name)} (see --help)`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`Invalid ${name}: needs a value`);
    flags.set(name, value);
  }
  return flags;
}

export function helpText(): string {
  const rows = OPTIONS.map((option) => [`${flagOf(option.env)} <value>`, option.env, option.defaultValue, option.help]);
  const widths = [0, 1, 2].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => row.map((cell, col) => (col < 3 ? cell.padEnd(widths[col]!) : cell)).join('  '));
  return [
    'moviedash: a self-hosted video-on-demand site',
    '',
    'Usage: node dist/main.js [options]',
    '',
    'Every option can also be set by its environment variable; a --flag wins over the variable.',
    '',
    `${'option'.padEnd(widths[0]!)}  ${'variable'.padEnd(widths[1]!)}  ${'default'.padEnd(widths[2]!)}  meaning`,
    ...lines,
    `${'--help'.padEnd(widths[0]!)}  ${''.padEnd(widths[1]!)}  ${''.padEnd(widths[2]!)}  print this help and exit`,
    '',
  ].join('\n');
}
