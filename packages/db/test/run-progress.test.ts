import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb, getRunProgress, insertRun, insertTasks } from "../src/index.js";
import { makeRun, makeTask, newId } from "./fixtures.js";

const db = createDb(env.STATE_DB);

describe("getRunProgress", () => {
  it("counts each run's tasks, merged and ended without merging; a run without tasks has zeros", async () => {
    const busy = makeRun();
    const empty = makeRun();
    await insertRun(db, busy);
    await insertRun(db, empty);
    const statuses = ["merged", "merged", "failed", "open", "cancelled"] as const;
    await insertTasks(
      db,
      statuses.map((status, i) => makeTask(busy.id, i, { status })),
    );
    const progress = await getRunProgress(db, [busy.id, empty.id, newId("r")]);
    expect(progress.get(busy.id)).toEqual({ total: 5, merged: 2, unmerged: 2 });
    expect(progress.get(empty.id)).toEqual({ total: 0, merged: 0, unmerged: 0 });
    expect(await getRunProgress(db, [])).toEqual(new Map());
  });
});
