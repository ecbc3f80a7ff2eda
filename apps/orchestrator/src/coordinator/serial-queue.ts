/**
 * Runs async operations one at a time. A Durable Object's input gates do not cover awaits on D1
 * or other services, so without this two RPCs could interleave between a read of the run's
 * state and the write that depends on it. Operations run in arrival order, except that one
 * queued `ahead` runs before those queued normally (still one at a time, and in arrival order
 * among its own kind): a short operation that a caller waits on need not wait behind a burst.
 */
export class SerialQueue {
  private readonly normal: (() => void)[] = [];
  private readonly ahead: (() => void)[] = [];
  private busy = false;

  run<T>(operation: () => Promise<T>, options: { ahead?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        // The queue goes on after a failure; the failure itself is returned to this caller.
        Promise.resolve()
          .then(operation)
          .then(resolve, reject)
          .finally(() => this.next());
      };
      (options.ahead ? this.ahead : this.normal).push(start);
      if (!this.busy) this.next();
    });
  }

  private next(): void {
    const start = this.ahead.shift() ?? this.normal.shift();
    this.busy = start !== undefined;
    start?.();
  }
}
