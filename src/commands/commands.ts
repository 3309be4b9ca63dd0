// The operator's subcommands (`node dist/main.js backup FILE`, `user add NAME`, `storage migrate`) as data: the words that
// name each, its arguments, and what it does. Options (--data-dir ...) follow the arguments and parse as usual.
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { backupDatabase } from './backup.js';
import { migrateStorage } from './storage-migrate.js';
import { addUser } from './user-add.js';

export interface Command {
  /** The words that name it: ['backup'], ['user', 'add']. */
  words: readonly string[];
  /** Its arguments' names, for --help and errors. */
  args: readonly string[];
  help: string;
  /** Resolves with the line to print on success; throws an Error whose message is the line to print. */
  run(config: Config, args: readonly string[]): Promise<string>;
}

export const COMMANDS: readonly Command[] = [
  {
    words: ['backup'],
    args: ['FILE'],
    help: 'write a consistent copy of the database to FILE, safe while the server runs',
    run: (config, [file]) => backupDatabase(config.dataDir, file!),
  },
  {
    words: ['user', 'add'],
    args: ['NAME'],
    help: 'create an account (also with SIGNUP=closed); the password is read from stdin',
    run: (config, [name]) => addUser(config.dataDir, name!, process.stdin),
  },
  {
    words: ['storage', 'migrate'],
    args: [],
    help: 'move the video files and posters in VIDEO_DIR into the S3 bucket (STORAGE=s3 and S3_*), one line per file; safe to stop and run again',
    run: (config) => migrateStorage(config, (line) => process.stdout.write(`${line}\n`)),
  },
];

export interface Invocation {
  /** Undefined: serve the site. */
  command: Command | undefined;
  args: string[];
  /** What is left for loadConfig: --flags and their values. */
  options: string[];
}

/** Splits argv into a subcommand with its arguments, and the options after them. */
export function parseInvocation(argv: readonly string[]): Invocation {
  if (argv.length === 0 || argv[0]!.startsWith('-')) return { command: undefined, args: [], options: [...argv] };
  const command = COMMANDS.find((candidate) => candidate.words.every((word, i) => argv[i] === word));
  if (!command) throw new ConfigError(`Unknown command ${JSON.stringify(argv.slice(0, 2).join(' '))} (see --help)`);
  const rest = argv.slice(command.words.length);
  const args = rest.slice(0, command.args.length);
  if (args.length < command.args.length || args.some((arg) => arg.startsWith('-'))) {
    throw new ConfigError(`Usage: ${usageOf(command)}`);
  }
  return { command, args, options: rest.slice(command.args.length) };
}

export function usageOf(command: Command): string {
  return `node dist/main.js ${[...command.words, ...command.args].join(' ')} [options]`;
}
