import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ownedFilesOverlap } from "./owned-files.js";
import { pickClaimable, type SchedulableTask, type SchedulerLimits } from "./scheduler.js";
import { TASK_STATUSES } from "./task-status.js";

const FILES = ["src/a.ts", "src/b.ts", "src/c/**", "src/c/d.ts", "docs", "docs/*.md", "lib/**/*.ts", "README.md"];

/** Random plans whose dependencies point only backwards (so they are acyclic, like a validated plan). */
const scenario = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      tasks: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            status: fc.constantFrom(...TASK_STATUSES, "open", "open", "open"),
            priority: fc.integer({ min: 0, max: 4 }),
            deps: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 3 }),
            owned: fc.uniqueArray(fc.constantFrom(...FILES), { maxLength: 2 }),
          }),
        ),
      ),
      maxAgents: fc.integer({ min: 1, max: 8 }),
      budget: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
      spent: fc.double({ min: 0, max: 10, noNaN: true }),
      reserve: fc.double({ min: 0, max: 2, noNaN: true }),
    }),
  )
  .map(({ tasks, maxAgents, budget, spent, reserve }) => {
    const all: SchedulableTask[] = tasks.map((t, i) => ({
      id: `t${i}`,
      status: t.status,
      priority: t.priority,
      order: i,
      dependsOn: t.deps.filter((d) => d < i).map((d) => `t${d}`),
      ownedFiles: t.owned,
    }));
    // Running tasks hold files and slots; keep them conflict-free among themselves like a real run.
    const running: SchedulableTask[] = [];
    for (const t of all.filter((x) => x.status === "claimed" || x.status === "in_progress")) {
      if (running.length < maxAgents && !running.some((r) => ownedFilesOverlap(r.ownedFiles, t.ownedFiles))) {
        running.push(t);
      }
    }
    const limits: SchedulerLimits = {
      maxAgents,
      budgetUsd: budget,
      spentUsd: spent,
      reservedUsd: 0,
      reservePerTaskUsd: reserve,
    };
    return { all, running, limits };
  });

describe("pickClaimable invariants", () => {
  it("never picks a task whose dependency is not merged", () => {
    fc.assert(
      fc.property(scenario, ({ all, running, limits }) => {
        const byId = new Map(all.map((t) => [t.id, t]));
        for (const t of pickClaimable(all, running, limits)) {
          expect(t.status).toBe("open");
          for (const d of t.dependsOn) expect(byId.get(d)?.status).toBe("merged");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never picks two tasks with overlapping owned files, nor one overlapping a running task", () => {
    fc.assert(
      fc.property(scenario, ({ all, running, limits }) => {
        const picked = pickClaimable(all, running, limits);
        const holders = [...running, ...picked];
        for (let i = 0; i < holders.length; i++) {
          for (let j = i + 1; j < holders.length; j++) {
            if (i < running.length && j < running.length) continue;
            expect(
              ownedFilesOverlap((holders[i] as SchedulableTask).ownedFiles, (holders[j] as SchedulableTask).ownedFiles),
            ).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never exceeds max_agents or the budget", () => {
    fc.assert(
      fc.property(scenario, ({ all, running, limits }) => {
        const picked = pickClaimable(all, running, limits);
        expect(running.length + picked.length).toBeLessThanOrEqual(Math.max(limits.maxAgents, running.length));
        if (limits.budgetUsd !== null && limits.budgetUsd !== undefined && picked.length > 0) {
          expect(limits.spentUsd + picked.length * limits.reservePerTaskUsd).toBeLessThanOrEqual(limits.budgetUsd);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic and respects priority order", () => {
    fc.assert(
      fc.property(scenario, ({ all, running, limits }) => {
        const a = pickClaimable(all, running, limits).map((t) => t.id);
        const b = pickClaimable([...all].reverse(), running, limits).map((t) => t.id);
        expect(b).toEqual(a);
        const picked = pickClaimable(all, running, limits);
        for (let i = 1; i < picked.length; i++) {
          const prev = picked[i - 1] as SchedulableTask;
          const cur = picked[i] as SchedulableTask;
          expect(prev.priority < cur.priority || (prev.priority === cur.priority && prev.order < cur.order)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("pickClaimable examples", () => {
  const open = (id: string, extra: Partial<SchedulableTask> = {}): SchedulableTask => ({
    id,
    status: "open",
    priority: 2,
    order: Number(id.slice(1)),
    dependsOn: [],
    ownedFiles: [],
    ...extra,
  });
  const limits = { maxAgents: 4, spentUsd: 0, reservedUsd: 0, reservePerTaskUsd: 0 };

  it("waits for dependencies, then releases the dependent", () => {
    const tasks = [open("t1"), open("t2"), open("t3", { dependsOn: ["t1", "t2"] })];
    expect(pickClaimable(tasks, [], limits).map((t) => t.id)).toEqual(["t1", "t2"]);
    const later = [
      { ...open("t1"), status: "merged" as const },
      { ...open("t2"), status: "merged" as const },
      open("t3", { dependsOn: ["t1", "t2"] }),
    ];
    expect(pickClaimable(later, [], limits).map((t) => t.id)).toEqual(["t3"]);
  });

  it("serialises tasks that own the same files", () => {
    const tasks = [
      open("t1", { ownedFiles: ["src/**"] }),
      open("t2", { ownedFiles: ["src/a.ts"] }),
      open("t3", { ownedFiles: ["docs"] }),
    ];
    expect(pickClaimable(tasks, [], limits).map((t) => t.id)).toEqual(["t1", "t3"]);
  });

  it("stops at max_agents and at the budget", () => {
    const tasks = [open("t1"), open("t2"), open("t3")];
    expect(pickClaimable(tasks, [], { ...limits, maxAgents: 2 })).toHaveLength(2);
    expect(pickClaimable(tasks, [], { ...limits, budgetUsd: 1, reservePerTaskUsd: 0.4 })).toHaveLength(2);
    expect(pickClaimable(tasks, [], { ...limits, budgetUsd: 1, spentUsd: 1, reservePerTaskUsd: 0 })).toHaveLength(0);
  });
});
