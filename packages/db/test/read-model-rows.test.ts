import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { READ_MODEL_ROWS, type RowWriter, type RunRow, type TaskRow } from "../src/index.js";
import { makeRun, makeTask } from "./fixtures.js";

/** Upserts one row as the drain does; returns the rows D1 counts as written. */
async function upsert(rows: RowWriter, row: Record<string, unknown>): Promise<number> {
  const result = await env.STATE_DB.prepare(rows.insert(1, "upsert"))
    .bind(...rows.values(row))
    .run();
  return result.meta.rows_written;
}

describe("the read model's rows in D1", () => {
  it("an upsert keeps a row's fixed columns and rewrites only the indexes on what it sets", async () => {
    const run: RunRow = { ...makeRun(), idempotencyKey: null };
    await upsert(READ_MODEL_ROWS.runs, run);
    const task: TaskRow = makeTask(run.id, 0);
    await upsert(READ_MODEL_ROWS.tasks, task);

    const changed: TaskRow = { ...task, status: "in_progress", title: "renamed", version: task.version + 1, order: 99 };
    // The row itself and tasks_run_status_idx; not tasks_run_order_idx or tasks_run_plan_id_idx.
    expect(await upsert(READ_MODEL_ROWS.tasks, changed)).toBe(2);
    const stored = await env.STATE_DB.prepare('SELECT status, title, "order" FROM tasks WHERE id = ?')
      .bind(task.id)
      .first();
    expect(stored).toEqual({ status: "in_progress", title: "renamed", order: task.order });
  });
});
