// Runs `node dist/main.js COMMAND ...` (or the sources, see MAIN_ARGS) as an operator would, with the server's directories.
import { spawn } from 'node:child_process';
import { MAIN_ARGS, ROOT } from '../helpers/server.js';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCommand(args: readonly string[], env: Record<string, string>, stdin = ''): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...MAIN_ARGS, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
  });
}
