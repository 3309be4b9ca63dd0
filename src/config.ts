// The one table of options: each has an environment variable, a --flag, a default and a parser.
// --help is generated from the same table, so the two cannot drift apart.
import { isIP } from 'node:net';
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
  sessionMaxDays: number;
  schedulerIntervalS: number;
  workers: number;
  shutdownGraceS: number;
  logFormat: 'text' | 'json';
  operatorPort: number;
  maxConnections: number;
  /** `loopback` and/or IP addresses; empty = never trust X-Forwarded-For. */
  trustProxy: readonly string[];
  signup: 'open' | 'closed';
  authRatePerMin: number;
  userQuotaMb: number;
  minFreeDiskMb: number;
  streamsPerClient: number;
  streamStallS: number;
  commentRatePerMin: number;
  maxPendingVideos: number;
  maxUploadsPerUser: number;
  resumableExpiryH: number;
  accelRedirectPrefix: string;
  storage: 'local' | 's3';
  s3Endpoint: string;
  s3Region: string;
  s3Bucket: string;
  s3Prefix: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
  s3ForcePathStyle: boolean;
  s3Delivery: 'proxy' | 'redirect';
  s3PublicUrl: string;
  s3PresignTtlS: number;
  s3PartMb: number;
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

function oneOf<T extends string>(...values: T[]) {
  return (raw: string): T => {
    if (!(values as string[]).includes(raw)) {
      throw new ConfigError(`must be ${values.map((value) => JSON.stringify(value)).join(' or ')}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
  };
}

function anyText(raw: string): string {
  if (/[\r\n]/.test(raw)) throw new ConfigError('must be one line');
  return raw.trim();
}

function boolean(raw: string): boolean {
  return oneOf('true', 'false')(raw.trim()) === 'true';
}

/** `loopback`, IP addresses, or both, separated by commas; empty trusts no proxy. */
function proxyList(raw: string): readonly string[] {
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry !== 'loopback' && isIP(entry) === 0) {
      throw new ConfigError(`must be "loopback" or IP addresses separated by commas, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

/** An nginx location: empty (off) or a path that starts and ends with "/". */
function locationPrefix(raw: string): string {
  const prefix = anyText(raw);
  if (prefix !== '' && !/^\/[\w./-]*\/$/.test(prefix)) {
    throw new ConfigError(`must be empty or a path like "/protected-videos/", got ${JSON.stringify(raw)}`);
  }
  return prefix;
}

/** Empty, or an http(s) URL without query or fragment (an S3 endpoint, a CDN base). */
function httpUrlOrEmpty(raw: string): string {
  const text = anyText(raw);
  if (text === '') return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new ConfigError(`must be an http:// or https:// URL like "https://s3.example.com", got ${JSON.stringify(raw)}`);
  }
  return text;
}

/** Empty, or a name that fits in a URL's host and path as it is (S3's rules, plus the legacy _ and capitals). */
function bucketName(raw: string): string {
  const text = anyText(raw);
  if (text !== '' && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(text)) {
    throw new ConfigError(`must be a bucket name (letters, digits, ".", "-", "_"), got ${JSON.stringify(raw)}`);
  }
  return text;
}

/** What STORAGE=s3 cannot do without: named one by one, so the error says which is missing. */
const S3_REQUIRED = [
  ['s3Endpoint', 'S3_ENDPOINT'],
  ['s3Bucket', 'S3_BUCKET'],
  ['s3AccessKeyId', 'S3_ACCESS_KEY_ID'],
  ['s3SecretAccessKey', 'S3_SECRET_ACCESS_KEY'],
] as const;

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
  { key: 'sessionTtlMin', env: 'SESSION_TTL_MIN', defaultValue: '30', help: 'a session ends after this many minutes without use', parse: positiveNumber(525_600) },
  { key: 'sessionMaxDays', env: 'SESSION_MAX_DAYS', defaultValue: '30', help: 'a session ends this many days after sign-in however much it is used', parse: positiveNumber(3650) },
  { key: 'schedulerIntervalS', env: 'SCHEDULER_INTERVAL_S', defaultValue: '3', help: 'scheduler tick, in seconds', parse: positiveNumber(86_400) },
  { key: 'workers', env: 'WORKERS', defaultValue: '1', help: 'processes sharing the port ("auto" = one per core)', parse: workers },
  { key: 'shutdownGraceS', env: 'SHUTDOWN_GRACE_S', defaultValue: '10', help: 'on SIGTERM, how long requests in flight may take to finish, in seconds', parse: positiveNumber(3600) },
  { key: 'logFormat', env: 'LOG_FORMAT', defaultValue: 'text', help: 'log line format: text or json', parse: oneOf('text', 'json') },
  { key: 'operatorPort', env: 'OPERATOR_PORT', defaultValue: '9001', help: 'operator listener on 127.0.0.1: /metrics, /healthz, /video-delete-record (0 = any free port)', parse: integer(0, 65535) },
  { key: 'maxConnections', env: 'MAX_CONNECTIONS', defaultValue: '1000', help: 'open connections the site accepts at once; more are closed at once (and logged)', parse: integer(1, 1_000_000) },
  { key: 'trustProxy', env: 'TRUST_PROXY', defaultValue: '', help: 'reverse proxies whose X-Forwarded-For names the client: "loopback" or IPs, comma-separated', parse: proxyList },
  { key: 'signup', env: 'SIGNUP', defaultValue: 'open', help: '"open", or "closed": only `node dist/main.js user add NAME` creates accounts', parse: oneOf('open', 'closed') },
  { key: 'authRatePerMin', env: 'AUTH_RATE_PER_MIN', defaultValue: '10', help: 'sign-up and sign-in attempts per client address per minute', parse: integer(1, 1_000_000) },
  { key: 'userQuotaMb', env: 'USER_QUOTA_MB', defaultValue: '0', help: 'MiB of video, poster and caption files one account may store (0 = no quota)', parse: integer(0, 1024 * 1024 * 1024) },
  { key: 'minFreeDiskMb', env: 'MIN_FREE_DISK_MB', defaultValue: '1024', help: 'an upload that would leave less free space than this on the video disk is refused, in MiB', parse: integer(0, 1024 * 1024 * 1024) },
  { key: 'streamsPerClient', env: 'STREAMS_PER_CLIENT', defaultValue: '8', help: 'concurrent streams per client address', parse: integer(1, 100_000) },
  { key: 'streamStallS', env: 'STREAM_STALL_S', defaultValue: '60', help: 'a stream or upload whose peer moves no byte for this long is cut, in seconds', parse: positiveNumber(86_400) },
  { key: 'commentRatePerMin', env: 'COMMENT_RATE_PER_MIN', defaultValue: '10', help: 'comments one account may post per minute', parse: integer(1, 1_000_000) },
  { key: 'maxPendingVideos', env: 'MAX_PENDING_VIDEOS', defaultValue: '20', help: 'videos one account may hold without a file', parse: integer(1, 1_000_000) },
  { key: 'maxUploadsPerUser', env: 'MAX_UPLOADS_PER_USER', defaultValue: '2', help: 'uploads one account may have receiving bytes at once', parse: integer(1, 1000) },
  { key: 'resumableExpiryH', env: 'RESUMABLE_EXPIRY_H', defaultValue: '24', help: 'an unfinished resumable upload untouched this long expires, in hours', parse: positiveNumber(24 * 365) },
  { key: 'accelRedirectPrefix', env: 'ACCEL_REDIRECT_PREFIX', defaultValue: '', help: 'behind nginx: answer video GETs with X-Accel-Redirect: PREFIX<file> (empty = send the bytes)', parse: locationPrefix },
  { key: 'storage', env: 'STORAGE', defaultValue: 'local', help: 'where video and poster files live: "local" (VIDEO_DIR) or "s3"', parse: oneOf('local', 's3') },
  { key: 's3Endpoint', env: 'S3_ENDPOINT', defaultValue: '', help: 'STORAGE=s3 (required): the endpoint URL (https://s3.example.com)', parse: httpUrlOrEmpty },
  { key: 's3Region', env: 'S3_REGION', defaultValue: 'us-east-1', help: 'STORAGE=s3: the region', parse: nonEmpty },
  { key: 's3Bucket', env: 'S3_BUCKET', defaultValue: '', help: 'STORAGE=s3 (required): the bucket', parse: bucketName },
  { key: 's3Prefix', env: 'S3_PREFIX', defaultValue: '', help: 'STORAGE=s3: a folder for every object ("moviedash" puts them under moviedash/)', parse: anyText },
  { key: 's3AccessKeyId', env: 'S3_ACCESS_KEY_ID', defaultValue: '', help: 'STORAGE=s3 (required): the access key id', parse: anyText },
  { key: 's3SecretAccessKey', env: 'S3_SECRET_ACCESS_KEY', defaultValue: '', help: 'STORAGE=s3 (required): the secret access key', parse: anyText },
  { key: 's3ForcePathStyle', env: 'S3_FORCE_PATH_STYLE', defaultValue: 'true', help: 'STORAGE=s3: path-style URLs (endpoint/bucket/key) instead of bucket.endpoint/key', parse: boolean },
  { key: 's3Delivery', env: 'S3_DELIVERY', defaultValue: 'proxy', help: 'STORAGE=s3: "proxy" (the server streams the bytes) or "redirect" (302 to a presigned URL)', parse: oneOf('proxy', 'redirect') },
  { key: 's3PublicUrl', env: 'S3_PUBLIC_URL', defaultValue: '', help: 'STORAGE=s3, redirect: a CDN base URL to redirect to instead of a presigned URL', parse: httpUrlOrEmpty },
  { key: 's3PresignTtlS', env: 'S3_PRESIGN_TTL_S', defaultValue: '600', help: 'STORAGE=s3, redirect: how long a presigned URL is valid, in seconds', parse: integer(1, 604_800) },
  { key: 's3PartMb', env: 'S3_PART_MB', defaultValue: '8', help: 'STORAGE=s3: multipart upload part size, in MiB', parse: integer(5, 5 * 1024) },
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
  if (loaded.storage === 's3') {
    const missing = S3_REQUIRED.find(([key]) => loaded[key] === '');
    if (missing) throw new ConfigError(`Invalid ${missing[1]}: must be set when STORAGE=s3`);
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

/** commands: the subcommands' usage lines and what each does. */
export function helpText(commands: readonly { usage: string; help: string }[] = []): string {
  const rows = OPTIONS.map((option) => [`${flagOf(option.env)} <value>`, option.env, option.defaultValue, option.help]);
  const widths = [0, 1, 2].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => row.map((cell, col) => (col < 3 ? cell.padEnd(widths[col]!) : cell)).join('  '));
  return [
    'moviedash: a self-hosted video-on-demand site',
    '',
    'Usage: node dist/main.js [options]                serve the site',
    ...commands.map(({ usage, help }) => `       ${usage}\n           ${help}`),
    '',
    'Every option can also be set by its environment variable; a --flag wins over the variable.',
    '',
    `${'option'.padEnd(widths[0]!)}  ${'variable'.padEnd(widths[1]!)}  ${'default'.padEnd(widths[2]!)}  meaning`,
    ...lines,
    `${'--help'.padEnd(widths[0]!)}  ${''.padEnd(widths[1]!)}  ${''.padEnd(widths[2]!)}  print this help and exit`,
    '',
  ].join('\n');
}
