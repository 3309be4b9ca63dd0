// `node dist/main.js user add NAME`: creates an account from the server's machine, whatever SIGNUP says.
// The password is the first line of stdin, so it never shows in `ps` or the shell's history.
import type { Readable } from 'node:stream';
import { hashPassword } from '../auth/passwords.js';
import { openDatabase } from '../db/open.js';
import { createUsersTable, UserNameTakenError } from '../db/users.js';
import { validateCredentials } from '../http/validate.js';

// Far above the longest password (256 characters of up to 4 bytes): more is not a password.
const MAX_LINE_BYTES = 4096;

export async function addUser(dataDir: string, userName: string, stdin: Readable): Promise<string> {
  const credentials = validateCredentials({ user_name: userName, pwd: await readFirstLine(stdin) });
  const pwdHash = await hashPassword(credentials.pwd);
  const db = openDatabase(dataDir);
  try {
    createUsersTable(db).insert(credentials.userName, pwdHash, Date.now());
  } catch (error) {
    if (error instanceof UserNameTakenError) throw new Error(`User name ${userName} is taken`, { cause: error });
    throw error;
  } finally {
    db.close();
  }
  return `created user ${credentials.userName}`;
}

async function readFirstLine(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer>) {
    const newline = chunk.indexOf(0x0a);
    chunks.push(newline === -1 ? chunk : chunk.subarray(0, newline));
    length += chunk.length;
    if (newline !== -1 || length > MAX_LINE_BYTES) break;
  }
  if (length === 0) throw new Error('Invalid pwd: give the password on stdin (one line)');
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '').slice(0, MAX_LINE_BYTES);
}
