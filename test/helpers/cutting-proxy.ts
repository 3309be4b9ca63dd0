// A TCP proxy in front of the test server (node:net), standing in for a home network: it counts the bytes
// the client sends and, once, at a chosen count, drops the connections or holds one still. Its port stays the
// same when the server behind it is restarted on another one.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class CuttingProxy {
  /** Where connections go; change it after a server restart. */
  targetPort: number;
  /** Bytes the clients sent through the proxy so far, over every connection. */
  forwarded = 0;
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  #trigger: { atBytes: number; action: 'cut' | 'hold'; reached: () => void } | undefined;
  /** The client socket held still by holdAt: a drain upstream does not resume it. */
  readonly #held = new WeakSet<Socket>();

  private constructor(server: Server, targetPort: number) {
    this.#server = server;
    this.targetPort = targetPort;
    server.on('connection', (client) => this.#relay(client));
  }

  static async start(targetPort: number): Promise<CuttingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new CuttingProxy(server, targetPort);
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  /** Once atBytes have been forwarded, destroys every connection (both sides), once; resolves then. */
  cutAt(atBytes: number): Promise<void> {
    return new Promise((reached) => (this.#trigger = { atBytes, action: 'cut', reached }));
  }

  /**
   * Once atBytes have been forwarded, stops reading from the connection that sent them (the server sees its
   * request stall); resolves then. The client's other connections go on: a browser sends its next request (a
   * DELETE, a reload) on an idle keep-alive connection, which a stalled network path would not hold either.
   */
  holdAt(atBytes: number): Promise<void> {
    return new Promise((reached) => (this.#trigger = { atBytes, action: 'hold', reached }));
  }

  /** Destroys every connection now (both sides), as a network that drops; later connections go through. */
  cut(): void {
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.#pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      this.forwarded += chunk.length;
      if (!upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => this.#held.has(client) || client.resume());
      }
      const trigger = this.#trigger;
      if (trigger === undefined || this.forwarded < trigger.atBytes) return;
      this.#trigger = undefined;
      if (trigger.action === 'cut') {
        this.cut();
      } else {
        this.#held.add(client);
        client.pause();
      }
      trigger.reached();
    });
  }
}
