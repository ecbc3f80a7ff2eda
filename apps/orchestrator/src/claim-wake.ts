/**
 * Wakes the runners' long-polling claims when a job is queued, instead of letting each look at
 * the queue again only after its poll interval. It reaches the claims waiting in this isolate:
 * under workerd (`bernstein dev`) the coordinators and the API share one, so a job is claimed at
 * once; on Cloudflare a coordinator may run elsewhere and the claim's poll still finds the job.
 * A generation count closes the gap between a claim's empty look and its wait: a job queued
 * in between ends the wait at once.
 */

let generation = 0;
const waiters = new Set<() => void>();

/** The current generation: take it before looking at the queue, then pass it to `waitForJob`. */
export function claimGeneration(): number {
  return generation;
}

/** Called after a commit that queued jobs: every waiting claim looks again now. */
export function wakeClaims(): void {
  generation++;
  for (const wake of waiters) wake();
  waiters.clear();
}

/** Settles after `ms`, on a wake, on `signal`'s abort, or at once when a wake came since `seen`. */
export function waitForJob(seen: number, ms: number, signal?: AbortSignal): Promise<void> {
  if (seen !== generation || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters.add(done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
