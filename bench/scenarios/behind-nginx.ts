// I: the README's deployment, nginx in front of moviedash, both ways: nginx proxying the bytes moviedash reads
// and sends, and nginx sending the file itself (sendfile) after moviedash's checks (X-Accel-Redirect). nginx
// serving the same file with no application at all is the reference.
import { versus, type Row } from '../lib/rows.js';
import { startNginxFront } from '../targets/nginx-front.js';
import { targetNamed, type ScenarioContext, type ScenarioResult } from './context.js';
import { rangesAndProbes } from './ranges-and-probes.js';
import { figureOf, noteGaps, type Measured } from './round-robin.js';

const PREFIX = '/protected-videos/';
const DIRECT = 'nginx alone';
const PROXIED = 'nginx proxying moviedash';
const ACCEL = 'nginx + X-Accel-Redirect';
/** The bench's one client address opens up to 64 connections: nginx's stream caps must not refuse them. */
const LIFTED_LIMITS = { total: 60_000, perClient: 60_000 };

export async function behindNginx(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { moviedash } = ctx;
  const nginx = targetNamed(ctx, 'nginx');
  if (!nginx || !moviedash.features.stream) throw new Error('scenario I needs the nginx reference and the stream route');
  const twin = await moviedash.startTwin('moviedash-accel', { ACCEL_REDIRECT_PREFIX: PREFIX });
  const proxied = await startNginxFront(ctx.tempDir, 'nginx-proxied', { upstream: moviedash.target.baseUrl, videoDir: moviedash.videoDir, streamLimits: LIFTED_LIMITS });
  const accel = await startNginxFront(ctx.tempDir, 'nginx-accel', { upstream: twin.baseUrl, accelPrefix: PREFIX, videoDir: moviedash.videoDir, streamLimits: LIFTED_LIMITS });
  try {
    const setups = [
      { name: DIRECT, url: (file: 'small' | 'large') => nginx.fileUrl[file]!, pids: nginx.pids },
      { name: PROXIED, url: (file: 'small' | 'large') => `${proxied.baseUrl}/videos/${moviedash.videoIds[file]}`, pids: () => [...proxied.pids(), ...moviedash.target.pids()] },
      { name: ACCEL, url: (file: 'small' | 'large') => `${accel.baseUrl}/videos/${moviedash.videoIds[file]}`, pids: () => [...accel.pids(), ...twin.pids()] },
    ];
    const { ranges, probes } = await rangesAndProbes(ctx, setups);
    const rows = [
      ...compare(ranges, '1 MiB ranges, c=32', { direct: 0.9, proxied: 1.5 }),
      ...compare(probes, '64 KiB probes, c=64', null),
    ];
    return {
      id: 'I',
      title: 'behind nginx: X-Accel-Redirect vs proxied bytes vs nginx alone',
      rows: noteGaps(rows, new Map([...ranges, ...probes]), {}),
      raw: { ranges: Object.fromEntries(ranges), probes: Object.fromEntries(probes) },
    };
  } finally {
    await accel.stop();
    await proxied.stop();
    await twin.stop();
  }
}

/** The X-Accel-Redirect setup against nginx alone and against the proxied setup; goals are wanted ratios. */
function compare(results: Map<string, Measured>, load: string, goals: { direct: number; proxied: number } | null): Row[] {
  const rps = (name: string) => figureOf(results, name, (m) => m.reqPerS);
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const cpu = (name: string) => figureOf(results, name, (m) => m.cpuUsPerReq);
  return [
    versus('I', `X-Accel-Redirect, ${load}`, 'req/s', rps(ACCEL), DIRECT, rps(DIRECT), goals && { atLeast: goals.direct }),
    versus('I', `X-Accel-Redirect, ${load}`, 'req/s', rps(ACCEL), PROXIED, rps(PROXIED), goals && { atLeast: goals.proxied }),
    versus('I', `X-Accel-Redirect p99, ${load}`, 'ms', p99(ACCEL), PROXIED, p99(PROXIED), null),
    versus('I', `X-Accel CPU/request (nginx + app), ${load}`, 'us', cpu(ACCEL), PROXIED, cpu(PROXIED), null),
  ];
}
