import { ACTIVE_TASK_STATUSES, pickClaimable, TASK_STATUSES, type Task, type TaskStatus } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { ClaimIndex, pickInOrder } from "../src/coordinator/claim-index.js";

// The coordinator claims by walking its claim index (`claim-index.ts`) instead of sorting every
// task on every claim; it must pick what core's `pickClaimable` picks, for any run.

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function task(i: number, rnd: () => number, ids: string[]): Task {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const deps = ids.slice(0, i).filter(() => rnd() < 0.1);
  return {
    id: `t_${String(i).padStart(3, "0")}`,
    runId: "r_test",
    planId: `p${i}`,
    title: `task ${i}`,
    description: "",
    role: "coder",
    priority: pick([0, 0, 1, 2]),
    order: i,
    status: pick<TaskStatus>(["open", "open", "open", ...TASK_STATUSES]),
    version: 1,
    dependsOn: deps,
    ownedFiles: rnd() < 0.5 ? [] : [`src/${pick(["a", "b", "c", "d", "e", "f"])}/**`],
    completionSignals: [],
    approvalRequired: false,
    maxCostUsd: null,
    attempt: 0,
    costUsd: 0,
    summary: null,
    error: null,
    mergedSeq: null,
    createdAt: "2026-12-02T00:00:00.000Z",
    updatedAt: "2026-12-02T00:00:00.000Z",
  };
}

function schedulable(t: Task) {
  return {
    id: t.id,
    status: t.status,
    priority: t.priority,
    order: t.order,
    dependsOn: t.dependsOn,
    ownedFiles: t.ownedFiles,
  };
}

describe("claiming in claim order", () => {
  it("picks what pickClaimable picks, before and after tasks change", () => {
    let compared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const ids = Array.from({ length: 60 }, (_, i) => `t_${String(i).padStart(3, "0")}`);
      const tasks = new Map<string, Task>();
      for (let i = 0; i < ids.length; i++) {
        const t = task(i, rnd, ids);
        tasks.set(t.id, t);
      }
      const index = new ClaimIndex(tasks);
      for (let change = 0; change < 5; change++) {
        const limits = {
          maxAgents: 1 + Math.floor(rnd() * 30),
          budgetUsd: rnd() < 0.2 ? 1 : null,
          spentUsd: rnd() < 0.5 ? 0.5 : 2,
          reservedUsd: 0,
          reservePerTaskUsd: 0,
        };
        const all = [...tasks.values()];
        const active = all.filter((t) => ACTIVE_TASK_STATUSES.has(t.status));
        const expected = pickClaimable(all.map(schedulable), active.map(schedulable), limits).map((t) => t.id);
        const view = { order: index.ordered(), start: index.start(), active };
        const got = pickInOrder((id) => tasks.get(id), view, limits).map((t) => t.id);
        expect(got).toEqual(expected);
        expect([...index.active].sort()).toEqual(active.map((t) => t.id).sort());
        compared += expected.length;
        // Some tasks move (claims, merges, retries that open them again), as commits do.
        for (const t of all) {
          if (rnd() < 0.2) {
            const moved = {
              ...t,
              status:
                rnd() < 0.4
                  ? ("open" as const)
                  : (TASK_STATUSES[Math.floor(rnd() * TASK_STATUSES.length)] as TaskStatus),
            };
            tasks.set(t.id, moved);
            index.changed(moved);
          }
        }
      }
    }
    // The runs picked something: the comparison is not between two empty lists.
    expect(compared).toBeGreaterThan(100);
  });
});
