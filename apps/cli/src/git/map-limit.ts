/**
 * Runs `worker` over items from a sync or async source with at most `limit` in flight; the
 * first failure stops new work and is rethrown once the running ones settle.
 */
export async function forEachLimit<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure) break;
    const task = worker(item).then(
      () => undefined,
      (error: unknown) => {
        failure ??= { error };
      },
    );
    running.add(task);
    void task.finally(() => running.delete(task));
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}
