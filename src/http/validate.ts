// Validators turn an untrusted JSON object or query into typed values, or throw 011 naming the field.
import { invalidField } from './errors.js';
import type { JsonObject } from './json-body.js';

const USER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
// A lone UTF-16 surrogate (JSON allows "\ud800"): SQLite's UTF-8 would store it as U+FFFD, changing the text.
const LONE_SURROGATE = /\p{Cs}/u;

export interface Credentials {
  userName: string;
  pwd: string;
}

function stringField(body: JsonObject, field: string): string {
  const value = body[field];
  if (value === undefined) throw invalidField(field, 'is required');
  if (typeof value !== 'string') throw invalidField(field, 'must be a string');
  if (LONE_SURROGATE.test(value)) throw invalidField(field, 'must be valid Unicode text');
  return value;
}

function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export function validateUserName(value: string): string {
  if (!USER_NAME.test(value)) throw invalidField('user_name', 'must be 1-64 letters, digits, "_", "." or "-"');
  // Clients resolve /user/.. and /user/. as path segments before sending, so such a user could not be reached.
  if (value === '.' || value === '..') throw invalidField('user_name', 'must not be "." or ".."');
  return value;
}

export function validatePwd(body: JsonObject): string {
  const pwd = stringField(body, 'pwd');
  const length = charCount(pwd);
  if (length < 8 || length > 256) throw invalidField('pwd', 'must be 8-256 characters');
  return pwd;
}

export function validateCredentials(body: JsonObject): Credentials {
  return { userName: validateUserName(stringField(body, 'user_name')), pwd: validatePwd(body) };
}

function trimmedText(body: JsonObject, field: string, max: number): string {
  const text = stringField(body, field).trim();
  if (text.length === 0 || charCount(text) > max) throw invalidField(field, `must be 1-${max} characters after trimming`);
  if (text.includes('\0')) throw invalidField(field, 'must not contain NUL characters');
  return text;
}

export function validateVideoName(body: JsonObject): string {
  return trimmedText(body, 'name', 200);
}

const MAX_DESCRIPTION_CHARS = 5000;

/** Optional; trimmed, 0-5000 characters. */
function videoDescription(body: JsonObject): string | undefined {
  if (body.description === undefined) return undefined;
  const text = stringField(body, 'description').trim();
  if (charCount(text) > MAX_DESCRIPTION_CHARS) throw invalidField('description', `must be at most ${MAX_DESCRIPTION_CHARS} characters`);
  if (text.includes('\0')) throw invalidField('description', 'must not contain NUL characters');
  return text;
}

export interface NewVideo {
  name: string;
  description: string;
}

export function validateNewVideo(body: JsonObject): NewVideo {
  return { name: validateVideoName(body), description: videoDescription(body) ?? '' };
}

/** PATCH: name and/or description, each validated as at creation; at least one of them. */
export function validateVideoChanges(body: JsonObject): Partial<NewVideo> {
  if (body.name === undefined && body.description === undefined) throw invalidField('body', 'must have "name", "description" or both');
  const changes: Partial<NewVideo> = {};
  if (body.name !== undefined) changes.name = validateVideoName(body);
  const description = videoDescription(body);
  if (description !== undefined) changes.description = description;
  return changes;
}

const MAX_QUERY_CHARS = 200;
// Letters, digits, combining marks and private-use characters make words (as in FTS5's unicode61 tokenizer);
// everything else separates them, so no FTS5 operator or quote survives into the query.
const QUERY_WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

// bm25 counts the videos holding each word of a query on every search: about 1.7 ms per common word over 100k
// videos, so "a a a ..." (100 words in 200 characters) held the event loop 180 ms. A word repeated adds nothing
// to what is found, and past MAX_QUERY_WORDS (8 common words: 14 ms) the middle ones are left out.
const MAX_QUERY_WORDS = 8;

/**
 * `?q=`: undefined when absent, else its words (400 when it has none or is over 200 characters): each once
 * (in any case), at most MAX_QUERY_WORDS, the last one (a prefix, maybe still being typed) always last.
 */
export function validateSearchQuery(query: URLSearchParams): string[] | undefined {
  const q = query.get('q');
  if (q === null) return undefined;
  if (charCount(q) > MAX_QUERY_CHARS) throw invalidField('q', `must be at most ${MAX_QUERY_CHARS} characters`);
  const words = q.match(QUERY_WORD);
  if (!words) throw invalidField('q', 'must have at least one letter or digit');
  const seen = new Set<string>();
  // From the end, so that of a repeated word the last one, which may be the prefix, is the one kept.
  const distinct = words.reverse().filter((word) => {
    const folded = word.toLowerCase();
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  }).reverse();
  return distinct.length <= MAX_QUERY_WORDS ? distinct : [...distinct.slice(0, MAX_QUERY_WORDS - 1), distinct.at(-1)!];
}

export function validateCommentContent(body: JsonObject): string {
  return trimmedText(body, 'content', 2000);
}

export interface PageQuery {
  limit: number;
  cursor: string | undefined;
}

export const DEFAULT_PAGE_LIMIT = 50;

export function validatePageQuery(query: URLSearchParams): PageQuery {
  const rawLimit = query.get('limit');
  let limit = DEFAULT_PAGE_LIMIT;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100) throw invalidField('limit', 'must be a whole number from 1 to 100');
  }
  const cursor = query.get('cursor');
  return { limit, cursor: cursor === null || cursor === '' ? undefined : cursor };
}
