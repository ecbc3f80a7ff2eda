import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, type RunnerRow, runners, type ScheduleRow, schedules } from "../src/index.js";

const db = createDb(env.STATE_DB);

describe("placeholder tables", () => {
  it("round-trips a runner", async () => {
    const runner: RunnerRow = {
      id: `rn_${crypto.randomUUID()}`,
      name: "ci-box",
      labels: ["linux", "x64"],
      tokenHash: "c".repeat(64),
      lastSeenAt: null,
      createdAt: "2026-11-26T10:00:00.000Z",
    };
    await db.insert(runners).values(runner);
    expect(await db.select().from(runners).where(eq(runners.id, runner.id)).get()).toEqual(runner);
  });

  it("round-trips a schedule", async () => {
    const schedule: ScheduleRow = {
      id: `sc_${crypto.randomUUID()}`,
      cron: "0 3 * * *",
      goal: "Update dependencies",
      config: { budgetUsd: 2, verifyCommands: ["pnpm test"] },
      enabled: false,
      lastRunAt: "2026-11-26T03:00:00.000Z",
      createdAt: "2026-11-26T00:00:00.000Z",
    };
    await db.insert(schedules).values(schedule);
    expect(await db.select().from(schedules).where(eq(schedules.id, schedule.id)).get()).toEqual(schedule);
  });
});
