// An event-loop watchdog for hostile-input tests: while an attack runs, GET /healthz goes to the real
// server one request after another, and the slowest round trip says how long its event loop was blocked.
//
// The test machine is shared: a round trip also stretches while the kernel runs other processes instead of
// the server or this test. That time is measured (/proc/PID/schedstat: time runnable but not running) and
// taken off, so what is judged is time the server's event loop spent busy or blocked, never the neighbours'.
import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { threadTimes } from './schedstat.js';
import type { TestServer } from './server.js';

/** The contract's bar: a concurrent /healthz answers within this while any one request is being handled. */
export const EVENT_LOOP_BUDGET_MS = 200;

/** Pause between probes, so the probes themselves are not a load. */
const PROBE_GAP_MS = 10;

export interface WatchReport<T> {
  /** What the attack resolved with. */
  result: T;
  /** The slowest /healthz round trip that overlapped the attack, less the time either side waited for a CPU. */
  worstMs: number;
  /** The same probe's round trip on the wall clock. */
  worstWallMs: number;
  /** Probes answered while the attack ran. */
  probes: number;
}

interface Probe {
  ms: number;
  wallMs: number;
}

/** Runs attack while probing /healthz over one kept-alive connection (so no connect time is measured). */
export async function watchHealthz<T>(server: TestServer, attack: () => Promise<T>): Promise<WatchReport<T>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // A first probe opens the connection before the attack starts.
    await probe(server, agent);
    let isAttacking = true;
    let worst: Probe = { ms: 0, wallMs: 0 };
    let probes = 0;
    const probing = (async () => {
      while (isAttacking) {
        const timed = await probe(server, agent);
        if (timed.ms > worst.ms) worst = timed;
        probes++;
        await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
      }
    })();
    let result: T;
    try {
      result = await attack();
    } finally {
      isAttacking = false;
      // The probe in flight when the attack ended may be the one that waited out a stall.
      await probing;
    }
    return { result, worstMs: worst.ms, worstWallMs: worst.wallMs, probes };
  } finally {
    agent.destroy();
  }
}

/** Fails naming the stall when the worst probe took EVENT_LOOP_BUDGET_MS or more. */
export function assertResponsive(report: WatchReport<unknown>, what: string): void {
  assert.ok(report.probes > 0, `no /healthz probe ran during ${what}`);
  assert.ok(
    report.worstMs < EVENT_LOOP_BUDGET_MS,
    `GET /healthz took ${Math.round(report.worstMs)} ms (${Math.round(report.worstWallMs)} ms on the wall clock) during ${what}`,
  );
}

/** Milliseconds the server's and this process's main threads have waited for a CPU so far (0 without /proc). */
function waitedForCpuMs(server: TestServer): number {
  return (threadTimes(server.pid)?.waitMs ?? 0) + (threadTimes()?.waitMs ?? 0);
}

function probe(server: TestServer, agent: Agent): Promise<Probe> {
  const started = performance.now();
  const waitedBefore = waitedForCpuMs(server);
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: server.port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.once('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET /healthz answered ${res.statusCode}`));
        const wallMs = performance.now() - started;
        resolve({ ms: Math.max(0, wallMs - (waitedForCpuMs(server) - waitedBefore)), wallMs });
      });
    }).once('error', reject);
  });
}
