import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { endAtTurnEnd } from '../../src/http/turn-end.js';

let handle: (req: IncomingMessage, res: ServerResponse) => void = () => {};
const server = createServer((req, res) => handle(req, res));
let port = 0;

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** GET or HEAD path, resolving with the status and body. */
function fetchText(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Answers with the path as the body, ended at the turn's end. */
function answerWithPath(req: IncomingMessage, res: ServerResponse): void {
  const body = Buffer.from(req.url!);
  res.writeHead(200, { 'Content-Length': body.length });
  endAtTurnEnd(res, body);
}

describe('endAtTurnEnd', () => {
  it('writes nothing while the turn goes on, and the whole reply once it has ended', async () => {
    const written: { afterTick?: number; atTurnEnd?: number } = {};
    handle = (req, res) => {
      const before = req.socket.bytesWritten;
      answerWithPath(req, res);
      process.nextTick(() => (written.afterTick = req.socket.bytesWritten - before));
      // Queued after endAtTurnEnd's own setImmediate: runs once the turn's replies have been ended.
      setImmediate(() => (written.atTurnEnd = req.socket.bytesWritten - before));
    };
    assert.deepEqual(await fetchText('/probe'), { status: 200, body: '/probe' });
    assert.equal(written.afterTick, 0);
    assert.ok(written.atTurnEnd! > '/probe'.length, `${written.atTurnEnd} bytes written at the turn's end`);
  });

  it('ends a reply without a body (HEAD, 304)', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Length': 1234 });
      endAtTurnEnd(res);
    };
    assert.deepEqual(await fetchText('/head', 'HEAD'), { status: 200, body: '' });
  });

  it('answers two requests pipelined into one turn on one connection, in order', async () => {
    handle = answerWithPath;
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await once(socket, 'end');
    socket.destroy();
    const bodies = text.split('\r\n\r\n').slice(1).map((part) => part.split('HTTP/1.1')[0]);
    assert.deepEqual(bodies, ['/first', '/second']);
  });

  it('lets a client go before the turn ends without harm, and goes on serving', async () => {
    const errors: Error[] = [];
    handle = (req, res) => {
      res.on('error', (error) => errors.push(error));
      answerWithPath(req, res);
      req.socket.destroy();
    };
    await assert.rejects(fetchText('/gone'), { code: 'ECONNRESET' });
    handle = answerWithPath;
    assert.deepEqual(await fetchText('/after'), { status: 200, body: '/after' });
    assert.deepEqual(errors, []);
  });

  it('cuts a reply whose end throws, and goes on serving', { timeout: 5000 }, async () => {
    handle = (req, res) => {
      if (req.url !== '/short') return answerWithPath(req, res);
      // node:http's end throws when the body is shorter than the Content-Length promised, if told to check.
      res.strictContentLength = true;
      res.writeHead(200, { 'Content-Length': 10 });
      endAtTurnEnd(res, Buffer.from('short'));
    };
    await assert.rejects(fetchText('/short'));
    assert.deepEqual(await fetchText('/after'), { status: 200, body: '/after' });
  });
});
