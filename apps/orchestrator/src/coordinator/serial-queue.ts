/**
 * Runs async operations one at a time, in arrival order. A Durable Object's input gates do not
 * cover awaits on D1 or other services, so without this two RPCs could interleave between a
 * read of the run's state and the write that depends on it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    // The queue goes on after a failure; the failure itself is returned to this caller.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
