import { describe, expect, it } from "vitest";
import { errorCodeOf } from "./errors.js";
import { assertTransition, TASK_STATUSES, TASK_TRANSITIONS, transitionTask } from "./task-status.js";

describe("task status transitions", () => {
  it("allows the happy path and bumps the version each time", () => {
    let task = { id: "t_aaaaaaaaaaaa", status: "planned" as const, version: 0 } as {
      id: string;
      status: (typeof TASK_STATUSES)[number];
      version: number;
    };
    for (const to of ["open", "claimed", "in_progress", "done", "merged"] as const) {
      task = transitionTask(task, to);
      expect(task.status).toBe(to);
    }
    expect(task.version).toBe(5);
  });

  it("refuses a wrong transition with illegal_transition and names both ends", () => {
    const task = { id: "t_aaaaaaaaaaaa", status: "merged" as const, version: 3 };
    let caught: unknown;
    try {
      transitionTask(task, "open");
    } catch (error) {
      caught = error;
    }
    expect(errorCodeOf(caught)).toBe("illegal_transition");
    expect(String(caught)).toContain("merged to open");
  });

  it("checks every pair against the table", () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const legal = TASK_TRANSITIONS[from].includes(to);
        expect(() => assertTransition(from, to)).toSatisfy((fn: () => void) => {
          try {
            fn();
            return legal;
          } catch {
            return !legal;
          }
        });
      }
    }
  });

  it("never leaves merged or cancelled", () => {
    expect(TASK_TRANSITIONS.merged).toEqual([]);
    expect(TASK_TRANSITIONS.cancelled).toEqual([]);
  });
});
