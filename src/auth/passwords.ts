// Passwords are stored only as `scrypt$N$r$p$salt$hash`. Hashing runs on libuv's thread pool, never
// on the event loop, and every check costs the same whether or not the user exists.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { tooManyAttempts } from '../http/errors.js';
import { Limiter, loadOf, NEVER_ABORTED } from '../stream/limiter.js';
import { THREAD_POOL_SIZE } from '../thread-pool.js';

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const PARAMS = { N: 16384, r: 8, p: 1 } as const;

/**
 * libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default) also runs every file read, open and write, so scrypt
 * may hold at most half of it; and at most half the cores, so the event loop keeps its share of the CPU. The
 * other hashes wait in line (FIFO) for up to HASH_WAIT_MS, then get 429. Measured on 2 cores with 100
 * concurrent bad sign-ins (bench scenario I): a 64 KiB range read waited 3.7 s and more with no bound, its p99
 * rose by ~55 ms with 2 hashes at once and by 17-45 ms with 1.
 */
export const HASHING_SLOTS = Math.max(1, Math.min(Math.floor(THREAD_POOL_SIZE / 2), Math.floor(availableParallelism() / 2)));
const HASH_WAIT_MS = 30_000;
const hashing = new Limiter(HASHING_SLOTS);

/** For /metrics: password hashes running on the thread pool, and those waiting for a slot. */
export const passwordChecks = loadOf(hashing);

async function derive(pwd: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const slot = hashing.tryAcquire() ?? (await hashing.acquire(NEVER_ABORTED, HASH_WAIT_MS));
  if (!slot) throw tooManyAttempts('Too many password checks at once, try again shortly', 1);
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  try {
    return await new Promise((resolve, reject) => {
      scrypt(pwd.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
    });
  } finally {
    slot.release();
  }
}

export async function hashPassword(pwd: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pwd, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(pwd: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) throw new TypeError('Unknown password hash format');
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(pwd, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Compared against when the user does not exist, so that a wrong name costs what a wrong password costs.
let dummyHash: Promise<string> | undefined;

/** Called at start-up so the first sign-in of an unknown name is not the one that pays for the dummy hash. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

export async function verifyAgainstNobody(pwd: string): Promise<false> {
  await verifyPassword(pwd, await prepareDummyHash());
  return false;
}
