import { childrenOf, lifeline, type ProcessIdentity } from "@bernstein/processes";

/** The workerd processes this process runs now (Miniflare starts one per instance, as a child). */
export function workerdChildren(): ProcessIdentity[] {
  return childrenOf(process.pid, "workerd");
}

/**
 * Ties the workerd processes Miniflare started since `before` was taken to this process's
 * lifeline: should this process die without disposing Miniflare (`kill -9`), its guard stops
 * them (an orphaned workerd goes on serving the port and ignores SIGTERM). Returns them and the
 * call that unties them (after a clean dispose).
 */
export function tieWorkerd(before: readonly ProcessIdentity[]): { processes: ProcessIdentity[]; untie(): void } {
  const known = new Set(before.map((p) => p.pid));
  const processes = workerdChildren().filter((p) => !known.has(p.pid));
  const unties = processes.map((id) => lifeline().watch(id, { role: "workerd" }));
  return {
    processes,
    untie: () => {
      for (const untie of unties) untie();
    },
  };
}
