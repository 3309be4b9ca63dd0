// MAX_CONNECTIONS: node:http closes every connection over server.maxConnections as it arrives ('drop').
// The operator hears of it once per burst, not once per connection: a flood must not flood the log too.
import type { Server } from 'node:http';
import { logInfo } from './log.js';

/** A burst ends when no connection was dropped for this long. */
const BURST_QUIET_MS = 10_000;

export function capConnections(server: Server, maxConnections: number): void {
  server.maxConnections = maxConnections;
  let dropped = 0;
  let burstEnd: NodeJS.Timeout | undefined;
  server.on('drop', () => {
    dropped++;
    if (burstEnd) {
      burstEnd.refresh();
      return;
    }
    logInfo(`connection limit reached: ${maxConnections} connections are open (MAX_CONNECTIONS), closing new ones`);
    burstEnd = setTimeout(() => {
      logInfo(`connection limit: ${dropped} connections were closed over MAX_CONNECTIONS`);
      dropped = 0;
      burstEnd = undefined;
    }, BURST_QUIET_MS).unref();
  });
}
