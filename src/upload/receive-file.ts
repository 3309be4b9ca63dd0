// One uploaded file's bytes on their way into storage (VIDEO_DIR or a bucket): counted against a limit and
// sniffed from the first bytes before anything is stored, so a file too big or of the wrong type is refused early.
import { invalidField, tooLarge, unsupportedMedia, type HttpError } from '../http/errors.js';
import type { Storage, StoredObject } from '../storage/storage.js';
import { SNIFF_BYTES, type SniffResult } from './sniff-container.js';

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

export interface StoredUpload {
  file: ReceivedFile;
  /** The object as the storage reports it once complete (its size and mtime). */
  stored: StoredObject;
}

export interface StoreOptions {
  signal?: AbortSignal;
  /** Runs once every byte has arrived and before the object completes: throwing stores nothing (a quota that settles). */
  beforeEnd?: (file: ReceivedFile) => void;
}

/**
 * Streams source into the object at key, sniffed before its first byte is stored, or rejects with 400/413/415
 * (or what beforeEnd throws) and leaves nothing stored: an object key held before is kept.
 */
export async function storeFile(storage: Storage, key: string, source: AsyncIterable<Buffer>, rules: FileRules, options: StoreOptions = {}): Promise<StoredUpload> {
  const file: ReceivedFile = { size: 0, mime: '' };
  const stored = await storage.put(key, endChecked(checkedBytes(source, rules, file), () => options.beforeEnd?.(file)), {
    maxBytes: rules.maxBytes,
    signal: options.signal,
    contentType: () => file.mime,
  });
  return { file, stored };
}

async function* endChecked(source: AsyncIterable<Buffer>, check: () => void): AsyncGenerator<Buffer> {
  yield* source;
  check();
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
