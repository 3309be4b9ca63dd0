// moviedash as an operator runs it (node dist/main.js, access log to a file), on temp dirs, set up through
// its API: a user, the videos, their files (uploaded with PUT /upload when that route exists) and comments.
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DB_FILE } from '../../src/db/open.js';
import type { Fixture, Fixtures } from '../lib/fixtures.js';
import { expectStatus, requestJson } from '../lib/http.js';
import { processTree } from '../lib/memory.js';
import { describeExit, hasExited, spawnTracked, stopTracked } from '../lib/procs.js';
import { uploadWithCurl } from '../lib/upload.js';
import { fileReader, waitForPort } from './listening.js';
import { registerFile, seedComments, seedSearchVideos, withDatabase, type SearchQueries } from './moviedash-seed.js';
import type { Target } from './target.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/main.js');
const USER = { name: 'bench', pwd: 'bench-password' };
const LIFTED_LIMITS = {
  AUTH_RATE_PER_MIN: '1000000',
  STREAMS_PER_CLIENT: '100000',
  COMMENT_RATE_PER_MIN: '1000000',
  MAX_PENDING_VIDEOS: '1000000',
  MAX_UPLOADS_PER_USER: '1000',
};

export interface Moviedash {
  target: Target;
  sid: string;
  userName: string;
  features: { stream: boolean; upload: boolean };
  /** How the stream scenarios' files got in: through PUT /upload, or hard-linked and marked ready in the DB. */
  registeredBy: 'PUT /upload' | 'file link + UPDATE video_info';
  /** Videos with 1k and 1M comments and a cursor to the middle of each list (scenario G), when seeded. */
  deepList: { url1k: string; url1M: string; cursor1k: string; cursor1M: string } | null;
  /** The queries over the 100k seeded ready videos (scenario S), when seeded. */
  search: SearchQueries | null;
  /** A copy of the seeded database for the Fastify twin, and the video with 20 comments. */
  twinDb: { path: string; commentsVideoId: string };
  /** A fresh process on the same port and data, for memory figures that must not inherit earlier loads. */
  restart(): Promise<void>;
  /** A second process on the same data with more settings (ACCEL_REDIRECT_PREFIX), on a port of its own. */
  startTwin(name: string, env: Record<string, string>): Promise<Twin>;
  /** Another moviedash on data of its own (STORAGE=s3: its rows must not name a bucket in this one's database). */
  startOther(name: string, env: Record<string, string>): Promise<Twin>;
  videoDir: string;
  /** The ids of the 64 MiB and the 1 GiB video. */
  videoIds: { small: string; large: string };
  isRunning(): boolean;
  createVideo(name: string): Promise<string>;
  deleteVideo(id: string): Promise<void>;
}

interface Process {
  child: ChildProcess;
  baseUrl: string;
}

export interface Twin {
  baseUrl: string;
  pids(): number[];
  stop(): Promise<void>;
}

async function launch(dir: string, profileDir: string | null, port = 0, twin?: { name: string; env: Record<string, string> }): Promise<Process> {
  const logPath = join(dir, twin ? `${twin.name}.log` : 'server.log');
  const output = fileReader(logPath);
  const log = openSync(logPath, 'a');
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawnTracked(process.execPath, [...nodeFlags, MAIN], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      PORT: String(port),
      OPERATOR_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      VIDEO_DIR: join(dir, 'videos'),
      STREAM_MAX_CONNS: process.env.STREAM_MAX_CONNS ?? '10000',
      // Every load comes from 127.0.0.1 and one account: the per-client and per-account limits would measure
      // themselves, not the server.
      ...LIFTED_LIMITS,
      ...twin?.env,
    },
  });
  const chosen = await waitForPort(child, output, 'moviedash');
  return { child, baseUrl: `http://127.0.0.1:${chosen}` };
}

/** Ready videos seeded for scenario S. */
export const SEARCH_VIDEOS = 100_000;

