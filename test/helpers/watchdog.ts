// An event-loop watchdog for hostile-input tests: while an attack runs, GET /healthz goes to the real
// server one request after another, and the slowest round trip says how long its event loop was blocked.
import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import type { TestServer } from './server.js';

/** The contract's bar: a concurrent /healthz answers within this while any one request is being handled. */
export const EVENT_LOOP_BUDGET_MS = 200;

/** Pause between probes, so the probes themselves are not a load. */
const PROBE_GAP_MS = 10;

export interface WatchReport<T> {
  /** What the attack resolved with. */
  result: T;
  /** The slowest /healthz round trip that overlapped the attack. */
  worstMs: number;
  /** Probes answered while the attack ran. */
  probes: number;
}

/** Runs attack while probing /healthz over one kept-alive connection (so no connect time is measured). */
export async function watchHealthz<T>(server: TestServer, attack: () => Promise<T>): Promise<WatchReport<T>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // A first probe opens the connection before the attack starts.
    await probe(server, agent);
    let isAttacking = true;
    let worstMs = 0;
    let probes = 0;
    const probing = (async () => {
      while (isAttacking) {
        const ms = await probe(server, agent);
        worstMs = Math.max(worstMs, ms);
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
    return { result, worstMs, probes };
  } finally {
    agent.destroy();
  }
}

/** Fails naming the stall when the worst probe took EVENT_LOOP_BUDGET_MS or more. */
export function assertResponsive(report: WatchReport<unknown>, what: string): void {
  assert.ok(report.probes > 0, `no /healthz probe ran during ${what}`);
  assert.ok(report.worstMs < EVENT_LOOP_BUDGET_MS, `GET /healthz took ${Math.round(report.worstMs)} ms during ${what}`);
}

function probe(server: TestServer, agent: Agent): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: server.port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.once('end', () => {
        if (res.statusCode === 200) resolve(performance.now() - started);
        else reject(new Error(`GET /healthz answered ${res.statusCode}`));
      });
    }).once('error', reject);
  });
}
