// The Fastify reference: @fastify/static on the fixture files, and a Fastify + better-sqlite3 twin of
// moviedash's GET /videos/:vid-id/comments (same schema, same two queries, same JSON), written as a Fastify
// user would: schemas for the query string and the response. Compiled to plain JS by the bench, so it runs
// without a TypeScript loader (which would add a thread and tens of MiB to its memory figures).
import fastifyStatic from '@fastify/static';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const FILES_DIR = process.env.FILES_DIR!;
const DB_PATH = process.env.DB_PATH;

const app = Fastify({ logger: false });
await app.register(fastifyStatic, { root: FILES_DIR, prefix: '/files/' });

if (DB_PATH) {
  const db = new Database(DB_PATH);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  interface CommentRow { seq: number; id: string; video_id: string; author_id: number; author: string; content: string; created_at: number }
  const videoById = db.prepare<[string], { id: string }>(
    `SELECT v.seq, v.id, v.author_id, u.user_name AS author, v.name, v.created_at, v.status, v.size, v.mime, v.poster_mime
       FROM video_info v JOIN users u ON u.id = v.author_id WHERE v.id = ?`,
  );
  const pageByVideo = db.prepare<[string, number, number], CommentRow>(
    `SELECT c.seq, c.id, c.video_id, c.author_id, u.user_name AS author, c.content, c.created_at
       FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.video_id = ? AND c.seq < ? ORDER BY c.seq DESC LIMIT ?`,
  );
  const encodeCursor = (seq: number) => Buffer.from(`k1:${seq}`).toString('base64url');
  const decodeCursor = (cursor: string): number | null => {
    const text = Buffer.from(cursor, 'base64url').toString('latin1');
    const seq = Number(text.slice(3));
    return text.startsWith('k1:') && Number.isSafeInteger(seq) && seq > 0 ? seq : null;
  };
  const comment = {
    type: 'object',
    properties: {
      id: { type: 'string' }, video_id: { type: 'string' }, author_id: { type: 'integer' },
      author: { type: 'string' }, content: { type: 'string' }, created_at: { type: 'string' },
    },
  };
  const error = { type: 'object', properties: { error: { type: 'string' }, error_code: { type: 'string' } } };

  app.get<{ Params: { vid: string }; Querystring: { limit: number; cursor?: string } }>('/videos/:vid/comments', {
    schema: {
      querystring: {
        type: 'object',
        properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 }, cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{0,40}$' } },
      },
      response: {
        200: { type: 'object', properties: { comments: { type: 'array', items: comment }, next_cursor: { type: ['string', 'null'] } } },
        400: error,
        404: error,
      },
    },
  }, async (request, reply) => {
    const { limit, cursor } = request.query;
    const beforeSeq = cursor ? decodeCursor(cursor) : Number.MAX_SAFE_INTEGER;
    if (beforeSeq === null) return reply.code(400).send({ error: 'Invalid cursor', error_code: '011' });
    if (!videoById.get(request.params.vid)) return reply.code(404).send({ error: 'No such video', error_code: '006' });
    const rows = pageByVideo.all(request.params.vid, beforeSeq, limit + 1);
    const items = rows.slice(0, limit);
    reply.header('Cache-Control', 'no-store');
    return {
      comments: items.map((row) => ({
        id: row.id, video_id: row.video_id, author_id: row.author_id, author: row.author,
        content: row.content, created_at: new Date(row.created_at).toISOString(),
      })),
      next_cursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.seq) : null,
    };
  });
  app.addHook('onClose', async () => void db.close());
}

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
