import type { Attempt, AuditEvent, CostEvent, Job, Run, RunEvent, Task } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  type AttemptRow,
  type AuditEventRow,
  type CostEventRow,
  type EventRow,
  type JobRow,
  ROWS,
  type RunRow,
  type TaskRow,
} from "../src/index.js";
import { makeRun, makeTask } from "./fixtures.js";

// Rows are the core types, field for field: nothing maps them by hand. When a core schema and
// its table drift apart (a field added to one only, a nullability changed), `pnpm typecheck`
// fails here.
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
export type RowsAreCoreTypes = [
  Expect<Equal<TaskRow, Task>>,
  Expect<Equal<AttemptRow, Attempt>>,
  // `commands` is nullable in the table (runs older than run_command); `runOfRow` fills it.
  Expect<Equal<Omit<RunRow, "idempotencyKey" | "commands">, Omit<Run, "commands">>>,
  Expect<Equal<NonNullable<RunRow["commands"]>, Run["commands"]>>,
  Expect<Equal<EventRow, RunEvent>>,
  Expect<Equal<AuditEventRow, AuditEvent>>,
  Expect<Equal<Omit<CostEventRow, "id">, CostEvent>>,
  Expect<Equal<JobRow, Job>>,
];

describe("rows derived from the schema", () => {
  it("writes a core value as driver values and reads it back unchanged", () => {
    const value = { ...makeTask(makeRun().id, 0), dependsOn: ["t_000000000002"], maxCostUsd: null };
    const raw: Record<string, unknown> = {};
    const names =
      ROWS.tasks
        .insert(1, "fail")
        .match(/\(([^)]*)\) VALUES/)?.[1]
        ?.split(", ") ?? [];
    ROWS.tasks.values(value).forEach((v, i) => {
      raw[(names[i] ?? "").replaceAll('"', "")] = v;
    });
    expect(raw.depends_on).toBe('["t_000000000002"]');
    expect(raw.approval_required).toBe(0);
    expect(ROWS.tasks.fromDriver(raw)).toEqual(value);
  });
});
