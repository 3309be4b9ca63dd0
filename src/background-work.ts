// Work a request starts and does not wait for, such as a tus PATCH's fsync after its 204: shutdown waits for it
// before the database closes, so what it records is not lost to a stop.

export class BackgroundWork {
  readonly #running = new Set<Promise<void>>();

  /** work must not reject: it logs its own failures. */
  track(work: Promise<void>): void {
    this.#running.add(work);
    const done = () => void this.#running.delete(work);
    work.then(done, done);
  }

  /** Resolves once everything tracked so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }
}