export async function prepareMoviedash(
  tempDir: string,
  fixtures: Fixtures,
  options: { deepList: boolean; search: boolean; profileDir: string | null; log: (line: string) => void },
): Promise<Moviedash> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm run bench does)`);
  const dir = join(tempDir, 'moviedash');
  mkdirSync(dir, { recursive: true });
  let server = await launch(dir, options.profileDir);
  const api = (path: string) => `${server.baseUrl}${path}`;

  const { session_id: sid } = expectStatus(await requestJson(api('/user'), 'POST', { body: { user_name: USER.name, pwd: USER.pwd } }), 201, 'sign up').body;
  const userId: number = expectStatus(await requestJson(api(`/user/${USER.name}`), 'GET', { sid }), 200, 'get user').body.id;
  const createVideo = async (name: string): Promise<string> =>
    expectStatus(await requestJson(api(`/user/${USER.name}/videos`), 'POST', { sid, body: { name } }), 201, 'create video').body.id;
  const ids = { small: await createVideo('64 MiB'), large: await createVideo('1 GiB') };
  const lists = options.deepList ? { v1k: await createVideo('1k comments'), v1M: await createVideo('1M comments') } : null;

  const upload = await hasUploadRoute(server.baseUrl, ids.small, sid);
  const uploaded = new Set<string>();
  if (upload) {
    for (const [id, fixture] of [[ids.small, fixtures.small], [ids.large, fixtures.large]] as const) {
      const result = await uploadWithCurl(api(`/upload/${id}`), fixture.path, { 'X-Session-Id': sid });
      if (result.status === 201) uploaded.add(id);
      else options.log(`PUT /upload of ${fixture.name} answered ${result.status} ${result.body}; registering it in the DB instead`);
    }
  }

  await stopTracked(server.child);
  const dataDir = join(dir, 'data');
  let deepList: Moviedash['deepList'] = null;
  let search: SearchQueries | null = null;
  withDatabase(dataDir, (db) => {
    for (const [id, fixture] of [[ids.small, fixtures.small], [ids.large, fixtures.large]] as [string, Fixture][]) {
      if (!uploaded.has(id)) registerFile(db, join(dir, 'videos'), id, fixture);
    }
    seedComments(db, ids.small, userId, 20);
    if (lists) {
      const started = Date.now();
      const cursor1k = seedComments(db, lists.v1k, userId, 1000);
      const cursor1M = seedComments(db, lists.v1M, userId, 1_000_000);
      options.log(`inserted 1k + 1M comments for scenario G in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      deepList = { url1k: `/videos/${lists.v1k}/comments`, url1M: `/videos/${lists.v1M}/comments`, cursor1k, cursor1M };
    }
    if (options.search) {
      const started = Date.now();
      search = seedSearchVideos(db, userId, SEARCH_VIDEOS);
      options.log(`inserted ${SEARCH_VIDEOS} ready videos for scenario S in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  });
  const twinDbPath = join(tempDir, 'fastify-twin.db');
  copyFileSync(join(dataDir, DB_FILE), twinDbPath);

  server = await launch(dir, options.profileDir);
  const stream = await hasStreamRoute(api(`/videos/${ids.small}`));
  return {
    target: {
      name: 'moviedash',
      baseUrl: server.baseUrl,
      fileUrl: { small: stream ? api(`/videos/${ids.small}`) : null, large: stream ? api(`/videos/${ids.large}`) : null },
      commentsUrl: api(`/videos/${ids.small}/comments`),
      putUrl: null,
      pids: () => processTree(server.child.pid!),
      diagnose: () => `${describeExit(server.child)}; last lines of ${join(dir, 'server.log')} other than access lines:\n${tailOfLog(join(dir, 'server.log'))}`,
      stop: () => stopTracked(server.child),
    },
    sid,
    userName: USER.name,
    features: { stream, upload },
    registeredBy: uploaded.size === 2 ? 'PUT /upload' : 'file link + UPDATE video_info',
    deepList,
    search,
    twinDb: { path: twinDbPath, commentsVideoId: ids.small },
    async restart() {
      await stopTracked(server.child);
      server = await launch(dir, options.profileDir, Number(new URL(server.baseUrl).port));
    },
    isRunning: () => !hasExited(server.child),
    async startTwin(name, env) {
      const twin = await launch(dir, null, 0, { name, env });
      return { baseUrl: twin.baseUrl, pids: () => processTree(twin.child.pid!), stop: () => stopTracked(twin.child) };
    },
    async startOther(name, env) {
      const otherDir = join(tempDir, name);
      mkdirSync(otherDir, { recursive: true });
      const other = await launch(otherDir, null, 0, { name, env });
      return { baseUrl: other.baseUrl, pids: () => processTree(other.child.pid!), stop: () => stopTracked(other.child) };
    },
    videoDir: join(dir, 'videos'),
    videoIds: ids,
    createVideo,
    async deleteVideo(id) {
      expectStatus(await requestJson(api(`/user/${USER.name}/videos/${id}`), 'DELETE', { sid }), 204, 'delete video');
    },
  };
}

/** The last lines of the log that are not access-log lines (they would hide the one error that matters). */
function tailOfLog(path: string): string {
  const access = /^\S+ (GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) \S+ \d{3} /;
  return readFileSync(path, 'utf8').split('\n').filter((line) => line && !access.test(line)).slice(-30).join('\n');
}

/** Without the route the router answers 404 "No such route"; with it, an empty body is some other refusal. */
async function hasUploadRoute(baseUrl: string, videoId: string, sid: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/upload/${videoId}`, { method: 'PUT', headers: { 'X-Session-Id': sid }, body: '' });
  const body = await res.text();
  return !(res.status === 404 && body.includes('No such route'));
}

async function hasStreamRoute(url: string): Promise<boolean> {
  const res = await fetch(url, { headers: { Range: 'bytes=0-0' } });
  await res.arrayBuffer();
  return res.status === 206;
}
