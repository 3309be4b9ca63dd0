// Work a request starts and does not wait for, such as a tus PATCH's fsync after its 204: shutdown waits for it
// before the database closes, so what it records is not lost to a stop.

export class BackgroundWork {
  readonly #running = new Set<Promise<void>>();

  /** How many tracked works have not ended yet. */
  get running(): number {
    return this.#running.size;
  }

  /** work must not reject: it logs its own failures. */
  track(work: Promise<void>): void {
    this.#running.add(work);
    const done = () => void this.#running.delete(work);
    work.then(done, done);
  }

  /** Resolves once everything tracked so far has ended, or after withinMs (a disk that hangs must not hang a stop). */
  async settled(withinMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)));
    await Promise.race([Promise.allSettled([...this.#running]), deadline]);
    clearTimeout(timer);
  }
}
