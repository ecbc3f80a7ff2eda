import type { TaskStatus } from "@bernstein/core";

/**
 * How many of a run's tasks are in each status, kept up to date with every write, so the
 * checks that follow every change (is the run done? is a slot free?) cost no scan of all
 * tasks. A transaction keeps its own changes as deltas (negative counts) on top of the run's.
 */
export class TaskCounts {
  private readonly by = new Map<TaskStatus, number>();
  total = 0;

  constructor(statuses: Iterable<TaskStatus> = []) {
    for (const status of statuses) this.add(status, 1);
  }

  of(status: TaskStatus): number {
    return this.by.get(status) ?? 0;
  }

  /** Tasks in any of `statuses`. */
  in(statuses: ReadonlySet<TaskStatus>): number {
    let n = 0;
    for (const status of statuses) n += this.of(status);
    return n;
  }

  add(status: TaskStatus, n: number): void {
    this.by.set(status, this.of(status) + n);
    this.total += n;
  }

  /** A task moved from one status to another (`from` null: a new task). */
  move(from: TaskStatus | null, to: TaskStatus): void {
    if (from === to) return;
    if (from !== null) this.add(from, -1);
    this.add(to, 1);
  }

  /** Adds another set of counts (a transaction's deltas) to these. */
  merge(deltas: TaskCounts): void {
    for (const [status, n] of deltas.by) this.add(status, n);
  }
}
