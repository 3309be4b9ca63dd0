import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, helpText, loadConfig } from '../src/config.js';

const S3_SETTINGS = {
  STORAGE: 's3',
  S3_ENDPOINT: 'https://s3.example.com',
  S3_BUCKET: 'videos',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'secret',
};

describe('loadConfig()', () => {
  it('uses the contract defaults', () => {
    const config = loadConfig([], {});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, './data');
    assert.equal(config.videoDir, './videos');
    assert.equal(config.maxUploadMb, 1024);
    assert.equal(config.streamMaxConns, 100);
    assert.equal(config.streamQueueMs, 0);
    assert.equal(config.sessionTtlMin, 30);
    assert.equal(config.schedulerIntervalS, 3);
    assert.equal(config.workers, 1);
    assert.equal(config.sessionMaxDays, 30);
    assert.equal(config.operatorPort, 9001);
    assert.deepEqual(config.trustProxy, []);
    assert.equal(config.signup, 'open');
    assert.equal(config.authRatePerMin, 10);
    assert.equal(config.userQuotaMb, 0);
    assert.equal(config.minFreeDiskMb, 1024);
    assert.equal(config.streamsPerClient, 8);
    assert.equal(config.streamStallS, 60);
    assert.equal(config.commentRatePerMin, 10);
    assert.equal(config.maxPendingVideos, 20);
    assert.equal(config.maxUploadsPerUser, 2);
    assert.equal(config.storage, 'local');
    assert.equal(config.accelRedirectPrefix, '');
    assert.equal(config.resumableExpiryH, 24);
    assert.equal(config.s3Region, 'us-east-1');
    assert.equal(config.s3ForcePathStyle, true);
    assert.equal(config.s3Delivery, 'proxy');
    assert.equal(config.s3PresignTtlS, 600);
    assert.equal(config.s3PartMb, 8);
  });

  it('takes STORAGE=s3 with an endpoint, a bucket and keys', () => {
    const config = loadConfig([], { ...S3_SETTINGS, S3_PUBLIC_URL: 'https://cdn.example.com/videos' });
    assert.equal(config.storage, 's3');
    assert.equal(config.s3Endpoint, 'https://s3.example.com');
    assert.equal(config.s3PublicUrl, 'https://cdn.example.com/videos');
  });

  it('reads TRUST_PROXY as loopback and IP addresses', () => {
    assert.deepEqual(loadConfig([], { TRUST_PROXY: 'loopback, 10.0.0.1,::1' }).trustProxy, ['loopback', '10.0.0.1', '::1']);
  });

  it('reads the environment and lets a --flag win', () => {
    const config = loadConfig(['--port', '9000', '--max-upload-mb=5'], { PORT: '7000', HOST: '127.0.0.1' });
    assert.equal(config.port, 9000);
    assert.equal(config.maxUploadMb, 5);
    assert.equal(config.host, '127.0.0.1');
  });

  const bad = [
    { what: 'PORT=abc', argv: [], env: { PORT: 'abc' }, names: 'PORT' },
    { what: 'PORT=70000', argv: [], env: { PORT: '70000' }, names: 'PORT' },
    { what: 'MAX_UPLOAD_MB=-1', argv: [], env: { MAX_UPLOAD_MB: '-1' }, names: 'MAX_UPLOAD_MB' },
    { what: 'STREAM_MAX_CONNS=0', argv: [], env: { STREAM_MAX_CONNS: '0' }, names: 'STREAM_MAX_CONNS' },
    { what: 'SESSION_TTL_MIN=', argv: [], env: { SESSION_TTL_MIN: '' }, names: 'SESSION_TTL_MIN' },
    { what: 'LOG_FORMAT=xml', argv: [], env: { LOG_FORMAT: 'xml' }, names: 'LOG_FORMAT' },
    { what: '--port 1.5', argv: ['--port', '1.5'], env: {}, names: '--port' },
    { what: 'PORT=0x50 (hex is not a decimal port)', argv: [], env: { PORT: '0x50' }, names: 'PORT' },
    { what: 'PORT=1e3', argv: [], env: { PORT: '1e3' }, names: 'PORT' },
    { what: 'WORKERS=0', argv: [], env: { WORKERS: '0' }, names: 'WORKERS' },
    { what: 'SCHEDULER_INTERVAL_S=0x10', argv: [], env: { SCHEDULER_INTERVAL_S: '0x10' }, names: 'SCHEDULER_INTERVAL_S' },
    { what: 'SESSION_TTL_MIN=Infinity', argv: [], env: { SESSION_TTL_MIN: 'Infinity' }, names: 'SESSION_TTL_MIN' },
    { what: 'STREAM_MAX_CONNS=1 with WORKERS=2', argv: [], env: { STREAM_MAX_CONNS: '1', WORKERS: '2' }, names: 'STREAM_MAX_CONNS' },
    { what: 'an unknown flag', argv: ['--prot', '1'], env: {}, names: '--prot' },
    { what: 'PORT with a newline in it', argv: [], env: { PORT: '1\n2' }, names: 'PORT' },
    { what: 'LOG_FORMAT with a newline in it', argv: [], env: { LOG_FORMAT: 'te\nxt' }, names: 'LOG_FORMAT' },
    { what: 'an unknown flag with a newline in it', argv: ['--po\nrt', '1'], env: {}, names: '--po' },
    { what: 'a flag without value', argv: ['--port'], env: {}, names: '--port' },
    { what: 'TRUST_PROXY=example.com', argv: [], env: { TRUST_PROXY: 'example.com' }, names: 'TRUST_PROXY' },
    { what: 'SIGNUP=maybe', argv: [], env: { SIGNUP: 'maybe' }, names: 'SIGNUP' },
    { what: 'STORAGE=ftp', argv: [], env: { STORAGE: 'ftp' }, names: 'STORAGE' },
    { what: 'ACCEL_REDIRECT_PREFIX without slashes', argv: [], env: { ACCEL_REDIRECT_PREFIX: 'internal' }, names: 'ACCEL_REDIRECT_PREFIX' },
    { what: 'S3_FORCE_PATH_STYLE=yes', argv: [], env: { S3_FORCE_PATH_STYLE: 'yes' }, names: 'S3_FORCE_PATH_STYLE' },
    { what: 'S3_PART_MB=4 (S3 parts are at least 5 MiB)', argv: [], env: { S3_PART_MB: '4' }, names: 'S3_PART_MB' },
    { what: 'S3_ENDPOINT without a scheme', argv: [], env: { S3_ENDPOINT: 's3.example.com' }, names: 'S3_ENDPOINT' },
    { what: 'S3_ENDPOINT=ftp://s3.example.com', argv: [], env: { S3_ENDPOINT: 'ftp://s3.example.com' }, names: 'S3_ENDPOINT' },
    { what: 'S3_PUBLIC_URL with a query', argv: [], env: { S3_PUBLIC_URL: 'https://cdn.example.com/?x=1' }, names: 'S3_PUBLIC_URL' },
    { what: 'S3_BUCKET with a slash', argv: [], env: { S3_BUCKET: 'videos/mine' }, names: 'S3_BUCKET' },
    ...(['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).map((name) => ({
      what: `STORAGE=s3 without ${name}`,
      argv: [],
      env: { ...S3_SETTINGS, [name]: '' },
      names: name,
    })),
  ];
  for (const { what, argv, env, names } of bad) {
    it(`throws a one-line ConfigError naming ${names} for ${what}`, () => {
      assert.throws(() => loadConfig(argv, env), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(names));
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }
});

describe('helpText()', () => {
  it('lists every variable of the contract', () => {
    const text = helpText();
    for (const name of ['PORT', 'HOST', 'DATA_DIR', 'VIDEO_DIR', 'MAX_UPLOAD_MB', 'STREAM_MAX_CONNS', 'STREAM_QUEUE_MS', 'SESSION_TTL_MIN', 'SESSION_MAX_DAYS', 'SCHEDULER_INTERVAL_S', 'WORKERS', 'OPERATOR_PORT', 'TRUST_PROXY', 'SIGNUP', 'AUTH_RATE_PER_MIN', 'USER_QUOTA_MB', 'MIN_FREE_DISK_MB', 'STREAMS_PER_CLIENT', 'STREAM_STALL_S', 'COMMENT_RATE_PER_MIN', 'MAX_PENDING_VIDEOS', 'MAX_UPLOADS_PER_USER', 'STORAGE', 'ACCEL_REDIRECT_PREFIX', 'RESUMABLE_EXPIRY_H', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_DELIVERY', 'S3_PART_MB']) {
      assert.match(text, new RegExp(`${name}\\s`));
    }
  });
});
