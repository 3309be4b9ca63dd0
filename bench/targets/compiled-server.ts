// The reference servers of bench/servers/, compiled to plain JS once per run (a TypeScript loader would add a
// thread and ~40 MiB to their memory figures) and started as plain node processes.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCommand, spawnTracked } from '../lib/procs.js';
import { waitForPort } from './listening.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let compiled: Promise<unknown> | undefined;

export interface CompiledServer {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it printed so far. */
  output(): string;
}

/** name: the file's name in bench/servers/ without .ts; it must print "listening on http://HOST:PORT". */
export async function startCompiledServer(name: string, env: NodeJS.ProcessEnv): Promise<CompiledServer> {
  compiled ??= runCommand(`${ROOT}node_modules/.bin/tsc`, ['-p', 'bench/servers/tsconfig.json'], { cwd: ROOT });
  await compiled;
  const child = spawnTracked(process.execPath, [`bench/.build/servers/${name}.js`], { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const port = await waitForPort(child, () => output, name);
  return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output };
}
