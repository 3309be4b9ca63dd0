// A password-guessing flood: `concurrency` clients each sending bad sign-ins back to back, every one for a
// different name that has no account, so each costs the server a full password hash (the dummy one) and no
// account lock cuts it short.
import { randomUUID } from 'node:crypto';

export interface Flood {
  /** Stops sending and resolves with how many sign-ins were answered, by status. */
  stop(): Promise<Record<number, number>>;
}

export function startSignInFlood(baseUrl: string, concurrency: number): Flood {
  let isStopping = false;
  const statuses: Record<number, number> = {};
  const client = async (): Promise<void> => {
    while (!isStopping) {
      const name = `guess-${randomUUID()}`;
      const res = await fetch(`${baseUrl}/user/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_name: name, pwd: 'not the password' }),
      });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    async stop() {
      isStopping = true;
      await Promise.all(clients);
      return statuses;
    },
  };
}
