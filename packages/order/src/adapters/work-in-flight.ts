/**
 * Counts background work (event handlers, timer passes) so stop() can wait
 * for it, and refuses new work once stopping began: a refused event is
 * redelivered later, to this instance after a restart or to another one.
 */
export class WorkInFlight {
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Runs `work`, tracked; throws at once when stopping. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new Error("the order service is stopping"));
    const promise = work();
    this.running.add(promise);
    const forget = () => this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Refuses new work and waits for the work in flight to settle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }
}
