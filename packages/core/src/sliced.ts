/**
 * Work done in slices: a generator that pauses (yields) between slices of a long job, so that
 * a caller running it with `runInSlices` lets other requests in between (a Worker's thread
 * serves nothing else while JavaScript runs). `runToEnd` runs it at once. The same code runs
 * either way, so both give the same result or throw the same error.
 */
export type Sliced<T> = Generator<void, T, void>;

/** Runs sliced work to its end without pausing. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** Runs sliced work, awaiting `pause()` (a yield to I/O) between slices. */
export async function runInSlices<T>(work: Sliced<T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await pause();
  }
}
