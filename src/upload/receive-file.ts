// One uploaded file's bytes on their way to disk: counted against a limit and sniffed from the first
// bytes before anything is written, so a file too big or of the wrong type is refused early.
import { invalidField, tooLarge, unsupportedMedia, type HttpError } from '../http/errors.js';
import { SNIFF_BYTES, type SniffResult } from './sniff-container.js';
import { writeNewFile } from './temp-file.js';

export interface FileRules {
  /** The form field (or the body) the file came in, named by errors. */
  field: string;
  maxBytes: number;
  sniff: (head: Buffer, isFinal: boolean) => SniffResult;
  /** For the 415 message: what was expected. */
  expected: string;
}

export interface ReceivedFile {
  size: number;
  mime: string;
}

export function fileTooLarge(rules: FileRules): HttpError {
  return tooLarge(`Invalid ${rules.field}: must be at most ${formatBytes(rules.maxBytes)}`);
}

export function notOfType(rules: FileRules): HttpError {
  return unsupportedMedia(`Invalid ${rules.field}: must be ${rules.expected}`);
}

/** Writes source to a new file at tempPath (fsynced), or rejects with 400/413/415 and leaves nothing behind. */
export async function receiveFile(source: AsyncIterable<Buffer>, tempPath: string, rules: FileRules, signal?: AbortSignal): Promise<ReceivedFile> {
  const received: ReceivedFile = { size: 0, mime: '' };
  await writeNewFile(checkedBytes(source, rules, received), tempPath, signal);
  return received;
}

/** Passes source through once its type is known; sets into.size and into.mime as it goes. */
async function* checkedBytes(source: AsyncIterable<Buffer>, rules: FileRules, into: ReceivedFile): AsyncGenerator<Buffer> {
  const head: Buffer[] = [];
  for await (const chunk of source) {
    into.size += chunk.length;
    if (into.size > rules.maxBytes) throw fileTooLarge(rules);
    if (into.mime !== '') {
      yield chunk;
      continue;
    }
    head.push(chunk);
    const start = Buffer.concat(head, into.size);
    const verdict = rules.sniff(start, into.size >= SNIFF_BYTES);
    if (verdict.kind === 'need-more') continue;
    into.mime = mimeOf(verdict, rules);
    yield start;
  }
  if (into.size === 0) throw invalidField(rules.field, 'must not be empty');
  if (into.mime === '') {
    const start = Buffer.concat(head, into.size);
    into.mime = mimeOf(rules.sniff(start, true), rules);
    yield start;
  }
}

function mimeOf(verdict: SniffResult, rules: FileRules): string {
  if (verdict.kind !== 'match') throw notOfType(rules);
  return verdict.mime;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
