// O: STORAGE=s3 against a throw-away radosgw on this machine (test/s3/radosgw.sh; objects in RAM, memstore of
// RADOSGW_MEMSTORE_MB, 2048 by default): a 1 GiB upload into the bucket (MiB/s, and how far the server's memory
// rises: parts are streamed, never the whole file), then streams proxied from the bucket (B's random 1 MiB ranges,
// C's 64 KiB probes) against the same streams from the local disk, in turns in the same run.
import { startRadosgw } from '../../test/s3/radosgw.js';
import { MiB } from '../lib/fixtures.js';
import { expectStatus, requestJson } from '../lib/http.js';
import { readMemory, resetPeak } from '../lib/memory.js';
import { absolute, versus, type Row } from '../lib/rows.js';
import { uploadWithCurl } from '../lib/upload.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { rangesAndProbes } from './ranges-and-probes.js';
import { figureOf, noteGaps, type Measured } from './round-robin.js';

const LOCAL = 'moviedash, local disk';
const PROXY = 'moviedash, S3 proxy';

export async function objectStorage(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { moviedash, fixtures } = ctx;
  if (!moviedash.features.stream || !moviedash.features.upload) throw new Error('scenario O needs the stream and upload routes');
  ctx.log('  starting radosgw');
  const radosgw = await startRadosgw({ RADOSGW_MEMSTORE_MB: process.env.RADOSGW_MEMSTORE_MB ?? '2048' });
  try {
    const s3 = await moviedash.startOther('moviedash-s3', { ...radosgw.env, STORAGE: 's3', S3_PREFIX: 'bench' });
    try {
      const api = (path: string) => `${s3.baseUrl}${path}`;
      const { session_id: sid } = expectStatus(await requestJson(api('/user'), 'POST', { body: { user_name: 'bench', pwd: 'bench-password' } }), 201, 'sign up').body;
      const createVideo = async (name: string): Promise<string> =>
        expectStatus(await requestJson(api('/user/bench/videos'), 'POST', { sid, body: { name } }), 201, 'create video').body.id;
      const ids = { small: await createVideo('64 MiB'), large: await createVideo('1 GiB') };
      const small = await uploadWithCurl(api(`/upload/${ids.small}`), fixtures.small.path, { 'X-Session-Id': sid });
      if (small.status !== 201) throw new Error(`PUT /upload of the 64 MiB file into the bucket answered ${small.status}: ${small.body}`);

      const before = readMemory(s3.pids());
      resetPeak(s3.pids());
      const large = await uploadWithCurl(api(`/upload/${ids.large}`), fixtures.large.path, { 'X-Session-Id': sid });
      if (large.status !== 201) throw new Error(`PUT /upload of the 1 GiB file into the bucket answered ${large.status}: ${large.body}`);
      const growthMiB = readMemory(s3.pids()).peakMiB - before.rssMiB;
      const uploadMiBPerS = large.bytes / MiB / large.seconds;
      ctx.log(`  1 GiB into the bucket: ${uploadMiBPerS.toFixed(0)} MiB/s, RSS ${before.rssMiB.toFixed(0)} MiB -> peak +${growthMiB.toFixed(0)} MiB`);
      const localMiBPerS = await localUploadRate(ctx);
      ctx.log(`  1 GiB onto the local disk: ${localMiBPerS.toFixed(0)} MiB/s`);

      const setups = [
        { name: LOCAL, url: (file: 'small' | 'large') => moviedash.target.fileUrl[file]!, pids: moviedash.target.pids },
        { name: PROXY, url: (file: 'small' | 'large') => api(`/videos/${ids[file]}`), pids: s3.pids },
      ];
      const { ranges, probes } = await rangesAndProbes(ctx, setups);
      const rows: Row[] = [
        versus('O', '1 GiB upload into the bucket', 'MiB/s', uploadMiBPerS, 'onto the local disk', localMiBPerS, null),
        absolute('O', 'RSS growth of that upload (peak - before)', 'MiB', growthMiB, { atMost: 100 }),
        ...compare(ranges, '1 MiB ranges, c=32'),
        ...compare(probes, '64 KiB probes, c=64'),
      ];
      return {
        id: 'O',
        title: 'STORAGE=s3 on radosgw: a 1 GiB upload, and streams proxied from the bucket vs from the local disk',
        rows: noteGaps(rows, new Map([...ranges, ...probes]), {}),
        raw: { upload: { mibPerS: uploadMiBPerS, localMiBPerS, rssBeforeMiB: before.rssMiB, growthMiB }, ranges: Object.fromEntries(ranges), probes: Object.fromEntries(probes) },
      };
    } finally {
      await s3.stop();
    }
  } finally {
    await radosgw.stop();
  }
}

/** The same upload to the moviedash that stores on the local disk (its file removed after). */
async function localUploadRate(ctx: ScenarioContext): Promise<number> {
  const { moviedash } = ctx;
  const id = await moviedash.createVideo('1 GiB, local');
  const result = await uploadWithCurl(`${moviedash.target.baseUrl}/upload/${id}`, ctx.fixtures.large.path, { 'X-Session-Id': moviedash.sid });
  if (result.status !== 201) throw new Error(`PUT /upload of the 1 GiB file onto the local disk answered ${result.status}: ${result.body}`);
  await moviedash.deleteVideo(id);
  return result.bytes / MiB / result.seconds;
}

/** The proxy from the bucket against the local disk: one more hop, and radosgw on the same two cores. */
function compare(results: Map<string, Measured>, load: string): Row[] {
  const rps = (name: string) => figureOf(results, name, (m) => m.reqPerS);
  const p99 = (name: string) => figureOf(results, name, (m) => m.p99Ms);
  const cpu = (name: string) => figureOf(results, name, (m) => m.cpuUsPerReq);
  return [
    versus('O', `S3 proxy, ${load}`, 'req/s', rps(PROXY), LOCAL, rps(LOCAL), null),
    versus('O', `S3 proxy p99, ${load}`, 'ms', p99(PROXY), LOCAL, p99(LOCAL), null),
    versus('O', `S3 proxy server CPU/request, ${load}`, 'us', cpu(PROXY), LOCAL, cpu(LOCAL), null),
  ];
}
