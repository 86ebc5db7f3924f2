// All mutations share one DuckDB connection; a transaction on it must not interleave with another.
// A promise chain is the whole lock: FIFO, no timers.
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    // Keep the chain alive whether fn failed or not; the caller sees the real outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
