// libuv's thread pool runs every file open, read, write and fsync, and scrypt: work that may hold a thread for
// long (password hashing, disk syncs) gets only a share of it, so the reads streams wait for keep theirs.
export const THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;
